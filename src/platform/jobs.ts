import { now } from './clock.ts';
import { mailWorker, startMailWorker, stopMailWorker } from '#features/mail/worker.server.ts';
import { config } from './config.ts';
import { applyRetention, purgeExpired } from '#features/retention/retention.server.ts';

/**
 * Work the server does in the background: the mail worker; every quarter of an hour deleting expired
 * drafts (unfinished reports older than 24 hours) and expired staff sessions; and the retention
 * periods (retention.ts) at start and every six hours.
 */
let started = false;
const intervals: NodeJS.Timeout[] = [];

export function startBackgroundJobs(): void {
  if (started) return;
  started = true;
  // The mail worker follows the server's clock, like drafts and sessions (a test clock moves mail too).
  startMailWorker(mailWorker(config(), now));
  const purge = () => {
    try {
      purgeExpired(now());
    } catch (error) {
      console.error('jobs: purge failed:', (error as Error).message);
    }
  };
  const retain = () => {
    try {
      applyRetention();
    } catch (error) {
      console.error('jobs: retention failed:', (error as Error).message);
    }
  };
  purge();
  retain();
  intervals.push(setInterval(purge, 15 * 60_000).unref(), setInterval(retain, 6 * 3_600_000).unref());
}

/** At shutdown: no more clean-ups; the mail worker finishes its current mail (within `waitMs`) and releases its leases. */
export async function stopBackgroundJobs(waitMs: number): Promise<void> {
  for (const interval of intervals.splice(0)) clearInterval(interval);
  if (started) await stopMailWorker(waitMs);
}
