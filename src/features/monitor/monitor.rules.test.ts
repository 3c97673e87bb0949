import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  csvCell,
  formatCount,
  formatDay,
  formatHours,
  monthLabel,
  csvFileName,
  exportObjectId,
  labelled,
  monitorCsv,
  monitorOf,
  periodBounds,
  periodFrom,
  periodQuery,
  mostFrequentFirst,
  quantileOfTenths,
  triageParts,
  type Monitor,
  type MonitorCounts,
} from './monitor.rules.ts';

/** The AVE-monitor's arithmetic: periods in Europe/Amsterdam, hours and quantiles, labels, CSV. */

const query = (q: string) => new URLSearchParams(q);
/** Real hours between two UTC instants. */
const hoursBetween = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 3_600_000;
/**
 * The quantile of `hours` as the monitor takes it: rounded to tenths (what the rollup stores, migration
 * 0020), counted per tenth, then quantileOfTenths.
 */
function quantile(hours: readonly number[], q: number): number | null {
  const histogram = new Map<number, number>();
  for (const h of hours) histogram.set(Math.round(h * 10), (histogram.get(Math.round(h * 10)) ?? 0) + 1);
  return quantileOfTenths([...histogram].map(([tenths, n]) => ({ tenths, n })).sort((a, b) => a.tenths - b.tenths), q);
}

describe('periodFrom: the period asked for', () => {
  const at = new Date('2026-11-29T10:00:00.000Z');

  test('both ends given, inclusive', () => {
    assert.deepEqual(periodFrom(query('van=2026-01-01&tot=2026-06-30'), at), { from: '2026-01-01', to: '2026-06-30', areaBy: 'dorp' });
    assert.deepEqual(periodFrom(query('van=2026-03-29&tot=2026-03-29'), at), { from: '2026-03-29', to: '2026-03-29', areaBy: 'dorp' });
  });

  test('reversed ends are swapped', () => {
    assert.deepEqual(periodFrom(query('van=2026-06-30&tot=2026-01-01'), at), { from: '2026-01-01', to: '2026-06-30', areaBy: 'dorp' });
  });

  test('without ends: the twelve months up to and including today', () => {
    assert.deepEqual(periodFrom(query(''), at), { from: '2025-11-30', to: '2026-11-29', areaBy: 'dorp' });
  });

  test('today is the date in Amsterdam, not in UTC', () => {
    // 23:30 UTC on 28 March is 00:30 on 29 March in Amsterdam (winter time, UTC+1).
    assert.deepEqual(periodFrom(query(''), new Date('2026-03-28T23:30:00.000Z')), { from: '2025-03-30', to: '2026-03-29', areaBy: 'dorp' });
    // 22:30 UTC on 30 June is 00:30 on 1 July (summer time, UTC+2).
    assert.deepEqual(periodFrom(query(''), new Date('2026-06-30T22:30:00.000Z')), { from: '2025-07-02', to: '2026-07-01', areaBy: 'dorp' });
    // 21:59 UTC on 30 June is still 30 June, 23:59.
    assert.equal(periodFrom(query(''), new Date('2026-06-30T21:59:00.000Z')).to, '2026-06-30');
  });

  test('one end given: the other follows from it', () => {
    assert.deepEqual(periodFrom(query('tot=2026-02-28'), at), { from: '2025-03-01', to: '2026-02-28', areaBy: 'dorp' });
    assert.deepEqual(periodFrom(query('van=2025-01-01'), at), { from: '2025-01-01', to: '2026-11-29', areaBy: 'dorp' });
    // A start after today: swapped, so the period runs from today.
    assert.deepEqual(periodFrom(query('van=2027-01-01'), at), { from: '2026-11-29', to: '2027-01-01', areaBy: 'dorp' });
  });

  test('a year back from 29 February', () => {
    // 29 February 2023 does not exist: the date rolls to 1 March, and the period starts a day later.
    assert.deepEqual(periodFrom(query('tot=2024-02-29'), at), { from: '2023-03-02', to: '2024-02-29', areaBy: 'dorp' });
  });

  test('malformed ends count as absent', () => {
    for (const bad of ['garbage', '2026-1-01', '20260101', '2026-01-01T00:00', ' 2026-01-01', '2026-13-01', '']) {
      assert.deepEqual(periodFrom(query(`van=${encodeURIComponent(bad)}&tot=${encodeURIComponent(bad)}`), at), { from: '2025-11-30', to: '2026-11-29', areaBy: 'dorp' }, bad);
    }
    assert.deepEqual(periodFrom(query('van=garbage&tot=2026-03-31'), at), { from: '2025-04-01', to: '2026-03-31', areaBy: 'dorp' });
  });

  test('a day that is not in the calendar counts as absent (it used to answer 500)', () => {
    for (const bad of ['2026-02-30', '2026-02-29', '2026-04-31', '2026-00-10', '2026-01-00', '2026-01-32']) {
      assert.deepEqual(periodFrom(query(`van=${bad}&tot=2026-03-31`), at), { from: '2025-04-01', to: '2026-03-31', areaBy: 'dorp' }, bad);
      assert.deepEqual(periodFrom(query(`van=2026-01-01&tot=${bad}`), at), { from: '2026-01-01', to: '2026-11-29', areaBy: 'dorp' }, bad);
    }
    assert.deepEqual(periodFrom(query('van=2028-02-29&tot=2028-03-01'), at), { from: '2028-02-29', to: '2028-03-01', areaBy: 'dorp' });
    assert.doesNotThrow(() => periodBounds(periodFrom(query('van=2026-02-30&tot=2026-02-31'), at)));
  });
});

