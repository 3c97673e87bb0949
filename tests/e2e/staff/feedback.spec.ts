// Feedback without content (spec §7) through the outbox to a real SMTP server (tests/support/smtp.ts): a
// police contact who asked for it and a non-anonymous reporter with an e-mail address hear that the
// report was taken in hand and that it was handled, with fixed texts and the reference (the police also
// their registration number) — a marker typed into every field of the report is in none of the mails,
// nor is the outcome. `Geen terugkoppeling sturen` is honoured. Runs
// without JavaScript (no script on these pages: tests/e2e/scripted-pages.ts).
//
// This spec starts a portal of its own (with SMTP_URL) beside the shared ones, on a port of this run's
// range (E2E_PORT_BASE + 10 for js-on, + 11 for js-off), with the shared address-service stand-in.
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { ParsedMail } from 'mailparser';
import { dhrP, residentSteps } from '../../fixtures/cases.ts';
import { PORTS, dataName } from '../../playwright.config.ts';
import { eventually, startPortal, type Portal } from '../../support/processes.ts';
import { TestSmtp } from '../../support/smtp.ts';
import { createAccount, expect, loginAs, marker, postResidentSteps, sendDraft, submit, test, withDb, type Server } from '../fixtures.ts';
import { fillPoliceForm, policeFacts, savedReference } from './staff-utils.ts';

test.describe.configure({ timeout: 180_000 });

const smtp = new TestSmtp();
let portal: Portal | undefined;
let srv: Server;

test.beforeAll(async ({}, info) => {
  await smtp.start();
  const name = dataName(`feedback-${info.project.name}`);
  const port = PORTS.main + (info.project.name === 'js-on' ? 10 : 11);
  portal = await startPortal(name, port, {
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    MAIL_POLL_MS: '200',
    MAIL_RETRY_BASE_MS: '300',
    REPORTS_PER_HOUR_PER_IP: '100000',
    PDOK_LOCATIESERVER_URL: `http://127.0.0.1:${PORTS.pdok}/bzk/locatieserver/search/v3_1`,
    PDOK_TIMEOUT_MS: '1500',
  });
  srv = { name, origin: portal.base, dbPath: path.resolve('data/test', name, 'meldpunt.db') };
});

test.afterAll(async () => {
  await portal?.stop();
  await smtp.stop();
});

const everything = (m: ParsedMail): string => `${m.subject ?? ''}\n${m.text ?? ''}\n${m.html || ''}`;

/** Moves a report on along the status table from its page in the browser. */
async function setStatus(page: Page, reference: string, status: string, outcome?: string): Promise<void> {
  await page.goto(`${srv.origin}/intern/triage/${reference}`);
  await page.getByLabel('Nieuwe status').selectOption({ label: status });
  if (outcome) await page.getByRole('radio', { name: outcome, exact: true }).check();
  expect((await submit(page, 'Status opslaan')).status()).toBe(303);
  await expect(page.getByText('Opgeslagen: status.')).toBeVisible();
}

