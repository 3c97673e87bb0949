// E-mail through the outbox, end to end: the built portal, a real SMTP server on loopback, the
// resident form posted over HTTP. (spec §7, issue "E-mail through a transactional outbox")
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import Database from 'better-sqlite3';
import { dhrE, residentSteps, type Case } from '../fixtures/cases.ts';
import { ReportClient } from '../support/report-client.ts';
import { eventually, freePort, startPortal, type Portal } from '../support/processes.ts';
import { TestSmtp } from '../support/smtp.ts';
import { StaffClient } from '../support/staff-client.ts';

const MARKER_DESCRIPTION = 'MARKERBESCHRIJVING-7Q';
const MARKER_NAME = 'MARKERNAAM-8R';
const MARKER_STREET = 'MARKERSTRAAT-9S';
const COORDINATORS = 'coordinatoren@test.example';

/** Dhr. E. (tests/fixtures/cases.ts) with markers in his name, his street and the description; the reporter gives `email`. */
function dhrEWithMarkers(email: string): Case {
  const c = dhrE(MARKER_DESCRIPTION);
  return {
    ...c,
    person: { ...c.person, name: MARKER_NAME, street: MARKER_STREET },
    reporter: { ...c.reporter, name: MARKER_NAME, phone: undefined, email },
  };
}

const answers = (email: string) => residentSteps(dhrEWithMarkers(email));

function dbOf(name: string): Database.Database {
  return new Database(path.resolve('data/test', name, 'meldpunt.db'), { readonly: true, fileMustExist: true });
}

function outboxStates(name: string): { kind: string; state: string; attempts: number; last_error: string | null }[] {
  const db = dbOf(name);
  try {
    return db.prepare('SELECT kind, state, attempts, last_error FROM outbox ORDER BY id').all() as never;
  } finally {
    db.close();
  }
}

function mailText(mail: { subject?: string | undefined; text?: string | undefined; html?: string | false }): string {
  return `${mail.subject ?? ''}\n${mail.text ?? ''}\n${mail.html || ''}`;
}

const smtp = new TestSmtp();
let smtpPort = 0;
const portals: Portal[] = [];

async function portal(name: string, extra: Record<string, string> = {}, keepData = false): Promise<Portal> {
  const p = await startPortal(name, await freePort(), {
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    COORDINATOR_EMAIL: COORDINATORS,
    MAIL_RETRY_BASE_MS: '300',
    MAIL_POLL_MS: '200',
    REPORTS_PER_HOUR_PER_IP: '1000',
    ...extra,
  }, keepData);
  portals.push(p);
  return p;
}

before(async () => {
  smtpPort = await smtp.start();
});

after(async () => {
  await Promise.all(portals.map((p) => p.stop('SIGKILL')));
  await smtp.stop();
});