describe('periodBounds: a period as UTC instants, midnight to midnight in Amsterdam', () => {
  test('winter time (UTC+1)', () => {
    assert.deepEqual(periodBounds({ from: '2026-01-01', to: '2026-01-31' }), { start: '2025-12-31T23:00:00.000Z', end: '2026-01-31T23:00:00.000Z' });
  });

  test('summer time (UTC+2)', () => {
    assert.deepEqual(periodBounds({ from: '2026-07-01', to: '2026-07-01' }), { start: '2026-06-30T22:00:00.000Z', end: '2026-07-01T22:00:00.000Z' });
  });

  test('the day the clocks go forward has 23 hours, the day they go back 25', () => {
    const spring = periodBounds({ from: '2026-03-29', to: '2026-03-29' });
    assert.deepEqual(spring, { start: '2026-03-28T23:00:00.000Z', end: '2026-03-29T22:00:00.000Z' });
    assert.equal(hoursBetween(spring.start, spring.end), 23);
    const autumn = periodBounds({ from: '2026-10-25', to: '2026-10-25' });
    assert.deepEqual(autumn, { start: '2026-10-24T22:00:00.000Z', end: '2026-10-25T23:00:00.000Z' });
    assert.equal(hoursBetween(autumn.start, autumn.end), 25);
  });

  test('a month across the change, a year end, a leap day', () => {
    assert.deepEqual(periodBounds({ from: '2026-03-01', to: '2026-03-31' }), { start: '2026-02-28T23:00:00.000Z', end: '2026-03-31T22:00:00.000Z' });
    assert.deepEqual(periodBounds({ from: '2026-12-31', to: '2026-12-31' }), { start: '2026-12-30T23:00:00.000Z', end: '2026-12-31T23:00:00.000Z' });
    assert.deepEqual(periodBounds({ from: '2028-02-29', to: '2028-02-29' }), { start: '2028-02-28T23:00:00.000Z', end: '2028-02-29T23:00:00.000Z' });
  });

  test('the default period of a day has whole Amsterdam days at both ends', () => {
    const p = periodFrom(query(''), new Date('2026-11-29T10:00:00.000Z'));
    assert.deepEqual(periodBounds(p), { start: '2025-11-29T23:00:00.000Z', end: '2026-11-29T23:00:00.000Z' });
  });
});

