// "Nothing lost": a report acknowledged to the resident (the 303 to the confirmation page) is in the
// SQLite file even when the server is killed with SIGKILL right after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import Database from 'better-sqlite3';
import { dhrP, residentSteps } from '../fixtures/cases.ts';
import { ReportClient } from '../support/report-client.ts';
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
