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
const { queueSql } = await import('./triage.queries.server.ts');
const { db } = await import('#platform/db.ts');
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
  d.exec('ANALYZE');
});

/** The filters of the queue, one at a time, and the combination the brief names. */
const FILTERS: [string, QueueFilter][] = [
  ['default (no filter)', {}],
  ['status', { status: 'nieuw' }],
  ['status (closed)', { status: 'afgesloten' }],
  ['channel', { channel: 'kcc' }],
  ['urgency', { urgency: 'hoog' }],
  ['AVE phase', { avePhase: 'ave3' }],
  ['concern', { concern: 'zelfdoding' }],
  ['overdue', { overdue: true }],
  ['assigned to me', { assignedTo: 1 }],
  ['status + channel', { status: 'nieuw', channel: 'kcc' }],
];

describe('queue SQL: EXPLAIN QUERY PLAN on a few thousand reports', () => {
  test('the database holds the generated reports, with every channel and status the filters look for', () => {
    const n = (sql: string) => (db().prepare(sql).get() as { n: number }).n;
    assert.ok(n('SELECT count(*) AS n FROM reports') >= COUNT);
    assert.ok(n("SELECT count(*) AS n FROM reports WHERE status = 'nieuw' AND channel = 'kcc'") > 0);
    assert.ok(n("SELECT count(*) AS n FROM reports WHERE ave_phase = 'ave3'") > 0);
    assert.ok(n("SELECT count(*) AS n FROM report_concerns WHERE concern = 'zelfdoding'") > 0);
    assert.ok(n('SELECT count(*) AS n FROM sqlite_stat1') > 0, 'ANALYZE wrote statistics');
  });

  for (const [name, filter] of FILTERS) {
    test(`${name}: no full scan of reports, no sort for the default ordering`, () => {
      const sql = queueSql(filter, TODAY);
      const list = plan(sql.list, [...sql.params, 50, 0]);
      const count = plan(sql.count, sql.params);
      assert.deepEqual(fullScans(list), [], `page query:\n${list.join('\n')}`);
      assert.deepEqual(fullScans(count), [], `count query:\n${count.join('\n')}`);
      assert.deepEqual(sorts(list), [], `page query sorts:\n${list.join('\n')}`);
      // The query really is what the queue runs: it orders most urgent, newest first.
      assert.match(sql.list, /ORDER BY urgency_rank, created_at DESC LIMIT \? OFFSET \?$/);
    });
  }

  test('the check itself sees a full scan and a sort when there is one', () => {
    const lines = plan('SELECT * FROM reports WHERE description LIKE ? ORDER BY person_name', ['%x%']);
    assert.equal(fullScans(lines).length, 1, lines.join('\n'));
    assert.equal(sorts(lines).length, 1, lines.join('\n'));
  });

  test('a page of the default queue and of status + channel returns rows in queue order', () => {
    for (const filter of [{}, { status: 'nieuw' as const, channel: 'kcc' as const }]) {
      const sql = queueSql(filter, TODAY);
      const rows = db().prepare(sql.list).all([...sql.params, 50, 0]) as { urgency: string; createdAt: string; status: string; channel: string }[];
      assert.ok(rows.length > 0);
      const rank = { direct: 0, hoog: 1, normaal: 2, laag: 3 } as Record<string, number>;
      for (let i = 1; i < rows.length; i++) {
        const a = rows[i - 1]!;
        const b = rows[i]!;
        assert.ok(rank[a.urgency]! < rank[b.urgency]! || (a.urgency === b.urgency && a.createdAt >= b.createdAt), `row ${i} out of order`);
      }
      if ('status' in filter) for (const r of rows) assert.deepEqual([r.status, r.channel], ['nieuw', 'kcc']);
    }
  });

  test('the count of each filter (and of concern with others) is the number of matching reports', () => {
    const exact = (sql: string, ...params: (string | number)[]) => (db().prepare(sql).get(...params) as { n: number }).n;
    const cases: [QueueFilter, number][] = [
      [{}, exact('SELECT count(*) AS n FROM reports')],
      [{ concern: 'zelfdoding' }, exact("SELECT count(*) AS n FROM report_concerns WHERE concern = 'zelfdoding'")],
      [{ concern: 'zelfdoding', status: 'nieuw' }, exact("SELECT count(*) AS n FROM reports r JOIN report_concerns c ON c.report_id = r.id AND c.concern = 'zelfdoding' WHERE r.status = 'nieuw'")],
      [{ concern: 'dementie', channel: 'boa', avePhase: 'ave2' }, exact("SELECT count(*) AS n FROM reports r JOIN report_concerns c ON c.report_id = r.id AND c.concern = 'dementie' WHERE r.channel = 'boa' AND r.ave_phase = 'ave2'")],
      [{ concern: 'eenzaamheid', assignedTo: 1 }, exact("SELECT count(*) AS n FROM reports r JOIN report_concerns c ON c.report_id = r.id AND c.concern = 'eenzaamheid' WHERE r.assigned_to = 1")],
      [{ status: 'nieuw', channel: 'kcc' }, exact("SELECT count(*) AS n FROM reports WHERE status = 'nieuw' AND channel = 'kcc'")],
      [{ overdue: true }, exact("SELECT count(*) AS n FROM reports WHERE status = 'nieuw' AND due_on < ?", TODAY)],
    ];
    for (const [filter, expected] of cases) {
      assert.ok(expected > 0 || Object.keys(filter).length > 1, JSON.stringify(filter));
      const sql = queueSql(filter, TODAY);
      const n = (db().prepare(sql.count).get(sql.params) as { n: number }).n;
      assert.equal(n, Math.min(expected, 5001), JSON.stringify(filter));
      const rows = db().prepare(sql.list).all([...sql.params, 10_000, 0]);
      assert.equal(rows.length, expected, `list ${JSON.stringify(filter)}`);
    }
  });

  test('search: by reference, postcode and street, none reads the whole table', () => {
    const reference = (db().prepare('SELECT reference FROM reports LIMIT 1').get() as { reference: string }).reference;
    for (const search of [reference, reference.toLowerCase(), `MB${reference.slice(3)}`, `${reference.slice(0, 7)} ${reference.slice(7)}`, '9351 ab', '9351', 'Kerk', 'kerkstr']) {
      const sql = queueSql({ search }, TODAY);
      const list = plan(sql.list, [...sql.params, 50, 0]);
      assert.deepEqual(fullScans(list), [], `${search}:\n${list.join('\n')}`);
      assert.deepEqual(fullScans(plan(sql.count, sql.params)), [], search);
      const rows = db().prepare(sql.list).all([...sql.params, 50, 0]);
      assert.ok(rows.length > 0, `search ${search} finds reports`);
    }
  });
});
