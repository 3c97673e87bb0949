// The coordinator's triage (/intern/triage): reports from each channel made quickly over HTTP, the
// queue's rows, the report page and posts to it, and the rows the main server's SQLite file holds
// about a report (its events and audit log).
import { randomInt } from 'node:crypto';
import { request, type APIRequestContext, type APIResponse, type Locator, type Page } from '@playwright/test';
import { residentSteps, type Case, type FormFields, type ResidentSteps } from '../../fixtures/cases.ts';
import { keyringOfDatabase, openEvent, openReport as openReportRow } from '../../support/keys.ts';
import { REFERENCE, expect, postForm, postResidentSteps, sendDraft, servers, withDb, withWritableDb } from '../fixtures.ts';

export const main = servers.main;

/** Ends the session through the menu's "Uitloggen" button. */
export async function logout(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Inloggen voor medewerkers' })).toBeVisible();
}

// ---------------------------------------------------------------------------------------------
// Reports, quickly, through the real forms over HTTP (no browser).

/**
 * A resident report of `c` through the five steps of /melden (its own cookie jar), each step's
 * fields overridable; returns the reference.
 */
export async function residentReport(c: Case, override: Partial<ResidentSteps> = {}): Promise<string> {
  const steps = residentSteps(c);
  const req = await request.newContext({ baseURL: main.origin });
  try {
    await postResidentSteps(req, main.origin, {
      persoon: { ...steps.persoon, ...override.persoon },
      zorgen: { ...steps.zorgen, ...override.zorgen },
      overU: { ...steps.overU, ...override.overU },
    });
    return await sendDraft(req, main.origin);
  } finally {
    await req.dispose();
  }
}

/** Posts the KCC or BOA form with `req` (logged in as kcc, boa or coordinator); returns the reference. */
export async function postStaffReport(req: APIRequestContext, channel: 'kcc' | 'boa', fields: FormFields): Promise<string> {
  const response = await postForm(req, `${main.origin}/intern/${channel}/melding`, fields, { origin: main.origin });
  expect(response.status(), (await response.text()).slice(0, 500)).toBe(303);
  const location = response.headers()['location'] ?? '';
  const reference = /MB-[A-HJKMNP-Z2-9]{8}$/.exec(location)?.[0];
  expect(reference, location).toMatch(REFERENCE);
  return reference!;
}

/** A postcode inside the municipality and a house number nobody else uses: an address of its own. */
export function uniqueAddress(): { postcode: string; houseNumber: string } {
  const letters = 'ABCDEFGHJKLMNPRSTVWXZ';
  return { postcode: `9351${letters[randomInt(letters.length)]}${letters[randomInt(letters.length)]}`, houseNumber: String(randomInt(1000, 9900)) };
}

// ---------------------------------------------------------------------------------------------
// The report page, over HTTP with the page's own cookies (page.request shares them).

export async function triagePost(req: APIRequestContext, reference: string, fields: Record<string, string>, origin: string | null = main.origin): Promise<APIResponse> {
  return postForm(req, `${main.origin}/intern/triage/${reference}`, fields, { origin });
}

/** A change that must be accepted: a 303 back to the report. */
export async function triageChange(req: APIRequestContext, reference: string, fields: Record<string, string>): Promise<void> {
  const response = await triagePost(req, reference, fields);
  expect(response.status(), `${JSON.stringify(fields)}: ${(await response.text()).slice(0, 300)}`).toBe(303);
  expect(response.headers()['location']).toMatch(new RegExp(`^/intern/triage/${reference}#`));
}

/** Opens a report page and checks it is the one asked for. */
export async function openReport(page: Page, reference: string): Promise<void> {
  const response = await page.goto(`/intern/triage/${reference}`);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: `Melding ${reference}` })).toBeVisible();
}

/** The sentence under the report page's heading: status, urgency, AVE phase, deadline. */
export const summary = (page: Page): Locator => page.locator('p.utrecht-paragraph').filter({ hasText: 'Ontvangen' }).first();

/** A form on the report page, by its accessible name ("Status wijzigen", "Regie", …). */
export const form = (page: Page, name: string): Locator => page.getByRole('form', { name, exact: true });

// ---------------------------------------------------------------------------------------------
// The queue.

