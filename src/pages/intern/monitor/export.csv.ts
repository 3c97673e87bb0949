import type { APIRoute } from 'astro';
import { monitorExport } from '#features/monitor/monitor.handler.server.ts';

/** The monitor's aggregates as CSV; role checked by the middleware (coordinator), audited as an export. */
export const GET: APIRoute = (context) => monitorExport(context);
