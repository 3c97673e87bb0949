import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { before, describe, test } from 'node:test';
import { useTempDatabase } from '#tests/support/unit-db.ts';

/**
 * The queue must stay fast with years of reports: every variant of its SQL runs on an index, and the
 * default ordering comes from the index (no temporary B-tree to sort). Checked with EXPLAIN QUERY
 * PLAN on a database filled by the demo-data command, after ANALYZE (the plans a real database gets).
 */

const file = useTempDatabase('triage-plan');
const root = fileURLToPath(new URL('../../..', import.meta.url));
const COUNT = 3000;
const { COUNT_CAP, queueSql, queuePage } = await import('./triage.queries.server.ts');
const { db } = await import('#platform/db.ts');
const { findReportByReference } = await import('#features/reports/reports.repo.server.ts');
type QueueFilter = import('./triage.queries.server.ts').QueueFilter;

const TODAY = '2026-11-22';

function plan(sql: string, params: (string | number)[]): string[] {
  return (db().prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail);
}

/** Plan lines that read the whole reports table row by row (a SCAN without an index). */
function fullScans(lines: string[]): string[] {
  return lines.filter((l) => /^SCAN (reports|r)\b/.test(l) && !/USING (COVERING )?INDEX/.test(l));
}

const sorts = (lines: string[]): string[] => lines.filter((l) => /TEMP B-TREE/.test(l));

before(() => {
  // The real command, on this test's own database file.
  execFileSync(process.execPath, ['src/cli/demo-data.ts', '--count', String(COUNT)], {
    cwd: root,
    env: { ...process.env, DATABASE_PATH: file },
    stdio: 'pipe',
  });
  const d = db();
  // Assignments, as coordinators make them (demo data assigns none).
  d.exec(`INSERT INTO users (email, name, role, password_hash, totp_secret, created_at, updated_at)
          VALUES ('a@test.example', 'A', 'coordinator', 'x', 'x', '2026-01-01', '2026-01-01'),
                 ('b@test.example', 'B', 'coordinator', 'x', 'x', '2026-01-01', '2026-01-01')`);
  d.exec('UPDATE reports SET assigned_to = 1 + (id % 2) WHERE id % 5 = 0');
  // Acute records (KCC/BOA, never open work) and merged ones, as the channels make them.
  d.exec("UPDATE reports SET status = 'acuut_doorgezet', acute_danger = 1 WHERE id % 97 = 0");
  d.exec("UPDATE reports SET status = 'samengevoegd' WHERE id % 89 = 0 AND status <> 'acuut_doorgezet'");
  d.exec("UPDATE reports SET outcome = 'bespreken_in_mdo' WHERE id % 7 = 0 AND status IN ('afgesloten', 'uitgezet')");
  d.exec('ANALYZE');
});

/** The filters of the queue, one at a time, and the combinations the brief names. */
const FILTERS: [string, QueueFilter][] = [
  ['default: the open work (no filter)', {}],
  ['status nieuw (open, by deadline)', { status: 'nieuw' }],
  ['status in_behandeling (open, by deadline)', { status: 'in_behandeling' }],
  ['status (closed)', { status: 'afgesloten' }],
  ['all statuses', { status: 'alle' }],
  ['channel', { channel: 'kcc' }],
  ['urgency', { urgency: 'hoog' }],
  ['AVE phase', { avePhase: 'ave3' }],
  ['concern', { concern: 'zelfdoding' }],
  ['concern, all statuses', { status: 'alle', concern: 'zelfdoding' }],
  ['outcome, all statuses', { status: 'alle', outcome: 'bespreken_in_mdo' }],
  ['area', { area: 'leek' }],
  ['overdue', { overdue: true }],
  ['assigned to me', { assignedTo: 1 }],
  ['assigned to a colleague, all statuses', { status: 'alle', assignedTo: 2 }],
  ['status + channel', { status: 'nieuw', channel: 'kcc' }],
  ['closed status + AVE phase', { status: 'afgesloten', avePhase: 'ave3' }],
];

const OPEN = new Set(['nieuw', 'in_behandeling', 'wacht_op_info']);

