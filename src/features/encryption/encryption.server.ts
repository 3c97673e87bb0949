import { resealActions, resealCaseEvents, resealCases } from '#features/casus/casus.repo.server.ts';
import { resealReports } from '#features/reports/reports.repo.server.ts';
import { resealEvents, resealNotes } from '#features/triage/triage.repo.server.ts';
import { resealAdditions } from '#features/additions/additions.repo.server.ts';
import { resealDrafts } from '#features/intake/drafts.repo.server.ts';
import { resealAgendaItems, resealMeetings } from '#features/mdo/mdo.repo.server.ts';
import { resealPhotos } from '#features/photos/photos.repo.server.ts';
import { resealOutbox } from '#features/mail/outbox.repo.server.ts';
import { resealUsers } from '#features/auth/users.repo.server.ts';
import { resealLinks } from '#features/auth/links.repo.server.ts';
import { audit } from '#features/audit/audit.repo.server.ts';
import { keyring } from '#platform/crypto/keyring.server.ts';
import type { ResealBatch } from '#platform/crypto/fields.server.ts';
import { existsSync } from 'node:fs';
import { config } from '#platform/config.ts';
import { db } from '#platform/db.ts';
import { completedPass, recordCompletedPass } from './encryption.repo.server.ts';
import { anyPlainValue } from './encryption.queries.server.ts';

/**
 * The encryption pass (spec §8): every sensitive value sealed under the current data key and every
 * blind index recomputed, table by table, in batches of one transaction each. It serves two moments:
 * the upgrade of a database from before encryption (plain values), run at start-up, and a key
 * rotation (`npm run keys:rotate`), run beside the portal. Each batch commits on its own, and a value
 * already under the current key is left alone: a pass stopped halfway (a crash, `kill -9`) is simply
 * run again, and a second pass over a finished database changes nothing.
 */

type Batch<K extends number | string> = (after: K, limit: number) => ResealBatch<K>;

/** The tables the pass walks, with where each starts. Retention's deletion log holds only blind indexes: found under every key. */
const TABLES: { table: string; start: number | string; batch: Batch<number> | Batch<string> }[] = [
  { table: 'reports', start: 0, batch: resealReports },
  { table: 'report_notes', start: 0, batch: resealNotes },
  { table: 'report_events', start: 0, batch: resealEvents },
  { table: 'report_additions', start: 0, batch: resealAdditions },
  { table: 'drafts', start: '', batch: resealDrafts },
  { table: 'report_photos', start: '', batch: resealPhotos },
  { table: 'outbox', start: 0, batch: resealOutbox },
  { table: 'users', start: 0, batch: resealUsers },
  { table: 'account_links', start: '', batch: resealLinks },
  { table: 'cases', start: 0, batch: resealCases },
  { table: 'case_events', start: 0, batch: resealCaseEvents },
  { table: 'case_actions', start: 0, batch: resealActions },
  { table: 'meetings', start: 0, batch: resealMeetings },
  { table: 'meeting_items', start: 0, batch: resealAgendaItems },
];

export interface PassProgress {
  table: string;
  /** Rows looked at in this table so far, and how many of them were sealed again. */
  seen: number;
  changed: number;
}

/** Whether the last complete pass was under another key than the current one (or never ran). */
export function passNeeded(): boolean {
  return completedPass()?.keyId !== keyring().current.id;
}

/**
 * Runs the pass to the end under the current key; `onBatch` hears of each committed batch. Returns how
 * many values were sealed again per table.
 */
export function runPass(options: { batchSize?: number; onBatch?: (p: PassProgress) => void; now?: () => Date } = {}): Record<string, number> {
  const limit = options.batchSize ?? 500;
  const now = options.now ?? (() => new Date());
  const keyId = keyring().current.id;
  const changedPerTable: Record<string, number> = {};
  for (const { table, start, batch } of TABLES) {
    let after: number | string = start;
    let seen = 0;
    let changed = 0;
    for (;;) {
      const result = db()
        .transaction(() => (batch as Batch<number | string>)(after, limit))
        .immediate();
      if (result.last === undefined) break;
      after = result.last;
      seen += limit;
      changed += result.changed;
      options.onBatch?.({ table, seen, changed });
    }
    changedPerTable[table] = changed;
  }
  db().transaction(() => {
    recordCompletedPass(keyId, now());
    audit({ actorRole: 'systeem', action: 'sleutels_vernieuwd', result: 'gelukt', detail: `sleutel ${keyId}` }, now());
  }).immediate();
  return changedPerTable;
}

const keyMissing = (keyId: string, file: string): string =>
  `De gegevens in deze database zijn versleuteld met sleutel ${keyId}, maar die staat niet in ${file}. ` +
  'Zet het sleutelbestand terug dat bij deze database hoort (DATA_KEY_FILE); zonder die sleutel is niets te lezen.';

/**
 * At start-up, before the port opens: loads the data key (outside production the first start creates
 * one) and, when the data is not all under the current key — an upgrade from a version without
 * encryption, or a rotation that stopped halfway — runs the pass, saying so on the console. After an
 * upgrade the file is rewritten (VACUUM) and the WAL emptied, so no plain copy stays in free pages.
 */
export function prepareEncryption(log: (line: string) => void = console.log): void {
  const done = completedPass();
  const { file } = config().dataKey;
  // A database already encrypted, and no key file: a new key would read none of it. Refuse, and say what to do.
  if (done && !existsSync(file)) throw new Error(keyMissing(done.keyId, file));
  const ring = keyring();
  if (done && !ring.keys.some((k) => k.id === done.keyId)) throw new Error(keyMissing(done.keyId, file));
  if (!passNeeded()) return;
  const upgrade = done === undefined;
  // A database without a pass behind it and without a plain value (new, or filled by this version's
  // code): everything is under the current key already.
  if (upgrade && !anyPlainValue()) {
    db().transaction(() => recordCompletedPass(ring.current.id, new Date())).immediate();
    return;
  }
  let lastTable = '';
  const changed = runPass({
    onBatch: (p) => {
      if (p.table !== lastTable || p.seen % 10_000 === 0) log(`sleutels: ${p.table}: ${p.seen} rijen bekeken, ${p.changed} versleuteld`);
      lastTable = p.table;
    },
  });
  const total = Object.values(changed).reduce((a, b) => a + b, 0);
  if (upgrade && total > 0) {
    log(`sleutels: ${total} waarden van voor de versleuteling versleuteld; het bestand wordt opnieuw geschreven (VACUUM).`);
    db().exec('VACUUM');
    db().pragma('wal_checkpoint(TRUNCATE)');
  } else if (total > 0) {
    log(`sleutels: ${total} waarden opnieuw versleuteld met de nieuwste sleutel.`);
  }
}
