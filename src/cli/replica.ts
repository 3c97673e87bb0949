// Off-site replication with Litestream (db/litestream.yml; README "Replication and restore"):
//   npm run start:replicated [-- --new-database]
//       the portal under `litestream replicate` when LITESTREAM_REPLICA_URL is set; without it the portal alone,
//       with a warning in production. Refuses to start on a missing database while the replica holds one.
//   npm run db:restore-replica [-- --force] [-- --timestamp 2026-11-20T10:00:00Z]
//       the database back from the replica (stop the portal first); an existing database is kept aside, never
//       overwritten, and only with --force.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { readMigrations } from '#platform/migrate.ts';

export const CONFIG_FILE = fileURLToPath(new URL('../../db/litestream.yml', import.meta.url));
const START = fileURLToPath(new URL('./start.ts', import.meta.url));
/** The release the npm package bundles, the one db/litestream.yml and the restore drill are made for. */
export const LITESTREAM_VERSION = 'v0.3.13';

/** A refusal or failure with its message for the operator (Dutch). */
class Refusal extends Error {}

/**
 * The Litestream binary: `LITESTREAM_BIN` (production: the upstream release, e.g. /usr/bin/litestream from its
 * .deb), else the static binary of the npm package @flydotio/litestream-<platform>-<arch>. Only linux-x64 is on
 * the registry, so package.json names that package itself, as optional (npm skips it elsewhere), and not the
 * @flydotio/litestream wrapper: its lock entry would name the three missing packages and `npm ci` refuses such a
 * lock. The wrapper's script would not do here anyway: it waits with spawnSync, so it neither passes a SIGTERM
 * on nor returns Litestream's exit code.
 */
export function litestreamBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env['LITESTREAM_BIN']) return env['LITESTREAM_BIN'];
  try {
    return createRequire(import.meta.url).resolve(`@flydotio/litestream-${process.platform}-${process.arch}/litestream`);
  } catch {
    return undefined;
  }
}

/** The command for Litestream's `-exec`, which splits it like a shell (go-shellwords): each word in single quotes. */
export function execCommand(words: readonly string[]): string {
  const quoted = words.find((w) => w.includes("'"));
  if (quoted !== undefined) throw new Refusal(`Het pad ${quoted} bevat een apostrof; Litestream kan het niet starten. Gebruik een map zonder apostrof.`);
  return words.map((w) => `'${w}'`).join(' ');
}

/**
 * Whether the output of `litestream generations` lists a generation: a line after the header
 * (`name  generation  lag  start  end`) that is not one of Litestream's log lines, which go to the same output.
 */
export function listsGenerations(output: string): boolean {
  const lines = output.split('\n').filter((line) => line.trim() !== '' && !/\blevel=[A-Z]+\b|^\d{4}\/\d{2}\/\d{2} /.test(line));
  return lines.length > 1 && /^name\s+generation\b/.test(lines[0] ?? '');
}

/** The last line Litestream wrote, for a message: its error is there (`error="no matching backups found"`). */
function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

interface Setting {
  binary: string;
  url: string;
  databasePath: string;
  env: NodeJS.ProcessEnv;
}

