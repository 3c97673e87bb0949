import { audit } from '#features/audit/audit.repo.server.ts';
import { purgeSessions } from '#features/auth/sessions.repo.server.ts';
import { purgeLinks } from '#features/auth/links.repo.server.ts';
import { IDLE_MS } from '#features/auth/login.server.ts';
import { purgeExpiredDrafts } from '#features/intake/drafts.repo.server.ts';
import { purgeExpiredPhotos } from '#features/photos/photos.repo.server.ts';
import {
  FIRST_CLOSED,
  SWEPT_KEY_KINDS,
  closedReports,
  contactsToErase,
  deleteReports,
  eraseReporterContact,
  forgetGoneKeys,
  goneKeysFrom,
  goneKeysUpTo,
  listGoneKeys,
  sweepListed,
  type ClosedReport,
} from '#features/reports/reports.repo.server.ts';
import { eraseCallerContact } from '#features/additions/additions.repo.server.ts';
import { now } from '#platform/clock.ts';
import { config } from '#platform/config.ts';
import { db, withSettings, type BatchSettings } from '#platform/db.ts';
import { deleteTrailOfDeletedReports } from '#features/triage/triage.repo.server.ts';
import { deletePhotosOfDeletedReports } from '#features/photos/photos.repo.server.ts';
import { unlinkMailOfDeletedReports, wipeContactMailOfErased } from '#features/mail/outbox.repo.server.ts';
import { deleteAdditionsOfDeletedReports } from '#features/additions/additions.repo.server.ts';
import { logCaseDeletions, logDeletable } from './retention.repo.server.ts';
import { deleteCases, expiredCaseIds, unlinkDeletedReports } from '#features/casus/casus.repo.server.ts';
import { deleteMeetings, expiredMeetingIds } from '#features/mdo/mdo.repo.server.ts';
import { deleteCountedInBulk } from '#features/monitor/monitor.repo.server.ts';
import { CONTACT_ERASURE_STATUSES, DELETION_RULES, type DeletionRule } from './retention.rules.ts';

/**
 * Retention (spec §8), with the periods from the municipality's configuration:
 * - `geannuleerd` reports are deleted `cancelledDays` after closing;
 * - other closed reports lose the reporter's contact details, and their additions the name and phone of
 *   a caller, `contactErasureDays` after closing, and are deleted `reportDeletionDays` after closing;
 * - a closed casus is deleted `reportDeletionDays` after closing once no report of it remains (spec §8),
 *   with its place on MDO agendas; an overleg goes `reportDeletionDays` after its date once no casus is left on its agenda.
 * A deleted report leaves a metadata row in `deletion_log`; each run is audited (counts only).
 * Drafts older than 24 hours and ended staff sessions are purged every quarter of an hour by the
 * background jobs (jobs.ts) through `purgeExpired`, audited (counts only) whenever it deletes anything.
 */
export interface RetentionResult {
  contactsErased: number;
  /** Additions whose caller's name and phone (a call to the KCC) were erased with the reporter's details. */
  callersErased: number;
  cancelledDeleted: number;
  reportsDeleted: number;
  casesDeleted: number;
  /** Keys of deleted reports swept from the table of keys (postcode, blind indexes; migration 0028); one an earlier, stopped run swept counts again. */
  keysSwept: number;
  /** Of `batches`, those that swept keys and forgot them afterwards. */
  keyBatches: number;
  /** Transactions the run took, and the longest (ms): how long a resident's report could have waited. */
  batches: number;
  longestBatchMs: number;
}

const DAY = 86_400_000;

/**
 * How long one batch should hold the database (ms), and so about how long a resident's report waits for a
 * retention batch (a batch slower than the last one per row can take longer: 455 ms at most in the
 * catch-up at 1,000,000 reports). The rows per batch follow from the time the previous batch took per row:
 * a few hundred on a small database, about a hundred at 1,000,000 reports, where deleting one costs about
 * 0.5 ms (an entry in each of some thirty indexes). Short batches cost a little more in all: before the
 * deletions went in id order, that catch-up took 262 s with this budget and 243 s with 400 ms (batches of
 * about 500). Deleting the same 200,000 reports in one transaction took 44 s: the floor for this schema.
 */
export const RETENTION_BATCH_MS = 50;

/**
 * How a batch runs. A batch lost in a power failure is done again by the next run, so its commit need not wait
 * for the disk (db.ts; measured in the catch-up at 1,000,000 reports, about 1,750 batches: 43.5 s with an
 * fsync per batch, 38.2 s without).
 */
