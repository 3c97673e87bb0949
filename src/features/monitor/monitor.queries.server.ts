import { AVE_PHASE, CHANNELS, CONCERNS, STATUS } from '#features/reports/options.schema.ts';
import { OUTCOMES } from '#features/triage/triage.rules.ts';
import { amsterdamDate } from '#lib/working-days.ts';
import { amsterdamToUtc } from '#features/intake/staff/staff-report.schema.ts';
import { db } from '#platform/db.ts';

/**
 * The AVE-monitor (spec §5, the wish of Bijlage 2): counts of the reports received in a period, by
 * kind of concern, channel, AVE phase, regie, area, status and outcome; time from receipt to triage;
 * overdue counts. Aggregates only: no report content, no names.
 */

export interface Period {
  /** Inclusive, YYYY-MM-DD (Amsterdam). */
  from: string;
  to: string;
}

export interface Breakdown {
  key: string;
  title: string;
  rows: { label: string; count: number }[];
}

export interface Monitor {
  period: Period;
  total: number;
  breakdowns: Breakdown[];
  triage: { triaged: number; medianHours: number | null; p90Hours: number | null; withinNorm: number };
  overdueNow: number;
}

function bounds(p: Period): [string, string] {
  const start = amsterdamToUtc(`${p.from}T00:00`)!;
  const next = new Date(`${p.to}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  const end = amsterdamToUtc(`${next.toISOString().slice(0, 10)}T00:00`)!;
  return [start.toISOString(), end.toISOString()];
}

/** A valid period from the query, or the last twelve months. */
export function periodFrom(params: URLSearchParams, at: Date): Period {
  const valid = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)) ? v : undefined);
  const to = valid(params.get('tot')) ?? amsterdamDate(at);
  const yearAgo = new Date(`${to}T00:00:00Z`);
  yearAgo.setUTCFullYear(yearAgo.getUTCFullYear() - 1);
  yearAgo.setUTCDate(yearAgo.getUTCDate() + 1);
  const from = valid(params.get('van')) ?? yearAgo.toISOString().slice(0, 10);
  return from <= to ? { from, to } : { from: to, to: from };
}

function labelled(rows: { k: string | null; n: number }[], labels: Readonly<Record<string, string>>, unknown = 'Onbekend') {
  return rows.map((r) => ({ label: r.k === null ? unknown : (labels[r.k] ?? r.k), count: r.n }));
}

export function monitor(period: Period, today: string): Monitor {
  const d = db();
  const [start, end] = bounds(period);
  const inPeriod = 'created_at >= @start AND created_at < @end';
  const args = { start, end };
  const group = (column: string) =>
    d.prepare(`SELECT ${column} AS k, count(*) AS n FROM reports WHERE ${inPeriod} GROUP BY k ORDER BY n DESC`).all(args) as { k: string | null; n: number }[];
  const total = (d.prepare(`SELECT count(*) AS n FROM reports WHERE ${inPeriod}`).get(args) as { n: number }).n;
  const concerns = d
    .prepare(`SELECT c.concern AS k, count(*) AS n FROM report_concerns c JOIN reports r ON r.id = c.report_id
              WHERE r.created_at >= @start AND r.created_at < @end GROUP BY k ORDER BY n DESC`)
    .all(args) as { k: string; n: number }[];
  const regie = d
    .prepare(`SELECT 'Casusregie (CR)' AS k, count(case_director) AS n FROM reports WHERE ${inPeriod}
              UNION ALL SELECT 'Procesregie (PR)', count(process_director) FROM reports WHERE ${inPeriod}
              UNION ALL SELECT 'Behandelregie (BR)', count(treatment_director) FROM reports WHERE ${inPeriod}`)
    .all(args) as { k: string; n: number }[];
  const months = d
    .prepare(`SELECT substr(created_at, 1, 7) AS k, count(*) AS n FROM reports WHERE ${inPeriod} GROUP BY k ORDER BY k`)
    .all(args) as { k: string; n: number }[];
  const hours = (d
    .prepare(`SELECT (julianday(triaged_at) - julianday(created_at)) * 24 AS h FROM reports
              WHERE ${inPeriod} AND triaged_at IS NOT NULL ORDER BY h`)
    .all(args) as { h: number }[]).map((r) => r.h);
  const withinNorm = (d
    .prepare(`SELECT count(*) AS n FROM reports WHERE ${inPeriod} AND triaged_at IS NOT NULL AND substr(triaged_at, 1, 10) <= due_on`)
    .get(args) as { n: number }).n;
  const quantile = (q: number) => (hours.length ? Math.round(hours[Math.min(hours.length - 1, Math.floor(q * hours.length))]! * 10) / 10 : null);
  const overdueNow = (d.prepare("SELECT count(*) AS n FROM reports WHERE status = 'nieuw' AND due_on < ?").get(today) as { n: number }).n;
  return {
    period,
    total,
    breakdowns: [
      { key: 'maand', title: 'Meldingen per maand', rows: months.map((m) => ({ label: m.k, count: m.n })) },
      { key: 'soort', title: 'Soort zorg', rows: labelled(concerns, CONCERNS) },
      { key: 'kanaal', title: 'Kanaal', rows: labelled(group('channel'), CHANNELS) },
      { key: 'ave', title: 'AVE-fase', rows: labelled(group('ave_phase'), AVE_PHASE) },
      { key: 'regie', title: 'Regie', rows: regie.map((r) => ({ label: r.k, count: r.n })) },
      { key: 'gebied', title: 'Gebied (dorp of wijk)', rows: labelled(group('place'), {}, 'Onbekend') },
      { key: 'status', title: 'Status', rows: labelled(group('status'), STATUS) },
      { key: 'uitkomst', title: 'Uitkomst', rows: labelled(group('outcome'), OUTCOMES, 'Nog geen uitkomst') },
    ],
    triage: { triaged: hours.length, medianHours: quantile(0.5), p90Hours: quantile(0.9), withinNorm },
    overdueNow,
  };
}

const csvCell = (v: string | number) => {
  const s = String(v);
  // Quote, and defuse spreadsheet formulas.
  return `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`;
};

/** The aggregates as CSV (semicolon-separated, as Dutch spreadsheets expect). */
export function monitorCsv(m: Monitor): string {
  const lines = [['onderdeel', 'waarde', 'aantal'].map(csvCell).join(';')];
  lines.push(['periode', `${m.period.from} t/m ${m.period.to}`, m.total].map(csvCell).join(';'));
  for (const b of m.breakdowns) for (const r of b.rows) lines.push([b.title, r.label, r.count].map(csvCell).join(';'));
  lines.push(['triage', 'getrieerd', m.triage.triaged].map(csvCell).join(';'));
  lines.push(['triage', 'binnen de norm', m.triage.withinNorm].map(csvCell).join(';'));
  lines.push(['triage', 'mediaan uren tot triage', m.triage.medianHours ?? ''].map(csvCell).join(';'));
  lines.push(['triage', '90% binnen uren', m.triage.p90Hours ?? ''].map(csvCell).join(';'));
  lines.push(['nu', 'te laat', m.overdueNow].map(csvCell).join(';'));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
