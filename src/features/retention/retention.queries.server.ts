import { db } from '#platform/db.ts';
import { lazy } from '#lib/lazy.ts';

/**
 * Recurrence that survives deletion (spec §8): how many reports about an address or a person retention
 * deleted, and when the newest of them came in. Found by the blind indexes the deletion log keeps
 * (retention.repo.server.ts; in report_keys since migration 0028); nothing else of those reports exists any more.
 */

export interface DeletedEarlier {
  count: number;
  /** When the newest deleted report came in (UTC). */
  lastCreatedAt: string;
}

const statements = lazy(() => {
  const d = db();
  // Each set of blind indexes arrives as a JSON array: one per key of the keyring (several only during a rotation).
  // A row logged since migration 0028 is found through the keys its report left in report_keys; one logged
  // before, through its own key columns.
  const kept = (kind: string, param: string) => `
    SELECT d.id FROM report_keys k JOIN deletion_log d ON d.report_id = k.report_id
    WHERE k.kind = '${kind}' AND k.key IN (SELECT value FROM json_each(${param}))`;
  return {
    address: d.prepare(`
      SELECT count(*) AS count, max(created_at) AS lastCreatedAt FROM deletion_log
      WHERE id IN (SELECT id FROM deletion_log WHERE address_key IN (SELECT value FROM json_each(@address))
                   UNION SELECT id FROM deletion_log WHERE bag_key IN (SELECT value FROM json_each(@bag))
                   UNION ${kept('address', '@address')}
                   UNION ${kept('bag', '@bag')})`),
    person: d.prepare(`
      SELECT count(*) AS count, max(created_at) AS lastCreatedAt FROM deletion_log
      WHERE id IN (SELECT id FROM deletion_log WHERE person_key IN (SELECT value FROM json_each(@person))
                   UNION ${kept('person', '@person')})`),
  };
});

/** Blind indexes to look for, each a JSON array (reports.repo.server.ts `blindLookups`). */
export interface Lookups {
  address: string;
  bag: string;
  person: string;
}

export function deletedEarlier(lookups: Lookups): { address: DeletedEarlier | undefined; person: DeletedEarlier | undefined } {
  const s = statements();
  const found = (row: unknown) => {
    const r = row as { count: number; lastCreatedAt: string | null };
    return r.count > 0 && r.lastCreatedAt ? { count: r.count, lastCreatedAt: r.lastCreatedAt } : undefined;
  };
  return {
    address: found(s.address.get({ address: lookups.address, bag: lookups.bag })),
    person: found(s.person.get({ person: lookups.person })),
  };
}
