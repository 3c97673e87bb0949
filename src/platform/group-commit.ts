import { BUSY_TIMEOUT_MS, db } from './db.ts';

/**
 * Group commit: writes that arrive together share one commit. Every commit of the portal's one connection
 * waits for the disk (WAL, synchronous=FULL: an fsync), and better-sqlite3 waits on the JavaScript thread;
 * requests that came in meanwhile queue up behind it. `commitTogether` lets them pay for one fsync together:
 * the work is queued, and once the requests of this turn of the event loop have had their say (setImmediate),
 * all queued work runs in one IMMEDIATE transaction, each piece in its own savepoint, and commits once.
 *
 * - A promise resolves only after the commit that holds its work: only then may the user be told.
 * - A piece that throws rolls back its own savepoint only and rejects its own promise; the others commit.
 * - When the commit itself fails (a full disk), every promise of the batch rejects: nothing was stored.
 * - `MAX_BATCH` bounds one transaction; more queued work goes in the next, right after.
 * - When another connection holds the write lock (the residents' writer thread, a command-line tool), the
 *   batch waits for it without holding the thread: it tries again a millisecond later, and other requests are
 *   served meanwhile. SQLite's own busy handler would sleep on the thread instead: measured during 3,000
 *   residents' sends, the mail worker's 27 commits on the server's thread slept 137 ms for the writer thread's
 *   lock, up to 11 ms at a time, and no request was served in those sleeps. After `BUSY_TIMEOUT_MS` of trying
 *   (db.ts: as long as a statement would wait) the batch fails as a busy commit would have.
 */

const MAX_BATCH = 256;

interface Job {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

let queue: Job[] = [];
let scheduled = false;
let afterCommit: (() => void)[] = [];
/** Since when the batch in front has found the write lock taken, if it has. */
let busySince: number | undefined;
let retry: NodeJS.Timeout | undefined;

/** Runs `work` inside the next group commit; resolves with its result once that commit is on disk. */
export function commitTogether<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
    schedule();
  });
}

/** Runs `task` once after the next group commit (e.g. waking the mail worker), however many jobs asked for it. */
export function onceCommitted(task: () => void): void {
  if (!afterCommit.includes(task)) afterCommit.push(task);
}

function schedule(): void {
  if (scheduled || retry) return;
  scheduled = true;
  setImmediate(flush);
}

const isBusy = (error: unknown) => (error as { code?: unknown }).code === 'SQLITE_BUSY';

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Commits what is queued now (at most MAX_BATCH pieces); exported for tests that want no timing. */
export function flush(): void {
  scheduled = false;
  retry = undefined;
  const jobs = queue.slice(0, MAX_BATCH);
  queue = queue.slice(jobs.length);
  if (!jobs.length) return;
  const connection = db();
  const outcomes: Outcome[] = [];
  try {
    // No waiting inside SQLite for a lock another connection holds: that wait would hold this thread.
    connection.pragma('busy_timeout = 0');
    try {
      connection
        .transaction(() => {
          for (const job of jobs) {
            try {
              // A nested better-sqlite3 transaction is a savepoint: rolled back alone when its work throws.
              outcomes.push({ ok: true, value: connection.transaction(job.work)() });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } finally {
      connection.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  } catch (error) {
    // The write lock is taken (BEGIN IMMEDIATE: nothing of the batch ran): the batch goes back in front and
    // is tried again shortly, with what was queued meanwhile.
    const now = Date.now();
    if (isBusy(error) && outcomes.length === 0 && now - (busySince ??= now) < BUSY_TIMEOUT_MS) {
      queue = jobs.concat(queue);
      retry = setTimeout(flush, 1);
      return;
    }
    busySince = undefined;
    for (const job of jobs) job.reject(error);
    if (queue.length) schedule();
    return;
  }
  busySince = undefined;
  if (queue.length) schedule();
  jobs.forEach((job, i) => {
    const outcome = outcomes[i]!;
    if (outcome.ok) job.resolve(outcome.value);
    else job.reject(outcome.error);
  });
  const tasks = afterCommit;
  afterCommit = [];
  for (const task of tasks) {
    try {
      task();
    } catch (error) {
      console.error('group commit: a task after the commit failed:', (error as Error).message);
    }
  }
}