test('feedback mails carry nothing of the report; the police mail its registration number; the opt-out honoured', async ({ page }) => {
  await loginAs(page, srv, createAccount(srv, 'coordinator'));

  // A police report typed in the browser, a marker in every field (the registration number belongs in the police mail).
  const M = Object.fromEntries(['name', 'street', 'place', 'description', 'where', 'request', 'officer', 'team'].map((k) => [k, marker(`fb${k}`)])) as Record<string, string>;
  const police = policeFacts(M['officer']!, {
    incidentPlace: `Plein ${M['where']}`, policeRequest: `Vraag ${M['request']}`, policeOfficer: `Agent ${M['officer']}`, policeTeam: `Team ${M['team']}`,
    policePhone: '0900 8844', policeEmail: `${marker('wijkagent')}@politie.example`,
  });
  const base = dhrP(M['description']!);
  const person = { ...base, person: { ...base.person, name: `Dhr. ${M['name']}`, street: M['street'], place: `Leek` } };
  await page.goto(`${srv.origin}/intern/politie/melding`);
  await fillPoliceForm(page, person, police);
  expect((await submit(page, 'Melding opslaan')).status()).toBe(303);
  const policeRef = await savedReference(page, 'politie');

  // A resident report with an e-mail address, markers in the person and the reporter.
  const reporterEmail = `${marker('melder')}@example.nl`;
  const resident = { ...base, person: { ...base.person, name: `Mevr. ${M['name']}` }, reporter: { ...base.reporter, name: `Melder ${M['name']}`, email: reporterEmail } };
  await postResidentSteps(page.request, srv.origin, residentSteps(resident));
  const residentRef = await sendDraft(page.request, srv.origin);

  // A second police report whose feedback the coordinator switches off.
  const quiet = policeFacts(marker('quiet'), { policeEmail: `${marker('stil')}@politie.example` });
  await page.goto(`${srv.origin}/intern/politie/melding`);
  await fillPoliceForm(page, dhrP(marker('q')), quiet);
  expect((await submit(page, 'Melding opslaan')).status()).toBe(303);
  const quietRef = await savedReference(page, 'politie');
  await page.goto(`${srv.origin}/intern/triage/${quietRef}`);
  expect((await submit(page, 'Geen terugkoppeling sturen')).status()).toBe(303);
  await expect(page.getByText('Er gaat geen terugkoppeling uit over deze melding.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Terugkoppeling weer sturen' })).toBeVisible();

  // Taken in hand, then handled with an outcome.
  for (const reference of [policeRef, residentRef, quietRef]) {
    await setStatus(page, reference, 'In behandeling');
    await setStatus(page, reference, 'Afgesloten', 'Bemoeizorg');
  }

  const toPolice = await eventually(() => (smtp.to(police.policeEmail).length >= 2 ? smtp.to(police.policeEmail) : undefined), 30_000, 'two police mails');
  const toReporter = await eventually(() => (smtp.to(reporterEmail).length >= 3 ? smtp.to(reporterEmail) : undefined), 30_000, 'confirmation and two feedback mails');
  expect(toPolice.map((m) => m.subject)).toEqual([`Uw melding ${policeRef} is in behandeling genomen`, `Uw melding ${policeRef} is afgehandeld`]);
  expect(toReporter.map((m) => m.subject)).toEqual([
    `Bevestiging van uw melding ${residentRef}`,
    `Uw melding ${residentRef} is in behandeling genomen`,
    `Uw melding ${residentRef} is afgehandeld`,
  ]);
  for (const mail of toPolice) expect(everything(mail)).toContain(police.policeReference);
  for (const mail of [...toPolice, ...toReporter]) {
    const text = everything(mail);
    for (const m of Object.values(M)) expect(text, `marker ${m} in "${mail.subject}"`).not.toContain(m);
    for (const secret of ['Bemoeizorg', 'Dhr. ', 'Mevr. ', 'Leek', '0900 8844', base.concerns.description.slice(0, 25)]) expect(text, `${secret} in "${mail.subject}"`).not.toContain(secret);
  }
  expect(toReporter.slice(1).every((m) => !everything(m).includes(police.policeReference))).toBe(true);

  // The opt-out: every other mail of the run went out, none to the quiet police contact, none queued for it.
  await eventually(() => withDb(srv, (db) => ((db.prepare("SELECT count(*) AS n FROM outbox WHERE state <> 'sent'").get() as { n: number }).n === 0 ? true : undefined)), 30_000, 'outbox empty');
  expect(smtp.to(quiet.policeEmail)).toEqual([]);
  const queued = withDb(srv, (db) => db.prepare("SELECT count(*) AS n FROM outbox o JOIN reports r ON r.id = o.report_id WHERE r.reference = ? AND o.kind = 'police_feedback'").get(quietRef) as { n: number });
  expect(queued.n).toBe(0);
  // The recipients of sent feedback are erased once sent (like the confirmation's).
  const kept = withDb(srv, (db) => db.prepare("SELECT count(*) AS n FROM outbox WHERE kind IN ('reporter_feedback', 'police_feedback') AND recipient <> ''").get() as { n: number });
  expect(kept.n).toBe(0);
});
