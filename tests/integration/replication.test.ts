// The restore drill (README "Replication and restore"): the portal runs under `npm run start:replicated`
// (Litestream, db/litestream.yml) with a file replica standing in for S3 while residents send reports; once the
// replica has them, the machine dies (SIGKILL to portal and Litestream alike) and its disk is lost; the portal
// refuses to start on an empty disk; `npm run db:restore-replica` brings the database back, the portal starts
// on it, and every report that a resident saw acknowledged is there. Then: SIGTERM stops the replicated portal
// quickly with exit code 0, a failing portal's exit code comes through Litestream, and the daily snapshot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { litestreamBinary } from '#cli/replica.ts';
import { dhrP, residentSteps } from '../fixtures/cases.ts';
import { ReportClient } from '../support/report-client.ts';
import { eventually, freePort } from '../support/processes.ts';

const root = path.resolve('data/test/replication');
const dataDir = path.join(root, 'data'); // the machine's disk
const dbPath = path.join(dataDir, 'meldpunt.db');
const replicaUrl = `file://${path.join(root, 'replica')}`; // elsewhere: S3
const snapshotDir = path.join(root, 'snapshots');
// The data key is kept apart from the disk (the README: in the municipality's vault); it survives the disk's loss.
const dataKeyFile = path.join(root, 'vault', 'data-key');

function settings(port: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_PATH: dbPath,
    DATA_KEY_FILE: dataKeyFile,
    MAIL_DIR: path.join(root, 'mail'),
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://localhost:${port}`,
    LITESTREAM_REPLICA_URL: replicaUrl,
    REPORTS_PER_HOUR_PER_IP: '100000',
    PDOK_LOCATIESERVER_URL: 'off',
    ...extra,
  };
  for (const key of ['NODE_ENV', 'WAL_CHECKPOINTS', 'SNAPSHOT_DIR', 'SNAPSHOT_KEEP', 'LITESTREAM_BIN']) if (!(key in extra)) delete env[key];
  return env;
}

interface Running {
  child: ChildProcess;
  base: string;
  output: () => string;
  exit: Promise<number | null>;
}

/** `npm run start:replicated` in a process group of its own (wrapper, Litestream, portal), so it can die as one machine. */
function startReplicated(port: number, extra: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, ['src/cli/replica.ts', 'start'], { env: settings(port, extra), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, base: `http://localhost:${port}`, output: () => output, exit };
}

async function healthy(running: Running): Promise<void> {
  await eventually(
    async () => {
      if (running.child.exitCode !== null) throw new Error(`start:replicated exited: ${running.output()}`);
      return fetch(`${running.base}/health`).then((r) => (r.ok ? true : undefined), () => undefined);
    },
    20_000,
    'the replicated portal',
  );
}

const references = (file: string): string[] => {
  const d = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (d.prepare('SELECT reference FROM reports ORDER BY id').all() as { reference: string }[]).map((r) => r.reference);
  } finally {
    d.close();
  }
};

const restoreCommand = (args: string[] = []) =>
  spawnSync(process.execPath, ['src/cli/replica.ts', 'restore', ...args], { env: settings(0), encoding: 'utf8' });

