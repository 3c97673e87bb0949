import { staffActor } from '#features/auth/login.server.ts';
import { now } from '#platform/clock.ts';
import { render, type FormOutcome } from '#platform/http.ts';
import { amsterdamDate } from '#lib/working-days.ts';
import { exportMonitorCsv, monitorView } from './monitor.server.ts';
import { csvFileName, formatCount, formatDay, formatHours, periodErrors, periodFrom, periodQuery, PERIOD_FIELDS, type Monitor } from './monitor.rules.ts';

/** The AVE-monitor's requests: the page (/intern/monitor) and its CSV export. Coordinators only (middleware). */

/** What the monitor page shows. */
export interface MonitorPageView {
  monitor: Monitor;
  /** Dates that are not a day, by field (`van`, `tot`): the form shows them; the figures are of the default. */
  errors: Partial<Record<keyof typeof PERIOD_FIELDS, string>>;
  /** What the person typed, shown back in the form when refused. */
  typed: { van: string; tot: string };
  /** The export link for the same period. */
  exportHref: string;
  /** The figures of the summary in Dutch formats (`1.234`, `35,3 uur`, `31 maart 2026`). */
  text: {
    from: string;
    to: string;
    total: string;
    acute: string;
    merged: string;
    triaged: string;
    withinNorm: string;
    medianHours: string | null;
    p90Hours: string | null;
    overdueNow: string;
    openCases: string;
  };
  /** Each breakdown with its counts formatted, for the charts and their tables. */
  charts: { key: string; title: string; rows: { label: string; count: number; text: string }[] }[];
}

/** The monitor in Dutch formats for the page. */
export function monitorPageView(monitor: Monitor, errors: MonitorPageView['errors'] = {}, typed?: MonitorPageView['typed']): MonitorPageView {
  const t = monitor.triage;
  return {
    monitor,
    errors,
    typed: typed ?? { van: monitor.period.from, tot: monitor.period.to },
    exportHref: `/intern/monitor/export.csv?${periodQuery(monitor.period)}`,
    text: {
      from: formatDay(monitor.period.from),
      to: formatDay(monitor.period.to),
      total: formatCount(monitor.total),
      acute: formatCount(monitor.acute),
      merged: formatCount(monitor.merged),
      triaged: formatCount(t.triaged),
      withinNorm: formatCount(t.withinNorm),
      medianHours: t.medianHours === null ? null : formatHours(t.medianHours),
      p90Hours: t.p90Hours === null ? null : formatHours(t.p90Hours),
      overdueNow: formatCount(monitor.overdueNow),
      openCases: formatCount(monitor.openCases),
    },
    charts: monitor.breakdowns.map((b) => ({ ...b, rows: b.rows.map((r) => ({ ...r, text: formatCount(r.count) })) })),
  };
}

/** GET /intern/monitor?van=YYYY-MM-DD&tot=YYYY-MM-DD: the figures of the period (default the last twelve months). */
export async function monitorPage(ctx: { url: URL }): Promise<FormOutcome<MonitorPageView>> {
  const at = now();
  const params = ctx.url.searchParams;
  const period = periodFrom(params, at);
  const errors = periodErrors(params);
  if (Object.keys(errors).length) {
    // A date that is not one: the form again with a 400 and what was typed; the figures of the default period.
    const typed = { van: params.get('van') ?? period.from, tot: params.get('tot') ?? period.to };
    return render(monitorPageView(await monitorView(periodFrom(new URLSearchParams({ gebied: period.areaBy }), at), amsterdamDate(at)), errors, typed), 400);
  }
  return render(monitorPageView(await monitorView(period, amsterdamDate(at))));
}

/** GET /intern/monitor/export.csv: the same figures as a CSV download, audited as an export. */
export async function monitorExport(ctx: { url: URL; locals: App.Locals }): Promise<Response> {
  const staff = ctx.locals.staff;
  if (!staff) return new Response(null, { status: 403 });
  const at = now();
  // A date that is not one: back to the page, which says so (400 with the form).
  if (Object.keys(periodErrors(ctx.url.searchParams)).length) return new Response(null, { status: 303, headers: { Location: `/intern/monitor${ctx.url.search}` } });
  const period = periodFrom(ctx.url.searchParams, at);
  const csv = await exportMonitorCsv(period, amsterdamDate(at), staffActor(staff, ctx.locals.clientIp), at);
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${csvFileName(period)}"`,
    },
  });
}