const BATCH: BatchSettings = { noWaitForDisk: true };

/**
 * A deletion batch also runs with foreign keys off, and removes what refers to the reports itself
 * (REPORT_CHILDREN): SQLite's cascades ran a trigger program per report for each of nine references, two
 * thirds of a deletion's time (measured at 1,000,000 reports, 500 reports at a time: 41–47 µs per report with
 * the cascades, 22–30 µs with a statement per table).
 */
const DELETION_BATCH: BatchSettings = { noWaitForDisk: true, noForeignKeys: true };

/**
 * Every table that refers to a report (a foreign key to reports.id), with its owner's function that removes
 * (or unlinks) its rows of deleted reports, in this order: `deleteReports` first (it also unlinks merged
 * reports and deletes the concerns), as a note may go only once its report has gone. A test compares the
 * tables with the schema's foreign keys, so a new reference to a report cannot be forgotten here.
 */
export const REPORT_CHILDREN: readonly { tables: readonly string[]; remove: (ids: readonly number[]) => void }[] = [
  { tables: ['reports', 'report_concerns'], remove: deleteReports },
  { tables: ['report_events', 'report_notes', 'report_links'], remove: deleteTrailOfDeletedReports },
  { tables: ['report_photos'], remove: deletePhotosOfDeletedReports },
  { tables: ['report_additions'], remove: deleteAdditionsOfDeletedReports },
  { tables: ['case_reports'], remove: unlinkDeletedReports },
  { tables: ['outbox'], remove: unlinkMailOfDeletedReports },
];

/** Rows in the first batch of each kind (about 16 ms at 1,000,000 reports), and the bounds the measured size stays within. */
const FIRST_BATCH = 20;
const MIN_BATCH = 10;
const MAX_BATCH = 2000;

/**
 * Candidates read at a time (a range of one index, about 30 ms at 1,000,000 reports), with a pause between
 * reads. A run reads every candidate first and then changes them in id order: in the order of closing, the
 * reports of one batch lie far apart (a report closes 2 to 60 days after it came in), so each change wrote its
 * own page of the table and of every index in time order; in id order they are neighbours. Measured at
 * 1,000,000 reports (the bench's catch-up, `npm run retention` on copies of one database): 290 s in the order
 * of closing; 164 s in id order per 20,000 read (126 s with the statement journal in memory as well, db.ts).
 * Reading all first (and both deletion rules in one pass) writes a page once instead of once per part: the
 * catch-up's deletions wrote 682,000 pages to the WAL before, 490,000 after (2.1 per deleted report).
 */
const CANDIDATES = 20_000;

/**
 * The rows for the next batch, from the last one: `rows` took `ms`, so this many fit in RETENTION_BATCH_MS;
 * at most twice as many as the last (the next rows may be slower: other pages, not in memory yet), and fewer at once.
 */
export function nextBatchSize(rows: number, ms: number): number {
  if (rows <= 0) return FIRST_BATCH;
  const perRow = Math.max(ms, 0.001) / rows;
  return Math.min(MAX_BATCH, 2 * rows, Math.max(MIN_BATCH, Math.floor(RETENTION_BATCH_MS / perRow)));
}

