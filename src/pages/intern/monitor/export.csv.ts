import type { APIRoute } from 'astro';
import { audit } from '../../../lib/server/audit-repo.ts';
import { now } from '../../../lib/server/clock.ts';
import { db } from '../../../lib/server/db.ts';
import { monitor, monitorCsv, periodFrom } from '../../../lib/server/monitor.ts';
import { amsterdamDate } from '../../../lib/working-days.ts';

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
