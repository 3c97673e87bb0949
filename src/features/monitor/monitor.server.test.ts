import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { useTempDatabase } from '#tests/support/unit-db.ts';

/** The monitor's services and handlers: the export's audit row in the same transaction as the read. */

useTempDatabase('monitor-service');
const { exportMonitorCsv, monitorView } = await import('./monitor.server.ts');
const { monitorExport, monitorPage } = await import('./monitor.handler.server.ts');
const { computeMonitor, stopMonitorReader } = await import('./monitor.reader.server.ts');
const { insertUser, findUserById, publicUser } = await import('#features/auth/users.repo.server.ts');
const { db } = await import('#platform/db.ts');
type StaffSession = import('#features/auth/login.server.ts').StaffSession;

const PERIOD = { from: '2026-03-01', to: '2026-03-31', areaBy: 'dorp' as const };

db().exec(`INSERT INTO reports (reference, channel, created_at, updated_at, acute_danger, suggested_urgency, urgency, due_on, woonplaats)
           VALUES ('MB-AAAA2345', 'inwoner', '2026-03-02T10:00:00.000Z', '2026-03-02T10:00:00.000Z', 0, 'normaal', 'normaal', '2026-03-05', '=Leek'),
                  ('MB-BBBB2345', 'kcc', '2026-03-03T10:00:00.000Z', '2026-03-03T10:00:00.000Z', 0, 'normaal', 'normaal', '2026-03-06', 'Marum'),
                  ('MB-CCCC2345', 'politie', '2026-03-04T10:00:00.000Z', '2026-03-04T10:00:00.000Z', 0, 'normaal', 'normaal', '2026-03-09', 'Marum')`);

const id = insertUser({ email: 'carla@test.example', name: 'Carla', role: 'coordinator', passwordHash: 'x', totpSecret: 'x' });
const user = publicUser(findUserById(id)!);
const at = new Date().toISOString();
const staff: StaffSession = { user, session: { tokenHash: 't', userId: id, stage: 'complete', returnTo: undefined, createdAt: at, lastSeenAt: at, expiresAt: at } };

type AuditRow = Record<string, unknown>;
const auditRows = (): AuditRow[] => db().prepare("SELECT * FROM audit_log WHERE action = 'monitor_geexporteerd' ORDER BY id").all() as AuditRow[];

after(() => stopMonitorReader());

describe('monitorView', () => {
  test('is the labelled monitor of the counts, computed in the reader thread as directly', async () => {
    const m = await monitorView(PERIOD, '2026-04-15');
    assert.deepEqual(m, computeMonitor(PERIOD, '2026-04-15'));
    assert.equal(m.total, 3);
    const channels = m.breakdowns.find((b) => b.key === 'kanaal')?.rows ?? [];
    assert.deepEqual([...channels].sort((a, b) => a.label.localeCompare(b.label)), [{ label: 'Inwoner', count: 1 }, { label: 'KCC', count: 1 }, { label: 'Politie', count: 1 }]);
  });

  test('the reader thread sees what the server wrote after it started, and equals the direct figures for every breakdown', async () => {
    await monitorView(PERIOD, '2026-04-15');
    db().exec(`INSERT INTO reports (reference, channel, created_at, updated_at, acute_danger, suggested_urgency, urgency, due_on, woonplaats, wijk_name,
                                    status, ave_phase, outcome, triaged_at, case_director, closed_at)
               VALUES ('MB-EEEE2345', 'boa', '2026-03-10T10:00:00.000Z', '2026-03-10T10:00:00.000Z', 0, 'hoog', 'hoog', '2026-03-11', 'Leek', 'Wijk 01 Leek',
                       'afgesloten', 'ave2', 'sociaal_team', '2026-03-10T20:30:00.000Z', 'Sociaal team', '2026-03-20T10:00:00.000Z'),
                      ('MB-DDDD2345', 'inwoner', '2026-03-11T10:00:00.000Z', '2026-03-11T10:00:00.000Z', 1, 'normaal', 'normaal', '2026-03-12', NULL, NULL,
                       'acuut_doorgezet', 'onbekend', NULL, NULL, NULL, NULL)`);
    for (const areaBy of ['dorp', 'wijk'] as const) {
      const period = { ...PERIOD, areaBy };
      const m = await monitorView(period, '2026-04-15');
      assert.deepEqual(m, computeMonitor(period, '2026-04-15'), areaBy);
      assert.equal(m.total, 4);
      assert.equal(m.acute, 1);
      assert.equal(m.triage.triaged, 1);
      assert.equal(m.triage.medianHours, 10.5);
    }
    // The tests below count the first three reports only.
    db().exec("DELETE FROM reports WHERE reference IN ('MB-EEEE2345', 'MB-DDDD2345')");
    assert.equal((await monitorView(PERIOD, '2026-04-15')).total, 3);
  });

  test('a period that is not one is refused before the reader thread is asked', async () => {
    await assert.rejects(monitorView({ from: '2026-02-30', to: '2026-03-31', areaBy: 'dorp' }, '2026-04-15'));
  });
});