test('restore drill: reports sent while Litestream replicates survive the loss of the disk', async (t) => {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const binary = litestreamBinary();
  assert.ok(binary && existsSync(binary), 'no Litestream binary: npm ci installs @flydotio/litestream');
  const started = Date.now();
  let portal = startReplicated(await freePort());
  try {
    await healthy(portal);

    // Residents send reports, four at a time, for four seconds; a reference counts once its confirmation page showed it.
    const acknowledged: string[] = [];
    const writeUntil = Date.now() + 4000;
    const writer = async () => {
      while (Date.now() < writeUntil) {
        const client = new ReportClient(portal.base);
        await client.fillAll(residentSteps(dhrP('replicatie')));
        acknowledged.push(await client.send());
      }
    };
    await Promise.all([writer(), writer(), writer(), writer()]);
    const lastAcknowledged = Date.now();
    assert.ok(acknowledged.length >= 20, `only ${acknowledged.length} reports were sent`);

    // Litestream sends changes every second: wait until a restore from the replica holds every reference.
    const scratch = path.join(root, 'scratch');
    mkdirSync(scratch);
    let attempt = 0;
    await eventually(
      () => {
        const out = path.join(scratch, `${++attempt}.db`);
        const run = spawnSync(binary, ['restore', '-o', out, replicaUrl], { encoding: 'utf8' });
        if (run.status !== 0) return undefined;
        const inReplica = new Set(references(out));
        return acknowledged.every((r) => inReplica.has(r)) ? true : undefined;
      },
      15_000,
      'the replica to hold every acknowledged report',
    );
    const lag = Date.now() - lastAcknowledged;

    // The machine dies: no shutdown, no final sync. Then its disk is gone.
    process.kill(-portal.child.pid!, 'SIGKILL');
    await portal.exit;
    await assert.rejects(fetch(`${portal.base}/health`), 'something still answers after the kill');
    rmSync(dataDir, { recursive: true, force: true });

    // Starting on the empty disk would put an empty database in the replica as its newest: refused.
    const empty = startReplicated(await freePort());
    assert.equal(await empty.exit, 1);
    assert.match(empty.output(), /Er is geen database .* maar de replica .* heeft er wel een\. Zet die eerst terug met npm run db:restore-replica/s);
    assert.equal(existsSync(dbPath), false);

    const restored = restoreCommand();
    assert.equal(restored.status, 0, restored.stderr);
    assert.match(restored.stdout, new RegExp(`teruggezet uit ${replicaUrl}: ${acknowledged.length} meldingen, schema \\d+, integriteit gecontroleerd`));
    assert.match(restored.stdout, /gegevenssleutel \(DATA_KEY_FILE\) zit niet in de replica/);
    assert.deepEqual(references(dbPath).sort(), [...acknowledged].sort());
    const again = restoreCommand();
    assert.equal(again.status, 1);
    assert.match(again.stderr, /bestaat al; er is niets teruggezet/);

    // The portal starts on the restored database, under Litestream again, and takes its first daily snapshot
    // (SNAPSHOT_DIR): a day-old one and the operator's own copy lie there; with SNAPSHOT_KEEP=2 the oldest goes.
    mkdirSync(snapshotDir, { recursive: true });
    for (const name of ['meldpunt-20260101T020000Z.db', 'meldpunt-20260102T020000Z.db', 'eigen-kopie.db']) writeFileSync(path.join(snapshotDir, name), 'oud');
    portal = startReplicated(await freePort(), { SNAPSHOT_DIR: snapshotDir, SNAPSHOT_KEEP: '2' });
    await healthy(portal);
    const inPortal = new Set(references(dbPath));
    assert.deepEqual(acknowledged.filter((r) => !inPortal.has(r)), [], 'acknowledged reports missing after the restore');
    const snapshot = await eventually(() => readdirSync(snapshotDir).find((n) => /^meldpunt-2026(?!010)\d{4}T\d{6}Z\.db$/.test(n)), 10_000, 'the daily snapshot');
    assert.deepEqual(readdirSync(snapshotDir).sort(), ['eigen-kopie.db', 'meldpunt-20260102T020000Z.db', snapshot]);
    const copy = new Database(path.join(snapshotDir, snapshot), { readonly: true });
    assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
    copy.close();
    assert.deepEqual(references(path.join(snapshotDir, snapshot)).sort(), [...acknowledged].sort());

    // SIGTERM to every process, as systemd stops a service: the portal gets it twice (again from Litestream)
    // and still stops gracefully, at once (its checkpoint does not wait on Litestream's read lock), exit code 0.
    const stopping = Date.now();
    process.kill(-portal.child.pid!, 'SIGTERM');
    assert.equal(await portal.exit, 0, portal.output());
    const stopMs = Date.now() - stopping;
    assert.ok(stopMs < 4000, `stopping took ${stopMs} ms`);
    assert.equal(portal.output().match(/server: stopped/g)?.length, 1, portal.output());
    assert.match(portal.output(), /litestream shut down/);

    t.diagnostic(
      `${acknowledged.length} reports acknowledged in 4 s, all ${acknowledged.length} restored; in the replica ${lag} ms after the last ` +
        `acknowledgement; stop under Litestream ${stopMs} ms; drill ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    if (portal.child.exitCode === null && portal.child.signalCode === null) process.kill(-portal.child.pid!, 'SIGKILL');
  }
});

test('a portal that cannot start ends start:replicated with its failure (exit code 1), through Litestream', async () => {
  assert.ok(existsSync(dbPath), 'runs after the drill, on its restored database');
  const failing = startReplicated(await freePort(), { NODE_ENV: 'production' });
  try {
    assert.equal(await failing.exit, 1);
    assert.match(failing.output(), /Refusing to start in production/);
    assert.match(failing.output(), /subprocess exited, litestream shutting down/);
  } finally {
    if (failing.child.exitCode === null) process.kill(-failing.child.pid!, 'SIGKILL');
  }
});

test('without LITESTREAM_REPLICA_URL, start:replicated says so and runs the portal alone', async () => {
  const alone = startReplicated(await freePort(), { LITESTREAM_REPLICA_URL: '' });
  try {
    await healthy(alone);
    assert.match(alone.output(), /Replicatie staat uit \(LITESTREAM_REPLICA_URL is niet gezet\); de portal start zonder\./);
    assert.doesNotMatch(alone.output(), /msg=litestream|Replicatie staat aan/);
    alone.child.kill('SIGTERM');
    assert.equal(await alone.exit, 0, alone.output());
  } finally {
    if (alone.child.exitCode === null) process.kill(-alone.child.pid!, 'SIGKILL');
  }
});

test('npm run db:snapshot: a checked copy in SNAPSHOT_DIR; the newest SNAPSHOT_KEEP stay, other files are never touched', () => {
  const before = readdirSync(snapshotDir).filter((n) => n.startsWith('meldpunt-')).sort();
  const out = execFileSync(process.execPath, ['src/cli/db.ts', 'snapshot'], {
    env: settings(0, { SNAPSHOT_DIR: snapshotDir, SNAPSHOT_KEEP: '2' }),
    encoding: 'utf8',
  });
  const reports = references(dbPath).length;
  assert.match(out, new RegExp(`Momentopname geschreven: .*meldpunt-\\d{8}T\\d{6}Z\\.db \\(gecontroleerd, ${reports} meldingen\\)`));
  assert.match(out, /1 oudere momentopname\(n\) verwijderd; de nieuwste 2 blijven bewaard/);
  const after = readdirSync(snapshotDir).sort();
  const newest = after.filter((n) => n.startsWith('meldpunt-')).at(-1)!;
  assert.deepEqual(after, ['eigen-kopie.db', before.at(-1), newest]);
  assert.equal(references(path.join(snapshotDir, newest)).length, reports);
});