describe('hours and quantiles', () => {
  test('quantileOfTenths counts the histogram: several reports in one tenth, tenths in ascending order', () => {
    const histogram = [{ tenths: 3, n: 4 }, { tenths: 25, n: 1 }, { tenths: 260, n: 5 }];
    // Ten hours: 0.3 ×4, 2.5, 26 ×5. Index 5 is the first 26, index 9 the last.
    assert.equal(quantileOfTenths(histogram, 0.5), 26);
    assert.equal(quantileOfTenths(histogram, 0.4), 2.5);
    assert.equal(quantileOfTenths(histogram, 0.3), 0.3);
    assert.equal(quantileOfTenths(histogram, 0.9), 26);
    assert.equal(quantileOfTenths([{ tenths: 0, n: 2 }], 0.5), 0);
    assert.equal(quantileOfTenths([], 0.5), null);
  });

  test('triageParts: whole months as months, a partly covered month as its days or as the month less the rest', () => {
    const day = (from: string, to: string, sign: 1 | -1 = 1) => ({ grain: 'day', from, to, sign });
    const month = (from: string, to: string) => ({ grain: 'month', from, to, sign: 1 });
    assert.deepEqual(triageParts({ from: '2026-03-01', to: '2026-03-31' }), [month('2026-03', '2026-03')]);
    assert.deepEqual(triageParts({ from: '2026-03-29', to: '2026-03-29' }), [day('2026-03-29', '2026-03-29')]);
    assert.deepEqual(triageParts({ from: '2026-03-10', to: '2026-03-20' }), [day('2026-03-10', '2026-03-20')]);
    // 29 of 31 days: the month less its first and last day.
    assert.deepEqual(triageParts({ from: '2026-03-02', to: '2026-03-30' }), [day('2026-03-01', '2026-03-01', -1), day('2026-03-31', '2026-03-31', -1), month('2026-03', '2026-03')]);
    // The default period: one day of last November, this November up to the 29th.
    assert.deepEqual(triageParts({ from: '2025-11-30', to: '2026-11-29' }), [day('2025-11-30', '2025-11-30'), day('2026-11-30', '2026-11-30', -1), month('2025-12', '2026-11')]);
    // February of a leap year, 15 of 29 days: more than half.
    assert.deepEqual(triageParts({ from: '2028-02-15', to: '2028-03-31' }), [day('2028-02-01', '2028-02-14', -1), month('2028-02', '2028-03')]);
    assert.deepEqual(triageParts({ from: '2026-12-31', to: '2027-01-01' }), [day('2026-12-31', '2026-12-31'), day('2027-01-01', '2027-01-01')]);
  });

  test('mostFrequentFirst: counts descending, equal counts by value, no value last', () => {
    assert.deepEqual(
      mostFrequentFirst([{ k: 'b', n: 2 }, { k: null, n: 5 }, { k: 'a', n: 2 }, { k: null, n: 2 }, { k: 'c', n: 9 }]),
      [{ k: 'c', n: 9 }, { k: null, n: 5 }, { k: 'a', n: 2 }, { k: 'b', n: 2 }, { k: null, n: 2 }],
    );
  });

  test('no values: no quantile', () => {
    assert.equal(quantile([], 0.5), null);
    assert.equal(quantile([], 0.9), null);
  });

  test('nearest rank: the value at index ⌊q·n⌋ (the upper middle of an even count)', () => {
    assert.equal(quantile([7], 0.5), 7);
    assert.equal(quantile([7], 0.9), 7);
    assert.equal(quantile([1, 2, 3], 0.5), 2);
    assert.equal(quantile([1, 2, 3, 4], 0.5), 3);
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    assert.equal(quantile(ten, 0.5), 6);
    assert.equal(quantile(ten, 0.9), 10);
    const twenty = Array.from({ length: 20 }, (_, i) => i + 1);
    assert.equal(quantile(twenty, 0.9), 19);
    assert.equal(quantile(twenty, 1), 20);
  });

  test('rounded to one decimal, halves up', () => {
    assert.equal(quantile([1.25], 0.5), 1.3);
    assert.equal(quantile([1.24999], 0.5), 1.2);
    assert.equal(quantile([0.05], 0.5), 0.1);
    assert.equal(quantile([0.04], 0.5), 0);
    assert.equal(quantile([35], 0.5), 35);
    assert.equal(quantile([65.46], 0.5), 65.5);
  });
});

const counts: MonitorCounts = {
  total: 5,
  acute: 1,
  merged: 2,
  months: [{ k: '2026-02', n: 1 }, { k: '2026-03', n: 4 }],
  concerns: [{ k: 'eenzaamheid', n: 3 }, { k: 'onbekende_zorg', n: 1 }],
  channels: [{ k: 'inwoner', n: 3 }, { k: 'kcc', n: 2 }],
  avePhases: [{ k: 'onbekend', n: 4 }, { k: 'ave2', n: 1 }],
  regie: [{ k: 'Casusregie (CR)', n: 2 }, { k: 'Procesregie (PR)', n: 1 }, { k: 'Behandelregie (BR)', n: 0 }],
  areas: [{ k: 'Leek', n: 3 }, { k: null, n: 2 }],
  statuses: [{ k: 'nieuw', n: 3 }, { k: 'afgesloten', n: 2 }],
  outcomes: [{ k: null, n: 3 }, { k: 'bemoeizorg', n: 2 }],
  // 2.5 h, 26 h, 72 h.
  triageTenths: [{ tenths: 25, n: 1 }, { tenths: 260, n: 1 }, { tenths: 720, n: 1 }],
  withinNorm: 2,
  overdueNow: 1,
  cases: {
    byPhase: [{ k: 'ave3', n: 2 }, { k: 'ave2', n: 1 }],
    regie: [{ k: 'Met casusregisseur', n: 3 }, { k: 'Met procesregisseur', n: 1 }, { k: 'Met behandelregie', n: 0 }],
    areas: [{ k: 'Leek', n: 2 }, { k: null, n: 1 }],
    steps: [{ k: 'afgeschaald', n: 1 }],
  },
};

