// The coordinator's triage on a big database: 100,000 generated reports (the demo-data command), a
// coordinator created with the user command and logged in over HTTP with a computed TOTP code, then
// one request at a time (so each latency is the server's time plus a loopback hop) against the
// queue, filtered queues and report pages, the casus list and casus pages (with their timeline), and the
// MDO pages. Target: p95 < 50 ms.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { timeStep, totpCode } from '#features/auth/totp.server.ts';
import { addUser } from '../support/users.ts';
import { keyringOfDatabase, openValue } from '../support/keys.ts';
import { startPortal, type RunningServer } from './servers.ts';

export const TRIAGE_BUDGET_P95_MS = 50;

export interface TriageTarget {
  label: string;
  /** Judged against the budget (the others are printed for information). */
  judged: boolean;
  method: 'GET' | 'POST';
  /** One path, or one per request (report pages rotate through many reports). */
  paths: string[];
  body?: string;
}

export interface TriageFigure {
  label: string;
  judged: boolean;
  requests: number;
  errors: number;
  /** Statuses other than 200, by status. */
  wrongAnswers: Record<string, number>;
  latencyMs: { p50: number; p95: number; max: number; mean: number };
}

export interface TriageResult {
  reports: number;
  generateSeconds: number;
  databaseMegabytes: number;
  loginMs: number;
  requestsPerTarget: number;
  /** The machine's 1-minute load average when measuring began and ended (other work shows here). */
  load: { before: number; after: number; cpus: number };
  figures: TriageFigure[];
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
}

/** One request on the kept-alive connection; the time runs until the last byte of the body. */
function send(origin: string, method: 'GET' | 'POST', pathname: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.request(`${origin}${pathname}`, { method, agent, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
      response.on('error', reject);
    });
    request.setTimeout(20_000, () => request.destroy(new Error(`timeout: ${method} ${pathname}`)));
    request.on('error', reject);
    request.end(body);
  });
}

function sessionCookie(answer: Answer): string | undefined {
  const set = answer.headers['set-cookie'] ?? [];
  const cookie = set.map((c) => c.split(';')[0]!).find((c) => c.startsWith('mb_sessie='));
  return cookie && cookie !== 'mb_sessie=' ? cookie : undefined;
}

/** Logs in through the login form (e-mail, password and code), as a browser does; returns the session cookie. */
async function login(origin: string, email: string, password: string, secret: string): Promise<string> {
  const form = { origin, 'content-type': 'application/x-www-form-urlencoded' };
  const code = totpCode(secret, timeStep(new Date()));
  const answer = await send(origin, 'POST', '/intern/inloggen', form, new URLSearchParams({ email, password, code }).toString());
  const session = sessionCookie(answer);
  if (answer.status !== 303 || answer.headers['location'] !== '/intern/triage' || !session) {
    throw new Error(`login: answered ${answer.status} to ${answer.headers['location'] ?? '-'}`);
  }
  return session;
}

interface Tally {
  latencies: number[];
  wrongAnswers: Record<string, number>;
  errors: number;
}

/**
 * Every target `warmup` + `amount` times, in rounds that take one request of each target in turn:
 * a burst of load from elsewhere on a shared machine then falls on all targets alike, not on
 * whichever happened to be measured at that moment.
 */
async function measureAll(origin: string, cookie: string, targets: TriageTarget[], warmup: number, amount: number): Promise<TriageFigure[]> {
  const tallies: Tally[] = targets.map(() => ({ latencies: [], wrongAnswers: {}, errors: 0 }));
  for (let i = 0; i < warmup + amount; i++) {
    for (const [t, target] of targets.entries()) {
      const tally = tallies[t]!;
      const pathname = target.paths[i % target.paths.length]!;
      const headers: Record<string, string> = { cookie, origin };
      if (target.method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded';
      try {
        const answer = await send(origin, target.method, pathname, headers, target.body);
        const good = answer.status === 200 && /<\/html>\s*$/.test(answer.body);
        if (i < warmup) {
          if (!good) throw new Error(`${target.label}: ${target.method} ${pathname} answered ${answer.status}`);
          continue;
        }
        tally.latencies.push(answer.ms);
        if (!good) {
          tally.errors++;
          tally.wrongAnswers[String(answer.status)] = (tally.wrongAnswers[String(answer.status)] ?? 0) + 1;
        }
      } catch (error) {
        if (i < warmup) throw error;
        tally.errors++;
      }
    }
  }
  return targets.map((target, t) => {
    const { latencies, wrongAnswers, errors } = tallies[t]!;
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      label: target.label,
      judged: target.judged,
      requests: amount,
      errors,
      wrongAnswers,
      latencyMs: {
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        max: sorted.at(-1) ?? Number.NaN,
        mean: sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1),
      },
    };
  });
}

/**
 * Fills `dir`/bench-triage.db with `reports` generated reports, starts the portal on it, logs a
 * coordinator in and measures. Prints progress as it goes; the caller prints the table.
 */