describe('exportMonitorCsv', () => {
  test('writes one audit row with the actor, the period and the time given, and returns the CSV', async () => {
    const before = auditRows().length;
    const csv = await exportMonitorCsv(PERIOD, '2026-04-15', { id, role: 'coordinator', ip: '192.0.2.7' }, new Date('2026-04-15T09:00:00.000Z'));
    assert.match(csv, /^\uFEFF"onderdeel";"waarde";"aantal"\r\n"periode";"2026-03-01 t\/m 2026-03-31";"3"\r\n/);
    // The police channel is counted under its label.
    assert.match(csv, /"Kanaal";"Politie";"1"/);
    // A place that reads as a formula is defused.
    assert.match(csv, /"Gebied: dorp";"'=Leek";"1"/);
    const rows = auditRows();
    assert.equal(rows.length, before + 1);
    assert.deepEqual(rows.at(-1), {
      id: rows.at(-1)?.['id'],
      at: '2026-04-15T09:00:00.000Z',
      actor_id: id,
      actor_role: 'coordinator',
      action: 'monitor_geexporteerd',
      object_type: 'export',
      object_id: '2026-03-01/2026-03-31',
      result: 'gelukt',
      on_behalf_of: null,
      client_ip: '192.0.2.7',
      detail: null,
    });
  });

  test('when the read fails, no audit row is written', async () => {
    const before = auditRows().length;
    // A period whose start is not a day: the bounds cannot be computed, so nothing is exported.
    await assert.rejects(exportMonitorCsv({ from: '2026-02-30', to: '2026-03-31', areaBy: 'dorp' }, '2026-04-15', { id, role: 'coordinator' }, new Date()));
    assert.equal(auditRows().length, before);
  });
});

describe('monitor handlers', () => {
  test('the page renders the period asked for, with the export link of the same period', async () => {
    const outcome = await monitorPage({ url: new URL('http://localhost/intern/monitor?van=2026-03-01&tot=2026-03-31') });
    assert.equal(outcome.kind, 'render');
    if (outcome.kind !== 'render') return;
    assert.equal(outcome.status, 200);
    assert.deepEqual(outcome.view.monitor.period, PERIOD);
    assert.equal(outcome.view.monitor.total, 3);
    assert.equal(outcome.view.exportHref, '/intern/monitor/export.csv?van=2026-03-01&tot=2026-03-31&gebied=dorp');
    const byWijk = await monitorPage({ url: new URL('http://localhost/intern/monitor?van=2026-03-01&tot=2026-03-31&gebied=wijk') });
    assert.equal(byWijk.kind === 'render' && byWijk.view.exportHref, '/intern/monitor/export.csv?van=2026-03-01&tot=2026-03-31&gebied=wijk');
    assert.equal(byWijk.kind === 'render' && byWijk.view.charts.find((c) => c.key === 'gebied')?.title, 'Gebied: wijk');
  });

  test('a date that is not one (year 9999, 30 February, text) gets a 400 with the form and the message, never a 500', async () => {
    for (const query of ['van=9999-01-01&tot=9999-12-31', 'van=2026-02-30', 'tot=morgen', 'van=0001-01-01']) {
      const outcome = await monitorPage({ url: new URL(`http://localhost/intern/monitor?${query}`) });
      assert.equal(outcome.kind, 'render', query);
      if (outcome.kind !== 'render') continue;
      assert.equal(outcome.status, 400, query);
      assert.ok(Object.values(outcome.view.errors).every((m) => /^Vul bij "(Vanaf|Tot en met)" een bestaande datum in tussen 2000 en 2999$/.test(m!)), query);
      assert.ok(Object.keys(outcome.view.errors).length > 0, query);
    }
    const both = await monitorPage({ url: new URL('http://localhost/intern/monitor?van=9999-01-01&tot=9999-12-31') });
    assert.deepEqual(both.kind === 'render' && both.view.typed, { van: '9999-01-01', tot: '9999-12-31' });
    // The CSV of such a period goes back to the page, which says what is wrong; nothing is exported or audited.
    const before = auditRows().length;
    const csv = await monitorExport({ url: new URL('http://localhost/intern/monitor/export.csv?van=9999-01-01&tot=9999-12-31'), locals: { staff, clientIp: '192.0.2.7' } as App.Locals });
    assert.equal(csv.status, 303);
    assert.equal(csv.headers.get('Location'), '/intern/monitor?van=9999-01-01&tot=9999-12-31');
    assert.equal(auditRows().length, before);
  });

  test('the export without a staff member is refused and audits nothing', async () => {
    const before = auditRows().length;
    const response = await monitorExport({ url: new URL('http://localhost/intern/monitor/export.csv'), locals: {} });
    assert.equal(response.status, 403);
    assert.equal(auditRows().length, before);
  });

  test('the export answers a CSV download named after the period, audited with the client address', async () => {
    const before = auditRows().length;
    const response = await monitorExport({ url: new URL('http://localhost/intern/monitor/export.csv?van=2026-03-31&tot=2026-03-01'), locals: { staff, clientIp: '198.51.100.4' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(response.headers.get('content-disposition'), 'attachment; filename="ave-monitor-2026-03-01-2026-03-31.csv"');
    assert.match(await response.text(), /"periode";"2026-03-01 t\/m 2026-03-31";"3"/);
    const rows = auditRows();
    assert.equal(rows.length, before + 1);
    assert.equal(rows.at(-1)?.['client_ip'], '198.51.100.4');
    assert.equal(rows.at(-1)?.['object_id'], '2026-03-01/2026-03-31');
  });
});
