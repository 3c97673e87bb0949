// Reading a test portal's sealed values from outside it (Playwright, benchmarks): the portal's key
// file beside its database (config.ts: the embedded default), and the app's own decryption.
import path from 'node:path';
import { decrypt, keyringOf, type Keyring } from '#platform/crypto/field-crypto.ts';
import { readKeyFile } from '#platform/crypto/keyring.server.ts';
import { SEALED_COLUMNS } from '#features/reports/sealed-columns.rules.ts';
import { SEALED_EVENT_KINDS, type EventKind } from '#features/triage/triage.rules.ts';

/** The keyring of the portal whose database is `dbPath` (read afresh: a rotation adds keys). */
export function keyringOfDatabase(dbPath: string): Keyring {
  return keyringOf(readKeyFile(path.join(path.dirname(dbPath), 'data-key')));
}

/** One stored value opened for its place; NULL stays NULL. */
export function openValue(ring: Keyring, table: string, column: string, row: string | number, stored: unknown): string | null {
  return stored === null || stored === undefined ? null : decrypt(ring, String(stored), { table, column, row });
}

/** A `reports` row with its sealed columns opened. */
export function openReport<T extends object>(ring: Keyring, row: T): T {
  const opened = { ...row } as Record<string, unknown>;
  for (const column of SEALED_COLUMNS) if (column in opened) opened[column] = openValue(ring, 'reports', column, String(opened['reference']), opened[column]);
  return opened as T;
}

/** A `report_events` row (with its id) with its sealed values opened. */
export function openEvent<T extends { id: number; kind: string; from_value: unknown; to_value: unknown; reason: unknown }>(ring: Keyring, e: T): T {
  const sealedKind = SEALED_EVENT_KINDS.has(e.kind as EventKind);
  return {
    ...e,
    from_value: sealedKind ? openValue(ring, 'report_events', 'from_value', e.id, e.from_value) : e.from_value,
    to_value: sealedKind ? openValue(ring, 'report_events', 'to_value', e.id, e.to_value) : e.to_value,
    reason: openValue(ring, 'report_events', 'reason', e.id, e.reason),
  };
}
