import { config } from '#platform/config.ts';
import { serveCalls, workerCalls, type WorkerCalls } from '#platform/worker-calls.ts';
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
 * The worker is this very module, loaded again (#platform/worker-calls.ts): after `astro build` the module is
 * part of a chunk under dist/server/, and the worker loads that chunk, so no separate file has to be found or
 * bundled. In the worker the module sees its role and answers.
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
  period: Period;
  today: string;
}

// In the worker: its own read-only connection, opened at the first question.
let connected = false;
serveCalls<Ask, Monitor>(ROLE, (ask, data) => {
  if (!connected) useReadOnlyConnection(data['databasePath'] as string);
  connected = true;
  return computeMonitor(ask.period, ask.today);
});

// In the server: one reader thread, started on first use (and again after it died).
let reader: WorkerCalls<Ask, Monitor> | undefined;
const readerThread = (): WorkerCalls<Ask, Monitor> => (reader ??= workerCalls(new URL(import.meta.url), { role: ROLE, databasePath: config().databasePath }, 'monitor'));

/**
 * The monitor of `period`, computed in the reader thread; `today` (YYYY-MM-DD, Amsterdam) decides what is
 * overdue now. Requests queue in the worker, one at a time, while the server's thread stays free.
 */
export async function monitorFromReader(period: Period, today: string): Promise<Monitor> {
  // Bounds first: a period that is not one fails here, before anything is asked or audited.
  periodBounds(period);
  if (config().databasePath === ':memory:') return computeMonitor(period, today);
  return readerThread().call({ period, today });
}

/** Stops the reader thread (at shutdown, and between tests). */
export async function stopMonitorReader(): Promise<void> {
  await reader?.stop();
}
