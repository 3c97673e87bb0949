import { databaseIsReachable } from '#platform/db.ts';

/** GET /health: 200 with {"status":"ok"} when the database answers; 503 otherwise. */
export function handleHealth(): Response {
  const ok = databaseIsReachable();
  return Response.json({ status: ok ? 'ok' : 'database unreachable' }, { status: ok ? 200 : 503 });
}
