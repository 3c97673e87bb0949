import { AVE_PHASE, CHANNELS, CONCERNS, STATUS } from '#features/reports/options.schema.ts';
import { OUTCOMES } from '#features/triage/triage.rules.ts';
import { amsterdamToUtc } from '#lib/dates.ts';
import { amsterdamDate } from '#lib/working-days.ts';

/**
 * The AVE-monitor's arithmetic (spec §5, the wish of Bijlage 2), pure: the period asked for, its
 * boundaries as instants, the quantiles of the hours from receipt to triage, labelled breakdowns and
 * the CSV. The counting itself is SQL in monitor.queries.server.ts (from the rollup of migration 0020).
 */

export interface Period {
  /** Inclusive, YYYY-MM-DD (Amsterdam). */
  from: string;
  to: string;
  /** Areas by village (`woonplaats`) or by wijk, both from the address lookup. */
  areaBy: AreaLevel;
}

/** How the monitor groups areas (`?gebied=`). */
export const AREA_LEVELS = { dorp: 'Dorp', wijk: 'Wijk' } as const;
export type AreaLevel = keyof typeof AREA_LEVELS;

/** The dimensions of the rollup `monitor_daily` (migration 0020, its CHECK list), as the monitor reads them. */
export const ROLLUP_DIMENSIONS = ['total', 'apart', 'channel', 'ave_phase', 'woonplaats', 'wijk', 'status', 'outcome', 'regie', 'concern', 'within_norm'] as const;
export type RollupDimension = (typeof ROLLUP_DIMENSIONS)[number];

/** A count per stored value; `k` is NULL for reports without one. */
export interface Count {
  k: string | null;
  n: number;
}

export interface Breakdown {
  key: string;
  title: string;
  rows: { label: string; count: number }[];
}

export interface Monitor {
  period: Period;
  /** Reports, without merged and acute records. */
  total: number;
  /** Acute records (`acuut_doorgezet`, passed on to 112) and merged reports of the period, counted apart. */
  acute: number;
  merged: number;
  breakdowns: Breakdown[];
  /** Casussen (persons or households) open at the end of the period. */
  openCases: number;
  triage: { triaged: number; medianHours: number | null; p90Hours: number | null; withinNorm: number };
  overdueNow: number;
}

/** What the read model counts for a period (monitor.queries.server.ts), before labels and quantiles. */
export interface MonitorCounts {
  /** Reports, without merged and acute records. */
  total: number;
  acute: number;
  merged: number;
  /** By month of the Amsterdam day of `created_at` (YYYY-MM), in month order. */
  months: { k: string; n: number }[];
  concerns: Count[];
  channels: Count[];
  avePhases: Count[];
  /** Reports with a case, process and treatment director, in that order. */
  regie: { k: string; n: number }[];
  /** By village or wijk (the period's `areaBy`); `k` NULL without a looked-up address. */
  areas: Count[];
  statuses: Count[];
  outcomes: Count[];
  /**
   * The reports triaged so far by hours from receipt to triage in tenths of an hour, rounded as the
   * monitor shows them (`Math.round(hours * 10)`), in ascending order: a histogram.
   */
  triageTenths: { tenths: number; n: number }[];
  withinNorm: number;
  overdueNow: number;
  /** People: the casussen open at the end of the period (each once), and the AVE steps in it. */
  cases: {
    /** By AVE phase at the end of the period. */
    byPhase: Count[];
    /** With a casusregisseur, procesregisseur, behandelregie, in that order. */
    regie: { k: string; n: number }[];
    /** By village or wijk of the casus's latest report with a looked-up address. */
    areas: Count[];
    /** `opgeschaald` and `afgeschaald` in the period. */
    steps: { k: string; n: number }[];
  };
}

const DAY_FORMAT = /^\d{4}-\d{2}-\d{2}$/;
const FIRST_YEAR = 2000;
const LAST_YEAR = 2999;

/** The period form's fields with what a person reads when a date is not one (`van`, `tot`). */
export const PERIOD_FIELDS = { van: 'Vanaf', tot: 'Tot en met' } as const;