/** What both commands need: the replica, the binary, and the database's absolute path (as the config names it). */
function setting(): Setting {
  const url = process.env['LITESTREAM_REPLICA_URL'];
  if (!url) throw new Refusal('LITESTREAM_REPLICA_URL is niet gezet.');
  const binary = litestreamBinary();
  if (!binary || !existsSync(binary)) {
    throw new Refusal(`Litestream is niet gevonden${binary ? ` (${binary})` : ''}. Zet LITESTREAM_BIN op het programma litestream ${LITESTREAM_VERSION}, of installeer de pakketten opnieuw met npm ci.`);
  }
  const version = spawnSync(binary, ['version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
  if (!version.startsWith('v0.3.')) {
    console.warn(`LET OP: dit is litestream ${version || '(onbekende versie)'}; db/litestream.yml en de hersteloefening zijn gemaakt voor ${LITESTREAM_VERSION}.`);
  }
  const databasePath = path.resolve(process.env['DATABASE_PATH'] || 'data/meldpunt.db');
  return { binary, url, databasePath, env: { ...process.env, DATABASE_PATH: databasePath } };
}

/** Litestream's own working folder beside the database (`.meldpunt.db-litestream`): it belongs to that file only. */
function shadowDir(databasePath: string): string {
  return path.join(path.dirname(databasePath), `.${path.basename(databasePath)}-litestream`);
}

/**
 * Whether the replica holds a database. `litestream generations -config` needs the database file to exist,
 * so it is asked about an empty stand-in file (the replica's place comes from the URL, not the path).
 * Litestream logs a replica it cannot read and still exits with 0: a logged error counts as unreadable.
 */
function replicaHoldsDatabase(s: Setting): boolean {
  const dir = mkdtempSync(path.join(tmpdir(), 'mb-replica-'));
  try {
    const standIn = path.join(dir, 'meldpunt.db');
    writeFileSync(standIn, '');
    const listed = spawnSync(s.binary, ['generations', '-config', CONFIG_FILE, standIn], {
      encoding: 'utf8',
      env: { ...s.env, DATABASE_PATH: standIn },
      timeout: 60_000,
    });
    const output = `${listed.stdout ?? ''}${listed.stderr ?? ''}`;
    if (listed.status !== 0 || /level=ERROR|\bERROR\b/.test(output)) {
      throw new Refusal(`De replica ${s.url} is niet te lezen, dus de portal start niet op een lege database: ${lastLine(output) || 'geen antwoord'}`);
    }
    return listsGenerations(listed.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function start(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { 'new-database': { type: 'boolean' } }, strict: true });
  if (!process.env['LITESTREAM_REPLICA_URL']) {
    if (process.env['NODE_ENV'] === 'production') {
      console.warn('LET OP: de database wordt niet naar een andere plek gekopieerd (LITESTREAM_REPLICA_URL is niet gezet). Gaat de schijf kapot, dan zijn de meldingen sinds de laatste back-up weg. De portal start toch.');
    } else {
      console.log('Replicatie staat uit (LITESTREAM_REPLICA_URL is niet gezet); de portal start zonder.');
    }
    await import('./start.ts');
    return;
  }
  const s = setting();
  if (!existsSync(s.databasePath)) {
    // A new, empty database would become the replica's newest generation, and a restore takes the newest:
    // after a lost disk, starting before restoring would hide the reports behind an empty database.
    if (!values['new-database'] && replicaHoldsDatabase(s)) {
      throw new Refusal(
        `Er is geen database (${s.databasePath}), maar de replica ${s.url} heeft er wel een. Zet die eerst terug met ` +
          'npm run db:restore-replica. Wilt u echt opnieuw beginnen met een lege database, start dan met npm run start:replicated -- --new-database.',
      );
    }
    rmSync(shadowDir(s.databasePath), { recursive: true, force: true });
  }
  console.log(`Replicatie staat aan: de portal draait onder Litestream, dat de database bijhoudt in ${s.url}.`);
  const child = spawn(s.binary, ['replicate', '-config', CONFIG_FILE, '-exec', execCommand([process.execPath, START])], {
    stdio: 'inherit',
    // The portal leaves checkpoints to Litestream (src/platform/db.ts).
    env: { ...s.env, WAL_CHECKPOINTS: 'litestream' },
  });
  // Litestream passes SIGTERM and SIGINT on to the portal, waits for it, sends the last changes and exits with 1
  // when the portal failed; this process ends with Litestream's code.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error(`Litestream kon niet starten: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
}

function restore(args: string[]): void {
  const { values } = parseArgs({ args, options: { force: { type: 'boolean' }, timestamp: { type: 'string' } }, strict: true });
  const s = setting();
  const present = ['', '-wal', '-shm'].map((suffix) => s.databasePath + suffix).filter((f) => existsSync(f));
  if (present.length && !values.force) {
    throw new Refusal(
      `${s.databasePath} bestaat al; er is niets teruggezet. Stop de portal en geef --force om de database te vervangen ` +
        '(de huidige bestanden blijven dan bewaard met .voor-herstel-<tijd> achter de naam).',
    );
  }
  const dir = path.dirname(s.databasePath);
  mkdirSync(dir, { recursive: true });
  // Litestream writes its result and scratch files (-shm, -wal of a .tmp file) here, on the same disk.
  const work = mkdtempSync(path.join(dir, '.herstel-'));
  try {
    const restored = path.join(work, path.basename(s.databasePath));
    const timestamp = values.timestamp ? ['-timestamp', values.timestamp] : [];
    const run = spawnSync(s.binary, ['restore', '-config', CONFIG_FILE, '-o', restored, ...timestamp, s.databasePath], { encoding: 'utf8', env: s.env });
    if (run.status !== 0) {
      const why = lastLine(`${run.stdout}${run.stderr}`);
      throw new Refusal(
        /no matching backups found/.test(why)
          ? `De replica ${s.url} bevat geen database${values.timestamp ? ` van vóór ${values.timestamp}` : ''}; er is niets teruggezet.`
          : `Terugzetten uit de replica is mislukt; er is niets veranderd. Litestream meldt: ${why}`,
      );
    }
    const check = new Database(restored, { readonly: true, fileMustExist: true });
    let version: number;
    let reports: number;
    try {
      const integrity = check.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') throw new Refusal(`De teruggezette database is beschadigd (${String(integrity)}); er is niets veranderd.`);
      version = check.pragma('user_version', { simple: true }) as number;
      if (version > readMigrations().length) throw new Refusal(`De replica is van een nieuwere versie van de portal (schema ${version}); er is niets veranderd.`);
      reports = (check.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n;
    } finally {
      check.close();
    }
    const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15);
    for (const file of present) renameSync(file, `${file}.voor-herstel-${stamp}`);
    // Litestream's record of the old file would not match the restored one.
    rmSync(shadowDir(s.databasePath), { recursive: true, force: true });
    renameSync(restored, s.databasePath);
    console.log(`Database ${s.databasePath} teruggezet uit ${s.url}${values.timestamp ? ` (de stand van ${values.timestamp})` : ''}: ${reports} meldingen, schema ${version}, integriteit gecontroleerd.`);
    if (present.length) console.log(`De vorige bestanden staan ernaast met .voor-herstel-${stamp} achter de naam.`);
    console.log('De gegevenssleutel (DATA_KEY_FILE) zit niet in de replica: zet die uit de kluis terug als hij niet meer op deze machine staat. Start daarna met npm run start:replicated.');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const [command, ...args] = process.argv.slice(2);
  try {
    if (command === 'start') await start(args);
    else if (command === 'restore') restore(args);
    else throw new Refusal('Gebruik: npm run start:replicated  of  npm run db:restore-replica [-- --force] [-- --timestamp <tijd in UTC>]');
  } catch (error) {
    // parseArgs refuses an unknown option with a TypeError (ERR_PARSE_ARGS_…), in English.
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      console.error(`Onbekende of onvolledige optie: ${error.message}`);
      process.exit(1);
    }
    if (!(error instanceof Refusal)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