export interface RetentionOptions {
  /** Rows per transaction, always the same (tests); by default measured (RETENTION_BATCH_MS). */
  batchSize?: number;
  /** Awaited between two batches: by default one turn of the event loop, so waiting requests go first. */
  pause?: () => Promise<void>;
  /** Asked before every batch and between two reads of candidates; true stops the run there (at shutdown). What was done stays done. */
  stopped?: () => boolean;
  /** Candidates per read (tests); by default CANDIDATES. */
  readSize?: number;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The retention periods applied in batches: every batch is one short transaction (erasures, or deletions
 * with their log rows), and between batches the event loop runs, so a catch-up over a year of expired
 * reports never holds the server for longer than one batch; never called inside a request (jobs.ts and
 * `npm run retention`). Candidates are read from the partial indexes of migrations 0019, 0025 and 0026, so
 * the whole run is linear in what it changes, and each batch checks its candidates again (one reopened
 * meanwhile is left alone). One audit row with the counts when anything changed.
 */
export async function applyRetention(at: Date = now(), options: RetentionOptions = {}): Promise<RetentionResult> {
  const r = config().municipality.retention;
  const fixed = options.batchSize;
  /** Rows in the batch being run; read by the batch functions below. */
  let limit = fixed ?? FIRST_BATCH;
  const pause = options.pause ?? nextTurn;
  const stopped = options.stopped ?? (() => false);
  const readSize = options.readSize ?? CANDIDATES;
  const before = (days: number) => new Date(at.getTime() - days * DAY);
  const result: RetentionResult = { contactsErased: 0, callersErased: 0, cancelledDeleted: 0, reportsDeleted: 0, casesDeleted: 0, keysSwept: 0, keyBatches: 0, batches: 0, longestBatchMs: 0 };
  /**
   * One batch: `batch` in its own IMMEDIATE transaction, timed and counted; the next batch's size follows
   * from this one's time per row. Returns how many rows it changed.
   */
  const runBatch = (rows: number, batch: () => number, settings: BatchSettings): number => {
    const started = performance.now();
    const n = withSettings(db(), settings, () => db().transaction(batch).immediate());
    const ms = performance.now() - started;
    result.batches++;
    result.longestBatchMs = Math.max(result.longestBatchMs, ms);
    if (fixed === undefined) limit = nextBatchSize(rows, ms);
    return n;
  };
  /** Runs `batch` until it reports fewer than a full batch, pausing between. */
  const inBatches = async (batch: () => number): Promise<number> => {
    let total = 0;
    limit = fixed ?? FIRST_BATCH;
    for (;;) {
      if (stopped()) return total;
      const asked = limit;
      const n = runBatch(asked, batch, BATCH);
      total += n;
      if (n < asked) return total;
      await pause();
    }
  };
  /**
   * Every candidate `read` gives, `readSize` (CANDIDATES) at a time from where the last read stopped (pausing between
   * reads), in id order: changed in that order by overList, a batch changes neighbouring rows, and the pages it
   * writes (table, indexes in time order, a report's history) are shared. None when asked to stop between
   * reads (and overList changes nothing once asked to stop): the run goes on to its audit row.
   */
  const readAll = async (read: (after: ClosedReport) => ClosedReport[]): Promise<number[]> => {
    const ids: number[] = [];
    for (let after = FIRST_CLOSED; ; ) {
      const part = read(after);
      for (const c of part) ids.push(c.id);
      if (part.length < readSize) return ids.sort((a, b) => a - b);
      after = part[part.length - 1]!;
      await pause();
      if (stopped()) return [];
    }
  };
  /**
   * Changes rows 0 to `count` (exclusive) in their order, `limit` at a time: `change(from, to)` changes those
   * from `from` up to (not including) `to`. Pauses between batches; stops early when asked to.
   */
  async function overRange(count: number, change: (from: number, to: number) => number, settings = BATCH): Promise<{ total: number; stopped: boolean }> {
    let total = 0;
    for (let at = 0; at < count; ) {
      if (stopped()) return { total, stopped: true };
      const to = Math.min(count, at + limit);
      const from = at;
      at = to;
      total += runBatch(to - from, () => change(from, to), settings);
      await pause();
    }
    return { total, stopped: false };
  }
  /** Changes `items` in their order, `limit` at a time, pausing between batches; stops early when asked to. */
  const overList = <T>(items: readonly T[], change: (slice: T[]) => number, settings = BATCH) =>
    overRange(items.length, (from, to) => change(items.slice(from, to)), settings);
  // Deletions first: a report deleted now needs no erasure (a catch-up would otherwise write it twice). Both
  // rules in one pass in id order, each candidate checked again by its own rule in the batch that deletes it.
  const rules = Object.keys(DELETION_RULES) as DeletionRule[];
  const closedBefore: Record<DeletionRule, Date> = { geannuleerd: before(r.cancelledDays), bewaartermijn: before(r.reportDeletionDays) };
  const ruleOf = new Map<number, DeletionRule>();
  for (const rule of rules) {
    for (const status of DELETION_RULES[rule]) {
      for (const id of await readAll((after) => closedReports(status, closedBefore[rule], after, readSize))) ruleOf.set(id, rule);
    }
  }
  const deleted: Record<DeletionRule, number> = { geannuleerd: 0, bewaartermijn: 0 };
  limit = fixed ?? FIRST_BATCH;
  await overList(
    [...ruleOf.keys()].sort((a, b) => a - b),
    (candidates) => {
      const ids: number[] = [];
      for (const rule of rules) {
        const logged = logDeletable(
          candidates.filter((id) => ruleOf.get(id) === rule),
          rule,
          closedBefore[rule],
          at,
        );
        deleted[rule] += logged.length;
        ids.push(...logged);
      }
      ids.sort((a, b) => a - b);
      // The AVE-monitor's rollup loses the batch in one grouped statement, not a trigger per report; what
      // refers to the reports goes in a statement per table, not a cascade per report.
      deleteCountedInBulk(ids, () => {
        for (const child of REPORT_CHILDREN) child.remove(ids);
      });
      return ids.length;
    },
    DELETION_BATCH,
  );
  result.cancelledDeleted = deleted.geannuleerd;
  result.reportsDeleted = deleted.bewaartermijn;
  ruleOf.clear();
  const erasedBefore = before(r.contactErasureDays);
  const toErase = await readAll((after) => contactsToErase(erasedBefore, after, readSize));
  limit = fixed ?? FIRST_BATCH;
  result.contactsErased = (
    await overList(toErase, (ids) => {
      const erased = eraseReporterContact(ids, CONTACT_ERASURE_STATUSES, erasedBefore, at);
      // In the same transaction: a mail to that reporter or police contact still waiting loses the address too.
      wipeContactMailOfErased(ids, at);
      return erased;
    })
  ).total;
  result.callersErased = await inBatches(() => eraseCallerContact(CONTACT_ERASURE_STATUSES, before(r.contactErasureDays), limit));
  // A closed casus: as long as a report, counted from its closing, and never before its last report.
  let afterId = 0;
  result.casesDeleted = await inBatches(() => {
    const cases = expiredCaseIds(before(r.reportDeletionDays), afterId, limit);
    logCaseDeletions(cases, at);
    deleteCases(cases);
    afterId = cases.at(-1) ?? afterId;
    return cases.length;
  });
  // An overleg: 5 years after its date, once no casus is left on its agenda.
  const meetings = db()
    .transaction(() => {
      const ids = expiredMeetingIds(before(r.reportDeletionDays).toISOString().slice(0, 10));
      deleteMeetings(ids);
      return ids;
    })
    .immediate();
  // The keys the deleted reports leave (migration 0028), per kind in key order: neighbouring keys share
  // their pages, where deleting them with each report wrote a page of each of nine indexes per report.
  const upTo = goneKeysUpTo();
  if (upTo > 0) {
    const batchesBefore = result.batches;
    limit = fixed ?? FIRST_BATCH;
    let complete = true;
    for (const kind of SWEPT_KEY_KINDS) {
      // Listed in one statement (read only), then swept from the list in order.
      const listed = listGoneKeys(kind, upTo);
      const done = await overRange(listed, (_from, to) => sweepListed(to));
      result.keysSwept += done.total;
      if (done.stopped) {
        complete = false;
        break;
      }
    }
    // Swept keys are forgotten once every kind is done, oldest first by ranges of ids; a run stopped halfway
    // sweeps them again next time.
    if (complete) {
      const from = goneKeysFrom();
      limit = fixed ?? FIRST_BATCH;
      if (from > 0) await overRange(upTo + 1 - from, (a, b) => forgetGoneKeys(from + a, from + b));
    }
    result.keyBatches = result.batches - batchesBefore;
  }
  const { contactsErased, callersErased, cancelledDeleted, reportsDeleted, casesDeleted } = result;
  if (contactsErased + callersErased + cancelledDeleted + reportsDeleted + casesDeleted + meetings.length > 0) {
    db()
      .transaction(() =>
        audit(
          {
            actorRole: 'systeem',
            action: 'bewaartermijn_toegepast',
            result: 'gelukt',
            detail: `contactgegevens gewist ${contactsErased}, bellers gewist ${callersErased}, geannuleerd verwijderd ${cancelledDeleted}, verwijderd ${reportsDeleted}, casussen verwijderd ${casesDeleted}, overleggen verwijderd ${meetings.length}`,
          },
          at,
        ),
      )
      .immediate();
  }
  return result;
}

/**
 * Deletes expired drafts, photos of forms never sent (they expire like drafts), ended sessions and
 * expired reset and invitation links; one transaction with an audit row (counts) when any went. A report's
 * own photos go with the report.
 */
export function purgeExpired(at: Date = now()): { drafts: number; photos: number; sessions: number; links: number } {
  return db()
    .transaction(() => {
      const drafts = purgeExpiredDrafts(at);
      const photos = purgeExpiredPhotos(at);
      const sessions = purgeSessions(at, new Date(at.getTime() - IDLE_MS));
      const links = purgeLinks(at);
      if (drafts + photos + sessions + links > 0) {
        audit({ actorRole: 'systeem', action: 'verlopen_opgeruimd', result: 'gelukt', detail: `concepten ${drafts}, foto's ${photos}, sessies ${sessions}, links ${links}` }, at);
      }
      return { drafts, photos, sessions, links };
    })
    .immediate();
}
