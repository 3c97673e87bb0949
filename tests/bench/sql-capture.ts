// Loaded with `node --import` by tests/bench/index-usage.ts: writes every distinct SQL statement that
// mentions `reports` and that this process prepares to SQL_CAPTURE_DIR/<pid>.log (one JSON string a line).
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const dir = process.env['SQL_CAPTURE_DIR'];
if (dir) {
  const Database = createRequire(path.resolve('package.json'))('better-sqlite3') as { prototype: { prepare(sql: string): unknown } };
  const prepare = Database.prototype.prepare;
  const seen = new Set<string>();
  Database.prototype.prepare = function (this: unknown, sql: string) {
    if (/\breports\b/i.test(sql) && !seen.has(sql)) {
      seen.add(sql);
      appendFileSync(path.join(dir, `${process.pid}.log`), `${JSON.stringify(sql)}\n`);
    }
    return prepare.call(this, sql);
  };
}
