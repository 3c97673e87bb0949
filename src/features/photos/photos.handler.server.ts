import { staffActor, type StaffSession } from '#features/auth/login.server.ts';
import { REFERENCE_PATTERN } from '#features/reports/reference.rules.ts';
import { now } from '#platform/clock.ts';
import { viewPhoto } from './photos.server.ts';

/**
 * GET /intern/triage/{reference}/foto/{id}: one photo of a report, for the coordinator only (the route's
 * roles, access.rules.ts), the full view or with `?klein=1` the thumbnail. Each view is audited; never
 * cached (`no-store`), never indexed, shown inline. An unknown id, or another report's, is a 404.
 */
export interface PhotoContext {
  params: Record<string, string | undefined>;
  url: URL;
  locals: App.Locals;
  rewrite(path: string): Promise<Response>;
}

export async function handlePhoto(ctx: PhotoContext): Promise<Response> {
  const staff = ctx.locals.staff as StaffSession;
  const reference = String(ctx.params['reference'] ?? '');
  const size = ctx.url.searchParams.get('klein') === '1' ? 'thumbnail' : 'image';
  const bytes = REFERENCE_PATTERN.test(reference)
    ? viewPhoto(reference, String(ctx.params['id'] ?? ''), size, staffActor(staff, ctx.locals.clientIp), now())
    : undefined;
  if (!bytes) return ctx.rewrite('/404');
  return new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': 'image/jpeg',
      'Content-Length': String(bytes.length),
      'Cache-Control': 'no-store',
      'Content-Disposition': 'inline',
      'X-Robots-Tag': 'noindex',
    },
  });
}