/**
 * The dates asked for that are not a day the monitor can count (`2026-02-30`, `9999-01-01`, `morgen`):
 * a Dutch message per field. Empty when every given date is fine (absent dates take their default).
 */
export function periodErrors(params: URLSearchParams): Partial<Record<keyof typeof PERIOD_FIELDS, string>> {
  const errors: Partial<Record<keyof typeof PERIOD_FIELDS, string>> = {};
  for (const name of ['van', 'tot'] as const) {
    const value = params.get(name);
    if (value && !dateParam(value)) errors[name] = `Vul bij "${PERIOD_FIELDS[name]}" een bestaande datum in tussen ${FIRST_YEAR} en ${LAST_YEAR}`;
  }
  return errors;
}

/**
 * A `YYYY-MM-DD` query value that is a day of the calendar, or `undefined` for anything else. Checked by
 * a round trip: `Date.parse('2026-02-30')` is a number (V8 rolls it over), and such a day has no midnight.
 */
function dateParam(value: string | null): string | undefined {
  if (!value || !DAY_FORMAT.test(value)) return undefined;
  // Years the portal can count in (a year like 9999 has no day after its last).
  const year = Number(value.slice(0, 4));
  if (year < FIRST_YEAR || year > LAST_YEAR) return undefined;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value ? value : undefined;
}

/**
 * The period of the query (`van`, `tot`, both inclusive), a missing or malformed end being today and a
 * missing start the day after the same date a year earlier (twelve whole months); reversed ends are swapped.
 */
export function periodFrom(params: URLSearchParams, at: Date): Period {
  const to = dateParam(params.get('tot')) ?? amsterdamDate(at);
  const yearAgo = new Date(`${to}T00:00:00Z`);
  yearAgo.setUTCFullYear(yearAgo.getUTCFullYear() - 1);
  yearAgo.setUTCDate(yearAgo.getUTCDate() + 1);
  const from = dateParam(params.get('van')) ?? yearAgo.toISOString().slice(0, 10);
  const areaBy: AreaLevel = params.get('gebied') === 'wijk' ? 'wijk' : 'dorp';
  return from <= to ? { from, to, areaBy } : { from: to, to: from, areaBy };
}

/**
 * The period as a half-open range of UTC instants: midnight in Amsterdam at the start of `from`, up to
 * (not including) midnight in Amsterdam after `to`. `created_at` is stored in UTC, so a report made at
 * 00:30 Amsterdam time on `from` (22:30 or 23:30 UTC the day before) belongs to the period.
 */
