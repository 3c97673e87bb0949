import type { APIRoute } from 'astro';
import { handlePhoto } from '#features/photos/photos.handler.server.ts';

/** One photo of a report (coordinators only): photos.handler.server.ts. */
export const GET: APIRoute = (ctx) => handlePhoto(ctx);