describe('monitorOf: labelled breakdowns and triage figures', () => {
  const m = monitorOf({ from: '2026-03-01', to: '2026-03-31', areaBy: 'dorp' }, counts);

  test('breakdowns in their order, with Dutch labels', () => {
    assert.deepEqual(
      m.breakdowns.map((b) => [b.key, b.title]),
      [
        ['maand', 'Meldingen per maand'],
        ['soort', 'Soort zorg'],
        ['kanaal', 'Kanaal'],
        ['ave', 'AVE-fase'],
        ['regie', 'Regie'],
        ['gebied', 'Gebied: dorp'],
        ['status', 'Status'],
        ['uitkomst', 'Uitkomst'],
        ['casus-ave', 'Casussen open aan het eind van de periode, per AVE-fase'],
        ['casus-schalen', 'Op- en afschalen van casussen in de periode'],
        ['casus-regie', 'Casussen per regie'],
        ['casus-gebied', 'Casussen per gebied: dorp'],
      ],
    );
    const rows = Object.fromEntries(m.breakdowns.map((b) => [b.key, b.rows]));
    assert.deepEqual(rows['maand'], [{ label: 'februari 2026', count: 1 }, { label: 'maart 2026', count: 4 }]);
    // A code without a label shows as stored.
    assert.deepEqual(rows['soort'], [{ label: 'Eenzaamheid', count: 3 }, { label: 'onbekende_zorg', count: 1 }]);
    assert.deepEqual(rows['kanaal'], [{ label: 'Inwoner', count: 3 }, { label: 'KCC', count: 2 }]);
    assert.deepEqual(rows['ave'], [{ label: 'Onbekend', count: 4 }, { label: 'AVE 2', count: 1 }]);
    assert.deepEqual(rows['regie']?.map((r) => r.count), [2, 1, 0]);
    assert.deepEqual(rows['gebied'], [{ label: 'Leek', count: 3 }, { label: 'Onbekend', count: 2 }]);
    assert.deepEqual(rows['status'], [{ label: 'Nieuw', count: 3 }, { label: 'Afgesloten', count: 2 }]);
    assert.deepEqual(rows['uitkomst'], [{ label: 'Nog geen uitkomst', count: 3 }, { label: 'Bemoeizorg', count: 2 }]);
    // People: casussen, each once.
    assert.deepEqual(rows['casus-ave'], [{ label: 'AVE 3', count: 2 }, { label: 'AVE 2', count: 1 }]);
    assert.deepEqual(rows['casus-schalen'], [{ label: 'Opgeschaald', count: 0 }, { label: 'Afgeschaald', count: 1 }]);
    assert.deepEqual(rows['casus-regie']?.map((r) => r.count), [3, 1, 0]);
    assert.deepEqual(rows['casus-gebied'], [{ label: 'Leek', count: 2 }, { label: 'Onbekend', count: 1 }]);
    assert.equal(m.openCases, 3);
  });

  test('triage: how many, and the quantiles of their hours', () => {
    assert.deepEqual(m.triage, { triaged: 3, medianHours: 26, p90Hours: 72, withinNorm: 2 });
    assert.equal(m.total, 5);
    assert.equal(m.overdueNow, 1);
    // Acute and merged records are counted apart, never in the total.
    assert.deepEqual([m.acute, m.merged], [1, 2]);
  });

  test('nothing triaged: no quantiles', () => {
    assert.deepEqual(monitorOf({ from: '2026-03-01', to: '2026-03-31', areaBy: 'dorp' }, { ...counts, triageTenths: [] }).triage, { triaged: 0, medianHours: null, p90Hours: null, withinNorm: 2 });
  });

  test('labelled: a missing value gets the word given', () => {
    assert.deepEqual(labelled([{ k: null, n: 1 }], {}, 'Nog geen uitkomst'), [{ label: 'Nog geen uitkomst', count: 1 }]);
    assert.deepEqual(labelled([{ k: null, n: 1 }], {}), [{ label: 'Onbekend', count: 1 }]);
  });
});