export function periodBounds(p: Pick<Period, 'from' | 'to'>): { start: string; end: string } {
  const start = amsterdamToUtc(`${p.from}T00:00`)!;
  const next = new Date(`${p.to}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  const end = amsterdamToUtc(`${next.toISOString().slice(0, 10)}T00:00`)!;
  return { start: start.toISOString(), end: end.toISOString() };
}

/**
 * The `q` quantile of the triage hours by nearest rank (the value at index ⌊q·n⌋ of the n hours in
 * ascending order, so the "median" of an even count is the upper middle value), from their histogram in
 * tenths of an hour (ascending); hours with one decimal, `null` without any. Rounding to tenths keeps the
 * order, so this is the rounded quantile of the unrounded hours.
 */
export function quantileOfTenths(histogram: readonly { tenths: number; n: number }[], q: number): number | null {
  const total = histogram.reduce((sum, b) => sum + b.n, 0);
  if (total === 0) return null;
  const rank = Math.min(total - 1, Math.floor(q * total));
  let seen = 0;
  for (const b of histogram) {
    seen += b.n;
    if (rank < seen) return b.tenths / 10;
  }
  return histogram.at(-1)!.tenths / 10;
}

/**
 * A part of a period's triage histogram (migration 0020): whole months (YYYY-MM) from the monthly table or
 * days (YYYY-MM-DD) from the daily one, both ends inclusive, added (1) or taken away (-1).
 */
export interface HistogramPart {
  grain: 'month' | 'day';
  from: string;
  to: string;
  sign: 1 | -1;
}

const dayOffset = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Which rows make the triage histogram of the days `from`…`to`: the whole months in between as months;
 * a month the period covers only partly as its days, or, when it covers more than half of it, as the month
 * less the days it leaves out. So a year costs a dozen month rows and at most half a month of days per edge.
 */
export function triageParts(p: Pick<Period, 'from' | 'to'>): HistogramPart[] {
  const parts: HistogramPart[] = [];
  const months: string[] = [];
  for (let m = p.from.slice(0, 7); m <= p.to.slice(0, 7); m = dayOffset(`${m}-28`, 7).slice(0, 7)) {
    const first = `${m}-01`;
    const last = dayOffset(`${dayOffset(`${m}-28`, 7).slice(0, 7)}-01`, -1);
    const a = p.from > first ? p.from : first;
    const b = p.to < last ? p.to : last;
    const length = (x: string, y: string) => (Date.parse(`${y}T00:00:00Z`) - Date.parse(`${x}T00:00:00Z`)) / 86_400_000 + 1;
    const covered = length(a, b);
    if (covered <= length(first, last) - covered) {
      parts.push({ grain: 'day', from: a, to: b, sign: 1 });
      continue;
    }
    months.push(m);
    if (a > first) parts.push({ grain: 'day', from: first, to: dayOffset(a, -1), sign: -1 });
    if (b < last) parts.push({ grain: 'day', from: dayOffset(b, 1), to: last, sign: -1 });
  }
  // Consecutive months as one range.
  for (const m of months) {
    const run = parts.at(-1);
    if (run?.grain === 'month' && dayOffset(`${run.to}-28`, 7).slice(0, 7) === m) run.to = m;
    else parts.push({ grain: 'month', from: m, to: m, sign: 1 });
  }
  return parts;
}

/** Counts most frequent first, equal counts by value (no value last): the order of every breakdown. */
export function mostFrequentFirst<T extends Count>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => b.n - a.n || (a.k === null ? 1 : b.k === null ? -1 : a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
}

/** Counts with the Dutch label of each code; a value without a label shows as it is stored. */
export function labelled(rows: readonly Count[], labels: Readonly<Record<string, string>>, unknown = 'Onbekend'): Breakdown['rows'] {
  return rows.map((r) => ({ label: r.k === null ? unknown : (labels[r.k] ?? r.k), count: r.n }));
}

/** The monitor of a period from its counts: labelled breakdowns, triage hours and their quantiles. */
export function monitorOf(period: Period, c: MonitorCounts): Monitor {
  return {
    period,
    total: c.total,
    acute: c.acute,
    merged: c.merged,
    breakdowns: [
      { key: 'maand', title: 'Meldingen per maand', rows: c.months.map((m) => ({ label: monthLabel(m.k), count: m.n })) },
      { key: 'soort', title: 'Soort zorg', rows: labelled(c.concerns, CONCERNS) },
      { key: 'kanaal', title: 'Kanaal', rows: labelled(c.channels, CHANNELS) },
      { key: 'ave', title: 'AVE-fase', rows: labelled(c.avePhases, AVE_PHASE) },
      { key: 'regie', title: 'Regie', rows: c.regie.map((r) => ({ label: r.k, count: r.n })) },
      { key: 'gebied', title: `Gebied: ${AREA_LEVELS[period.areaBy].toLowerCase()}`, rows: labelled(c.areas, {}, 'Onbekend') },
      { key: 'status', title: 'Status', rows: labelled(c.statuses, STATUS) },
      { key: 'uitkomst', title: 'Uitkomst', rows: labelled(c.outcomes, OUTCOMES, 'Nog geen uitkomst') },
      { key: 'casus-ave', title: 'Casussen open aan het eind van de periode, per AVE-fase', rows: labelled(c.cases.byPhase, AVE_PHASE) },
      {
        key: 'casus-schalen',
        title: 'Op- en afschalen van casussen in de periode',
        rows: (['opgeschaald', 'afgeschaald'] as const).map((k) => ({ label: k === 'opgeschaald' ? 'Opgeschaald' : 'Afgeschaald', count: c.cases.steps.find((s) => s.k === k)?.n ?? 0 })),
      },
      { key: 'casus-regie', title: 'Casussen per regie', rows: c.cases.regie.map((r) => ({ label: r.k, count: r.n })) },
      { key: 'casus-gebied', title: `Casussen per gebied: ${AREA_LEVELS[period.areaBy].toLowerCase()}`, rows: labelled(c.cases.areas, {}, 'Onbekend') },
    ],
    openCases: c.cases.byPhase.reduce((sum, r) => sum + r.n, 0),
    triage: {
      triaged: c.triageTenths.reduce((sum, b) => sum + b.n, 0),
      medianHours: quantileOfTenths(c.triageTenths, 0.5),
      p90Hours: quantileOfTenths(c.triageTenths, 0.9),
      withinNorm: c.withinNorm,
    },
    overdueNow: c.overdueNow,
  };
}

// ---------------------------------------------------------------------------------------------
// Dutch formats: 1.234 meldingen, 35,3 uur, december 2025, 31 maart 2026.

const whole = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 1, useGrouping: false });
const oneDecimal = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 1 });
const month = new Intl.DateTimeFormat('nl-NL', { timeZone: 'UTC', month: 'long', year: 'numeric' });
const longDay = new Intl.DateTimeFormat('nl-NL', { timeZone: 'UTC', dateStyle: 'long' });

/** A count with a thousands point: `1.234`. */
export const formatCount = (n: number): string => whole.format(n);

/** Hours with at most one decimal, a decimal comma: `35,3 uur`, `1 uur`. */
export const formatHours = (h: number): string => `${oneDecimal.format(h)} uur`;

/** A `YYYY-MM` month as Dutch words: `december 2025`; anything else as it is. */
export function monthLabel(yearMonth: string): string {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(yearMonth) ? month.format(new Date(`${yearMonth}-01T00:00:00Z`)) : yearMonth;
}

/** A `YYYY-MM-DD` day: `31 maart 2026`. */
export const formatDay = (day: string): string => longDay.format(new Date(`${day}T00:00:00Z`));

/** One CSV cell: always quoted, quotes doubled, and a leading = + - @ defused with an apostrophe (formula injection). */
export function csvCell(v: string | number): string {
  const s = String(v);
  return `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`;
}

/** The aggregates as CSV: semicolon-separated (as Dutch spreadsheets expect), CRLF, with a BOM for Excel. */
export function monitorCsv(m: Monitor): string {
  const lines = [['onderdeel', 'waarde', 'aantal'].map(csvCell).join(';')];
  lines.push(['periode', `${m.period.from} t/m ${m.period.to}`, m.total].map(csvCell).join(';'));
  lines.push(['apart geteld', 'acuut doorgezet naar 112', m.acute].map(csvCell).join(';'));
  lines.push(['apart geteld', 'samengevoegd', m.merged].map(csvCell).join(';'));
  for (const b of m.breakdowns) for (const r of b.rows) lines.push([b.title, r.label, r.count].map(csvCell).join(';'));
  lines.push(['triage', 'getrieerd', m.triage.triaged].map(csvCell).join(';'));
  lines.push(['triage', 'binnen de norm', m.triage.withinNorm].map(csvCell).join(';'));
  // A decimal comma: what a Dutch spreadsheet reads as a number in a semicolon-separated file.
  lines.push(['triage', 'mediaan uren tot triage', m.triage.medianHours === null ? '' : decimal.format(m.triage.medianHours)].map(csvCell).join(';'));
  lines.push(['triage', '90% binnen uren', m.triage.p90Hours === null ? '' : decimal.format(m.triage.p90Hours)].map(csvCell).join(';'));
  lines.push(['nu', 'te laat', m.overdueNow].map(csvCell).join(';'));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The export's file name. */
export const csvFileName = (p: Pick<Period, 'from' | 'to'>): string => `ave-monitor-${p.from}-${p.to}.csv`;

/** The period as the audit row's object id (at most 60 characters, like the column). */
export const exportObjectId = (p: Pick<Period, 'from' | 'to'>): string => `${p.from}/${p.to}`.slice(0, 60);

/** The query string of a period, for the export link. */
export const periodQuery = (p: Period): string => new URLSearchParams({ van: p.from, tot: p.to, gebied: p.areaBy }).toString();
