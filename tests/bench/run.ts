// `npm run bench`: page weight of the public pages, throughput of "Melding versturen" against a bare
// baseline measured in the same run, and the coordinator's work on 100,000 generated reports (queue,
// searches, report pages, the AVE-monitor and its export, a resident's wait during monitor views, start,
// memory, retention catch-up). `npm run bench -- --scale 1000000` runs only that last section, on
// 1,000,000 reports (generated once into data/bench/cache, about 15 minutes; later runs copy the file).
// Prints figures, each with the machine's load, and writes them to data/bench/latest.json (or
// data/bench/scale-N.json). Missing a budget prints "OVER BUDGET" and still exits 0; it exits non-zero
// only when the benchmark could not run (no build, a server that does not start, a form that cannot
// be filled in).
//
// Settings (environment):
//   BENCH_REQUESTS      sends per server (default 3000)
//   BENCH_CONNECTIONS   concurrent connections (10)
//   BENCH_WARMUP        unmeasured sends per server first (100)
//   BENCH_ROUNDS        measured rounds, alternating which server goes first (3)
//   BENCH_PREP_SECONDS  at most this long preparing drafts; fewer sends when the machine is slow (40)
//   BENCH_RUN_SECONDS   time limit of all measured load per server (30)
//   BENCH_DB_DIR        where the SQLite files go (the system temp directory)
//   BENCH_SECTIONS      which parts to run, comma-separated: pages, throughput, triage (all three)
//   BENCH_TRIAGE_REPORTS    generated reports for the triage section (100000)
//   BENCH_TRIAGE_REQUESTS   measured requests per triage page (200), after BENCH_TRIAGE_WARMUP (20)
//   BENCH_WATCHDOG_MINUTES  the whole run is stopped after this long (5; 15 above 10,000 reports; 90 above 100,000)
//   BENCH_MONITOR_REQUESTS  measured views of each monitor page and export (20; 10 with --scale; 0: no monitor
//                           and no event-loop measurement)
//   BENCH_RETENTION         off: no retention catch-up
//   BENCH_RESIDENT_REQUESTS resident requests in each half of the event-loop measurement (100)
import { execFileSync, spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { prepareDrafts } from './form-flow.ts';
import { sendReports, summarize, type LoadResult, type RawRun } from './load.ts';
import { measurePages, type PageWeight } from './page-weight.ts';
import { killAllStarted, startBaseline, startPortal, type RunningServer } from './servers.ts';
import { benchTriage, loadNow, RESIDENT_EXTRA_WAIT_BUDGET_MS, RETENTION_BUDGET_SECONDS, TRIAGE_BUDGET_P95_MS, type TriageResult } from './triage.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
process.chdir(ROOT);

const KB = 1024;
const BUDGET = {
  formPageTotalBytes: 30 * KB,
  javascriptBytes: 5 * KB,
  /** A first visit to a form page (nothing cached), as the portal sends it to a browser: compressed. */
  formPageWireBytes: 20 * KB,
  minRatioToBaseline: 0.8,
  maxErrors: 0,
};
/** The machine's load (1-minute average) and CPUs, printed beside every figure: a shared machine skews them. */
const withLoad = (load: number): string => `load ${load.toFixed(2)} on ${os.cpus().length} CPUs`;
const intSetting = (name: string, fallback: number, min = 1): number => {
  const value = Number(process.env[name]);
  return process.env[name] && Number.isInteger(value) && value >= min ? value : fallback;
};
const REQUESTS = intSetting('BENCH_REQUESTS', 3000);
const CONNECTIONS = intSetting('BENCH_CONNECTIONS', 10);
const WARMUP = intSetting('BENCH_WARMUP', 100);
const PREP_SECONDS = intSetting('BENCH_PREP_SECONDS', 40);
/** All measured load against one server together stops after this. */
const RUN_SECONDS = intSetting('BENCH_RUN_SECONDS', 30);
const ROUNDS = intSetting('BENCH_ROUNDS', 3);
const DB_DIR = path.resolve(process.env['BENCH_DB_DIR'] || os.tmpdir());
const { values: args } = parseArgs({ options: { scale: { type: 'string' } } });
/** `--scale N`: only the coordinator's section, on N generated reports. */
const SCALE = args.scale === undefined ? undefined : Number(args.scale);
if (SCALE !== undefined && !(Number.isInteger(SCALE) && SCALE > 0 && SCALE <= 1_000_000)) throw new Error('--scale must be a whole number of reports up to 1,000,000');
const SECTIONS = new Set(SCALE ? ['triage'] : (process.env['BENCH_SECTIONS'] || 'pages,throughput,triage').split(',').map((s) => s.trim()));
for (const section of SECTIONS) if (!['pages', 'throughput', 'triage'].includes(section)) throw new Error(`BENCH_SECTIONS: unknown section ${section}`);
const TRIAGE_REPORTS = SCALE ?? intSetting('BENCH_TRIAGE_REPORTS', 100_000);
const MONITOR_REQUESTS = intSetting('BENCH_MONITOR_REQUESTS', SCALE ? 10 : 20, 0);
const RETENTION = process.env['BENCH_RETENTION'] !== 'off';
const RESIDENT_REQUESTS = intSetting('BENCH_RESIDENT_REQUESTS', 100);
const TRIAGE_REQUESTS = intSetting('BENCH_TRIAGE_REQUESTS', 200);
const TRIAGE_WARMUP = intSetting('BENCH_TRIAGE_WARMUP', 20);
/** The whole run must end well within this, or it is stopped (BENCH_WATCHDOG_MINUTES; generating 1,000,000 reports the first time takes long). */
const WATCHDOG_MS = intSetting('BENCH_WATCHDOG_MINUTES', TRIAGE_REPORTS > 100_000 ? 90 : TRIAGE_REPORTS > 10_000 ? 15 : 5) * 60_000;
// tests/support/serve.ts loads PORTAL_DIST (default dist) when set.
const DIST = process.env['PORTAL_DIST'] || 'dist';
const ENTRY = path.join(DIST, 'server', 'entry.mjs');

const overBudget: string[] = [];
const notes: string[] = [];

function over(line: string): void {
  overBudget.push(line);
  console.log(`OVER BUDGET: ${line}`);
}

const kb = (bytes: number): string => `${(bytes / KB).toFixed(1)} KB`;
const ms = (value: number): string => value.toFixed(2);
const pad = (text: string, width: number): string => text.padEnd(width);
const lpad = (text: string, width: number): string => text.padStart(width);

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function ensureBuild(): void {
  if (!existsSync(ENTRY) && DIST !== 'dist') throw new Error(`${ENTRY} is missing (PORTAL_DIST=${DIST})`);
  if (!existsSync(ENTRY)) {
    console.log(`${ENTRY} is missing: running npm run build …`);
    const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
    if (build.status !== 0 || !existsSync(ENTRY)) throw new Error(`npm run build failed (exit ${build.status ?? build.signal})`);
    return;
  }
  const built = statSync(ENTRY).mtimeMs;
  const changed = Math.max(newestMtime('src'), statSync('astro.config.mjs').mtimeMs);
  if (changed > built) {
    const note = `${DIST}/ is older than src/ (built ${new Date(built).toISOString()}): figures are for the old build; run npm run build first for current ones.`;
    notes.push(note);
    console.log(`Note: ${note}`);
  }
}

function gitDescribe(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${commit} (with uncommitted changes)` : commit;
  } catch {
    return 'unknown';
  }
}

/** Single-row commits per second in `dir` for one second (WAL, synchronous=FULL): what the disk allows. */
function diskCommitsPerSecond(dir: string): number {
  const file = path.join(dir, 'probe.db');
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE probe (x TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO probe (x) VALUES (?)');
    const commit = db.transaction(() => insert.run('x'.repeat(500)));
    const started = performance.now();
    let commits = 0;
    while (performance.now() - started < 1000) {
      commit.immediate();
      commits++;
    }
    return commits / ((performance.now() - started) / 1000);
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }
}

/**
 * CPU time a process has used so far, user and system, all its threads (Linux /proc/<pid>/stat, in clock
 * ticks of 10 ms), in milliseconds; undefined elsewhere. Per report stored, it is the figure a busy shared
 * machine blurs least: waiting for a CPU adds to the time a request takes, not to the CPU it uses.
 */
function cpuMilliseconds(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name (in parentheses, which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** Bytes a process has caused to be written to storage so far (Linux /proc/<pid>/io), or undefined elsewhere. */
function storageWrites(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const m = /^write_bytes:\s*(\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function countReports(file: string): number {
  const db = new Database(file, { fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

// ------------------------------------------------------------------------------------------------

function printPages(pages: PageWeight[], load: { before: number; after: number }): void {
  console.log('');
  console.log(`(measured at ${withLoad(load.before)}; ${load.after.toFixed(2)} at the end)`);
  console.log(`Page weight: gzip -9 of the HTML and of every stylesheet, script and font it loads (1 KB = ${KB} bytes)`);
  console.log(`Budgets: form pages ≤ ${kb(BUDGET.formPageTotalBytes)} in total; every page ≤ ${kb(BUDGET.javascriptBytes)} of JavaScript (files + inline).`);
  console.log('');
  const head = `${pad('Page', 34)}${lpad('Status', 7)}${lpad('HTML', 10)}${lpad('CSS', 10)}${lpad('JS', 10)}${lpad('inline JS', 11)}${lpad('Fonts/img', 10)}${lpad('Total', 10)}${lpad('Budget', 10)}  Result`;
  console.log(head);
  console.log('-'.repeat(head.length));
  for (const p of pages) {
    const g = p.gzipBytes;
    const js = g.js + p.inlineJsGzipBytes;
    const problems: string[] = [];
    if (p.formPage && g.total > BUDGET.formPageTotalBytes) problems.push('total');
    if (js > BUDGET.javascriptBytes) problems.push('JS');
    console.log(
      `${pad(p.label, 34)}${lpad(String(p.status), 7)}${lpad(kb(g.html), 10)}${lpad(kb(g.css), 10)}${lpad(kb(g.js), 10)}` +
        `${lpad(kb(p.inlineJsGzipBytes), 11)}${lpad(kb(g.font), 10)}${lpad(kb(g.total), 10)}` +
        `${lpad(p.formPage ? kb(BUDGET.formPageTotalBytes) : '-', 10)}  ${problems.length ? `over (${problems.join(', ')})` : 'ok'}`,
    );
  }
  console.log('');
  console.log('Assets (gzip -9 / raw):');
  const seen = new Map<string, { kind: string; gzip: number; raw: number; pages: number; status: number }>();
  for (const p of pages) {
    for (const a of p.assets) {
      const known = seen.get(a.url);
      if (known) known.pages++;
      else seen.set(a.url, { kind: a.kind, gzip: a.gzipBytes, raw: a.rawBytes, pages: 1, status: a.status });
    }
  }
  for (const [url, a] of seen) {
    console.log(`  ${pad(url, 44)}${pad(a.kind, 6)}${lpad(kb(a.gzip), 10)} / ${lpad(kb(a.raw), 9)}  on ${a.pages} page${a.pages === 1 ? '' : 's'}${a.status === 200 ? '' : `  status ${a.status}`}`);
  }
  const external = [...new Set(pages.flatMap((p) => p.external))];
  if (external.length) console.log(`  Not fetched (other origins): ${external.join(', ')}`);
  console.log('');
  console.log(`On the wire: the page and everything it loads, as the portal sends them (a first visit, nothing cached), ${withLoad(load.after)}`);
  console.log(`Asked without Accept-Encoding, and as a browser asks (${'gzip, deflate, br, zstd'}); budget for form pages ≤ ${kb(BUDGET.formPageWireBytes)} compressed.`);
  const wireHead = `${pad('Page', 34)}${lpad('plain', 11)}${lpad('compressed', 12)}${lpad('HTML as', 9)}${lpad('saved', 8)}${lpad('Budget', 10)}  Result`;
  console.log(wireHead);
  console.log('-'.repeat(wireHead.length));
  for (const p of pages) {
    const w = p.wire;
    const over = p.formPage && w.compressedBytes > BUDGET.formPageWireBytes;
    console.log(
      `${pad(p.label, 34)}${lpad(kb(w.plainBytes), 11)}${lpad(kb(w.compressedBytes), 12)}${lpad(w.html.encoding || 'none', 9)}` +
        `${lpad(`${(100 * (1 - w.compressedBytes / Math.max(1, w.plainBytes))).toFixed(0)} %`, 8)}${lpad(p.formPage ? kb(BUDGET.formPageWireBytes) : '-', 10)}  ${over ? 'over' : 'ok'}`,
    );
  }
  const withCaptcha = pages.find((p) => p.label.includes('hCaptcha'));
  if (withCaptcha) {
    console.log('  With hCaptcha on, the widget also loads https://js.hcaptcha.com/1/api.js at run time (third party, not counted).');
  }
  console.log('');
  for (const p of pages) {
    const g = p.gzipBytes;
    const js = g.js + p.inlineJsGzipBytes;
    if (p.formPage && g.total > BUDGET.formPageTotalBytes) over(`${p.label}: total ${kb(g.total)} > ${kb(BUDGET.formPageTotalBytes)}`);
    if (js > BUDGET.javascriptBytes) over(`${p.label}: JavaScript ${kb(js)} > ${kb(BUDGET.javascriptBytes)}`);
    for (const a of p.assets) if (a.status !== 200) over(`${p.label}: asset ${a.url} answered ${a.status}`);
    if (p.formPage && p.wire.compressedBytes > BUDGET.formPageWireBytes) over(`${p.label}: ${kb(p.wire.compressedBytes)} on the wire > ${kb(BUDGET.formPageWireBytes)}`);
  }
}

interface Throughput {
  requestsPerServer: number;
  rounds: number;
  diskCommitsPerSecond: number;
  portal: LoadResult & { reportsStored: number; storageBytesPerReport: number | undefined; cpuMsPerReport: number | undefined };
  baseline: LoadResult & { reportsStored: number; storageBytesPerReport: number | undefined; cpuMsPerReport: number | undefined };
  /** Successful sends per second, portal over baseline, over all rounds together. */
  overallRatio: number;
  roundRatios: number[];
  /** The median round's ratio: the judged figure. */
  ratio: number;
  /** The machine's load (1-minute average) as each round began. */
  roundLoads: number[];
}

function printThroughput(t: Throughput): void {
  console.log('');
  console.log(`Throughput: "Melding versturen" (POST /melden/controleren, a fresh draft per request), ${t.requestsPerServer} requests per server, ${CONNECTIONS} connections, loopback, after ${WARMUP} warm-up requests each`);
  console.log(`In ${t.rounds} rounds, alternating which server goes first; the figures below are over all rounds.`);
  console.log('');
  const head = `${pad('Server', 40)}${lpad('req/s', 9)}${lpad('p50 ms', 9)}${lpad('p99 ms', 9)}${lpad('max ms', 9)}${lpad('errors', 8)}${lpad('stored', 8)}`;
  console.log(head);
  console.log('-'.repeat(head.length));
  const row = (name: string, r: Throughput['portal']) =>
    console.log(
      `${pad(name, 40)}${lpad(r.requestsPerSecond.toFixed(0), 9)}${lpad(ms(r.latencyMs.p50), 9)}${lpad(ms(r.latencyMs.p99), 9)}` +
        `${lpad(ms(r.latencyMs.max), 9)}${lpad(String(r.errors), 8)}${lpad(String(r.reportsStored), 8)}`,
    );
  row('portal (Astro, @astrojs/node)', t.portal);
  row('baseline (node:http + better-sqlite3)', t.baseline);
  const perReport = (r: Throughput['portal']) => (r.storageBytesPerReport === undefined ? 'not measurable here' : kb(r.storageBytesPerReport));
  console.log(`Written to storage per report stored (the server process's write_bytes: WAL, checkpoints, mail files): portal ${perReport(t.portal)}, baseline ${perReport(t.baseline)}`);
  const cpu = (r: Throughput['portal']) => (r.cpuMsPerReport === undefined ? 'not measurable here' : `${r.cpuMsPerReport.toFixed(2)} ms`);
  const cpuRatio = t.portal.cpuMsPerReport && t.baseline.cpuMsPerReport ? ` (baseline / portal ${(t.baseline.cpuMsPerReport / t.portal.cpuMsPerReport).toFixed(2)})` : '';
  console.log(`CPU time per report stored (the server process, every thread; least blurred by other load): portal ${cpu(t.portal)}, baseline ${cpu(t.baseline)}${cpuRatio}`);
  console.log('');
  console.log(
    `Ratio portal / baseline (successful sends per second): median round ${t.ratio.toFixed(2)} (rounds ${t.roundRatios.map((r, i) => `${r.toFixed(2)} at load ${t.roundLoads[i]!.toFixed(2)}`).join(', ')}; all rounds together ${t.overallRatio.toFixed(2)}); target ≥ ${BUDGET.minRatioToBaseline.toFixed(2)} with ${BUDGET.maxErrors} errors, on ${os.cpus().length} CPUs`,
  );
  for (const [name, r] of [['portal', t.portal], ['baseline', t.baseline]] as const) {
    const wrong = Object.entries(r.wrongAnswers);
    if (wrong.length) console.log(`  ${name} answers other than 303 ${'/melden/bedankt'}: ${wrong.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  }
  console.log('');
  if (t.ratio < BUDGET.minRatioToBaseline) over(`portal sends ${t.ratio.toFixed(2)}× the baseline's rate (median round), target ≥ ${BUDGET.minRatioToBaseline.toFixed(2)}×`);
  if (t.portal.errors > BUDGET.maxErrors) over(`portal: ${t.portal.errors} errors of ${t.portal.requests} requests`);
  if (t.baseline.errors > BUDGET.maxErrors) over(`baseline: ${t.baseline.errors} errors of ${t.baseline.requests} requests (the baseline itself failed)`);
  if (t.portal.cutShort || t.baseline.cutShort) {
    const note = `A load run hit its time limit (BENCH_RUN_SECONDS=${RUN_SECONDS}) before all its requests were sent; rates are over the requests that were.`;
    notes.push(note);
    console.log(`Note: ${note}`);
  }
  if (t.portal.reportsStored !== t.portal.ok) over(`portal: ${t.portal.ok} sends acknowledged but ${t.portal.reportsStored} reports stored`);
}

function printTriage(t: TriageResult): void {
  const load = (n: number) => `load ${n.toFixed(2)}`;
  console.log('');
  console.log(`Coordinator: ${t.reports.toLocaleString('en')} generated reports (${t.databaseMegabytes} MB), one coordinator logged in over HTTP with a TOTP code (login ${t.loginMs.toFixed(0)} ms).`);
  console.log(`Each page ${t.requestsPerTarget} times (the monitor pages and export fewer, as given) after ${TRIAGE_WARMUP} unmeasured, in rounds of one request per page, one request at a time on a kept-alive connection;`);
  console.log('the time runs to the last byte: server time plus a loopback hop. "load" is the 1-minute load average while that row was measured.');
  console.log(`Target: p95 < ${TRIAGE_BUDGET_P95_MS} ms for the queue, the report page, the casus list and the casus page. A report, casus or overleg page view writes its audit row (a commit) each time.`);
  console.log('');
  const head = `${pad('Page', 40)}${lpad('n', 5)}${lpad('p50 ms', 10)}${lpad('p95 ms', 10)}${lpad('max ms', 10)}${lpad('errors', 8)}${lpad('Budget', 9)}${lpad('load', 7)}  Result`;
  console.log(head);
  console.log('-'.repeat(head.length));
  for (const f of t.figures) {
    const over = f.judged && !(f.latencyMs.p95 < f.budgetMs);
    console.log(
      `${pad(f.label, 40)}${lpad(String(f.requests), 5)}${lpad(ms(f.latencyMs.p50), 10)}${lpad(ms(f.latencyMs.p95), 10)}${lpad(ms(f.latencyMs.max), 10)}${lpad(String(f.errors), 8)}` +
        `${lpad(f.judged ? `< ${f.budgetMs}` : '-', 9)}${lpad(f.load.toFixed(2), 7)}  ${f.errors ? 'errors' : over ? 'OVER BUDGET' : f.judged ? 'ok' : '(information)'}`,
    );
  }
  console.log('');
  console.log(`Machine load (1-minute average) ${t.load.before.toFixed(2)} when measuring began, ${t.load.after.toFixed(2)} at the end, on ${t.load.cpus} CPUs.`);
  if (Math.max(t.load.before, t.load.after) > t.load.cpus) {
    const note = `Coordinator: other work kept more than ${t.load.cpus} CPUs busy during the measurement; its p95 figures include waiting for a CPU (compare the p50s).`;
    notes.push(note);
    console.log(`Note: ${note}`);
  }
  for (const f of t.figures) {
    if (f.judged && !(f.latencyMs.p95 < f.budgetMs)) over(`${f.label}: p95 ${ms(f.latencyMs.p95)} ms, target < ${f.budgetMs} ms (${load(f.load)})`);
    if (f.errors) over(`${f.label}: ${f.errors} of ${f.requests} requests failed (${Object.entries(f.wrongAnswers).map(([k, n]) => `${k} ×${n}`).join(', ') || 'no answer'})`);
  }
  console.log('');
  const w = t.residentWait;
  if (w) {
    console.log(`Event-loop delay: a resident's page (GET /melden), ${w.requests} requests one at a time, alone and while ${w.coordinators} coordinators open the monitor again and again:`);
    console.log(`  alone             p50 ${ms(w.alone.p50)}  p95 ${ms(w.alone.p95)}  max ${ms(w.alone.max)} ms  (${load(w.alone.load)})`);
    console.log(`  during monitor    p50 ${ms(w.duringMonitor.p50)}  p95 ${ms(w.duringMonitor.p95)}  max ${ms(w.duringMonitor.max)} ms  (${load(w.duringMonitor.load)}); ${w.monitorViews} monitor views meanwhile, p50 ${ms(w.monitorMs.p50)} ms`);
    console.log(`  a resident waits  ${ms(w.extraP95Ms)} ms longer at p95, ${ms(w.extraMaxMs)} ms at most; target ≤ ${RESIDENT_EXTRA_WAIT_BUDGET_MS} ms at p95`);
    if (w.alone.errors + w.duringMonitor.errors + w.monitorErrors > 0) {
      over(`failed requests during the event-loop measurement: resident ${w.alone.errors} alone, ${w.duringMonitor.errors} during monitor views; monitor ${w.monitorErrors}`);
    }
    if (w.extraP95Ms > RESIDENT_EXTRA_WAIT_BUDGET_MS) over(`a resident waits ${ms(w.extraP95Ms)} ms longer (p95) while coordinators open the monitor, target ≤ ${RESIDENT_EXTRA_WAIT_BUDGET_MS} ms (${load(w.duringMonitor.load)})`);
    if (w.monitorViews === 0) over('no monitor view finished while the resident was measured: the event-loop figure says nothing');
  }
  console.log(`Start: ${t.startSeconds.toFixed(2)} s from starting the process to the first healthy answer (${load(t.startLoad)}).`);
  if (t.memory) console.log(`Memory of the server after the measurements: ${t.memory.rssMegabytes} MB resident, peak ${t.memory.peakRssMegabytes} MB (${load(t.memory.load)}).`);
  const r = t.retention;
  if (r) {
    console.log(`Retention catch-up (npm run retention, clock moved ${r.clockDays} days forward): ${r.seconds.toFixed(1)} s, ${r.reportsBefore.toLocaleString('en')} → ${r.reportsAfter.toLocaleString('en')} reports; target < ${RETENTION_BUDGET_SECONDS} s (${load(r.load)})`);
    console.log(`  ${r.summary}`);
    const deleted = r.reportsBefore - r.reportsAfter;
    const perSecond = (n: number) => Math.round(n / r.seconds).toLocaleString('en');
    console.log(`  ${deleted.toLocaleString('en')} reports deleted and ${r.contactsErased.toLocaleString('en')} erased: ${perSecond(deleted + r.contactsErased)} reports a second together (${(r.seconds * 1000 / Math.max(1, deleted + r.contactsErased)).toFixed(2)} ms each)`);
    if (r.seconds >= RETENTION_BUDGET_SECONDS) over(`retention catch-up took ${r.seconds.toFixed(1)} s, target < ${RETENTION_BUDGET_SECONDS} s (${load(r.load)})`);
  }
  console.log(
    t.generatedThisRun
      ? `Demo data: generated in this run in ${t.generateSeconds.toFixed(1)} s.`
      : `Demo data: from data/bench/cache (generated ${t.generatedAt} in ${t.generateSeconds.toFixed(1)} s); migrated in ${t.migrateSeconds.toFixed(1)} s, copied in ${t.copySeconds.toFixed(1)} s.`,
  );
}

// ------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const startedAt = new Date();
  const cpus = os.cpus();
  const commit = gitDescribe();
  console.log(`Meldpunt Bezorgd benchmark, ${startedAt.toISOString()}, Node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, commit ${commit}`);
  ensureBuild();

  mkdirSync(DB_DIR, { recursive: true });
  const tmp = mkdtempSync(path.join(DB_DIR, 'meldpunt-bench-'));
  const servers: RunningServer[] = [];
  const limits = 'REPORTS_PER_HOUR_PER_IP=1000000000';
  try {
    let pages: PageWeight[] | undefined;
    let throughput: Throughput | undefined;
    let draftPreparation: { drafts: number; seconds: number } | undefined;
    let triage: TriageResult | undefined;
    if (SECTIONS.has('pages') || SECTIONS.has('throughput')) {
      const starting = await Promise.allSettled([
        startPortal('bench-portal', tmp, [limits]),
        // hCaptcha configured, so the check page carries the widget's island. Its check is never called here.
        ...(SECTIONS.has('pages') ? [startPortal('bench-captcha', tmp, [limits, 'HCAPTCHA_SITEKEY=bench-sitekey', 'HCAPTCHA_SECRET=bench-secret',
          'HCAPTCHA_VERIFY_URL=http://127.0.0.1:9/siteverify', 'HCAPTCHA_TIMEOUT_MS=500'])] : []),
        ...(SECTIONS.has('throughput') ? [startBaseline(tmp)] : []),
      ]);
      for (const s of starting) if (s.status === 'fulfilled') servers.push(s.value);
      const failed = starting.find((s) => s.status === 'rejected');
      if (failed) throw failed.reason;
      const portal = servers.find((s) => s.name === 'bench-portal')!;
      const captcha = servers.find((s) => s.name === 'bench-captcha');
      const baseline = servers.find((s) => s.name === 'baseline');

      // (a) Page weight.
      if (captcha) {
        const loadBefore = loadNow();
        pages = await measurePages(portal.origin, captcha.origin);
        await captcha.stop();
        printPages(pages, { before: loadBefore, after: loadNow() });
      }
      if (baseline) {
        // (b) Throughput. Drafts first: each is consumed by its send.
        const diskRate = diskCommitsPerSecond(tmp);
        console.log(`Disk (${DB_DIR}): ${diskRate.toFixed(0)} single-row commits/s at WAL, synchronous=FULL (1 s probe, ${withLoad(loadNow())}).`);
        const prepStarted = performance.now();
        const warmTokens = await prepareDrafts(portal.origin, WARMUP + CONNECTIONS, CONNECTIONS);
        // Each round gets its own slice with a connection's worth to spare.
        const measuredTokens = await prepareDrafts(portal.origin, REQUESTS + ROUNDS * CONNECTIONS, CONNECTIONS, Date.now() + PREP_SECONDS * 1000);
        const prepSeconds = (performance.now() - prepStarted) / 1000;
        const drafts = warmTokens.length + measuredTokens.length;
        console.log(`Prepared ${drafts} drafts through the step posts in ${prepSeconds.toFixed(1)} s (${((4 * drafts) / prepSeconds).toFixed(0)} step posts/s).`);
        const amount = Math.min(REQUESTS, measuredTokens.length - ROUNDS * CONNECTIONS);
        if (amount < 1) throw new Error('no drafts could be prepared in time');
        if (amount < REQUESTS) {
          const note = `Only ${amount} of ${REQUESTS} requests per server: drafts for no more could be prepared within ${PREP_SECONDS} s (slow disk?). Figures are rougher.`;
          notes.push(note);
          console.log(`Note: ${note}`);
        }

        await sendReports(portal.origin, WARMUP, CONNECTIONS, warmTokens, RUN_SECONDS);
        await sendReports(baseline.origin, WARMUP, CONNECTIONS, [], RUN_SECONDS);

        // Rounds that alternate which server goes first (baseline, portal | portal, baseline | …), so that
        // load from elsewhere on a shared machine falls on both; the judged ratio is the median round's.
        const rounds = Math.max(1, Math.min(ROUNDS, Math.floor(amount / CONNECTIONS)));
        const portalRuns: RawRun[] = [];
        const baselineRuns: RawRun[] = [];
        const roundRatios: number[] = [];
        const roundLoads: number[] = [];
        const portalBefore = countReports(portal.databasePath);
        const baselineBefore = countReports(baseline.databasePath);
        const portalWritesBefore = storageWrites(portal.pid);
        const baselineWritesBefore = storageWrites(baseline.pid);
        const portalCpuBefore = cpuMilliseconds(portal.pid);
        const baselineCpuBefore = cpuMilliseconds(baseline.pid);
        let tokenAt = 0;
        for (let round = 0; round < rounds; round++) {
          const n = Math.floor(amount / rounds) + (round < amount % rounds ? 1 : 0);
          const roundTokens = measuredTokens.slice(tokenAt, tokenAt + n + CONNECTIONS);
          tokenAt += n + CONNECTIONS;
          const runPortal = () => sendReports(portal.origin, n, CONNECTIONS, roundTokens, RUN_SECONDS / rounds);
          const runBaseline = () => sendReports(baseline.origin, n, CONNECTIONS, [], RUN_SECONDS / rounds);
          let p: RawRun;
          let b: RawRun;
          roundLoads.push(loadNow());
          if (round % 2 === 0) {
            b = await runBaseline();
            p = await runPortal();
          } else {
            p = await runPortal();
            b = await runBaseline();
          }
          portalRuns.push(p);
          baselineRuns.push(b);
          const bRate = b.ok / b.seconds;
          roundRatios.push(bRate > 0 ? p.ok / p.seconds / bRate : 0);
        }
        const portalStored = countReports(portal.databasePath) - portalBefore;
        const baselineStored = countReports(baseline.databasePath) - baselineBefore;
        const writesPerReport = (pid: number | undefined, before: number | undefined, stored: number) => {
          const after = storageWrites(pid);
          return after === undefined || before === undefined || stored < 1 ? undefined : Math.round((after - before) / stored);
        };
        const cpuPerReport = (pid: number | undefined, before: number | undefined, stored: number) => {
          const after = cpuMilliseconds(pid);
          return after === undefined || before === undefined || stored < 1 ? undefined : (after - before) / stored;
        };
        const portalCpu = cpuPerReport(portal.pid, portalCpuBefore, portalStored);
        const baselineCpu = cpuPerReport(baseline.pid, baselineCpuBefore, baselineStored);
        const portalPerReport = writesPerReport(portal.pid, portalWritesBefore, portalStored);
        const baselinePerReport = writesPerReport(baseline.pid, baselineWritesBefore, baselineStored);
        const portalResult = summarize(portalRuns);
        const baselineResult = summarize(baselineRuns);
        const sortedRatios = [...roundRatios].sort((a, b) => a - b);
        throughput = {
          requestsPerServer: amount,
          rounds,
          diskCommitsPerSecond: Math.round(diskRate),
          portal: { ...portalResult, reportsStored: portalStored, storageBytesPerReport: portalPerReport, cpuMsPerReport: portalCpu },
          baseline: { ...baselineResult, reportsStored: baselineStored, storageBytesPerReport: baselinePerReport, cpuMsPerReport: baselineCpu },
          overallRatio: baselineResult.okPerSecond > 0 ? portalResult.okPerSecond / baselineResult.okPerSecond : 0,
          roundRatios,
          ratio: sortedRatios[Math.floor((sortedRatios.length - 1) / 2)] ?? 0,
          roundLoads,
        };
        printThroughput(throughput);
        draftPreparation = { drafts, seconds: Number(prepSeconds.toFixed(2)) };
      }
      // The servers of (a) and (b) stop before (c), which wants the machine to itself.
      for (const server of servers.splice(0)) await server.stop();
    }

    // (c) Triage on a big database.
    if (SECTIONS.has('triage')) {
      triage = await benchTriage(tmp, TRIAGE_REPORTS, TRIAGE_REQUESTS, TRIAGE_WARMUP, (line) => console.log(`${line} [load ${loadNow().toFixed(2)}]`), {
        monitorRequests: MONITOR_REQUESTS,
        residentRequests: RESIDENT_REQUESTS,
        coordinators: 2,
        retention: RETENTION,
      });
      printTriage(triage);
    }

    const out = path.join('data', 'bench', SCALE ? `scale-${SCALE}.json` : 'latest.json');
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(
      out,
      `${JSON.stringify(
        {
          startedAt: startedAt.toISOString(),
          seconds: Number(((Date.now() - startedAt.getTime()) / 1000).toFixed(1)),
          node: process.version,
          cpus: { count: cpus.length, model: cpus[0]?.model ?? 'unknown' },
          commit,
          notes,
          budgets: BUDGET,
          settings: { requests: REQUESTS, connections: CONNECTIONS, warmup: WARMUP, rounds: ROUNDS, prepSeconds: PREP_SECONDS, runSeconds: RUN_SECONDS, dbDir: DB_DIR, triageReports: TRIAGE_REPORTS, triageRequests: TRIAGE_REQUESTS, triageWarmup: TRIAGE_WARMUP, monitorRequests: MONITOR_REQUESTS, residentRequests: RESIDENT_REQUESTS, scale: SCALE },
          loadAtEnd: loadNow(),
          sections: [...SECTIONS],
          pages,
          draftPreparation,
          throughput,
          triage,
          overBudget,
        },
        null,
        2,
      )}\n`,
    );
    console.log(overBudget.length ? `${overBudget.length} budget(s) missed (see OVER BUDGET lines above).` : 'All budgets met.');
    console.log(`Results written to ${out} (${((Date.now() - startedAt.getTime()) / 1000).toFixed(1)} s in all).`);
  } finally {
    for (const server of servers) await server.stop();
    rmSync(tmp, { recursive: true, force: true });
    // tests/support/serve.ts makes data/test/<name>; the bench keeps its files in `tmp` instead.
    for (const name of ['bench-portal', 'bench-captcha', 'bench-triage']) rmSync(path.join('data', 'test', name), { recursive: true, force: true });
  }
}

const watchdog = setTimeout(() => {
  console.error(`Benchmark did not finish within ${WATCHDOG_MS / 60_000} minutes; stopping.`);
  killAllStarted();
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();
process.on('SIGINT', () => {
  killAllStarted();
  process.exit(130);
});

try {
  await main();
  clearTimeout(watchdog);
} catch (error) {
  console.error(`Benchmark could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  killAllStarted();
  process.exitCode = 1;
}
