import { now } from '#platform/clock.ts';
import { config } from '#platform/config.ts';
import { db, type DB } from '#platform/db.ts';
import { checkHealth } from './health.server.ts';

/** GET /health: 200 `ok`; 503 `unavailable` or `degraded` with what failed (health.server.ts). */
export function handleHealth(): Response {
  let d: DB | undefined;
  try {
    d = db();
  } catch {
    d = undefined;
  }
  const cfg = config();
  const health = checkHealth(d, { databasePath: cfg.databasePath, minFreeBytes: cfg.healthMinFreeBytes, now: now() });
  return Response.json(health, { status: health.status === 'ok' ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
