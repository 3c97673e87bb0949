import { now } from '#platform/clock.ts';
import { config } from '#platform/config.ts';
import { db, type DB } from '#platform/db.ts';
import { checkHealth } from './health.server.ts';

/**
 * GET /health (spec §1: 200 while the database is reachable and writable, 503 when it is not): 200 `ok`, and
 * 200 `degraded` (mail not getting out: reports are still stored) with what is wrong; 503 `unavailable`
 * (health.server.ts).
 */
export function handleHealth(): Response {
  let d: DB | undefined;
  try {
    d = db();
  } catch {
    d = undefined;
  }
  const cfg = config();
  const health = checkHealth(d, { databasePath: cfg.databasePath, minFreeBytes: cfg.healthMinFreeBytes, now: now() });
  return Response.json(health, { status: health.status === 'unavailable' ? 503 : 200, headers: { 'Cache-Control': 'no-store' } });
}
