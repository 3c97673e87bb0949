import type { APIRoute } from 'astro';
import { handleHealth } from '#features/health/health.handler.server.ts';

/** 200 `ok`; 503 `unavailable` (database, disk, migrations) or `degraded` (mail): see health.server.ts. */
export const GET: APIRoute = () => handleHealth();
