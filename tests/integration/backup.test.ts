// Online backup while the portal runs, and a restore that brings the reports back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { dhrP, residentSteps } from '../fixtures/cases.ts';
import { ReportClient } from '../support/report-client.ts';
import { freePort, startPortal } from '../support/processes.ts';

const dbPath = path.resolve('data/test/backup/meldpunt.db');
const run = (args: string[]) => execFileSync(process.execPath, ['src/cli/db.ts', ...args], { env: { ...process.env, DATABASE_PATH: dbPath }, encoding: 'utf8' });
const references = () => {
  const d = new Database(dbPath, { readonly: true });
  try {
    return (d.prepare('SELECT reference FROM reports ORDER BY id').all() as { reference: string }[]).map((r) => r.reference);
  } finally {
    d.close();
  }
};

test('db:backup copies a running database; db:restore brings it back', async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'mb-backup-')), 'backup.db');
  let portal = await startPortal('backup', await freePort(), { REPORTS_PER_HOUR_PER_IP: '1000' });
  try {
    const first = new ReportClient(portal.base);
    await first.fillAll(residentSteps(dhrP('backup')));
    const kept = await first.send();
    assert.match(run(['backup', file]), /Back-up geschreven/);
    const second = new ReportClient(portal.base);
    await second.fillAll(residentSteps(dhrP('backup')));
    const lost = await second.send();
    assert.deepEqual(references(), [kept, lost]);
    await portal.stop();

    assert.match(run(['restore', file]), /teruggezet/);
    assert.deepEqual(references(), [kept]);
    portal = await startPortal('backup', portal.port, {}, true);
    assert.equal((await fetch(`${portal.base}/health`)).status, 200);
    assert.throws(() => run(['backup', file]), /bestaat al/);
  } finally {
    await portal.stop('SIGKILL');
  }
});