export async function benchTriage(dir: string, reports: number, amount: number, warmup: number, log: (line: string) => void): Promise<TriageResult> {
  const name = 'bench-triage';
  const databasePath = path.join(dir, `${name}.db`);
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: databasePath, MAIL_DIR: path.join(dir, `${name}-mail`) };
  delete env['NODE_ENV'];
  delete env['TEST_CLOCK_FILE'];

  // (1) The reports, by the real command.
  const generateStarted = performance.now();
  execFileSync(process.execPath, ['src/cli/demo-data.ts', '--count', String(reports)], { env, stdio: 'pipe', timeout: 600_000 });
  const generateSeconds = (performance.now() - generateStarted) / 1000;
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  let sample: { reference: string }[];
  let casussen: { id: number }[];
  let overleggen: { id: number }[];
  let street: string;
  try {
    const stored = (db.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n;
    if (stored < reports) throw new Error(`demo-data wrote ${stored} reports, expected at least ${reports}`);
    // Report pages to open: spread over the whole table (old and new, every status).
    sample = db.prepare('SELECT reference FROM reports WHERE id % ? = 0 ORDER BY id LIMIT 500').all(Math.max(1, Math.floor(stored / 500))) as { reference: string }[];
    // Casus pages (their timeline) and overleg pages, spread over the whole table.
    const caseCount = (db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n;
    casussen = db.prepare('SELECT id FROM cases WHERE id % ? = 0 ORDER BY id LIMIT 200').all(Math.max(1, Math.floor(caseCount / 200))) as { id: number }[];
    overleggen = db.prepare('SELECT id FROM meetings ORDER BY id').all() as { id: number }[];
    if (casussen.length === 0 || overleggen.length === 0) throw new Error('demo-data wrote no casussen or overleggen');
    // Sealed at rest: opened with the portal's key, as a coordinator would type it.
    const row = db.prepare('SELECT reference, street FROM reports WHERE street IS NOT NULL LIMIT 1').get() as { reference: string; street: string };
    street = openValue(keyringOfDatabase(databasePath), 'reports', 'street', row.reference, row.street) ?? '';
  } finally {
    db.close();
  }
  // The main file and its write-ahead log (checkpointed when a connection next opens it).
  const size = [databasePath, `${databasePath}-wal`].reduce((n, f) => n + (existsSync(f) ? statSync(f).size : 0), 0);
  log(`Generated ${reports.toLocaleString('en')} reports with npm run demo:data in ${generateSeconds.toFixed(1)} s (${(size / 1024 / 1024).toFixed(0)} MB).`);

  // (2) A coordinator, by the real command; the secret from the otpauth:// URI it prints.
  const { email, password, secret } = addUser(databasePath, 'coordinator', {
    email: 'bench-coordinator@bench.example',
    name: 'Bench Coördinator',
    password: 'een lang wachtwoord voor de benchmark',
    env,
  });

  // (3) The portal on that database; log in over HTTP.
  let server: RunningServer | undefined;
  try {
    server = await startPortal(name, dir, [`DATABASE_PATH=${databasePath}`]);
    const loginStarted = performance.now();
    const cookie = await login(server.origin, email, password, secret);
    const loginMs = performance.now() - loginStarted;

    const targets: TriageTarget[] = [
      { label: 'queue, first page', judged: true, method: 'GET', paths: ['/intern/triage'] },
      { label: 'queue ?status=nieuw&kanaal=kcc', judged: true, method: 'GET', paths: ['/intern/triage?status=nieuw&kanaal=kcc'] },
      { label: 'queue ?zorg=zelfdoding', judged: true, method: 'GET', paths: ['/intern/triage?zorg=zelfdoding'] },
      { label: 'report page (500 different)', judged: true, method: 'GET', paths: sample.map((r) => `/intern/triage/${r.reference}`) },
      { label: 'casus list (open casussen)', judged: true, method: 'GET', paths: ['/intern/casussen'] },
      { label: `casus page with timeline (${casussen.length} different)`, judged: true, method: 'GET', paths: casussen.map((c) => `/intern/casussen/${c.id}`) },
      { label: 'casus list ?te-laat=1', judged: false, method: 'GET', paths: ['/intern/casussen?te-laat=1'] },
      { label: 'overleggen, first page', judged: false, method: 'GET', paths: ['/intern/overleggen'] },
      { label: `overleg page (${overleggen.length} different)`, judged: false, method: 'GET', paths: overleggen.map((m) => `/intern/overleggen/${m.id}`) },
      // For information: variants without a budget of their own.
      { label: 'queue ?status=afgesloten&ave=ave3', judged: false, method: 'GET', paths: ['/intern/triage?status=afgesloten&ave=ave3'] },
      { label: 'queue, last page (?pagina=100)', judged: false, method: 'GET', paths: ['/intern/triage?pagina=100'] },
      { label: 'queue ?volgorde=oud (oldest first)', judged: false, method: 'GET', paths: ['/intern/triage?volgorde=oud'] },
      { label: 'search by street (POST)', judged: false, method: 'POST', paths: ['/intern/triage'], body: new URLSearchParams({ zoek: street.slice(0, 5) }).toString() },
    ];
    const before = os.loadavg()[0]!;
    const figures = await measureAll(server.origin, cookie, targets, warmup, amount);
    const load = { before: Number(before.toFixed(2)), after: Number(os.loadavg()[0]!.toFixed(2)), cpus: os.cpus().length };
    return { reports, generateSeconds, databaseMegabytes: Math.round(size / 1024 / 1024), loginMs, requestsPerTarget: amount, load, figures };
  } finally {
    agent.destroy();
    await server?.stop();
  }
}
