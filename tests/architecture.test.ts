/**
 * The map of the code, as a test (../shared/guides/architecture.md, rules 1, 2, 7 and 8). It reads the imports
 * and SQL of every source file under src/ and fails on a forbidden edge:
 * - a page, endpoint, layout, UI part or component (`src/pages/`, `src/ui/`, every `.astro`) importing a
 *   repository, a read model, the database, the clock or the audit log, or opening a transaction;
 * - a page importing a feature's service directly instead of its handler;
 * - an island or a schema importing server code (`*.server.ts`, `src/platform/`, `node:`, native modules);
 * - `src/lib/` (pure, shared) importing a feature, the platform or `node:` I/O;
 * - an import that climbs folders (`../`) instead of using `#features/…`, `#platform/…`, `#ui/…`, `#lib/…`;
 * - SQL that writes a table (INSERT, UPDATE, DELETE, REPLACE) outside the table's owner repository.
 * Unit tests beside the code (`*.test.ts`) are exempt: they may set up rows directly.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '..');
const SRC = path.join(ROOT, 'src');

/** The one module allowed to write each table. A table without an owner fails the test below. */
export const TABLE_OWNERS: Record<string, string> = {
  reports: 'src/features/reports/reports.repo.server.ts',
  report_concerns: 'src/features/reports/reports.repo.server.ts',
  report_keys: 'src/features/reports/reports.repo.server.ts',
  report_keys_gone: 'src/features/reports/reports.repo.server.ts',
  report_notes: 'src/features/triage/triage.repo.server.ts',
  report_events: 'src/features/triage/triage.repo.server.ts',
  report_links: 'src/features/triage/triage.repo.server.ts',
  drafts: 'src/features/intake/drafts.repo.server.ts',
  report_photos: 'src/features/photos/photos.repo.server.ts',
  outbox: 'src/features/mail/outbox.repo.server.ts',
  users: 'src/features/auth/users.repo.server.ts',
  sessions: 'src/features/auth/sessions.repo.server.ts',
  account_links: 'src/features/auth/links.repo.server.ts',
  oidc_logins: 'src/features/auth/oidc-logins.repo.server.ts',
  audit_log: 'src/features/audit/audit.repo.server.ts',
  deletion_log: 'src/features/retention/retention.repo.server.ts',
  encryption_state: 'src/features/encryption/encryption.repo.server.ts',
  case_deletion_log: 'src/features/retention/retention.repo.server.ts',
  cases: 'src/features/casus/casus.repo.server.ts',
  case_reports: 'src/features/casus/casus.repo.server.ts',
  case_events: 'src/features/casus/casus.repo.server.ts',
  case_actions: 'src/features/casus/casus.repo.server.ts',
  report_additions: 'src/features/additions/additions.repo.server.ts',
  meetings: 'src/features/mdo/mdo.repo.server.ts',
  meeting_items: 'src/features/mdo/mdo.repo.server.ts',
  // Kept current by triggers (migration 0020); written from code only for a bulk deletion.
  monitor_daily: 'src/features/monitor/monitor.repo.server.ts',
  monitor_triage: 'src/features/monitor/monitor.repo.server.ts',
  monitor_triage_monthly: 'src/features/monitor/monitor.repo.server.ts',
  monitor_bulk_delete: 'src/features/monitor/monitor.repo.server.ts',
};

export interface Import {
  specifier: string;
  /** The file it points at, relative to the repository root (for project files), else the specifier. */
  target: string;
  typeOnly: boolean;
}

const ALIASES: Record<string, string> = {
  '#features/': 'src/features/',
  '#platform/': 'src/platform/',
  '#ui/': 'src/ui/',
  '#lib/': 'src/lib/',
  '#islands/': 'src/islands/',
  '#cli/': 'src/cli/',
  '#tests/': 'tests/',
};

/** Comments out, strings kept: `//` only counts after white space or at the start of a line (not in URLs). */
function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
}

/** Every static, dynamic and re-export import of a file. */
export function importsOf(file: string, code: string): Import[] {
  const found: Import[] = [];
  const text = stripComments(code);
  const patterns = [
    /\bimport\s+(type\s+)?[^'"();]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bexport\s+(type\s+)?[^'"();]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*()['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*()['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) {
      const specifier = m[2]!;
      found.push({ specifier, target: resolveSpecifier(file, specifier), typeOnly: Boolean(m[1]) });
    }
  }
  return found;
}

