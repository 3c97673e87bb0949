import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { now } from './clock.ts';
import { mailWorker, startMailWorker, stopMailWorker } from '#features/mail/worker.server.ts';
import { config } from './config.ts';
import { db } from './db.ts';
import { snapshotDue } from './snapshots.rules.ts';
import { takeSnapshot } from './snapshots.ts';
import { applyRetention, purgeExpired } from '#features/retention/retention.server.ts';

/**
 * Work the server does in the background: WAL checkpoints in a thread of their own (checkpointer.ts); the
 * residents' writer thread started (intake.writer.server.ts); the mail worker; every quarter of an hour deleting expired
 * drafts (unfinished reports older than 24 hours) and expired staff sessions; the retention
 * periods (retention.server.ts) at start and every six hours, in batches between requests; and with `SNAPSHOT_DIR` the daily snapshot
 * (snapshots.ts), looked for at start and every hour, so a restart neither skips nor repeats one.
 */
let started = false;
let stopping = false;
let retaining: Promise<unknown> | undefined;
const intervals: NodeJS.Timeout[] = [];
let checkpointer: Promise<typeof import('./checkpointer.ts')> | undefined;

export function startBackgroundJobs(): void {
  if (started) return;
  started = true;
  // Imported when needed, so the build gives it a chunk of its own: the thread loads that chunk again
  // (checkpointer.ts), and with it only the configuration and the database, not the rest of the server.
  checkpointer = import('./checkpointer.ts').then((m) => {
    m.startCheckpointer();
    return m;
  });
  checkpointer.catch((error: unknown) => console.error('jobs: no checkpoint thread, the server checkpoints itself:', (error as Error).message));
  // The residents' writer thread (intake.writer.server.ts) loads now, not at the first resident's send; its own chunk too.
  import('#features/intake/intake.writer.server.ts')
    .then((m) => m.startIntakeWriter())
    .catch((error: unknown) => console.error('jobs: no writer thread, reports are stored on the server\'s thread:', (error as Error).message));
  // The mail worker follows the server's clock, like drafts and sessions (a test clock moves mail too).
  startMailWorker(mailWorker(config(), now));
  const purge = () => {
    try {
      purgeExpired(now());
    } catch (error) {
      console.error('jobs: purge failed:', (error as Error).message);
    }
  };
  // In batches that yield to requests (retention.server.ts); one run at a time, stopped at shutdown.
  const retain = () => {
    if (retaining) return;
    retaining = applyRetention(now(), { stopped: () => stopping })
      .catch((error: unknown) => console.error('jobs: retention failed:', (error as Error).message))
      .finally(() => {
        retaining = undefined;
      });
  };
  purge();
  retain();
  intervals.push(setInterval(purge, 15 * 60_000).unref(), setInterval(retain, 6 * 3_600_000).unref());
  const { snapshotDir, snapshotKeep } = config();
  if (snapshotDir) {
    const snapshot = () => {
      try {
        const at = now();
        if (!snapshotDue(existsSync(snapshotDir) ? readdirSync(snapshotDir) : [], at)) return;
        const r = takeSnapshot(db(), snapshotDir, snapshotKeep, at);
        console.log(`jobs: snapshot ${path.basename(r.file)} written (${r.reports} reports); ${r.deleted.length} old snapshot(s) deleted`);
      } catch (error) {
        console.error('jobs: snapshot failed:', (error as Error).message);
      }
    };
    snapshot();
    intervals.push(setInterval(snapshot, 3_600_000).unref());
  }
}

/**
 * At shutdown: no more clean-ups; the mail worker finishes its current mail (within `waitMs`) and releases
 * its leases; the residents' writer thread and the checkpoint thread stop.
 */
export async function stopBackgroundJobs(waitMs: number): Promise<void> {
  for (const interval of intervals.splice(0)) clearInterval(interval);
  // A retention run stops after its current batch (at most about RETENTION_BATCH_MS, retention.server.ts).
  stopping = true;
  await retaining;
  try {
    if (started) await stopMailWorker(waitMs);
  } finally {
    // The residents' writer thread (intake.writer.server.ts) answers what it holds, then stops.
    await import('#features/intake/intake.writer.server.ts').then((m) => m.stopIntakeWriter(waitMs)).catch(() => undefined);
    await checkpointer?.then((m) => m.stopCheckpointer()).catch(() => undefined);
  }
}
