// The server's life: a bad production configuration stops `node dist/server/entry.mjs` before it
// listens; SIGTERM and SIGINT let a request in flight finish, close the database cleanly (WAL
// checkpointed) and exit 0; a request that never ends does not hold the shutdown past its time-out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import { freePort, startPortal, type Portal } from '../support/processes.ts';

const exited = (portal: Portal): Promise<number | null> =>
  new Promise((resolve) => {
    if (portal.process.exitCode !== null) return resolve(portal.process.exitCode);
    portal.process.once('exit', (code) => resolve(code));
  });

type Answer = { status: number; location: string | undefined };

/** Starts a POST with its headers and half its body; `finish()` sends the rest and resolves with the answer. */
function slowPost(base: string, pathname: string, body: string): { finish: () => Promise<Answer>; answer: Promise<Answer> } {
  const url = new URL(pathname, base);
  const req = http.request(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body), Origin: base },
  });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
    });
    req.on('error', reject);
  });
  const half = Math.floor(body.length / 2);
  req.write(body.slice(0, half));
  req.flushHeaders();
  return {
    answer,
    finish: () => {
      req.end(body.slice(half));
      return answer;
    },
  };
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} during a slow POST: the request completes, the database is closed cleanly, exit code 0`, async () => {
    const name = `lifecycle-${signal.toLowerCase()}`;
    const portal = await startPortal(name, await freePort());
    const dbPath = path.resolve(`data/test/${name}/meldpunt.db`);
    const post = slowPost(portal.base, '/melden', 'acuteDanger=nee&website=');
    await new Promise((r) => setTimeout(r, 300));
    portal.process.kill(signal);
    const code = exited(portal);
    // The server stopped accepting: a new connection is refused.
    await new Promise((r) => setTimeout(r, 300));
    await assert.rejects(fetch(`${portal.base}/health`), 'a new request was accepted after the signal');
    assert.equal(portal.process.exitCode, null, 'the process ended before the request in flight was answered');
    const answer = await post.finish();
    assert.deepEqual(answer, { status: 303, location: '/melden/persoon' });
    assert.equal(await code, 0, portal.output());
    assert.match(portal.output(), new RegExp(`${signal}: stopping`));
    // Checkpointed and closed: no WAL content left behind, and the draft the POST made is in the file.
    assert.ok(!existsSync(`${dbPath}-wal`) || statSync(`${dbPath}-wal`).size === 0, 'WAL not checkpointed');
    const db = new Database(dbPath, { readonly: true });
    try {
      assert.equal((db.prepare('SELECT count(*) AS n FROM drafts').get() as { n: number }).n, 1);
    } finally {
      db.close();
    }
  });
}

test('a request that never ends does not hold the shutdown past SHUTDOWN_TIMEOUT_MS', async () => {
  const portal = await startPortal('lifecycle-timeout', await freePort(), { SHUTDOWN_TIMEOUT_MS: '800' });
  const post = slowPost(portal.base, '/melden', 'acuteDanger=nee&website=');
  post.answer.catch(() => undefined); // the body stays half-sent: the connection is cut at the time-out
  await new Promise((r) => setTimeout(r, 300));
  const started = Date.now();
  portal.process.kill('SIGTERM');
  assert.equal(await exited(portal), 0);
  const took = Date.now() - started;
  assert.ok(took >= 700 && took < 5000, `shutdown took ${took} ms`);
});

test('node dist/server/entry.mjs refuses a bad production configuration before listening, exit code 1', async () => {
  const dir = path.resolve('data/test/lifecycle-production');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/server/entry.mjs'], {
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), DATABASE_PATH: path.join(dir, 'meldpunt.db'), PUBLIC_URL: 'http://meldpunt.example.nl', MUNICIPALITY_CONFIG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 1, output);
  assert.match(output, /Refusing to start in production: PUBLIC_URL must be https; MUNICIPALITY_CONFIG is not set/);
  assert.doesNotMatch(output, /listening/);
  assert.equal(existsSync(path.join(dir, 'meldpunt.db')), false, 'the database was opened before the checks');
});

test('a portal with a dead letter starts and keeps running (degraded health is for monitoring, not a reason to stop)', async () => {
  const first = await startPortal('lifecycle-degraded', await freePort());
  const dbPath = path.resolve('data/test/lifecycle-degraded/meldpunt.db');
  await first.stop();
  const db = new Database(dbPath);
  const now = new Date().toISOString();
  db.prepare(`INSERT INTO outbox (kind, recipient, subject, text_body, html_body, message_id, state, next_attempt_at, created_at)
    VALUES ('coordinator_notification', 'oggz@test.example', 'Nieuwe melding', 'x', 'x', '<dead@test>', 'dead', ?, ?)`).run(now, now);
  db.close();
  const port = await freePort();
  const child = spawn(process.execPath, ['tests/support/serve.ts', 'lifecycle-degraded', String(port)], {
    env: { ...process.env, KEEP_DATA: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  try {
    const deadline = Date.now() + 20_000;
    while (!/answered 200: \{"status":"degraded"/.test(output)) {
      assert.equal(child.exitCode, null, output);
      assert.ok(Date.now() < deadline, `no health warning: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(child.exitCode, null, `the launcher stopped the portal: ${output}`);
    const response = await fetch(`http://localhost:${port}/melden`);
    assert.equal(response.status, 200);
    const health = await fetch(`http://localhost:${port}/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'degraded');
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
});