function resolveSpecifier(file: string, specifier: string): string {
  for (const [alias, folder] of Object.entries(ALIASES)) {
    if (specifier.startsWith(alias)) return folder + specifier.slice(alias.length);
  }
  if (specifier.startsWith('.')) return path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
  return specifier;
}

const isRepository = (t: string) => /\.repo\.server\.ts$/.test(t);
const isReadModel = (t: string) => /\.queries\.server\.ts$/.test(t);
const isServerCode = (t: string) =>
  /\.server\.ts$/.test(t) || t.startsWith('src/platform/') || t.startsWith('node:') || ['better-sqlite3', 'nodemailer'].includes(t);
const FORBIDDEN_FOR_VIEWS: [string, (t: string) => boolean][] = [
  ['a repository', isRepository],
  ['a read model', isReadModel],
  ['the database', (t) => t === 'src/platform/db.ts' || t === 'better-sqlite3'],
  ['the clock', (t) => t === 'src/platform/clock.ts'],
  ['the audit log', (t) => t.startsWith('src/features/audit/')],
];

/** Tables named in CREATE TABLE statements of the migrations. */
export function tablesOf(migrationsDir: string): string[] {
  const names = new Set<string>();
  for (const f of readdirSync(migrationsDir).filter((n) => n.endsWith('.sql'))) {
    for (const m of readFileSync(path.join(migrationsDir, f), 'utf8').matchAll(/CREATE TABLE\s+(?:IF NOT EXISTS\s+)?(\w+)/gi)) {
      if (!/^new_|_new$/.test(m[1]!)) names.add(m[1]!);
    }
  }
  return [...names].sort();
}

