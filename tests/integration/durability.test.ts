// "Nothing lost": a report acknowledged to the resident (the 303 to the confirmation page) is in the
// SQLite file even when the server is killed with SIGKILL right after, also while reports arriving together
// share a group commit; and a draft is sent at most once.
import { createHash } from 'node:crypto';
import net from 'node:net';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import Database from 'better-sqlite3';
import { dhrP, kccForm, residentSteps } from '../fixtures/cases.ts';
import { ReportClient } from '../support/report-client.ts';
import { StaffClient } from '../support/staff-client.ts';
import { freePort, startPortal } from '../support/processes.ts';

test('an acknowledged report survives kill -9 of the server', async () => {
  const portal = await startPortal('durability', await freePort(), { REPORTS_PER_HOUR_PER_IP: '1000' });
  try {
    const references: string[] = [];
    for (let i = 0; i < 5; i++) {
      const client = new ReportClient(portal.base);
      await client.fillAll(residentSteps(dhrP('durability')));
      const response = await client.post('/melden/controleren', {});
      assert.equal(response.status, 303);
      references.push((await client.get('/melden/bedankt').then((r) => r.text())).match(/MB-[A-HJKMNP-Z2-9]{8}/)![0]);
    }
    await portal.stop('SIGKILL');
    const db = new Database(path.resolve('data/test/durability/meldpunt.db'), { fileMustExist: true });
    const stored = db.prepare('SELECT reference FROM reports ORDER BY id').all() as { reference: string }[];
    db.close();
    assert.deepEqual(stored.map((r) => r.reference), references);
  } finally {
    await portal.stop('SIGKILL');
  }
});

/** The SHA-256 of a client's draft token (its cookie), as the drafts table keys it. */
function draftKey(client: ReportClient): string {
  return createHash('sha256').update(client.draftToken()).digest('hex');
}

/**
 * Sends the same POST on `n` connections at the same instant: the sockets connect first, then every request
 * is written in one go, so the server reads them in the same turn of its event loop (a double click, two tabs).
 * Returns each answer's status line and Location.
 */
