import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { useTempDatabase } from '#tests/support/unit-db.ts';

/**
 * The monitor's counts (monitor.queries.server.ts, from the rollup of migration 0020) against direct
 * COUNT(*) queries on a small seeded database, with reports on both sides of the period's
 * Amsterdam-midnight boundaries. Every kind of change to the reports: monitor.rollup.test.ts.
 */

useTempDatabase('monitor-queries');
const { monitorCounts, CASES_NOW_SQL } = await import('./monitor.queries.server.ts');
const { monitorOf, periodBounds } = await import('./monitor.rules.ts');
const { db } = await import('#platform/db.ts');
const { CHANNELS, STATUS, AVE_PHASE, CONCERNS } = await import('#features/reports/options.schema.ts');
const { OUTCOMES } = await import('#features/triage/triage.rules.ts');

// March 2026: Amsterdam midnight on 1 March is 23:00 UTC the day before; the clocks go forward on
// 29 March, so midnight after 31 March is 22:00 UTC.
const PERIOD = { from: '2026-03-01', to: '2026-03-31', areaBy: 'dorp' as const };
const START = '2026-02-28T23:00:00.000Z';
const END = '2026-03-31T22:00:00.000Z';
const TODAY = '2026-04-15';

const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const reference = (i: number) => `MB-${Array.from({ length: 8 }, (_, d) => ALPHABET[Math.floor(i / ALPHABET.length ** d) % ALPHABET.length]).join('')}`;

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;

let seeded = 0;
function insert(createdAt: string, i: number): void {
  const d = db();
  const status = pick(Object.keys(STATUS).filter((s) => s !== 'acuut_doorgezet'), i);
  const triaged = i % 4 !== 0;
  const created = Date.parse(createdAt);
  const { lastInsertRowid } = d
    .prepare(
      `INSERT INTO reports (reference, channel, status, created_at, updated_at, acute_danger, place, woonplaats, wijk_name, suggested_urgency, urgency, due_on,
                            ave_phase, outcome, case_director, process_director, treatment_director, triaged_at)
       VALUES (@reference, @channel, @status, @createdAt, @createdAt, 0, @place, @woonplaats, @wijkName, 'normaal', 'normaal', @dueOn,
               @avePhase, @outcome, @caseDirector, @processDirector, @treatmentDirector, @triagedAt)`,
    )
    .run({
      reference: reference(seeded++),
      channel: pick(Object.keys(CHANNELS), i),
      status,
      createdAt,
      // The free text `place` as typed (never an area), and the village and wijk of the address lookup.
      place: pick(['9801', 'leek', 'Zuidhorn '], i),
      woonplaats: i % 5 === 0 ? null : pick(['Leek', 'Zuidhorn', 'Marum'], i),
      wijkName: i % 5 === 0 ? null : pick(['Wijk 01 Leek', 'Wijk 02 Zuidhorn'], i),
      dueOn: new Date(created + 3 * 86_400_000).toISOString().slice(0, 10),
      avePhase: pick(Object.keys(AVE_PHASE), i * 7),
      outcome: ['afgesloten', 'uitgezet'].includes(status) ? pick(Object.keys(OUTCOMES), i) : null,
      caseDirector: i % 3 === 0 ? 'Sociaal team' : null,
      processDirector: i % 4 === 1 ? 'Zorg- en Veiligheidshuis' : null,
      treatmentDirector: i % 9 === 2 ? 'Lentis' : null,
      // From 20 minutes to about 5 days after receipt, so some are late.
      triagedAt: triaged ? new Date(created + (20 + ((i * 977) % 7000)) * 60_000).toISOString() : null,
    });
  for (const concern of [pick(Object.keys(CONCERNS), i), pick(Object.keys(CONCERNS), i * 3 + 1)]) {
    d.prepare('INSERT OR IGNORE INTO report_concerns (report_id, concern) VALUES (?, ?)').run(lastInsertRowid, concern);
  }
}

/** An acute record (KCC/BOA, passed on to 112) created at `createdAt`: never counted as a report. */
function insertAcute(createdAt: string): void {
  db()
    .prepare(
      `INSERT INTO reports (reference, channel, status, created_at, updated_at, acute_danger, place, suggested_urgency, urgency, due_on)
       VALUES (?, 'kcc', 'acuut_doorgezet', ?, ?, 1, 'Leek', 'direct', 'direct', '2026-03-10')`,
    )
    .run(reference(seeded++), createdAt, createdAt);
}

before(() => {
  db().transaction(() => {
    insertAcute('2026-03-10T10:00:00.000Z');
    insertAcute('2026-03-11T10:00:00.000Z');
    insertAcute('2026-04-11T10:00:00.000Z');
    // The edges: the last instant before the period, its first, its last and the first after it.
    insert('2026-02-28T22:59:59.999Z', 1);
    insert(START, 2);
    insert('2026-03-31T21:59:59.999Z', 3);
    insert(END, 4);
    // Forty-five more, from mid February to mid April, about one every 1.4 days.
    for (let i = 0; i < 45; i++) insert(new Date(Date.parse('2026-02-15T08:00:00.000Z') + i * 1.4 * 86_400_000 + i * 61_000).toISOString(), i + 10);
  })();
});

