import type { APIRoute } from 'astro';
import { databaseIsReachable } from '#platform/db.ts';

/** 200 with {"status":"ok"} when the database answers; 503 otherwise. */
export const GET: APIRoute = () => {
  const ok = databaseIsReachable();
  return Response.json({ status: ok ? 'ok' : 'database unreachable' }, { status: ok ? 200 : 503 });
};