async function sendAtOnce(base: string, requestPath: string, cookie: string, n: number, body = ''): Promise<{ status: number; location: string | undefined }[]> {
  const url = new URL(base);
  const sockets = await Promise.all(
    Array.from({ length: n }, () => new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () => resolve(socket));
      socket.once('error', reject);
    })),
  );
  const answers = sockets.map(
    (socket) =>
      new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
        socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]), location: /\r\nlocation: ([^\r]*)/i.exec(text)?.[1] }));
        socket.on('error', reject);
      }),
  );
  const request =
    `POST ${requestPath} HTTP/1.1\r\nHost: ${url.host}\r\nOrigin: ${base}\r\nCookie: ${cookie}\r\n` +
    `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
  for (const socket of sockets) socket.write(request);
  return Promise.all(answers);
}

test('a draft sent twice at once (double click, two tabs) or again later (replay) stores one report', async () => {
  const portal = await startPortal('durability-double', await freePort(), { REPORTS_PER_HOUR_PER_IP: '1000' });
  try {
    const client = new ReportClient(portal.base);
    await client.fillAll(residentSteps(dhrP('dubbel')));
    // Eight sends of the same draft at the same moment: they arrive together and share a group commit.
    const answers = await sendAtOnce(portal.base, '/melden/controleren', `mb_melding=${client.draftToken()}`, 8);
    assert.deepEqual(answers, Array.from({ length: 8 }, () => ({ status: 303, location: '/melden/bedankt' })));
    const page = await (await client.get('/melden/bedankt')).text();
    const reference = /MB-[A-HJKMNP-Z2-9]{8}/.exec(page)?.[0];
    assert.ok(reference, 'the confirmation page shows the reference');
    // A replayed post later: the confirmation again, nothing stored.
    const replay = await client.post('/melden/controleren', {});
    assert.equal(replay.status, 303);
    const db = new Database(path.resolve('data/test/durability-double/meldpunt.db'), { fileMustExist: true, readonly: true });
    try {
      const stored = db.prepare('SELECT reference FROM reports').all() as { reference: string }[];
      assert.deepEqual(stored.map((r) => r.reference), [reference]);
      const audited = db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'melding_aangemaakt'").get() as { n: number };
      assert.equal(audited.n, 1);
      const mail = db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number };
      assert.equal(mail.n, 2, 'one notification and one confirmation, not eight of each');
    } finally {
      db.close();
    }
  } finally {
    await portal.stop('SIGKILL');
  }
});

test('kill -9 during group-committed load: every acknowledged report is stored, none twice', async () => {
  const portal = await startPortal('durability-load', await freePort(), { REPORTS_PER_HOUR_PER_IP: '100000' });
  const clients: ReportClient[] = [];
  try {
    const total = 40;
    for (let i = 0; i < total; i += 8) {
      const batch = Array.from({ length: Math.min(8, total - i) }, () => new ReportClient(portal.base));
      await Promise.all(batch.map((c, j) => c.fillAll(residentSteps(dhrP(`last${i + j}`)))));
      clients.push(...batch);
    }
    const acknowledged: ReportClient[] = [];
    let killed: Promise<void> | undefined;
    // All sends at once; the server is killed as soon as a quarter of them has been answered.
    await Promise.allSettled(
      clients.map(async (client) => {
        const answer = await client.post('/melden/controleren', {});
        if (answer.status === 303 && answer.headers.get('location') === '/melden/bedankt') acknowledged.push(client);
        if (acknowledged.length >= total / 4 && !killed) killed = portal.stop('SIGKILL');
      }),
    );
    await (killed ?? portal.stop('SIGKILL'));
    assert.ok(acknowledged.length >= total / 4, `${acknowledged.length} acknowledged before the kill`);
    const db = new Database(path.resolve('data/test/durability-load/meldpunt.db'), { fileMustExist: true });
    try {
      const reports = new Set((db.prepare('SELECT reference FROM reports').all() as { reference: string }[]).map((r) => r.reference));
      const sentReference = db.prepare('SELECT submitted_reference AS reference FROM drafts WHERE token_hash = ?');
      for (const client of acknowledged) {
        const row = sentReference.get(draftKey(client)) as { reference: string | null } | undefined;
        assert.ok(row?.reference, 'an acknowledged draft is marked sent');
        assert.ok(reports.has(row.reference), `acknowledged report ${row.reference} is stored`);
      }
      // Every stored report belongs to exactly one sent draft: nothing half-written, nothing twice.
      const sent = (db.prepare('SELECT submitted_reference AS reference FROM drafts WHERE submitted_reference IS NOT NULL').all() as { reference: string }[]).map((r) => r.reference);
      assert.deepEqual([...reports].sort(), [...sent].sort());
      assert.ok(reports.size <= total);
    } finally {
      db.close();
    }
  } finally {
    await portal.stop('SIGKILL');
  }
});

test('a KCC form sent twice at once, or again later, saves one report', async () => {
  const portal = await startPortal('durability-kcc', await freePort(), { REPORTS_PER_HOUR_PER_IP: '1000', PDOK_LOCATIESERVER_URL: 'off' });
  try {
    const dbPath = path.resolve('data/test/durability-kcc/meldpunt.db');
    const agent = await StaffClient.create(portal.base, dbPath, 'kcc');
    const page = await (await agent.get('/intern/kcc/melding')).text();
    const formKey = /name="formulier" value="([^"]+)"/.exec(page)?.[1];
    assert.ok(formKey, 'the form carries its key');
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries({ ...kccForm(dhrP('kccdubbel')), formulier: formKey })) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    }
    const answers = await sendAtOnce(portal.base, '/intern/kcc/melding', agent.cookieHeader(), 6, body.toString());
    const locations = new Set(answers.map((a) => a.location));
    assert.deepEqual(answers.map((a) => a.status), Array(6).fill(303));
    assert.equal(locations.size, 1, `every send leads to the same saved report: ${[...locations].join(', ')}`);
    const [location] = [...locations];
    assert.match(location ?? '', /^\/intern\/kcc\/opgeslagen\/MB-[A-HJKMNP-Z2-9]{8}$/);
    // Sent again later (Back and send): the same saved report, nothing new.
    const replay = await agent.post('/intern/kcc/melding', Object.fromEntries(body));
    assert.equal(replay.status, 303);
    assert.equal(replay.headers.get('location'), location);
    // A new form (a fresh key) saves a new report.
    const fresh = /name="formulier" value="([^"]+)"/.exec(await (await agent.get('/intern/kcc/melding')).text())?.[1];
    assert.ok(fresh && fresh !== formKey);
    const db = new Database(dbPath, { fileMustExist: true, readonly: true });
    try {
      const stored = db.prepare("SELECT reference FROM reports WHERE channel = 'kcc'").all() as { reference: string }[];
      assert.deepEqual(stored.map((r) => `/intern/kcc/opgeslagen/${r.reference}`), [location]);
    } finally {
      db.close();
    }
  } finally {
    await portal.stop('SIGKILL');
  }
});