describe('CSV', () => {
  test('every cell quoted, quotes doubled', () => {
    assert.equal(csvCell('Leek'), '"Leek"');
    assert.equal(csvCell('zegt "hallo"'), '"zegt ""hallo"""');
    assert.equal(csvCell('a;b'), '"a;b"');
    assert.equal(csvCell('twee\nregels'), '"twee\nregels"');
    assert.equal(csvCell(12), '"12"');
    assert.equal(csvCell(65.5), '"65.5"');
    assert.equal(csvCell(''), '""');
  });

  test('a cell a spreadsheet would run as a formula gets a leading apostrophe', () => {
    assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
    assert.equal(csvCell('+31 6'), `"'+31 6"`);
    assert.equal(csvCell('-1'), `"'-1"`);
    assert.equal(csvCell('@SUM(A1)'), `"'@SUM(A1)"`);
    assert.equal(csvCell('GGD=zorg'), '"GGD=zorg"');
  });

  test('the monitor as CSV: BOM, semicolons, CRLF, a line per row', () => {
    const m: Monitor = {
      period: { from: '2026-03-01', to: '2026-03-31', areaBy: 'dorp' },
      total: 4,
      acute: 2,
      merged: 1,
      breakdowns: [
        { key: 'kanaal', title: 'Kanaal', rows: [{ label: 'Inwoner', count: 3 }, { label: 'KCC', count: 1 }] },
        { key: 'gebied', title: 'Gebied: dorp', rows: [{ label: '=cmd', count: 4 }] },
        { key: 'leeg', title: 'Leeg', rows: [] },
      ],
      triage: { triaged: 2, medianHours: 35, p90Hours: 65.5, withinNorm: 1 },
      overdueNow: 0,
      openCases: 0,
    };
    assert.equal(
      monitorCsv(m),
      '\uFEFF' +
        [
          '"onderdeel";"waarde";"aantal"',
          '"periode";"2026-03-01 t/m 2026-03-31";"4"',
          '"apart geteld";"acuut doorgezet naar 112";"2"',
          '"apart geteld";"samengevoegd";"1"',
          '"Kanaal";"Inwoner";"3"',
          '"Kanaal";"KCC";"1"',
          `"Gebied: dorp";"'=cmd";"4"`,
          '"triage";"getrieerd";"2"',
          '"triage";"binnen de norm";"1"',
          '"triage";"mediaan uren tot triage";"35"',
          '"triage";"90% binnen uren";"65,5"',
          '"nu";"te laat";"0"',
        ].join('\r\n') +
        '\r\n',
    );
    const none = monitorCsv({ ...m, triage: { triaged: 0, medianHours: null, p90Hours: null, withinNorm: 0 } });
    assert.match(none, /"triage";"mediaan uren tot triage";""\r\n"triage";"90% binnen uren";""\r\n/);
  });

  test('file name, audit object id and export query of a period', () => {
    const p = { from: '2026-01-01', to: '2026-06-30', areaBy: 'dorp' } as const;
    assert.equal(csvFileName(p), 'ave-monitor-2026-01-01-2026-06-30.csv');
    assert.equal(exportObjectId(p), '2026-01-01/2026-06-30');
    assert.equal(periodQuery(p), 'van=2026-01-01&tot=2026-06-30&gebied=dorp');
    assert.equal(periodQuery({ ...p, areaBy: 'wijk' }), 'van=2026-01-01&tot=2026-06-30&gebied=wijk');
  });
});

describe('Dutch formats of the monitor', () => {
  test('hours with a decimal comma, at most one decimal', () => {
    assert.equal(formatHours(35.3), '35,3 uur');
    assert.equal(formatHours(35), '35 uur');
    assert.equal(formatHours(0.25), '0,3 uur');
    assert.equal(formatHours(1234.5), '1.234,5 uur');
  });

  test('counts with a thousands point', () => {
    assert.equal(formatCount(968), '968');
    assert.equal(formatCount(12345), '12.345');
  });

  test('months and days in Dutch words', () => {
    assert.equal(monthLabel('2025-12'), 'december 2025');
    assert.equal(monthLabel('2026-03'), 'maart 2026');
    assert.equal(monthLabel('2026-13'), '2026-13');
    assert.equal(formatDay('2026-11-29'), '29 november 2026');
  });
});
