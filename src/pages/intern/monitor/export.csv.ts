import type { APIRoute } from 'astro';
import { audit } from '#features/audit/audit.repo.server.ts';
import { now } from '#platform/clock.ts';
import { db } from '#platform/db.ts';
import { monitor, monitorCsv, periodFrom } from '#features/monitor/monitor.queries.server.ts';
import { amsterdamDate } from '#lib/working-days.ts';

/** The monitor's aggregates as CSV; role checked by the middleware (coordinator), audited as an export. */
export const GET: APIRoute = ({ url, locals }) => {
  const staff = locals.staff;
  if (!staff) return new Response(null, { status: 403 });
  const period = periodFrom(url.searchParams, now());
  const csv = db().transaction(() => {
    audit({ actorId: staff.user.id, actorRole: staff.user.role, action: 'monitor_geexporteerd', objectType: 'export', objectId: `${period.from}/${period.to}`.slice(0, 60), result: 'gelukt', clientIp: locals.clientIp });
    return monitorCsv(monitor(period, amsterdamDate(now())));
  })();
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="ave-monitor-${period.from}-${period.to}.csv"`,
    },
  });
};
