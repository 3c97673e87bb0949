import { now } from '#platform/clock.ts';
import { render, type FormOutcome } from '#platform/http.ts';
import { amsterdamDate } from '#lib/working-days.ts';
import { exportMonitorCsv, monitorView } from './monitor.server.ts';
import { csvFileName, periodFrom, periodQuery, type Monitor } from './monitor.rules.ts';

/** The AVE-monitor's requests: the page (/intern/monitor) and its CSV export. Coordinators only (middleware). */

/** What the monitor page shows. */
export interface MonitorPageView {
  monitor: Monitor;
  /** The export link for the same period. */
  exportHref: string;
}

/** GET /intern/monitor?van=YYYY-MM-DD&tot=YYYY-MM-DD: the figures of the period (default the last twelve months). */
export function monitorPage(ctx: { url: URL }): FormOutcome<MonitorPageView> {
  const at = now();
  const period = periodFrom(ctx.url.searchParams, at);
  return render({ monitor: monitorView(period, amsterdamDate(at)), exportHref: `/intern/monitor/export.csv?${periodQuery(period)}` });
}

/** GET /intern/monitor/export.csv: the same figures as a CSV download, audited as an export. */
export function monitorExport(ctx: { url: URL; locals: App.Locals }): Response {
  const staff = ctx.locals.staff;
  if (!staff) return new Response(null, { status: 403 });
  const at = now();
  const period = periodFrom(ctx.url.searchParams, at);
  const csv = exportMonitorCsv(period, amsterdamDate(at), { id: staff.user.id, role: staff.user.role, ip: ctx.locals.clientIp }, at);
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${csvFileName(period)}"`,
    },
  });
}