/** Tables a file writes to with SQL in its code (not in comments). */
export function tablesWritten(code: string): string[] {
  const text = stripComments(code);
  const written = new Set<string>();
  for (const m of text.matchAll(/\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+("?)([A-Za-z_][\w]*|\$\{)/g)) {
    written.add(m[2] === '${' ? '(a table named at run time)' : m[2]!);
  }
  return [...written];
}

/** Every rule this file breaks, in words. */
export function violations(file: string, code: string, tables: readonly string[] = Object.keys(TABLE_OWNERS)): string[] {
  const problems: string[] = [];
  if (/\.test\.ts$/.test(file)) return problems;
  const imports = importsOf(file, code);
  const isPage = file.startsWith('src/pages/');
  const isView = isPage || file.startsWith('src/ui/') || file.endsWith('.astro');
  const isClientSafe = file.startsWith('src/islands/') || /\.schema\.ts$/.test(file);

  for (const imp of imports) {
    if (imp.specifier.startsWith('../')) problems.push(`${file} imports ${imp.specifier}: use a #features/, #platform/, #ui/ or #lib/ import`);
    if (isView) {
      for (const [what, match] of FORBIDDEN_FOR_VIEWS) {
        if (match(imp.target)) problems.push(`${file} imports ${what} (${imp.specifier}): pages and components call a handler`);
      }
    }
    const isService = /^src\/features\/.*\.server\.ts$/.test(imp.target) && !/\.(handler|repo|queries)\.server\.ts$/.test(imp.target);
    if (isPage && !imp.typeOnly && isService && !imp.target.startsWith('src/features/audit/')) {
      problems.push(`${file} imports the service ${imp.specifier}: a page calls its feature's handler`);
    }
    if (isClientSafe && !imp.typeOnly && isServerCode(imp.target)) {
      problems.push(`${file} imports server code (${imp.specifier}): islands and schemas must run in a browser`);
    }
    if (file.startsWith('src/lib/') && !imp.typeOnly && (/^src\/(features|platform)\//.test(imp.target) || imp.target.startsWith('node:fs'))) {
      problems.push(`${file} imports ${imp.specifier}: src/lib is pure and depends on nothing of the portal`);
    }
  }
  if (isView && /\.transaction\s*\(/.test(stripComments(code))) problems.push(`${file} opens a transaction: that is a service's work`);

  for (const table of tablesWritten(code)) {
    const owner = TABLE_OWNERS[table];
    if (!tables.includes(table) && owner === undefined && table !== '(a table named at run time)') continue; // not one of ours (e.g. a word in a string)
    if (owner !== file) problems.push(`${file} writes ${table}: only ${owner ?? 'its repository (none is named)'} may`);
  }
  return problems;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|astro|mjs)$/.test(entry.name)) out.push(path.relative(ROOT, full).split(path.sep).join('/'));
  }
  return out.sort();
}

describe('the map of the code', () => {
  const tables = tablesOf(path.join(ROOT, 'db/migrations'));
  const files = sourceFiles(SRC);

  test('every table has one owner repository, and that file exists', () => {
    assert.ok(tables.length >= 11, `tables found: ${tables.join(', ')}`);
    for (const table of tables) assert.ok(TABLE_OWNERS[table], `table ${table} has no owner in TABLE_OWNERS`);
    for (const owner of new Set(Object.values(TABLE_OWNERS))) assert.ok(files.includes(owner), `owner ${owner} does not exist`);
  });

  test('no file under src/ breaks a layering rule', () => {
    const problems = files.flatMap((f) => violations(f, readFileSync(path.join(ROOT, f), 'utf8'), tables));
    assert.deepEqual(problems, []);
  });

  test('every page and component imports something (the import reader sees .astro frontmatter)', () => {
    const page = files.find((f) => f === 'src/pages/melden/[...step].astro')!;
    assert.ok(importsOf(page, readFileSync(path.join(ROOT, page), 'utf8')).some((i) => i.target.startsWith('src/features/')));
  });
});

describe('the rules fail when someone breaks them', () => {
  const page = 'src/pages/intern/voorbeeld.astro';
  test('a page that imports the database module', () => {
    const code = `---\nimport { db } from '#platform/db.ts';\nconst rows = db().prepare('SELECT 1').all();\n---\n<p>{rows.length}</p>`;
    assert.match(violations(page, code).join('\n'), /imports the database/);
  });
  test('a page that imports a repository, a read model, the clock or the audit log, also relatively', () => {
    const code = `---\nimport { insertReport } from '../../features/reports/reports.repo.server.ts';\nimport { queuePage } from '#features/triage/triage.queries.server.ts';\nimport { now } from '#platform/clock.ts';\nimport { audit } from '#features/audit/audit.repo.server.ts';\n---`;
    const found = violations('src/pages/melden/x.astro', code).join('\n');
    for (const what of ['a repository', 'a read model', 'the clock', 'the audit log', 'use a #features/']) assert.match(found, new RegExp(what));
  });
  test('a component that opens a transaction, and a page that calls a service instead of its handler', () => {
    assert.match(violations('src/ui/X.astro', `---\nconst t = d.transaction(() => 1);\n---`).join(), /opens a transaction/);
    assert.match(violations(page, `---\nimport { recordReport } from '#features/intake/intake.server.ts';\n---`).join(), /imports the service/);
  });
  test('a page may import its handler, a schema, rules, ui and types', () => {
    const code = `---\nimport Page from '#ui/Page.astro';\nimport { handleX } from '#features/triage/report.handler.server.ts';\nimport { STATUS } from '#features/reports/options.schema.ts';\nimport type { StaffSession } from '#features/auth/login.server.ts';\n---`;
    assert.deepEqual(violations(page, code), []);
  });
  test('an island or a schema that imports server code', () => {
    assert.match(violations('src/islands/X.tsx', `import { config } from '#platform/config.ts';`).join(), /server code/);
    assert.match(violations('src/features/x/x.schema.ts', `import { randomBytes } from 'node:crypto';`).join(), /server code/);
    assert.match(violations('src/features/x/x.schema.ts', `import { f } from '#features/x/x.server.ts';`).join(), /server code/);
  });
  test('SQL that writes a table outside its owner', () => {
    const code = "const s = db().prepare(`UPDATE reports SET status = ? WHERE id = ?`);\nconst t = `DELETE FROM report_notes WHERE id = 1`;";
    const found = violations('src/features/triage/triage.server.ts', code).join('\n');
    assert.match(found, /writes reports/);
    assert.match(found, /writes report_notes/);
    assert.deepEqual(violations('src/features/reports/reports.repo.server.ts', "prepare('UPDATE reports SET x = 1')"), []);
    assert.match(violations('src/cli/x.ts', "db.exec('INSERT OR IGNORE INTO users (id) VALUES (1)')").join(), /writes users/);
  });
  test('comments and prose do not count', () => {
    assert.deepEqual(violations('src/features/x/x.server.ts', '// UPDATE reports when the status changes\n/* DELETE FROM users */\nconst url = "http://example.org";'), []);
  });
});