/** Reports count without merged ones (part of another) and acute records (counted apart). */
const IN_PERIOD = "created_at >= @start AND created_at < @end AND status NOT IN ('samengevoegd', 'acuut_doorgezet')";
const range = { start: START, end: END };
const count = (sql: string, params: object = range): number => (db().prepare(sql).get(params) as { n: number }).n;
/** Direct counts per value of a column, most frequent first, zeros left out, ties by value. */
function direct(column: string, values: readonly (string | null)[]): { k: string | null; n: number }[] {
  return values
    .map((k) => ({ k, n: count(`SELECT count(*) AS n FROM reports WHERE ${IN_PERIOD} AND ${column} IS @k`, { ...range, k }) }))
    .filter((r) => r.n > 0);
}
const byValue = <T extends { k: string | null; n: number }>(rows: T[]) => [...rows].sort((a, b) => b.n - a.n || String(a.k).localeCompare(String(b.k)));

describe('monitorCounts against direct COUNT(*) queries', () => {
  test('the period of March 2026 runs from 23:00 UTC on 28 February to 22:00 UTC on 31 March', () => {
    assert.deepEqual(periodBounds(PERIOD), range);
  });

  const c = () => monitorCounts(PERIOD, TODAY);

  test('total: the reports created in the period, both edges counted once', () => {
    const total = count(`SELECT count(*) AS n FROM reports WHERE ${IN_PERIOD}`);
    assert.equal(c().total, total);
    assert.ok(total > 20 && total < count('SELECT count(*) AS n FROM reports'));
    const edges = db().prepare(`SELECT created_at AS at FROM reports WHERE created_at IN ('2026-02-28T22:59:59.999Z', @start, '2026-03-31T21:59:59.999Z', @end) AND ${IN_PERIOD} ORDER BY 1`).all(range);
    assert.deepEqual(edges, [{ at: START }, { at: '2026-03-31T21:59:59.999Z' }]);
  });

  test('merged and acute records are no reports: counted apart', () => {
    const counts = c();
    const apart = (status: string) => count(`SELECT count(*) AS n FROM reports WHERE created_at >= @start AND created_at < @end AND status = '${status}'`);
    assert.equal(counts.acute, 2);
    assert.equal(counts.acute, apart('acuut_doorgezet'));
    assert.equal(counts.merged, apart('samengevoegd'));
    assert.ok(counts.merged > 0);
    assert.equal(counts.total + counts.acute + counts.merged, count('SELECT count(*) AS n FROM reports WHERE created_at >= @start AND created_at < @end'));
    assert.ok(!counts.statuses.some((s) => s.k === 'samengevoegd' || s.k === 'acuut_doorgezet'));
  });

  test('by channel, AVE phase, area (village or wijk from the lookup, never the typed place), status and outcome', () => {
    const counts = c();
    const byWijk = monitorCounts({ ...PERIOD, areaBy: 'wijk' }, TODAY).areas;
    assert.deepEqual(byValue(byWijk), byValue(direct('wijk_name', ['Wijk 01 Leek', 'Wijk 02 Zuidhorn', null])));
    assert.equal(byWijk.reduce((s, r) => s + r.n, 0), counts.total);
    assert.deepEqual(byValue(counts.channels), byValue(direct('channel', Object.keys(CHANNELS))));
    assert.deepEqual(byValue(counts.avePhases), byValue(direct('ave_phase', Object.keys(AVE_PHASE))));
    assert.deepEqual(byValue(counts.areas), byValue(direct('woonplaats', ['Leek', 'Zuidhorn', 'Marum', null])));
    assert.ok(!counts.areas.some((a) => a.k === '9801' || a.k === 'leek'));
    assert.deepEqual(byValue(counts.statuses), byValue(direct('status', Object.keys(STATUS))));
    assert.deepEqual(byValue(counts.outcomes), byValue(direct('outcome', [...Object.keys(OUTCOMES), null])));
    assert.ok(counts.areas.some((p) => p.k === null));
    assert.ok(counts.outcomes.some((o) => o.k === null) && counts.outcomes.some((o) => o.k !== null));
    for (const list of [counts.channels, counts.avePhases, counts.areas, counts.statuses, counts.outcomes]) {
      assert.equal(list.reduce((s, r) => s + r.n, 0), counts.total);
      assert.deepEqual(list.map((r) => r.n), [...list.map((r) => r.n)].sort((a, b) => b - a), 'most frequent first');
    }
  });

  test('by concern: one count per category of the reports in the period', () => {
    const expected = Object.keys(CONCERNS)
      .map((k) => ({ k, n: count(`SELECT count(*) AS n FROM report_concerns WHERE concern = @k AND report_id IN (SELECT id FROM reports WHERE ${IN_PERIOD})`, { ...range, k }) }))
      .filter((r) => r.n > 0);
    assert.deepEqual(byValue(c().concerns), byValue(expected));
  });

  test('regie: reports with a case, process and treatment director', () => {
    assert.deepEqual(c().regie, [
      { k: 'Casusregie (CR)', n: count(`SELECT count(*) AS n FROM reports WHERE ${IN_PERIOD} AND case_director IS NOT NULL`) },
      { k: 'Procesregie (PR)', n: count(`SELECT count(*) AS n FROM reports WHERE ${IN_PERIOD} AND process_director IS NOT NULL`) },
      { k: 'Behandelregie (BR)', n: count(`SELECT count(*) AS n FROM reports WHERE ${IN_PERIOD} AND treatment_director IS NOT NULL`) },
    ]);
  });

  test('by month of the Amsterdam day, in month order', () => {
    // The first report of the period came in at midnight in Amsterdam on 1 March: still February in UTC,
    // March in Amsterdam (the monitor counted it under February before the rollup).
    assert.deepEqual(c().months, [{ k: '2026-03', n: count(`SELECT count(*) AS n FROM reports WHERE ${IN_PERIOD}`) }]);
    const spanning = monitorCounts({ ...PERIOD, from: '2026-02-20', to: '2026-04-05' }, TODAY).months;
    assert.deepEqual(spanning.map((m) => m.k), ['2026-02', '2026-03', '2026-04']);
    assert.equal(spanning[1]?.n, c().total);
  });

  test('triage: how many, within the norm, and the hours from receipt to triage', () => {
    const counts = c();
    const triaged = count(`SELECT count(*) AS n FROM reports WHERE ${IN_PERIOD} AND triaged_at IS NOT NULL`);
    assert.equal(counts.triageTenths.reduce((s, b) => s + b.n, 0), triaged);
    assert.equal(counts.withinNorm, count(`SELECT count(*) AS n FROM reports WHERE ${IN_PERIOD} AND triaged_at IS NOT NULL AND substr(triaged_at, 1, 10) <= due_on`));
    assert.ok(counts.withinNorm > 0 && counts.withinNorm < triaged);
    // Nearest rank over the unrounded hours in JavaScript, then rounded to one decimal: what the monitor
    // showed before the rollup kept the hours in tenths.
    const hours = (db().prepare(`SELECT created_at AS c, triaged_at AS t FROM reports WHERE ${IN_PERIOD} AND triaged_at IS NOT NULL`).all(range) as { c: string; t: string }[])
      .map((r) => (Date.parse(r.t) - Date.parse(r.c)) / 3_600_000)
      .sort((a, b) => a - b);
    const nearestRank = (q: number) => Math.round(hours[Math.min(hours.length - 1, Math.floor(q * hours.length))]! * 10) / 10;
    const m = monitorOf(PERIOD, counts);
    assert.equal(m.triage.medianHours, nearestRank(0.5));
    assert.equal(m.triage.p90Hours, nearestRank(0.9));
    assert.equal(m.triage.triaged, triaged);
  });

  test('overdue now: new reports past their due date, whenever they came in', () => {
    const overdue = count("SELECT count(*) AS n FROM reports WHERE status = 'nieuw' AND due_on < @today", { today: TODAY });
    assert.equal(c().overdueNow, overdue);
    assert.ok(overdue > 0);
    assert.equal(monitorCounts(PERIOD, '2026-01-01').overdueNow, 0);
  });

  test('a period without reports counts nothing', () => {
    const empty = monitorCounts({ from: '2020-01-01', to: '2020-12-31', areaBy: 'dorp' }, TODAY);
    assert.deepEqual({ ...empty, overdueNow: 0 }, {
      total: 0,
      acute: 0,
      merged: 0,
      months: [],
      concerns: [],
      channels: [],
      avePhases: [],
      regie: [{ k: 'Casusregie (CR)', n: 0 }, { k: 'Procesregie (PR)', n: 0 }, { k: 'Behandelregie (BR)', n: 0 }],
      areas: [],
      statuses: [],
      outcomes: [],
      triageTenths: [],
      withinNorm: 0,
      overdueNow: 0,
      cases: {
        byPhase: [],
        regie: [{ k: 'Met casusregisseur', n: 0 }, { k: 'Met procesregisseur', n: 0 }, { k: 'Met behandelregie', n: 0 }],
        areas: [],
        steps: [],
      },
    });
  });

  test('the open casussen are counted from one index in grouping order: no sort, no casus row (migration 0023)', () => {
    const lines = (db().prepare(`EXPLAIN QUERY PLAN ${CASES_NOW_SQL}`).all({ end: END }) as { detail: string }[]).map((r) => r.detail);
    assert.deepEqual(lines, ['SCAN c USING COVERING INDEX cases_for_monitor']);
  });
});
