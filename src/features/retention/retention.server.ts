import { audit } from '#features/audit/audit.repo.server.ts';
import { purgeSessions } from '#features/auth/sessions.repo.server.ts';
import { purgeLinks } from '#features/auth/links.repo.server.ts';
import { IDLE_MS } from '#features/auth/login.server.ts';
import { purgeExpiredDrafts } from '#features/intake/drafts.repo.server.ts';
import { purgeExpiredPhotos } from '#features/photos/photos.repo.server.ts';
import {
  SWEPT_KEY_KINDS,
  closedReportIds,
  contactsToErase,
  deleteReports,
  eraseReporterContact,
  forgetGoneKeys,
  goneKeysOfKind,
  goneKeysUpTo,
  stillClosedBefore,
  sweepKeys,
} from '#features/reports/reports.repo.server.ts';
import { eraseCallerContact } from '#features/additions/additions.repo.server.ts';
import { now } from '#platform/clock.ts';
import { config } from '#platform/config.ts';
import { db } from '#platform/db.ts';
import { logCaseDeletions, logDeletions } from './retention.repo.server.ts';
import { deleteCases, expiredCaseIds } from '#features/casus/casus.repo.server.ts';
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
  /** Keys of deleted reports swept from the table of keys (reference, blind indexes; migration 0028). */
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

/** Rows in the first batch of each kind (about 16 ms at 1,000,000 reports), and the bounds the measured size stays within. */
const FIRST_BATCH = 20;
const MIN_BATCH = 10;
const MAX_BATCH = 2000;

/**
 * Candidates read at a time (a range of one index, about 30 ms at 1,000,000 reports), then changed in id
 * order. A catch-up reads again until fewer come. In the order of closing, the reports of one batch lie
 * far apart: a report closes 2 to 60 days after it came in, so each deletion wrote its own page of the
 * table and of every index in time order. In id order they are neighbours; measured at 1,000,000 reports
 * (the bench's catch-up, `npm run retention` on copies of one database): 290 s before, 164 s in id order
 * (126 s with the statement journal in memory as well, db.ts).
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
  /** Asked before every batch; true stops the run there (at shutdown). What was done stays done. */
  stopped?: () => boolean;
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
  const before = (days: number) => new Date(at.getTime() - days * DAY);
  const result: RetentionResult = { contactsErased: 0, callersErased: 0, cancelledDeleted: 0, reportsDeleted: 0, casesDeleted: 0, keysSwept: 0, keyBatches: 0, batches: 0, longestBatchMs: 0 };
  /**
   * One batch: `batch` in its own IMMEDIATE transaction, timed and counted; the next batch's size follows
   * from this one's time per row. Returns how many rows it changed.
   */
  const runBatch = (rows: number, batch: () => number): number => {
    const started = performance.now();
    const n = db().transaction(batch).immediate();
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
      const n = runBatch(asked, batch);
      total += n;
      if (n < asked) return total;
      await pause();
    }
  };
  /**
   * Like inBatches, over candidates read first: up to CANDIDATES ids at a time, in id order, changed
   * `limit` at a time by `change` (which checks each again, and returns how many it changed). In id order
   * a batch changes neighbouring rows: the pages it writes (table, indexes in time order, a report's
   * history) are shared, where in the order of closing they were a page or more per report and index.
   */
  const inCandidateBatches = async (candidates: () => number[], change: (ids: number[]) => number): Promise<number> => {
    let total = 0;
    limit = fixed ?? FIRST_BATCH;
    for (;;) {
      const ids = candidates();
      const done = await overList(ids, change);
      total += done.total;
      // Fewer than asked for: there are no more (a candidate left alone, reopened meanwhile, is no candidate any more).
      if (done.stopped || ids.length < CANDIDATES) return total;
    }
  };
  /** Changes `items` in their order, `limit` at a time, pausing between batches; stops early when asked to. */
  async function overList<T>(items: readonly T[], change: (slice: T[]) => number): Promise<{ total: number; stopped: boolean }> {
    let total = 0;
    for (let at = 0; at < items.length; ) {
      if (stopped()) return { total, stopped: true };
      const slice = items.slice(at, at + limit);
      at += slice.length;
      total += runBatch(slice.length, () => change(slice));
      await pause();
    }
    return { total, stopped: false };
  }
  const remove = (rule: DeletionRule, closedBefore: Date) => {
    const statuses = DELETION_RULES[rule];
    return inCandidateBatches(
      () => closedReportIds(statuses, closedBefore, CANDIDATES),
      (candidates) => {
        const ids = stillClosedBefore(candidates, statuses, closedBefore);
        logDeletions(ids, rule, at);
        // The AVE-monitor's rollup loses the batch in one grouped statement, not a trigger per report.
        deleteCountedInBulk(ids, () => deleteReports(ids));
        return ids.length;
      },
    );
  };
  // Deletions first: a report deleted now needs no erasure (a catch-up would otherwise write it twice).
  result.cancelledDeleted = await remove('geannuleerd', before(r.cancelledDays));
  result.reportsDeleted = await remove('bewaartermijn', before(r.reportDeletionDays));
  const erasedBefore = before(r.contactErasureDays);
  result.contactsErased = await inCandidateBatches(
    () => contactsToErase(CONTACT_ERASURE_STATUSES, erasedBefore, CANDIDATES),
    (ids) => eraseReporterContact(ids, CONTACT_ERASURE_STATUSES, erasedBefore, at),
  );
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
      const done = await overList(goneKeysOfKind(kind, upTo), (keys) => sweepKeys(kind, keys));
      result.keysSwept += done.total;
      if (done.stopped) {
        complete = false;
        break;
      }
    }
    // Swept keys are forgotten once every kind is done; a run stopped halfway sweeps them again next time.
    if (complete) await inBatches(() => forgetGoneKeys(upTo, limit));
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
