// `node tests/bench/index-usage.ts [--count 20000]`: which index of `reports` serves which query. Runs the
// unit tests while recording every statement on `reports` they prepare (tests/bench/sql-capture.ts; the
// tests' own EXPLAIN QUERY PLAN statements count as the query they explain), fills a database with
// demo reports (npm run demo:data) and runs ANALYZE, then asks SQLite for the plan of each statement (its
// parameters bound to NULL) and prints, per index, the statements that use it; an index no statement uses is
// a candidate to drop (it still costs a page write per report). Information only: exits 0.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';

const { values } = parseArgs({ options: { count: { type: 'string', default: '20000' } } });
const dir = mkdtempSync(path.join(os.tmpdir(), 'mb-index-usage-'));
try {
  const capture = path.join(dir, 'sql');
  spawnSync('mkdir', ['-p', capture]);
  console.log('Running the unit tests, recording the statements on reports …');
  const tests = spawnSync(process.execPath, ['--import', './tests/bench/sql-capture.ts', '--test', '--test-reporter=dot', 'src/**/*.test.ts'], {
    env: { ...process.env, SQL_CAPTURE_DIR: capture },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (tests.status !== 0) console.log(`(the unit tests exited with ${tests.status}; the statements recorded are used all the same)`);
  const statements = new Set<string>();
  for (const file of readdirSync(capture)) {
    for (const line of readFileSync(path.join(capture, file), 'utf8').split('\n')) {
      if (line) statements.add((JSON.parse(line) as string).replace(/^\s*EXPLAIN\s+QUERY\s+PLAN\s+/i, ''));
    }
  }
  console.log(`Filling a database with ${values.count} demo reports …`);
  const file = path.join(dir, 'plan.db');
  const demo = spawnSync(process.execPath, ['src/cli/demo-data.ts', '--count', values.count], {
    env: { ...process.env, DATABASE_PATH: file, MAIL_DIR: path.join(dir, 'mail'), DATA_KEY_FILE: path.join(dir, 'data-key'), NODE_ENV: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (demo.status !== 0) throw new Error(`demo:data failed (${demo.status})`);
  const db = new Database(file);
  db.function('meldpunt_rekeying', () => 0);
  db.exec('ANALYZE');
  const indexes = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'reports' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  const users = new Map<string, string[]>(indexes.map((i) => [i, []]));
  let unexplained = 0;
  for (const sql of statements) {
    try {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
      const named = [...new Set((sql.match(/[@:$][A-Za-z_]\w*/g) ?? []).map((n) => n.slice(1)))];
      const rows = (named.length ? plan.all(Object.fromEntries(named.map((n) => [n, null]))) : plan.all(...Array((sql.match(/\?/g) ?? []).length).fill(null))) as { detail: string }[];
      for (const index of indexes) if (rows.some((r) => new RegExp(`\\b${index}\\b`).test(r.detail))) users.get(index)!.push(sql.replace(/\s+/g, ' ').trim());
    } catch {
      unexplained++;
    }
  }
  db.close();
  console.log(`\n${statements.size} statements on reports (${unexplained} could not be explained), ${indexes.length} indexes:`);
  for (const [index, used] of users) {
    console.log(`${String(used.length).padStart(4)}  ${index}${used.length ? `  e.g. ${used[0]!.slice(0, 110)}` : '  (no statement uses it)'}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
