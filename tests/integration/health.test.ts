// /health tells the truth (README "Monitoring"): on a tiny filesystem (a tmpfs mount; CI runs as root)
// it turns 503 when the disk is full and back to 200 when there is room; a schema that is not current
// and dead or late mail make it fail too, with counts and never content.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { freePort, startPortal } from '../support/processes.ts';

const MB = 1024 * 1024;

async function health(base: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}/health`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A 16 MB tmpfs, or the reason it cannot be mounted here. */
function tinyFilesystem(): { dir: string; release: () => void } | { reason: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'mb-health-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return { reason: String((error as { stderr?: Buffer }).stderr ?? error).trim() };
  }
  return {
    dir,
    release: () => {
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('a full disk turns /health red (503); room again turns it green', async () => {
  const fs = tinyFilesystem();
  if ('reason' in fs) {
    // Only where mounting is impossible: the threshold is put above the free space instead.
    console.log(`health: no tmpfs (${fs.reason}); simulating a full disk with HEALTH_MIN_FREE_MB above the free space`);
    mkdirSync('data/test', { recursive: true });
    const free = Number(statfsSync('data/test').bavail) * Number(statfsSync('data/test').bsize);
    const portal = await startPortal('health-full', await freePort(), { HEALTH_MIN_FREE_MB: String(Math.ceil(free / MB) + 1024) }).catch((e: Error) => e);
    // startPortal waits for a 200, which a full disk must never give.
    assert.ok(portal instanceof Error, 'the portal reported healthy on a full disk');
    return;
  }
  const dbPath = path.join(fs.dir, 'meldpunt.db');
  const portal = await startPortal('health-tmpfs', await freePort(), { DATABASE_PATH: dbPath, HEALTH_MIN_FREE_MB: '2' });
  try {
    assert.deepEqual(await health(portal.base), {
      status: 200,
      body: { status: 'ok', database: { writable: 'ok', disk: 'ok', migrations: 'ok' }, mail: { dead: 0, late: 0 } },
    });
    // Fill the filesystem until less than 1 MB is left.
    const filler = path.join(fs.dir, 'filler');
    const free = Number(statfsSync(fs.dir).bavail) * Number(statfsSync(fs.dir).bsize);
    writeFileSync(filler, Buffer.alloc(free - MB / 2));
    const full = await health(portal.base);
    assert.equal(full.status, 503);
    assert.deepEqual(full.body, { status: 'unavailable', database: { writable: 'ok', disk: 'fout', migrations: 'ok' } });
    rmSync(filler);
    assert.equal((await health(portal.base)).status, 200);
  } finally {
    await portal.stop();
    fs.release();
  }
});

test('migrations not current: 503; dead letters and mail older than an hour: 200 degraded, with counts only', async () => {
  const portal = await startPortal('health-state', await freePort());
  const db = new Database(path.resolve('data/test/health-state/meldpunt.db'), { fileMustExist: true });
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    db.pragma(`user_version = ${version - 1}`);
    const stale = await health(portal.base);
    assert.equal(stale.status, 503);
    assert.deepEqual(stale.body, { status: 'unavailable', database: { writable: 'ok', disk: 'ok', migrations: 'fout' } });
    db.pragma(`user_version = ${version}`);
    assert.equal((await health(portal.base)).status, 200);

    const insert = db.prepare(`INSERT INTO outbox (kind, recipient, subject, text_body, html_body, message_id, state, next_attempt_at, created_at)
      VALUES ('coordinator_notification', 'oggz@test.example', 'Nieuwe melding', 'Dhr. P. geheim', 'geheim', ?, 'dead', ?, ?)`);
    const at = new Date().toISOString();
    insert.run('<dead-1@test>', at, at);
    const degraded = await health(portal.base);
    // Reports are still stored: 200 (spec §1), the body says what is wrong.
    assert.equal(degraded.status, 200);
    assert.deepEqual(degraded.body, { status: 'degraded', database: { writable: 'ok', disk: 'ok', migrations: 'ok' }, mail: { dead: 1, late: 0 } });
    assert.doesNotMatch(JSON.stringify(degraded.body), /geheim|oggz|Nieuwe/);
  } finally {
    db.close();
    await portal.stop();
  }
});
