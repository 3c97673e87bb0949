import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { config } from '#platform/config.ts';
import { db, useReadOnlyConnection } from '#platform/db.ts';
import { monitorCounts } from './monitor.queries.server.ts';
import { monitorOf, periodBounds, type Monitor, type Period } from './monitor.rules.ts';

/**
 * The AVE-monitor computed away from the request thread (issue 16). Its report counts come from the rollup
 * (migration 0020) and the open casussen from one index scan (migration 0023): about 50 ms at 1,000,000
 * reports and 130,000 casussen, more for a period that ended before the last phase change (a seek per casus
 * in its history). better-sqlite3 is synchronous, so on the server's own thread that time would be a
 * stall of every resident's request; here the queries run in one worker thread on its own read-only
 * connection to the same file, and WAL lets it read a snapshot while the server keeps writing. The
 * server's thread only posts the period and receives the finished figures (a small object).
 *
 * The worker is this very module, loaded again by `new Worker(import.meta.url)`: after `astro build` the
 * module is part of a chunk under dist/server/, and the worker loads that chunk, so no separate file has
 * to be found or bundled. In the worker the module sees `workerData.role` and answers messages.
 *
 * An in-memory database (`DATABASE_PATH=:memory:`) cannot be opened from another thread: then the figures
 * are computed directly.
 */

const ROLE = 'meldpunt-monitor-reader';

/** The monitor of `period` from this thread's connection, all counts from one snapshot (a read transaction). */
export function computeMonitor(period: Period, today: string): Monitor {
  // Read only: a deferred transaction takes no write lock, yet all counts see one snapshot (WAL).
  return db()
    .transaction(() => monitorOf(period, monitorCounts(period, today)))
    .deferred();
}

interface Ask {
  id: number;
  period: Period;
  today: string;
}
type Answer = { id: number; monitor: Monitor } | { id: number; error: string };

// ---------------------------------------------------------------------------------------------
// In the worker.

if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE && parentPort) {
  const port = parentPort;
  useReadOnlyConnection((workerData as { databasePath: string }).databasePath);
  port.on('message', (ask: Ask) => {
    let answer: Answer;
    try {
      answer = { id: ask.id, monitor: computeMonitor(ask.period, ask.today) };
    } catch (error) {
      answer = { id: ask.id, error: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(answer);
  });
}

// ---------------------------------------------------------------------------------------------
// In the server.

interface Pending {
  resolve: (m: Monitor) => void;
  reject: (e: Error) => void;
}

let reader: { worker: Worker; pending: Map<number, Pending> } | undefined;
let nextId = 1;

/** The one reader thread, started on first use and again after it died. Unref'd: it never keeps the process alive. */
function readerThread(): NonNullable<typeof reader> {
  if (reader) return reader;
  const worker = new Worker(new URL(import.meta.url), { workerData: { role: ROLE, databasePath: config().databasePath } });
  const current = { worker, pending: new Map<number, Pending>() };
  const fail = (error: Error) => {
    if (reader === current) reader = undefined;
    for (const p of current.pending.values()) p.reject(error);
    current.pending.clear();
  };
  worker.on('message', (answer: Answer) => {
    const p = current.pending.get(answer.id);
    if (!p) return;
    current.pending.delete(answer.id);
    if ('error' in answer) p.reject(new Error(`monitor: ${answer.error}`));
    else p.resolve(answer.monitor);
    // Idle: let the process exit without waiting for the reader.
    if (current.pending.size === 0) worker.unref();
  });
  worker.on('error', (error) => fail(error));
  worker.on('exit', (code) => fail(new Error(`monitor: the reader thread stopped (exit ${code})`)));
  worker.unref();
  reader = current;
  return current;
}

/**
 * The monitor of `period`, computed in the reader thread; `today` (YYYY-MM-DD, Amsterdam) decides what is
 * overdue now. Requests queue in the worker, one at a time, while the server's thread stays free.
 */
export async function monitorFromReader(period: Period, today: string): Promise<Monitor> {
  // Bounds first: a period that is not one fails here, before anything is asked or audited.
  periodBounds(period);
  if (config().databasePath === ':memory:') return computeMonitor(period, today);
  const r = readerThread();
  const id = nextId++;
  return new Promise<Monitor>((resolve, reject) => {
    r.pending.set(id, { resolve, reject });
    // Busy: a request is waiting for it, so it holds the process (a shutdown waits for the answer).
    r.worker.ref();
    r.worker.postMessage({ id, period, today } satisfies Ask);
  });
}

/** Stops the reader thread (at shutdown, and between tests). */
export async function stopMonitorReader(): Promise<void> {
  const r = reader;
  reader = undefined;
  if (r) await r.worker.terminate();
}
