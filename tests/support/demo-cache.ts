// The demo database the query-plan tests read, generated once per version of the code and copied for
// each test file. Not a test file itself (no `.test.ts`).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CACHE = path.join(root, 'data', 'test', 'demo-cache');

/** What a generated file depends on: the code that writes it (src/, without tests) and the migrations. */
function codeKey(): string {
  const hash = createHash('sha256');
  for (const dir of ['src', path.join('db', 'migrations')]) {
    const files = readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.endsWith('.test.ts'))
      .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
      .sort();
    for (const file of files) hash.update(file).update('\0').update(readFileSync(path.join(root, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Puts a database of `count` reports made by the demo-data command (`npm run demo:data`, with its
 * casussen and MDOs) at `file`, with the data key it is sealed with beside it (`data-key`, where the
 * portal looks when DATA_KEY_FILE is not set). The first test file to ask generates it under
 * data/test/demo-cache/ (a minute or two for 100,000 reports); the others, and later runs of the same
 * code, copy it. The generated reports are dated relative to the day they were made: a copy older than
 * a day is made again.
 */
export function copyDemoDatabase(count: number, file: string): void {
  const dir = path.join(CACHE, `demo-${count}-${codeKey()}-${new Date().toISOString().slice(0, 10)}`);
  if (!existsSync(path.join(dir, 'demo.db'))) {
    mkdirSync(CACHE, { recursive: true });
    // Older versions go (a 100,000-report file is about 250 MB).
    for (const old of readdirSync(CACHE)) if (old.startsWith(`demo-${count}-`) && !old.includes('.building')) rmSync(path.join(CACHE, old), { recursive: true, force: true });
    const building = `${dir}.building-${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building, { recursive: true });
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: path.join(building, 'demo.db'), MAIL_DIR: path.join(building, 'mail') };
    delete env['DATA_KEY_FILE'];
    execFileSync(process.execPath, ['src/cli/demo-data.ts', '--count', String(count)], { cwd: root, env, stdio: 'pipe', timeout: 900_000 });
    // Fold the write-ahead log into the file: demo.db alone is then the whole database.
    execFileSync(process.execPath, ['-e', `const D=require('better-sqlite3');const d=new D(process.argv[1]);d.pragma('wal_checkpoint(TRUNCATE)');d.close();`, path.join(building, 'demo.db')], { cwd: root, stdio: 'pipe' });
    try {
      renameSync(building, dir);
    } catch {
      // Another test process made it at the same time: use theirs.
      rmSync(building, { recursive: true, force: true });
    }
  }
  copyFileSync(path.join(dir, 'demo.db'), file);
  copyFileSync(path.join(dir, 'data-key'), path.join(path.dirname(file), 'data-key'));
}
