import type { APIRoute } from 'astro';
import { handleHealth } from '#features/health/health.handler.server.ts';

/** 200 with {"status":"ok"} when the database answers; 503 otherwise. */
export const GET: APIRoute = () => handleHealth();