export interface QueueRow {
  reference: string;
  received: string;
  channel: string;
  urgency: string;
  status: string;
  ave: string;
  area: string;
  /** "Casus 3", or empty. */
  casus: string;
  due: string;
}

export async function queueRows(page: Page): Promise<QueueRow[]> {
  const rows = page.locator('table.mb-queue tbody tr');
  const out: QueueRow[] = [];
  for (const cells of await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())))) {
    const [reference, received, channel, urgency, status, ave, area, casus, due] = cells as [string, string, string, string, string, string, string, string, string];
    out.push({ reference, received, channel, urgency, status, ave, area, casus, due });
  }
  return out;
}

export async function queueReferences(page: Page): Promise<string[]> {
  return (await queueRows(page)).map((r) => r.reference);
}

// ---------------------------------------------------------------------------------------------
// The database of the main server.

export type Row = Record<string, string | number | null>;

/** A report's row as the portal reads it: sealed columns opened with its key (spec §8). */
export function reportRow(reference: string): Row {
  return openReportRow(keyringOfDatabase(main.dbPath), withDb(main, (db) => db.prepare('SELECT * FROM reports WHERE reference = ?').get(reference) as Row));
}

export function reportRows(references: string[]): Row[] {
  if (references.length === 0) return [];
  const ring = keyringOfDatabase(main.dbPath);
  return withDb(main, (db) => db.prepare(`SELECT * FROM reports WHERE reference IN (${references.map(() => '?').join(',')})`).all(...references) as Row[]).map((r) => openReportRow(ring, r));
}

export function concernsOf(reference: string): string[] {
  return withDb(main, (db) =>
    (db.prepare('SELECT c.concern FROM report_concerns c JOIN reports r ON r.id = c.report_id WHERE r.reference = ? ORDER BY c.concern').all(reference) as { concern: string }[]).map((c) => c.concern),
  );
}

export function eventsOf(reference: string): Row[] {
  const ring = keyringOfDatabase(main.dbPath);
  return withDb(main, (db) =>
    db.prepare('SELECT e.id, e.kind, e.from_value, e.to_value, e.reason FROM report_events e JOIN reports r ON r.id = e.report_id WHERE r.reference = ? ORDER BY e.id').all(reference) as { id: number; kind: string; from_value: string | null; to_value: string | null; reason: string | null }[],
  ).map((e) => {
    const { id: _id, ...opened } = openEvent(ring, e);
    return opened;
  });
}

/** The audit rows about one report, oldest first. */
export function auditOf(reference: string): Row[] {
  return withDb(main, (db) =>
    db.prepare("SELECT action, result, actor_id, actor_role, detail FROM audit_log WHERE object_type = 'melding' AND object_id = ? ORDER BY id").all(reference) as Row[],
  );
}

export const actions = (rows: Row[]): string[] => rows.map((r) => `${r['action']}${r['result'] === 'gelukt' ? '' : ` (${r['result']})`}`);

/** Whether two reports are linked ("Koppelen"). */
export function linked(a: string, b: string): boolean {
  return withDb(main, (db) => {
    const id = (ref: string) => (db.prepare('SELECT id FROM reports WHERE reference = ?').get(ref) as { id: number }).id;
    const [low, high] = [id(a), id(b)].sort((x, y) => x - y);
    return db.prepare('SELECT 1 FROM report_links WHERE report_id = ? AND linked_id = ?').get(low, high) !== undefined;
  });
}

/** Test set-up only: a due date in the past, so that a new report counts as overdue. */
export function backdateDue(reference: string, dueOn = '2026-01-05'): void {
  withWritableDb(main, (db) => db.prepare('UPDATE reports SET due_on = ? WHERE reference = ?').run(dueOn, reference));
}

// ---------------------------------------------------------------------------------------------
// Dates as the report page writes them.

/** An ISO date written as the report page writes dates ("5 januari 2026"). */
export function dutchDate(isoDate: string): string {
  return new Intl.DateTimeFormat('nl-NL', { timeZone: 'UTC', dateStyle: 'long' }).format(new Date(`${isoDate}T00:00:00Z`));
}

/** Today's date in Amsterdam, "YYYY-MM-DD". */
export function amsterdamToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
}

/** `days` calendar days after an ISO date. */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
