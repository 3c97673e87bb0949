import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { copyDemoDatabase } from '#tests/support/demo-cache.ts';
import { useTempDatabase } from '#tests/support/unit-db.ts';

/**
 * The casus list and a casus's timeline stay fast with years of reports: no full scan of reports,
 * case_reports, case_events, case_actions or the MDO tables. EXPLAIN QUERY PLAN on a database of
 * 100,000 reports filled by the demo-data command (with its casussen and MDOs) plus a casus for every
 * third report, every tenth of them on an MDO agenda, after ANALYZE (the plans a real database gets).
 * The demo database is generated once and shared with queue-plan-scale.test.ts (tests/support/demo-cache.ts);
 * PLAN_REPORTS sets another size.
 */

const file = useTempDatabase('casus-plan');
const { db } = await import('#platform/db.ts');
const { CASE_ACTIONS_SQL, CASE_EVENTS_SQL, CASE_NOTES_SQL, CASE_REPORTS_SQL, caseCountSql, caseListSql } = await import('./casus.queries.server.ts');
const { CASE_MEETINGS_SQL, MEETINGS_SQL } = await import('#features/mdo/mdo.queries.server.ts');
const COUNT = Number(process.env['PLAN_REPORTS'] ?? 100_000);

const plan = (sql: string, params: unknown): string[] => (db().prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params as never) as { detail: string }[]).map((r) => r.detail);
const fullScans = (lines: string[]): string[] => lines.filter((l) => /^SCAN (reports|r|m|cr|a|i|case_reports|case_events|case_actions|meeting_items|e)\b/.test(l) && !/USING (COVERING )?INDEX/.test(l));

before(() => {
  copyDemoDatabase(COUNT, file);
  const d = db();
  d.exec(`INSERT INTO users (email, name, role, password_hash, totp_secret, created_at, updated_at)
          VALUES ('plan@test.example', 'P', 'coordinator', 'x', 'x', '2026-01-01', '2026-01-01')`);
  const user = (d.prepare("SELECT id FROM users WHERE email = 'plan@test.example'").get() as { id: number }).id;
  const base = ((d.prepare('SELECT coalesce(max(id), 0) AS n FROM cases').get() as { n: number }).n);
  d.exec(`INSERT INTO cases (id, name, ave_phase, status, created_at, created_by, updated_at, closed_at)
          SELECT ${base} + id, 'x', 'ave2', CASE WHEN id % 4 = 0 THEN 'afgesloten' ELSE 'open' END, created_at, ${user}, created_at,
                 CASE WHEN id % 4 = 0 THEN created_at END
          FROM reports WHERE id % 3 = 0 AND id NOT IN (SELECT report_id FROM case_reports)`);
  d.exec(`INSERT OR IGNORE INTO case_reports (report_id, case_id, added_at, added_by) SELECT id, ${base} + id, created_at, ${user} FROM reports WHERE id % 3 = 0 AND ${base} + id IN (SELECT id FROM cases)`);
  d.exec(`INSERT INTO case_events (case_id, actor_id, at, kind, to_value) SELECT id, ${user}, created_at, 'aangemaakt', 'ave2' FROM cases`);
  // An MDO every other week of the last year, every tenth casus on one's agenda with an action.
  d.exec(`INSERT INTO meetings (held_on, kind, participants, created_at, created_by)
          WITH RECURSIVE n(value) AS (SELECT 0 UNION ALL SELECT value + 1 FROM n WHERE value < 26)
          SELECT date('2026-11-29', '-' || (value * 14) || ' days'), 'mdo', 'x', '2026-01-01', ${user} FROM n`);
  const meetings = (d.prepare('SELECT count(*) AS n FROM meetings').get() as { n: number }).n;
  d.exec(`INSERT OR IGNORE INTO meeting_items (meeting_id, case_id, question, added_at, added_by)
          SELECT 1 + (id % ${meetings}), id, 'x', created_at, ${user} FROM cases WHERE id % 10 = 0`);
  d.exec(`INSERT INTO case_actions (case_id, what, who, due_on, created_at, created_by, meeting_id)
          SELECT case_id, 'x', 'x', '2026-12-01', added_at, ${user}, meeting_id FROM meeting_items`);
  d.exec('ANALYZE');
  assert.ok((d.prepare('SELECT count(*) AS n FROM case_reports').get() as { n: number }).n >= COUNT * 0.3, 'casussen made');
  assert.ok((d.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n >= COUNT, 'reports made');
});

describe('casus plans', () => {
  const variants: [string, Parameters<typeof caseListSql>[0]][] = [
    ['the open casussen', {}],
    ['by AVE phase', { avePhase: 'ave3' }],
    ['with a procesregisseur', { regie: 'pr' }],
    ['in a village', { area: 'Leek' }],
    ['with overdue actions', { overdue: true }],
  ];
  for (const [what, filter] of variants) {
    test(`list: ${what} reads no table whole`, () => {
      // A later page and the count of every page read the same way.
      for (const { sql, params } of [caseListSql(filter, '2026-11-29'), caseListSql(filter, '2026-11-29', 3), caseCountSql(filter, '2026-11-29')]) {
        const lines = plan(sql, params);
        assert.deepEqual(fullScans(lines), [], lines.join('\n'));
        assert.ok(!lines.some((l) => /^SCAN c\b/.test(l) && !/INDEX/.test(l)), lines.join('\n'));
      }
    });
  }

  test('timeline: the reports and the trajectory of one casus come from their indexes', () => {
    for (const [sql, params] of [[CASE_REPORTS_SQL, { id: 3 }], [CASE_EVENTS_SQL, [3]], [CASE_NOTES_SQL, { id: 3 }], [CASE_ACTIONS_SQL, [3]], [CASE_MEETINGS_SQL, [3]]] as const) {
      const lines = plan(sql, params);
      assert.deepEqual(fullScans(lines), [], lines.join('\n'));
      assert.ok(lines.some((l) => /SEARCH (cr|e|n|a|i) USING/.test(l)), lines.join('\n'));
    }
  });

  test('the overleggen: a page comes in date order from its index', () => {
    const lines = plan(MEETINGS_SQL, [20, 0]);
    assert.deepEqual(fullScans(lines), [], lines.join('\n'));
    assert.ok(!lines.some((l) => /TEMP B-TREE/.test(l)), lines.join('\n'));
  });
});
