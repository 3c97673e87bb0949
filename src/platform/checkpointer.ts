import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { config } from './config.ts';
import { db } from './db.ts';

/**
 * WAL checkpoints away from the server's thread (issue 16). Every commit appends pages to the WAL; a
 * checkpoint copies them into the database file and waits for the disk. By default SQLite does that on
 * the committing connection, after the commit that took the WAL past 1,000 pages: on the server's one
 * JavaScript thread, where a retention batch paid for every page twice (measured at 1,000,000 reports:
 * 1.09 ms per deleted report, 0.79 with no checkpoint on that connection). For residents' reports the
 * difference was within the spread between runs (3,000 reports, one per commit).
 *
 * Here a worker thread with a connection of its own runs a PASSIVE checkpoint every INTERVAL_MS. A
 * passive checkpoint takes no write lock and never waits: the server keeps committing meanwhile. SQLite
 * starts the WAL again from the beginning when a writer begins after everything has been copied: at once
 * when the server has a moment between two commits, as it mostly does. Writes back to back (a retention
 * catch-up) leave no such moment, and the WAL grows until the server's own automatic checkpoint at
 * FALLBACK_AUTOCHECKPOINT_PAGES (about 100 MB) copies the little the thread has not copied yet, and SQLite
 * starts it again; `journal_size_limit` then gives what is beyond WAL_SIZE_LIMIT_BYTES back to the disk.
 * That automatic checkpoint is also the safety net should the thread fall behind; when the thread stops
 * unexpectedly the server's connection goes back to SQLite's default.
 *
 * Not under Litestream (`WAL_CHECKPOINTS=litestream`: Litestream checkpoints, db.ts) and not for an
 * in-memory database. The worker is this very module, loaded again by `new Worker(import.meta.url)`, as
 * the AVE-monitor's reader thread is (monitor.reader.server.ts).
 */

const ROLE = 'meldpunt-checkpointer';

/** SQLite's default: the connection checkpoints after a commit that leaves this many pages in the WAL. */
export const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

/**
 * With the thread running, the server's own connection checkpoints only past this many pages (about 100 MB).
 * Each such checkpoint waits for the disk on the committing thread (the WAL and then the database file): in
 * the retention catch-up at 1,000,000 reports, at 10,000 pages with a 16 MB file, 67–106 commits took over
 * 20 ms, 6.0–7.1 s together, of 10.3–12.2 s of commits. At 25,000 pages with a 128 MB file: 22–33 such
 * commits, 3.1–3.8 s, and 7.0–8.5 s of commits (the longest batch 308–361 ms, against 198–491 ms).
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 25_000;

/** How often the thread looks for pages to copy (ms); an empty WAL costs it a read of the WAL index. */
const INTERVAL_MS = 100;

/**
 * The WAL file is cut back to this size (bytes) when SQLite resets it: above the fallback checkpoint's size,
 * so a catch-up writes into blocks the file already has instead of growing it again after every reset
 * (16 MB cost the catch-up above about 1.5 s of commits more than 100 MB, with the fallback at 10,000 pages).
 */
const WAL_SIZE_LIMIT_BYTES = 128 * 1024 * 1024;

interface Settings {
  role: typeof ROLE;
  databasePath: string;
  intervalMs: number;
}

/** What SQLite reports of a checkpoint: whether it was kept from finishing, pages in the WAL, pages copied. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

type Report = { result: CheckpointResult } | { error: string };

// ---------------------------------------------------------------------------------------------
// In the worker.

if (!isMainThread && (workerData as Partial<Settings> | null)?.role === ROLE && parentPort) {
  const port = parentPort;
  const settings = workerData as Settings;
  // Fails (and the thread with it) when the file is not there: the server then checkpoints itself.
  const connection = new Database(settings.databasePath, { fileMustExist: true });
  let previous = '';
  setInterval(() => {
    let report: Report;
    try {
      const [result] = connection.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[];
      if (!result) return;
      report = { result };
    } catch (error) {
      report = { error: error instanceof Error ? error.message : String(error) };
    }
    // Only news is sent: an idle server's thread is not woken ten times a second.
    const text = JSON.stringify(report);
    if (text !== previous) port.postMessage(report);
    previous = text;
  }, settings.intervalMs);
}

// ---------------------------------------------------------------------------------------------
// In the server.

interface Thread {
  worker: Worker;
  connection: ReturnType<typeof db>;
  last: CheckpointResult | undefined;
}

let thread: Thread | undefined;

/**
 * Starts the checkpoint thread for the database in use (once; the server at start, `npm run retention`).
 * Returns whether it runs. `file` is for tests only.
 */
export function startCheckpointer(file: string = config().databasePath): boolean {
  if (thread) return true;
  if (config().walCheckpoints === 'litestream' || file === ':memory:') return false;
  // Opened (and migrated) first: the file exists, in WAL mode, before the thread opens it.
  const connection = db();
  const worker = new Worker(new URL(import.meta.url), { workerData: { role: ROLE, databasePath: file, intervalMs: INTERVAL_MS } satisfies Settings });
  const current: Thread = { worker, connection, last: undefined };
  const fallBack = (why: string) => {
    if (thread !== current) return;
    thread = undefined;
    console.error(`checkpointer: ${why}; the server's own connection checkpoints again`);
    if (connection.open) connection.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  };
  worker.on('message', (report: Report) => {
    if ('error' in report) console.error(`checkpointer: a checkpoint failed: ${report.error}`);
    else current.last = report.result;
  });
  worker.on('error', (error) => fallBack(`the thread stopped: ${error.message}`));
  worker.on('exit', (code) => fallBack(`the thread stopped (exit ${code})`));
  // Never keeps the process alive: at exit the WAL is still a valid part of the database.
  worker.unref();
  connection.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  connection.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  thread = current;
  return true;
}

/** Whether the thread runs, and the last checkpoint it reported (for tests and the bench). */
export function checkpointerState(): { running: boolean; threadId: number | undefined; last: CheckpointResult | undefined } {
  return { running: thread !== undefined, threadId: thread?.worker.threadId, last: thread?.last };
}

/** Stops the thread (at shutdown, before the database is closed); the server's connection checkpoints itself again. */
export async function stopCheckpointer(): Promise<void> {
  const t = thread;
  thread = undefined;
  if (!t) return;
  if (t.connection.open) t.connection.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  await t.worker.terminate();
}