describe('queue SQL: EXPLAIN QUERY PLAN on a few thousand reports', () => {
  test('the database holds the generated reports, with every channel and status the filters look for', () => {
    const n = (sql: string) => (db().prepare(sql).get() as { n: number }).n;
    assert.ok(n('SELECT count(*) AS n FROM reports') >= COUNT);
    assert.ok(n("SELECT count(*) AS n FROM reports WHERE status = 'nieuw' AND channel = 'kcc'") > 0);
    assert.ok(n("SELECT count(*) AS n FROM reports WHERE ave_phase = 'ave3'") > 0);
    assert.ok(n("SELECT count(*) AS n FROM report_concerns WHERE concern = 'zelfdoding'") > 0);
    assert.ok(n("SELECT count(*) AS n FROM reports WHERE status NOT IN ('nieuw', 'in_behandeling', 'wacht_op_info')") > 0, 'closed reports');
    assert.ok(n("SELECT count(*) AS n FROM reports WHERE status = 'acuut_doorgezet'") > 0, 'acute records');
    assert.ok(n('SELECT count(*) AS n FROM sqlite_stat1') > 0, 'ANALYZE wrote statistics');
  });

  for (const [name, filter] of FILTERS) {
    test(`${name}: no full scan of reports, no sort for the default ordering`, () => {
      const parts = queueSql(filter, TODAY);
      assert.ok(parts.length > 0);
      for (const sql of parts) {
        const list = plan(sql.list, [...sql.params, 50, 0]);
        const count = plan(sql.count, [...sql.params, COUNT_CAP + 1]);
        assert.deepEqual(fullScans(list), [], `page query:\n${list.join('\n')}`);
        assert.deepEqual(fullScans(count), [], `count query:\n${count.join('\n')}`);
        assert.deepEqual(sorts(list), [], `page query sorts:\n${list.join('\n')}`);
        // The query really is what the queue runs: the open work by deadline, anything else most urgent, newest first.
        const open = filter.status === undefined || OPEN.has(filter.status);
        assert.match(sql.list, open ? /ORDER BY due_on, urgency_rank, created_at LIMIT \? OFFSET \?$/ : /ORDER BY urgency_rank, created_at DESC LIMIT \? OFFSET \?$/);
      }
    });
  }

  test('the check itself sees a full scan and a sort when there is one', () => {
    const lines = plan('SELECT * FROM reports WHERE description LIKE ? ORDER BY person_name', ['%x%']);
    assert.equal(fullScans(lines).length, 1, lines.join('\n'));
    assert.equal(sorts(lines).length, 1, lines.join('\n'));
  });

  test('the default queue is the open work: overdue first, then by deadline, then most urgent; no closed, merged or acute record', () => {
    const all = queuePage({}, TODAY, 100_000, 0);
    const open = (db().prepare("SELECT count(*) AS n FROM reports WHERE status IN ('nieuw', 'in_behandeling', 'wacht_op_info')").get() as { n: number }).n;
    assert.ok(open > 0);
    assert.equal(all.rows.length, open);
    assert.equal(all.total, open);
    const overdue = (r: { status: string; dueOn: string }) => r.status === 'nieuw' && r.dueOn < TODAY;
    assert.ok(all.rows.some(overdue) && all.rows.some((r) => !overdue(r)), 'both parts present');
    const rank = { direct: 0, hoog: 1, normaal: 2, laag: 3 } as Record<string, number>;
    for (let i = 0; i < all.rows.length; i++) {
      const b = all.rows[i]!;
      assert.ok(OPEN.has(b.status), `${b.reference} ${b.status} is no open work`);
      if (i === 0) continue;
      const a = all.rows[i - 1]!;
      assert.ok(!(overdue(b) && !overdue(a)), `row ${i}: overdue after a report that is not`);
      if (overdue(a) === overdue(b)) {
        assert.ok(a.dueOn < b.dueOn || (a.dueOn === b.dueOn && rank[a.urgency]! <= rank[b.urgency]!), `row ${i} out of order`);
      }
    }
    // Paging across the two parts gives the same rows in the same order.
    const pages = [0, 1, 2, 3].flatMap((p) => queuePage({}, TODAY, Math.ceil(open / 4), p * Math.ceil(open / 4)).rows);
    assert.deepEqual(pages.map((r) => r.reference), all.rows.map((r) => r.reference));
  });

  test('a page of all statuses and of status + channel returns rows in urgency order', () => {
    for (const filter of [{ status: 'alle' as const }, { status: 'afgesloten' as const, channel: 'kcc' as const }]) {
      const [sql] = queueSql(filter, TODAY);
      const rows = db().prepare(sql!.list).all([...sql!.params, 50, 0]) as { urgency: string; createdAt: string; status: string; channel: string }[];
      assert.ok(rows.length > 0);
      const rank = { direct: 0, hoog: 1, normaal: 2, laag: 3 } as Record<string, number>;
      for (let i = 1; i < rows.length; i++) {
        const a = rows[i - 1]!;
        const b = rows[i]!;
        assert.ok(rank[a.urgency]! < rank[b.urgency]! || (a.urgency === b.urgency && a.createdAt >= b.createdAt), `row ${i} out of order`);
      }
      if (filter.status === 'afgesloten') for (const r of rows) assert.deepEqual([r.status, r.channel], ['afgesloten', 'kcc']);
    }
  });

  test('the count of each filter (and of concern with others) is the number of matching reports', () => {
    const exact = (sql: string, ...params: (string | number)[]) => (db().prepare(sql).get(...params) as { n: number }).n;
    const OPEN_SQL = "status IN ('nieuw', 'in_behandeling', 'wacht_op_info')";
    const cases: [QueueFilter, number][] = [
      [{}, exact(`SELECT count(*) AS n FROM reports WHERE ${OPEN_SQL}`)],
      [{ status: 'alle' }, exact('SELECT count(*) AS n FROM reports')],
      [{ status: 'alle', concern: 'zelfdoding' }, exact("SELECT count(*) AS n FROM report_concerns WHERE concern = 'zelfdoding'")],
      [{ concern: 'zelfdoding', status: 'nieuw' }, exact("SELECT count(*) AS n FROM reports r JOIN report_concerns c ON c.report_id = r.id AND c.concern = 'zelfdoding' WHERE r.status = 'nieuw'")],
      [{ concern: 'dementie', channel: 'boa', avePhase: 'ave2', status: 'alle' }, exact("SELECT count(*) AS n FROM reports r JOIN report_concerns c ON c.report_id = r.id AND c.concern = 'dementie' WHERE r.channel = 'boa' AND r.ave_phase = 'ave2'")],
      [{ concern: 'eenzaamheid', assignedTo: 1 }, exact(`SELECT count(*) AS n FROM reports r JOIN report_concerns c ON c.report_id = r.id AND c.concern = 'eenzaamheid' WHERE r.assigned_to = 1 AND r.${OPEN_SQL}`)],
      [{ status: 'nieuw', channel: 'kcc' }, exact("SELECT count(*) AS n FROM reports WHERE status = 'nieuw' AND channel = 'kcc'")],
      [{ status: 'in_behandeling' }, exact("SELECT count(*) AS n FROM reports WHERE status = 'in_behandeling'")],
      [{ status: 'alle', outcome: 'bespreken_in_mdo' }, exact("SELECT count(*) AS n FROM reports WHERE outcome = 'bespreken_in_mdo'")],
      [{ area: 'Leek' }, exact(`SELECT count(*) AS n FROM reports WHERE woonplaats = 'Leek' AND ${OPEN_SQL}`)],
      [{ area: 'onbekend' }, exact(`SELECT count(*) AS n FROM reports WHERE woonplaats IS NULL AND ${OPEN_SQL}`)],
      [{ overdue: true }, exact("SELECT count(*) AS n FROM reports WHERE status = 'nieuw' AND due_on < ?", TODAY)],
    ];
    for (const [filter, expected] of cases) {
      assert.ok(expected > 0 || Object.keys(filter).length > 1, JSON.stringify(filter));
      const page = queuePage(filter, TODAY, 10_000, 0);
      assert.equal(page.total, Math.min(expected, 5001), JSON.stringify(filter));
      assert.equal(page.rows.length, expected, `list ${JSON.stringify(filter)}`);
    }
  });

  test('search: by reference (with or without MB-), postcode and street (with or without number), name; none reads the whole table', () => {
    // Street, number and name are sealed (spec §8): read them back through the repository.
    const reference = db().prepare("SELECT reference FROM reports WHERE street IS NOT NULL AND person_name IS NOT NULL AND status = 'afgesloten' LIMIT 1").pluck().get() as string;
    const stored = findReportByReference(reference)!;
    const r = { reference, postcode: stored.postcode!, houseNumber: stored.houseNumber!, street: stored.street!, personName: stored.personName! };
    const code = r.reference.slice(3);
    const pc = `${r.postcode.slice(0, 4)} ${r.postcode.slice(4).toLowerCase()}`;
    const searches = [
      r.reference, r.reference.toLowerCase(), `MB${code}`, `${r.reference.slice(0, 7)} ${r.reference.slice(7)}`, code, `${code.slice(0, 4).toLowerCase()} ${code.slice(4)}`,
      pc, `${pc} ${r.houseNumber}`, r.postcode + r.houseNumber, r.postcode.slice(0, 4),
      // Street and name: the whole of it, in any case, with or without accents (an exact match of the blind index).
      r.street, r.street.toUpperCase(), `${r.street} ${r.houseNumber}`, `${r.street.toLowerCase()}, ${r.houseNumber}`,
      r.personName, r.personName.toUpperCase(),
    ];
    for (const search of searches) {
      // Without a chosen status, a search looks in every status: this report is closed.
      for (const sql of queueSql({ search }, TODAY)) {
        const list = plan(sql.list, [...sql.params, 50, 0]);
        assert.deepEqual(fullScans(list), [], `${search}:\n${list.join('\n')}`);
        assert.deepEqual(fullScans(plan(sql.count, [...sql.params, COUNT_CAP + 1])), [], search);
      }
      const found = queuePage({ search }, TODAY, 10_000, 0).rows;
      assert.ok(found.some((f) => f.reference === r.reference), `search ${search} finds ${r.reference}`);
      // A postcode finds that postcode area only.
      const postcodeOf = db().prepare('SELECT postcode FROM reports WHERE reference = ?').pluck();
      if (/^\d{4}/.test(search)) for (const f of found) assert.equal(String(postcodeOf.get(f.reference)).slice(0, 4), r.postcode.slice(0, 4), search);
    }
    // A house number narrows: another number in the same street is not found.
    const other = queuePage({ search: `${r.street} 99999` }, TODAY, 10, 0);
    assert.equal(other.total, 0);
    // Only whole values: the start of a street or name finds nothing (a blind index leaks equality, no more).
    assert.equal(queuePage({ search: r.street.slice(0, 5) }, TODAY, 10, 0).rows.some((f) => f.reference === r.reference), false);
  });
});