describe('mail through the outbox', () => {
  test('Dhr E. with an e-mail address: confirmation and notification arrive, with the reference and nothing of the report', async () => {
    const p = await portal('mail-happy');
    const reporter = 'melder-happy@test.example';
    const client = new ReportClient(p.base);
    await client.fillAll(answers(reporter));
    const reference = await client.send();

    const confirmation = await eventually(() => smtp.to(reporter)[0], 10_000, 'confirmation');
    const notification = await eventually(
      () => smtp.to(COORDINATORS).find((m) => (m.subject ?? '').includes(reference)),
      10_000,
      'notification',
    );
    assert.equal(confirmation.subject, `Bevestiging van uw melding ${reference}`);
    assert.match(confirmation.text ?? '', new RegExp(reference));
    assert.match(notification.text ?? '', new RegExp(`Kanaal: Inwoner`));
    assert.match(notification.text ?? '', /Voorgestelde urgentie: Hoog/);
    assert.match(notification.text ?? '', new RegExp(`${p.base.replace(/[/.:]/g, '\\$&')}/intern/triage/${reference}`));
    assert.ok(confirmation.messageId && notification.messageId);
    for (const mail of [confirmation, notification]) {
      const all = mailText(mail);
      const { postcode, place } = dhrEWithMarkers(reporter).person;
      for (const marker of [MARKER_DESCRIPTION, MARKER_NAME, MARKER_STREET, postcode!.slice(0, 4), place!]) {
        assert.ok(!all.includes(marker), `a mail contains "${marker}"`);
      }
    }
    // Once sent, the reporter's address is no longer kept in the outbox.
    await eventually(() => (outboxStates('mail-happy').every((r) => r.state === 'sent') ? true : undefined), 5_000, 'sent');
    const db = dbOf('mail-happy');
    const rows = db.prepare("SELECT recipient FROM outbox WHERE kind = 'reporter_confirmation'").all() as { recipient: string }[];
    db.close();
    assert.deepEqual(rows, [{ recipient: '' }]);
  });

  test('anonymous report: only the notification, no confirmation', async () => {
    const p = await portal('mail-anonymous');
    const client = new ReportClient(p.base);
    const steps = residentSteps(dhrE('anoniem'));
    await client.fillAll({ ...steps, overU: { reporterRelation: 'familie', anonymous: 'ja', reporterEmail: 'anoniem@test.example' } });
    const reference = await client.send();
    await eventually(() => smtp.to(COORDINATORS).find((m) => (m.subject ?? '').includes(reference)), 10_000, 'notification');
    assert.equal(smtp.to('anoniem@test.example').length, 0);
    assert.deepEqual(outboxStates('mail-anonymous').map((r) => r.kind), ['coordinator_notification']);
  });

  test('SMTP server down: the report is stored at once; started again on the same port, the mail arrives once', async () => {
    const down = new TestSmtp();
    const downPort = await freePort();
    const p = await portal('mail-down', { SMTP_URL: `smtp://127.0.0.1:${downPort}` });
    const reporter = 'melder-down@test.example';
    const client = new ReportClient(p.base);
    await client.fillAll(answers(reporter));
    const started = performance.now();
    const reference = await client.send();
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 1000, `sending took ${Math.round(elapsed)} ms with the mail server down`);
    const db = dbOf('mail-down');
    assert.equal((db.prepare('SELECT count(*) AS n FROM reports WHERE reference = ?').get(reference) as { n: number }).n, 1);
    db.close();
    await eventually(() => (outboxStates('mail-down').some((r) => r.attempts > 0 && r.state === 'pending') ? true : undefined), 10_000, 'a failed attempt');

    await down.start(downPort);
    try {
      await eventually(() => down.to(reporter)[0], 20_000, 'confirmation after restart of SMTP');
      await eventually(() => (outboxStates('mail-down').every((r) => r.state === 'sent') ? true : undefined), 20_000, 'all sent');
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(down.to(reporter).length, 1, 'the confirmation arrived more than once');
      assert.equal(down.to(COORDINATORS).filter((m) => (m.subject ?? '').includes(reference)).length, 1);
    } finally {
      await down.stop();
    }
  });

  test('550: dead letter with its error and no address; 451: retried, then delivered', async () => {
    const p = await portal('mail-refused');
    const dead = 'weigeren@test.example';
    const later = 'later@test.example';
    let refusals = 0;
    smtp.refuse = (recipient) => {
      if (recipient === dead) return 550;
      if (recipient === later && refusals++ < 2) return 451;
      return undefined;
    };
    try {
      const a = new ReportClient(p.base);
      await a.fillAll(answers(dead));
      await a.send();
      const b = new ReportClient(p.base);
      await b.fillAll(answers(later));
      await b.send();
      await eventually(() => smtp.to(later)[0], 20_000, 'delivery after 451');
      const rows = await eventually(() => {
        const r = outboxStates('mail-refused').filter((x) => x.kind === 'reporter_confirmation');
        return r.length === 2 && r[0]!.state === 'dead' && r[1]!.state === 'sent' ? r : undefined;
      }, 20_000, 'dead letter and delivery');
      assert.equal(rows[0]!.attempts, 1, 'a 550 must not be retried');
      assert.match(rows[0]!.last_error ?? '', /550/);
      assert.ok(!(rows[0]!.last_error ?? '').includes(dead), 'the dead letter error holds the address');
      assert.ok(rows[1]!.attempts >= 3, `451 should have been retried, attempts=${rows[1]!.attempts}`);
      assert.equal(smtp.to(dead).length, 0);

      // The admin sees the dead letter with its error (no address, no content) and can retry it.
      const admin = await StaffClient.create(p.base, path.resolve('data/test/mail-refused/meldpunt.db'), 'admin');
      const page = await (await admin.get('/intern/beheer/mail')).text();
      assert.match(page, /id="mail-dead">1</);
      assert.match(page, /550/);
      assert.ok(!page.includes(dead) && !page.includes(MARKER_DESCRIPTION), 'the admin view shows an address or content');
      const deadId = /name="id" value="(\d+)"/.exec(page)?.[1];
      assert.ok(deadId, 'no retry button');
      smtp.refuse = () => undefined;
      const retry = await admin.post('/intern/beheer/mail', { id: deadId });
      assert.equal(retry.status, 303);
      await eventually(() => smtp.to(dead)[0], 20_000, 'the retried dead letter');
      const db = dbOf('mail-refused');
      const audited = db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'mail_opnieuw' AND result = 'gelukt'").get() as { n: number };
      db.close();
      assert.equal(audited.n, 1);
    } finally {
      smtp.refuse = () => undefined;
    }
  });

  test('portal restarted with pending mail: delivered after the restart', async () => {
    const downPort = await freePort();
    const first = await portal('mail-restart', { SMTP_URL: `smtp://127.0.0.1:${downPort}` });
    const reporter = 'melder-restart@test.example';
    const client = new ReportClient(first.base);
    await client.fillAll(answers(reporter));
    const reference = await client.send();
    await first.stop('SIGKILL');
    assert.ok(outboxStates('mail-restart').every((r) => r.state === 'pending'));

    const up = new TestSmtp();
    await up.start(downPort);
    try {
      await startPortalAgain(first.port, downPort);
      await eventually(() => up.to(reporter)[0], 20_000, 'confirmation after the portal restarted');
      await eventually(() => up.to(COORDINATORS).find((m) => (m.subject ?? '').includes(reference)), 20_000, 'notification');
    } finally {
      await up.stop();
    }
  });
});

async function startPortalAgain(port: number, smtpAt: number): Promise<void> {
  const p = await startPortal('mail-restart', port, {
    SMTP_URL: `smtp://127.0.0.1:${smtpAt}`,
    COORDINATOR_EMAIL: COORDINATORS,
    MAIL_RETRY_BASE_MS: '300',
    MAIL_POLL_MS: '200',
  }, true);
  portals.push(p);
}
