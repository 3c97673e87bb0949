import { purgeSessions } from './auth/sessions-repo.ts';
import { IDLE_MS } from './auth/login.ts';
import { now } from './clock.ts';
import { purgeExpiredDrafts } from './drafts-repo.ts';
import { startMailWorker } from './mail/worker.ts';

/**
 * Work the server does in the background: the mail worker, and every quarter of an hour deleting
 * expired drafts (unfinished reports older than 24 hours) and expired staff sessions.
 */
let started = false;

export function startBackgroundJobs(): void {
  if (started) return;
  started = true;
  startMailWorker();
  const purge = () => {
    try {
      const at = now();
      purgeExpiredDrafts(at);
      purgeSessions(at, new Date(at.getTime() - IDLE_MS));
    } catch (error) {
      console.error('jobs: purge failed:', (error as Error).message);
    }
  };
  purge();
  setInterval(purge, 15 * 60_000).unref();
}
