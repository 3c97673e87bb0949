// A generated demo database for the benchmark, kept between runs. Generating is the slow part (the real
// `npm run demo:data` command: every report sealed field by field, one transaction, prepared statements;
// about 70 s per 100,000 reports on the 2-core machine, 1,000,000 in the order of 15 minutes), so
// the file is made once under data/bench/cache/ (outside git: data/ is ignored) and copied for every run,
// which then may change it (retention). It is made again when the demo-data command changes or when it is
// more than 30 days old (the reports are dated relative to the day they were made). A new migration is
// applied to the cached file itself before it is copied, so the measured start of the portal never migrates.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface DemoDatabase {
  /** How long generating took when it was made (seconds), and when. */
  generateSeconds: number;
  generatedAt: string;
  /** Whether this run generated it (false: copied from the cache). */
  fresh: boolean;
  /** Seconds to migrate the cached file (0 when it was current) and to copy it into place for this run. */
  migrateSeconds: number;
  copySeconds: number;
}

const CACHE = path.join('data', 'bench', 'cache');
const MAX_AGE_MS = 30 * 86_400_000;

/** What the cached file depends on: the demo-data command. */
function cacheKey(reports: number): string {
  const hash = createHash('sha256');
  for (const file of ['src/cli/demo-data.ts', 'src/cli/demo-casus.ts']) hash.update(readFileSync(file));
  return `demo-${reports}-${hash.digest('hex').slice(0, 12)}`;
}

/**
 * Puts a database of `reports` generated reports (and the data key it is sealed with) at `databasePath`,
 * from the cache when it is there; generates it into the cache first when not. `log` reports progress.
 */
export function demoDatabase(reports: number, databasePath: string, env: NodeJS.ProcessEnv, log: (line: string) => void): DemoDatabase {
  const key = cacheKey(reports);
  const dir = path.join(CACHE, key);
  const meta = path.join(dir, 'meta.json');
  let fresh = false;
  let info = existsSync(meta) ? (JSON.parse(readFileSync(meta, 'utf8')) as { generateSeconds: number; generatedAt: string }) : undefined;
  if (info && Date.now() - Date.parse(info.generatedAt) > MAX_AGE_MS) info = undefined;
  if (!info) {
    // Older versions of the same size go: at 1,000,000 reports a file is about 2.5 GB.
    mkdirSync(CACHE, { recursive: true });
    for (const old of readdirSync(CACHE)) if (old.startsWith(`demo-${reports}-`)) rmSync(path.join(CACHE, old), { recursive: true, force: true });
    const building = `${dir}.building`;
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building, { recursive: true });
    log(`Generating ${reports.toLocaleString('en')} demo reports into ${dir} (once; later runs copy it) …`);
    const started = performance.now();
    const file = path.join(building, 'demo.db');
    const childEnv = { ...env, DATABASE_PATH: file, MAIL_DIR: path.join(building, 'mail') };
    execFileSync(process.execPath, ['src/cli/demo-data.ts', '--count', String(reports)], { env: childEnv, stdio: 'pipe', timeout: Math.max(170_000, reports * 3) });
    const generateSeconds = (performance.now() - started) / 1000;
    info = { generateSeconds: Number(generateSeconds.toFixed(1)), generatedAt: new Date().toISOString() };
    writeFileSync(path.join(building, 'meta.json'), `${JSON.stringify(info)}\n`);
    renameSync(building, dir);
    fresh = true;
  }
  // Migrated to this code's schema, the write-ahead log folded in: a copy of demo.db alone is complete.
  const migrating = performance.now();
  const file = path.join(dir, 'demo.db');
  execFileSync(process.execPath, ['tests/bench/migrate-file.ts', file], { env: { ...env, DATABASE_PATH: file, MAIL_DIR: path.join(dir, 'mail') }, stdio: 'pipe', timeout: 600_000 });
  const migrateSeconds = (performance.now() - migrating) / 1000;
  const started = performance.now();
  mkdirSync(path.dirname(databasePath), { recursive: true });
  copyFileSync(path.join(dir, 'demo.db'), databasePath);
  copyFileSync(path.join(dir, 'data-key'), path.join(path.dirname(databasePath), 'data-key'));
  return { ...info, fresh, migrateSeconds, copySeconds: (performance.now() - started) / 1000 };
}
