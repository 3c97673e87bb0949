// Encryption at rest (spec §8 "Encryption at rest", guides/security.md "Privacy", issue 11), end to end:
// the built portal, the real forms over HTTP, the real commands (db:backup, keys:rotate, user:add,
// demo:data), and the SQLite files read as bytes.
//   1. A marker typed into every sensitive field (resident, KCC and BOA forms, a refused KCC form, a
//      draft in progress, the coordinator's note, regie, AVE reason, status reason, forwarded to) is in
//      neither the database file, its WAL, a backup, the portal's output nor a mail, while the
//      coordinator reads every one of them.
//   2. Repeat detection ("Eerdere meldingen") and the queue search (exact street, exact person name
//      in another case and without accents, postcode with house number) still find reports.
//   3. keys:rotate (batches of 10) killed with SIGKILL once it printed progress and committed a batch,
//      run again: nothing lost, every value under one new key, the running portal reads them and
//      writes under the new key.
//   4. NODE_ENV=production without a data key: exit code 1, the message names DATA_KEY_FILE (with a
//      key the same settings start); outside production the first start makes data/data-key (0600).
//   5. A database of the previous version (schema 9, plain text) is encrypted in place on start:
//      every report still there and readable, no marker left in the file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { timeStep, totpCode } from '#features/auth/totp.server.ts';
import { keyringOf } from '#platform/crypto/field-crypto.ts';
import { amsterdamLocal, boaForm, dhrP, kccForm, policeForm, residentSteps, type Case, type FormFields } from '../fixtures/cases.ts';
import { openReport } from '../support/keys.ts';
import { startPdokStub } from '../support/pdok-stub.ts';
import { eventually, freePort, startPortal, type Portal } from '../support/processes.ts';
import { ReportClient } from '../support/report-client.ts';
import type { StaffAccount, StaffRole } from '../support/users.ts';

// ---------------------------------------------------------------------------------------------
// Helpers

const REFERENCE = /MB-[A-HJKMNP-Z2-9]{8}/;
/** The stored format of an encrypted value: v1.<keyId 8 hex>.<iv>.<tag>.<ciphertext> (base64url). */
const ENCRYPTED = /^v1\.([0-9a-f]{8})\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

const dataDir = (name: string) => path.resolve('data/test', name);
const dbPathOf = (name: string) => path.join(dataDir(name), 'meldpunt.db');
/** Beside the portal's folder (serve.ts empties that folder on a fresh start), made by the test. */
const keyFileOf = (name: string) => path.resolve('data/test', `${name}.data-key`);

function newKeyFile(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
}

const keyLines = (file: string): string[] => readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const letters = (n: number): string => Array.from({ length: n }, () => UPPER[randomInt(26)]).join('');
const digits = (n: number): string => Array.from({ length: n }, () => String(randomInt(10))).join('');
/** A marker no text of the portal holds: `ZQX`, the field, random capitals. */
const marker = (field: string): string => `ZQX${field.toUpperCase()}${letters(8)}`;

/** The markers found in `bytes`, as typed or in lower case. */
function markersIn(bytes: Buffer, markers: readonly string[]): string[] {
  return markers.filter((m) => bytes.includes(Buffer.from(m, 'utf8')) || bytes.includes(Buffer.from(m.toLowerCase(), 'utf8')));
}

function readIfThere(file: string): Buffer {
  return existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
}

function withDb<T>(file: string, use: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

/** The sensitive columns of the contract (issue 11), besides report_events' regie values. */
const SENSITIVE: Readonly<Record<string, readonly string[]>> = {
  reports: [
    'person_name', 'street', 'house_number', 'house_addition', 'location_description', 'description', 'reporter_name',
    'reporter_phone', 'reporter_email', 'police_reference', 'bag_address_id', 'bag_object_id', 'case_director',
    'process_director', 'treatment_director', 'forwarded_to', 'incident_place', 'police_request', 'police_officer', 'police_team',
    'police_phone', 'police_email',
  ],
  report_notes: ['body'],
  report_additions: ['body', 'caller_name', 'caller_phone'],
  report_events: ['reason'],
  drafts: ['answers'],
  outbox: ['recipient'],
  users: ['totp_secret'],
  cases: ['name', 'case_director', 'process_director', 'treatment_director'],
  case_actions: ['what', 'who'],
  meetings: ['participants'],
  meeting_items: ['question', 'agreements'],
};

/** Every stored sensitive value that is not in the encrypted format ("table.column = value"); empty when all are. */
function plainSensitiveValues(db: Database.Database): string[] {
  const plain: string[] = [];
  const check = (where: string, value: unknown) => {
    if (value === null || value === undefined || value === '') return;
    if (typeof value !== 'string' || !ENCRYPTED.test(value)) plain.push(`${where} = ${String(value).slice(0, 60)}`);
  };
  for (const [table, columns] of Object.entries(SENSITIVE)) {
    for (const column of columns) {
      // By position: the tables differ in their keys (drafts by token hash).
      (db.prepare(`SELECT "${column}" AS v FROM "${table}"`).all() as { v: unknown }[]).forEach((row, i) => check(`${table}.${column}[${i}]`, row.v));
    }
  }
  for (const row of db.prepare("SELECT id, from_value, to_value FROM report_events WHERE kind = 'regie'").all() as { id: number; from_value: unknown; to_value: unknown }[]) {
    check(`report_events.from_value#${row.id}`, row.from_value);
    check(`report_events.to_value#${row.id}`, row.to_value);
  }
  // A mail's parameters when they hold a secret (a one-time link, the police's registration number); others are a reference and codes.
  for (const row of db.prepare("SELECT id, params FROM outbox WHERE kind IN ('password_reset', 'invitation', 'police_feedback')").all() as { id: number; params: unknown }[]) {
    check(`outbox.params#${row.id}`, row.params);
  }
  return plain;
}

/** How many encrypted values each key id has, over every text value of every table (or of `only`). */
function keyIdCounts(db: Database.Database, only?: string): Map<string, number> {
  const counts = new Map<string, number>();
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
  for (const { name } of tables.filter((t) => only === undefined || t.name === only)) {
    for (const row of db.prepare(`SELECT * FROM "${name}"`).raw().iterate() as Iterable<unknown[]>) {
      for (const v of row) {
        if (typeof v !== 'string' || !v.startsWith('v1.')) continue;
        const id = ENCRYPTED.exec(v)?.[1];
        if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
    }
  }
  return counts;
}

/** The key ids of the sensitive columns of one report. */
function reportKeyIds(db: Database.Database, reference: string): string[] {
  const row = db.prepare(`SELECT ${SENSITIVE.reports!.map((c) => `"${c}"`).join(', ')} FROM reports WHERE reference = ?`).get(reference) as Record<string, unknown>;
  return [...new Set(Object.values(row).filter((v): v is string => typeof v === 'string' && v !== '').map((v) => ENCRYPTED.exec(v)?.[1] ?? 'plain'))];
}

/** A staff member over plain HTTP, with repeated keys for checkboxes (the KCC and BOA forms). */
class Staff {
  private cookie = '';
  readonly base: string;
  readonly account: StaffAccount;

  constructor(base: string, account: StaffAccount) {
    this.base = base;
    this.account = account;
  }

  /** An account made with the real user:add (with the portal's data key), logged in with password and TOTP code. */
  static async login(base: string, account: StaffAccount): Promise<Staff> {
    const staff = new Staff(base, account);
    const answer = await staff.post('/intern/inloggen', { email: account.email, password: account.password, code: totpCode(account.secret, timeStep(new Date())) });
    assert.equal(answer.status, 303, `login of ${account.role}`);
    return staff;
  }

  private keep(response: Response): Response {
    for (const set of response.headers.getSetCookie()) {
      const pair = set.split(';')[0] ?? '';
      if (pair.startsWith('mb_sessie=') || pair.startsWith('__Host-mb_sessie=')) this.cookie = pair;
    }
    return response;
  }

  async get(pathname: string): Promise<Response> {
    return this.keep(await fetch(this.base + pathname, { redirect: 'manual', headers: { Cookie: this.cookie } }));
  }

  async post(pathname: string, fields: FormFields): Promise<Response> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return this.keep(await fetch(this.base + pathname, { method: 'POST', redirect: 'manual', headers: { Origin: this.base, Cookie: this.cookie }, body }));
  }

  /** The same session on a portal started again (sessions live in the database). */
  movedTo(base: string): Staff {
    const moved = new Staff(base, this.account);
    moved.cookie = this.cookie;
    return moved;
  }

  /** The report page's HTML (200 asserted). */
  async reportPage(reference: string): Promise<string> {
    const response = await this.get(`/intern/triage/${reference}`);
    const html = await response.text();
    assert.equal(response.status, 200, `report page ${reference}: ${html.slice(0, 300)}`);
    assert.ok(html.includes(reference), `the page of ${reference} does not name it`);
    return html;
  }

  /** A change on the report page that must be accepted (303 back to the report). */
  async change(reference: string, fields: Record<string, string>): Promise<void> {
    const response = await this.post(`/intern/triage/${reference}`, fields);
    assert.equal(response.status, 303, `${JSON.stringify(fields)}: ${(await response.text()).slice(0, 400)}`);
  }

  /** The references in the queue's table after a posted search. */
  async search(term: string): Promise<string[]> {
    const response = await this.post('/intern/triage', { zoek: term });
    const html = await response.text();
    assert.equal(response.status, 200, `search "${term}": ${html.slice(0, 300)}`);
    const start = html.indexOf('<tbody');
    if (start < 0) return [];
    const table = html.slice(start, html.indexOf('</tbody>', start));
    return [...new Set(table.match(new RegExp(REFERENCE.source, 'g')) ?? [])];
  }
}

/**
 * A command of the portal (`node src/cli/…`), run without blocking this process: a synchronous run of a
 * few seconds would hold fetch's idle keep-alive connections past the server's time-out, and the next
 * request on one of them fails with "other side closed".
 */
function runNode(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`node ${args.join(' ')} exited with ${code}: ${stdout}${stderr}`))));
    child.stdin.end(input ?? '');
  });
}

/** An account made with the real user:add (as tests/support/users.ts does), with the portal's data key. */
async function account(dbPath: string, keyFile: string, role: StaffRole): Promise<StaffAccount> {
  const id = randomBytes(4).toString('hex');
  const email = `${role}-${id}@test.example`;
  const name = `Test ${role} ${id}`;
  const password = `lange zin ${id} voor test`;
  const args = ['src/cli/user.ts', 'add', '--email', email, '--name', name, '--role', role, ...(role === 'boa' ? ['--service-number', `BOA-${digits(4)}`] : [])];
  const out = await runNode(args, { ...process.env, DATABASE_PATH: dbPath, DATA_KEY_FILE: keyFile }, `${password}\n`);
  const userId = /Account (\d+) aangemaakt/.exec(out)?.[1];
  const secret = /secret=([A-Z2-7]+)/.exec(out)?.[1];
  assert.ok(userId && secret, `user:add printed no account number or otpauth URI: ${out}`);
  return { id: Number(userId), email, name, role, password, secret };
}

/** The section "Eerdere meldingen" of a report page. */
function relatedSection(html: string): string {
  const start = html.indexOf('id="eerdere-meldingen"');
  assert.ok(start >= 0, 'no "Eerdere meldingen" on the report page');
  const end = html.indexOf('</section>', start);
  return html.slice(start, end < 0 ? undefined : end);
}

/** Reference of a staff form saved: the 303 to /intern/<channel>/opgeslagen/<reference>. */
async function savedReference(response: Response, what: string): Promise<string> {
  const location = response.headers.get('location') ?? '';
  assert.equal(response.status, 303, `${what}: ${(await response.text()).slice(0, 500)}`);
  const reference = REFERENCE.exec(location)?.[0];
  assert.ok(reference, `${what}: no reference in ${location}`);
  return reference;
}

async function residentReport(base: string, c: Case): Promise<string> {
  const client = new ReportClient(base);
  await client.fillAll(residentSteps(c));
  return client.send();
}

/** A case of its own: dhrP's story with the given person, address and reporter. */
function caseWith(person: Partial<Case['person']>, reporter: Partial<Case['reporter']> = {}, description?: string): Case {
  const base = dhrP(letters(6));
  return {
    ...base,
    person: { ...base.person, ...person },
    reporter: { ...base.reporter, ...reporter },
    concerns: { ...base.concerns, ...(description ? { description } : {}) },
  };
}

/** A postcode of the municipality (Leek) that no other test uses, and a house number. */
const uniquePostcode = (pc4 = '9351'): string => `${pc4} ${letters(2)}`;

const portals: Portal[] = [];
const pdokServers: Server[] = [];
let pdokUrl = '';

before(async () => {
  const stub = await startPdokStub(0);
  pdokServers.push(stub);
  const address = stub.address();
  pdokUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/bzk/locatieserver/search/v3_1`;
});

after(async () => {
  await Promise.all(portals.map((p) => p.stop('SIGKILL')));
  await Promise.all(pdokServers.map((s) => new Promise((r) => s.close(r))));
});

async function portal(name: string, settings: Record<string, string> = {}, keepData = false, port?: number): Promise<Portal> {
  const p = await startPortal(name, port ?? (await freePort()), {
    DATA_KEY_FILE: keyFileOf(name),
    PDOK_LOCATIESERVER_URL: pdokUrl,
    PDOK_TIMEOUT_MS: '1500',
    REPORTS_PER_HOUR_PER_IP: '10000',
    MAIL_POLL_MS: '200',
    MAIL_RETRY_BASE_MS: '300',
    ...settings,
  }, keepData);
  portals.push(p);
  return p;
}

// ---------------------------------------------------------------------------------------------
// 1 and 2: one portal

describe('one portal: markers and lookups', () => {
  const NAME = 'encryption';
  const dbPath = dbPathOf(NAME);
  const keyFile = keyFileOf(NAME);
  let p: Portal;
  let coordinator: Staff;
  let coordinatorAccount: StaffAccount;
  let kccAccount: StaffAccount;
  let boaAccount: StaffAccount;
  const secrets: string[] = [];

  before(async () => {
    newKeyFile(keyFile);
    p = await portal(NAME);
    [coordinatorAccount, kccAccount, boaAccount] = await Promise.all([account(dbPath, keyFile, 'coordinator'), account(dbPath, keyFile, 'kcc'), account(dbPath, keyFile, 'boa')]);
    secrets.push(coordinatorAccount.secret, kccAccount.secret, boaAccount.secret);
    coordinator = await Staff.login(p.base, coordinatorAccount);
  });

  test('a marker typed into every sensitive field is nowhere at rest, in a backup, the logs or a mail; the coordinator reads every one', async () => {
    const M = {
      // Resident form, at an address of its own (the addition is a marker: six characters at most)
      rName: marker('rname'), rStreet: marker('rstreet'), rAddition: `Q${letters(5)}`, rDescription: marker('rdescription'),
      rReporter: marker('rreporter'), rPhoneDigits: digits(8), rEmail: `zqxremail${letters(8).toLowerCase()}`,
      // KCC form, no fixed address: the location description
      kName: marker('kname'), kLocation: marker('klocation'), kDescription: marker('kdescription'), kCaller: marker('kcaller'),
      kPhoneDigits: digits(8), kEmail: `zqxkemail${letters(8).toLowerCase()}`,
      // BOA form at 9801ZZ 12 (the stub's address: BAG identifiers stored), street and police reference
      bName: marker('bname'), bStreet: marker('bstreet'), bDescription: marker('bdescription'), bPolice: marker('bpolice'),
      // A KCC form refused (kept for one redirect in a draft) and a resident draft in progress
      xName: marker('xname'), xDescription: marker('xdescription'), dName: marker('dname'), dStreet: marker('dstreet'),
      // Police form (E33) typed by the KCC agent: every field of the police's own
      pName: marker('pname'), pLocation: marker('plocation'), pDescription: marker('pdescription'), pRegistration: marker('pregistration'),
      pPlace: marker('pplace'), pRequest: marker('prequest'), pOfficer: marker('pofficer'), pTeam: marker('pteam'), pPhoneDigits: digits(8),
      pEmail: `zqxpemail${letters(8).toLowerCase()}`,
      // Additions to the resident report: the resident's own, and a caller's through the KCC with name and phone
      aResident: marker('aresident'), aCaller: marker('acaller'), aName: marker('aname'), aPhoneDigits: digits(8),
      // The coordinator on the report page
      note: marker('note'), cr: marker('cr'), pr: marker('pr'), br: marker('br'), cr2: marker('crtwo'), aveReason: marker('avereason'),
      forwardedTo: marker('forwardedto'), statusReason: marker('statusreason'),
      // The casus and its MDO
      caseName: marker('casename'), participants: marker('participants'), question: marker('question'), agreements: marker('agreements'),
      actionWhat: marker('actionwhat'), actionWho: marker('actionwho'),
    };
    const rPhone = `06${M.rPhoneDigits}`;
    const kPhone = `06${M.kPhoneDigits}`;
    const rEmail = `${M.rEmail}@example.nl`;
    const kEmail = `${M.kEmail}@example.nl`;
    const rPostcode = uniquePostcode();
    const description = (m: string) => `Hij schreeuwt elke avond naar voorbijgangers en bedreigt de buren. ${m} is wat ik zag.`;

    // Resident form.
    const resident = await residentReport(
      p.base,
      caseWith(
        { name: `Dhr. ${M.rName}`, location: 'adres', postcode: rPostcode, houseNumber: String(randomInt(100, 999)), addition: M.rAddition, street: M.rStreet, place: 'Leek' },
        { anonymous: false, name: M.rReporter, phone: rPhone, email: rEmail },
        description(M.rDescription),
      ),
    );

    // KCC form, as a KCC agent: a person without a fixed address.
    const kcc = await Staff.login(p.base, kccAccount);
    const kCase = caseWith(
      { name: M.kName, location: 'geen_vast_adres', postcode: undefined, houseNumber: undefined, addition: undefined, street: undefined, place: 'Zuidhorn', locationDescription: `Bij het bushokje, ${M.kLocation}` },
      { anonymous: false, name: M.kCaller, phone: kPhone, email: kEmail },
      description(M.kDescription),
    );
    const kccReference = await savedReference(await kcc.post('/intern/kcc/melding', kccForm(kCase)), 'KCC form');

    // A KCC form refused (no relation of the caller): its answers wait in a draft for one redirect, not followed here.
    const refused = kccForm(caseWith({ name: M.xName }, {}, description(M.xDescription)), { callerRelation: '' });
    const refusedResponse = await kcc.post('/intern/kcc/melding', refused);
    assert.ok([303, 400].includes(refusedResponse.status), `refused KCC form answered ${refusedResponse.status}`);

    // BOA form at the stub's address 9801ZZ 12, with a police reference.
    const boa = await Staff.login(p.base, boaAccount);
    const bCase = caseWith({ name: M.bName, location: 'adres', postcode: '9801 ZZ', houseNumber: '12', addition: undefined, street: M.bStreet, place: 'Zuidhorn' }, {}, description(M.bDescription));
    const boaReference = await savedReference(
      await boa.post('/intern/boa/melding', boaForm(bCase, { observedAt: amsterdamLocal(new Date(Date.now() - 3_600_000)), policePresent: 'ja', policeReference: M.bPolice })),
      'BOA form',
    );

    // Police form (E33), typed by the KCC agent.
    const pCase = caseWith(
      { name: M.pName, location: 'geen_vast_adres', postcode: undefined, houseNumber: undefined, addition: undefined, street: undefined, place: 'Leek', locationDescription: `Op het plein, ${M.pLocation}` },
      {},
      description(M.pDescription),
    );
    const policeReference = await savedReference(
      await kcc.post('/intern/politie/melding', policeForm(pCase, {
        policeReference: M.pRegistration, incidentAt: amsterdamLocal(new Date(Date.now() - 3_600_000)), incidentPlace: M.pPlace,
        policeRequest: `Graag beoordelen: ${M.pRequest}`, policeFeedback: 'ja', policeOfficer: M.pOfficer, policeTeam: M.pTeam,
        policePhone: `06${M.pPhoneDigits}`, policeEmail: `${M.pEmail}@politie.example`,
      })),
      'police form',
    );

    // Additions to the resident report: the resident's (public, no login) and a caller's through the KCC.
    const added = await fetch(`${p.base}/melden/aanvullen`, {
      method: 'POST', redirect: 'manual', headers: { Origin: p.base },
      body: new URLSearchParams({ reference: resident.toLowerCase(), addition: `Ik zag hem gisteren weer. ${M.aResident}` }),
    });
    assert.equal(added.status, 303, 'resident addition');
    const callerAddition = await kcc.post('/intern/kcc/opzoeken', { intent: 'aanvullen', reference: resident, addition: `De beller vertelt: ${M.aCaller}`, callerName: M.aName, callerPhone: `06${M.aPhoneDigits}` });
    assert.equal(callerAddition.status, 303, 'caller addition');

    // A resident draft in progress: step 2 answered, never sent.
    const draft = new ReportClient(p.base);
    assert.equal((await draft.post('/melden', { acuteDanger: 'nee' })).status, 303);
    const draftSteps = residentSteps(caseWith({ name: M.dName, street: M.dStreet, postcode: uniquePostcode(), houseNumber: '5' }));
    assert.equal((await draft.post('/melden/persoon', draftSteps.persoon)).status, 303);

    // The coordinator: a note, the regie (twice: the history keeps the old name), AVE phase with a reason, forwarded with a reason.
    await coordinator.change(resident, { intent: 'note', note: `Gebeld met de wijkagent. ${M.note}` });
    await coordinator.change(resident, { intent: 'regie', caseDirector: `${M.cr} (sociaal team)`, processDirector: `${M.pr} (ZVH)`, treatmentDirector: `${M.br} (GGZ)` });
    await coordinator.change(resident, { intent: 'regie', caseDirector: `${M.cr2} (sociaal team)`, processDirector: `${M.pr} (ZVH)`, treatmentDirector: `${M.br} (GGZ)` });
    await coordinator.change(resident, { intent: 'urgency_ave', urgency: 'hoog', avePhase: 'ave2', aveReason: `Nieuwe feiten: ${M.aveReason}` });
    await coordinator.change(resident, { intent: 'status', status: 'doorgestuurd', forwardedTo: `Veilig Thuis, ${M.forwardedTo}`, reason: `Niet voor ons: ${M.statusReason}` });

    // A casus of the resident report, on the agenda of an MDO next week with a question, agreements and an action.
    await coordinator.change(resident, { intent: 'case_create', caseName: `Dhr. ${M.caseName}` });
    const casus = withDb(dbPath, (db) => db.prepare('SELECT cr.case_id FROM case_reports cr JOIN reports r ON r.id = cr.report_id WHERE r.reference = ?').pluck().get(resident) as number);
    const nextWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const planned = await coordinator.post('/intern/overleggen', { meetingDate: nextWeek, meetingKind: 'mdo', participants: `GGZ, wijkteam, ${M.participants}` });
    assert.equal(planned.status, 303, 'Overleg plannen');
    const overleg = String(planned.headers.get('location')).split('/').at(-1)!;
    const mdoSteps: [string, Record<string, string>][] = [
      [`/intern/casussen/${casus}`, { intent: 'agenda', meeting: `overleg-${overleg}`, question: `Wie neemt de regie? ${M.question}` }],
      [`/intern/overleggen/${overleg}`, { intent: 'agreements', itemCase: `casus-${casus}`, agreements: `Afgesproken: ${M.agreements}` }],
      [`/intern/overleggen/${overleg}`, { intent: 'action', itemCase: `casus-${casus}`, actionWhat: `Huisbezoek ${M.actionWhat}`, actionWho: `Wijkteam ${M.actionWho}`, actionDue: nextWeek }],
    ];
    for (const [pathname, fields] of mdoSteps) assert.equal((await coordinator.post(pathname, fields)).status, 303, `${pathname} ${fields['intent']}`);
    const report = await (await coordinator.get(`/intern/overleggen/${overleg}/verslag`)).text();
    for (const m of [M.caseName, M.participants, M.question, M.agreements, M.actionWhat, M.actionWho]) assert.ok(report.includes(m), `the printed report lacks ${m}`);

    // The coordinator reads every marker (the reporter after "Toon gegevens melder").
    const expectOnPage = (html: string, list: string[], what: string) => {
      for (const m of list) assert.ok(html.includes(m), `${what}: the coordinator does not see ${m}`);
    };
    const residentPage = await coordinator.reportPage(resident);
    expectOnPage(residentPage, [M.rName, M.rStreet, M.rAddition, M.rDescription, M.note, M.cr2, M.pr, M.br, M.forwardedTo, M.statusReason, M.aveReason], 'resident report');
    assert.ok(residentPage.includes(M.cr), 'the history of the regie lost the first case director');
    const revealed = await coordinator.post(`/intern/triage/${resident}`, { intent: 'reveal' });
    const revealedHtml = await revealed.text();
    assert.equal(revealed.status, 200);
    expectOnPage(revealedHtml, [M.rReporter, M.rPhoneDigits, M.rEmail, M.aResident, M.aCaller, M.aName, M.aPhoneDigits], 'resident reporter and additions revealed');
    expectOnPage(await coordinator.reportPage(policeReference), [M.pName, M.pLocation, M.pDescription, M.pRegistration, M.pPlace, M.pRequest, M.pOfficer, M.pTeam, M.pPhoneDigits, M.pEmail], 'police report');
    const kccPage = await coordinator.reportPage(kccReference);
    expectOnPage(kccPage, [M.kName, M.kLocation, M.kDescription], 'KCC report');
    const kccRevealed = await (await coordinator.post(`/intern/triage/${kccReference}`, { intent: 'reveal' })).text();
    expectOnPage(kccRevealed, [M.kCaller, M.kPhoneDigits, M.kEmail], 'KCC caller revealed');
    const boaPage = await coordinator.reportPage(boaReference);
    expectOnPage(boaPage, [M.bName, M.bStreet, M.bDescription, M.bPolice], 'BOA report');
    // The refused KCC form, when its agent comes back to the form, shows what was typed.
    // (Not followed: the draft stays in the database for the check below.)

    // Every mail written (.eml files in MAIL_DIR): all sent first.
    await eventually(
      () => withDb(dbPath, (db) => (db.prepare("SELECT count(*) AS n FROM outbox WHERE state <> 'sent'").get() as { n: number }).n === 0 && (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n >= 4 ? true : undefined),
      15_000,
      'all mail sent',
    );

    // Stored in the encrypted format, every sensitive column (the house number and BAG ids too, which carry no marker).
    withDb(dbPath, (db) => {
      assert.deepEqual(plainSensitiveValues(db), [], 'sensitive values stored in plain text');
      const boaRow = db.prepare('SELECT bag_address_id, postcode, wijk_code FROM reports WHERE reference = ?').get(boaReference) as Record<string, string | null>;
      assert.ok(boaRow['bag_address_id'], 'the BOA report at the stub address has no BAG identifier: the lookup did not run');
      assert.equal(boaRow['postcode'], '9801ZZ', 'the postcode is meant to stay plain');
    });

    const markers = Object.entries(M).map(([, v]) => v);
    // The reporter's own address is the recipient of the confirmation (To:), necessarily in that mail's header.
    const notInMail = markers.filter((m) => m !== M.rEmail && m !== M.kEmail);
    const bagIds = ['1969200000081012', '1969010000081012'];

    // The database file and its WAL while the portal runs, and a backup.
    const db = readIfThere(dbPath);
    const wal = readIfThere(`${dbPath}-wal`);
    const backup = path.join(mkdtempSync(path.join(tmpdir(), 'mb-enc-')), 'backup.db');
    const backupOut = await runNode(['src/cli/db.ts', 'backup', backup], { ...process.env, DATABASE_PATH: dbPath, DATA_KEY_FILE: keyFile });
    assert.match(backupOut, /Back-up geschreven/);
    const backupBytes = readFileSync(backup);
    for (const [what, bytes] of [['database file', db], ['WAL', wal], ['backup', backupBytes]] as const) {
      assert.deepEqual(markersIn(bytes, markers), [], `markers in the ${what}`);
      assert.deepEqual(markersIn(bytes, bagIds), [], `BAG identifiers in the ${what}`);
      assert.deepEqual(markersIn(bytes, secrets), [], `TOTP secrets in the ${what}`);
    }
    // The search works: what stays plain is found in the same bytes.
    const dbAndWal = Buffer.concat([db, wal]);
    assert.ok(dbAndWal.includes(Buffer.from('9801ZZ')), 'the plain postcode is not in the database file or its WAL: the byte search proves nothing');
    assert.ok(dbAndWal.includes(Buffer.from(resident)), 'the reference is not in the database file or its WAL');
    assert.ok(dbAndWal.includes(Buffer.from(coordinatorAccount.email)), 'the account e-mail (plain) is not in the database file or its WAL');
    assert.ok(backupBytes.includes(Buffer.from('9801ZZ')) && backupBytes.includes(Buffer.from(boaReference)), 'the backup does not hold the plain postcode and reference');

    // The portal's output.
    assert.match(p.output(), /listening/, 'the portal output was not captured');
    const output = Buffer.from(p.output(), 'utf8');
    assert.deepEqual(markersIn(output, [...markers, ...bagIds, ...secrets]), [], 'markers in the portal output');

    // The mails.
    const mailDir = path.join(dataDir(NAME), 'mail');
    const files = readdirSync(mailDir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    assert.ok(files.filter((f) => f.name.endsWith('.eml')).length >= 4, `expected at least 4 mails (2 confirmations, notifications), found ${files.length} files`);
    const mails = files.map((f) => readFileSync(path.join(f.parentPath, f.name)));
    assert.ok(mails.some((m) => m.includes(Buffer.from(resident))), 'no mail names the resident report: the mail search proves nothing');
    for (const mail of mails) {
      assert.deepEqual(markersIn(mail, notInMail), [], 'markers in a mail');
      // The recipient's address only in the header lines that address the mail.
      const withoutAddressing = Buffer.from(mail.toString('utf8').split(/\r?\n/).filter((l) => !/^(To|Delivered-To|X-Original-To):/i.test(l)).join('\n'));
      assert.deepEqual(markersIn(withoutAddressing, [M.rEmail, M.kEmail]), [], 'a reporter address in the body of a mail');
    }
  });

  test('repeat detection and the queue search find reports by address, person, street and postcode', async () => {
    const tag = letters(8);
    const person = `Ëlise van ZQXREP${tag}`;
    const street = `ZQXStraat${tag}laan`;
    const postcode = uniquePostcode();
    const houseNumber = String(randomInt(100, 999));
    const first = await residentReport(p.base, caseWith({ name: person, location: 'adres', postcode, houseNumber, addition: undefined, street, place: 'Leek' }));
    // The same person (another case, no accents, other spaces) at the same address (postcode typed otherwise).
    const second = await residentReport(
      p.base,
      caseWith({ name: `elise  VAN zqxrep${tag.toLowerCase()}`, location: 'adres', postcode: postcode.replace(' ', '').toLowerCase(), houseNumber, addition: undefined, street: street.toUpperCase(), place: 'Leek' }),
    );
    // Someone else elsewhere: must not be listed.
    const other = await residentReport(p.base, caseWith({ name: `Karel ZQXANDER${letters(6)}`, location: 'adres', postcode: uniquePostcode('9801'), houseNumber: String(randomInt(100, 999)), street: `ZQXAnders${letters(6)}weg`, place: 'Leek' }));

    const related = relatedSection(await coordinator.reportPage(second));
    assert.ok(related.includes(first), `"Eerdere meldingen" of ${second} does not list ${first}`);
    assert.match(related, /Zelfde adres/);
    assert.match(related, /Zelfde persoon/);
    assert.ok(!related.includes(other), `"Eerdere meldingen" lists an unrelated report ${other}`);
    assert.ok(relatedSection(await coordinator.reportPage(other)).includes('Geen andere meldingen'), 'an unrelated report has earlier reports');

    const found = async (term: string, expected: string[]) => {
      const refs = await coordinator.search(term);
      for (const e of expected) assert.ok(refs.includes(e), `search "${term}" did not find ${e} (found ${refs.join(', ') || 'nothing'})`);
      assert.ok(!refs.includes(other), `search "${term}" found the unrelated ${other}`);
    };
    await found(street, [first, second]);
    await found(street.toLowerCase(), [first, second]);
    await found(`ELISE VAN ZQXREP${tag}`, [first, second]);
    await found(`Elise van  zqxrep${tag.toLowerCase()}`, [first, second]);
    await found(postcode, [first, second]);
    await found(`${postcode.replace(' ', '')} ${houseNumber}`, [first, second]);
    // A name nobody has finds nothing: the search is not just "everything".
    assert.deepEqual(await coordinator.search(`ZQXNIEMAND${letters(8)}`), []);
  });

  test('recurrence survives deletion: after retention deletes a report, a new one about the address and person says so, without content', async () => {
    const tag = letters(8);
    const person = `Mevr. ZQXDEL${tag}`;
    const street = marker('delstreet');
    const postcode = uniquePostcode();
    const houseNumber = String(randomInt(100, 999));
    const description = marker('deldesc');
    const gone = await residentReport(p.base, caseWith({ name: person, location: 'adres', postcode, houseNumber, addition: undefined, street, place: 'Leek' }, {}, `Zij laat niemand meer binnen. ${description}.`));
    // Closed in April 2019, made in March 2019: past the five years of the retention (plain columns only).
    const writable = new Database(dbPath, { fileMustExist: true });
    try {
      writable.pragma('busy_timeout = 5000');
      const changed = writable
        .prepare("UPDATE reports SET status = 'afgesloten', outcome = 'geen_actie', created_at = '2019-03-15T10:00:00.000Z', triaged_at = '2019-03-16T10:00:00.000Z', closed_at = '2019-04-01T10:00:00.000Z' WHERE reference = ?")
        .run(gone).changes;
      assert.equal(changed, 1);
    } finally {
      writable.close();
    }
    // A report about someone else comes in after it: retention never deletes the newest report (its id would be given again).
    const elsewhere = await residentReport(p.base, caseWith({ name: `Mevr. ZQXNIEUW${letters(8)}`, location: 'adres', postcode: uniquePostcode('9801'), houseNumber: String(randomInt(100, 999)), street: marker('newstreet'), place: 'Zuidhorn' }));
    const retention = await runNode(['src/cli/retention.ts'], { ...process.env, DATABASE_PATH: dbPath, DATA_KEY_FILE: keyFile });
    withDb(dbPath, (db) => {
      assert.equal(db.prepare('SELECT 1 FROM reports WHERE reference = ?').get(gone), undefined, `retention did not delete ${gone}: ${retention}`);
      assert.ok(db.prepare('SELECT 1 FROM deletion_log WHERE reference = ?').get(gone), 'the deletion log has no record of the report');
    });

    const again = await residentReport(p.base, caseWith({ name: person.toLowerCase(), location: 'adres', postcode, houseNumber, addition: undefined, street, place: 'Leek' }));
    const related = relatedSection(await coordinator.reportPage(again));
    assert.match(related, /Er waren eerder meldingen over dit adres \(verwijderd na de bewaartermijn\): 1, de laatste in maart 2019/);
    assert.match(related, /Er waren eerder meldingen over deze persoon \(verwijderd na de bewaartermijn\): 1, de laatste in maart 2019/);
    assert.ok(!related.includes(gone), 'the deleted report is still listed');
    assert.doesNotMatch(relatedSection(await coordinator.reportPage(elsewhere)), /verwijderd na de bewaartermijn/);

    // What stays of the deleted report holds none of its content, in the file or its WAL.
    const bytes = Buffer.concat([readIfThere(dbPath), readIfThere(`${dbPath}-wal`)]);
    assert.ok(bytes.includes(Buffer.from(gone)), 'the deletion log\'s reference is not in the file: the byte search proves nothing');
    assert.deepEqual(markersIn(bytes, [`ZQXDEL${tag}`, street, description]), [], 'content of the deleted report left in the database');
  });
});

// ---------------------------------------------------------------------------------------------
// 3. Key rotation, killed and resumed

function runKeys(env: NodeJS.ProcessEnv): ChildProcess & { out: () => string } {
  const child = spawn(process.execPath, ['src/cli/keys.ts', 'rotate'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return Object.assign(child, { out: () => out });
}

const exitOf = (child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

test('keys:rotate killed with SIGKILL after its first progress and batch, then run again: nothing lost, everything under the new key', async () => {
  const NAME = 'encryption-rotate';
  const dbPath = dbPathOf(NAME);
  const keyFile = keyFileOf(NAME);
  newKeyFile(keyFile);
  const p = await portal(NAME);
  const env = { ...process.env, DATABASE_PATH: dbPath, DATA_KEY_FILE: keyFile };

  // A few hundred reports: demo data (the app's own inserts), and three with markers through the form.
  const [, coordinatorAccount, midwayAccount] = await Promise.all([
    runNode(['src/cli/demo-data.ts', '--count', '300'], env),
    account(dbPath, keyFile, 'coordinator'),
    account(dbPath, keyFile, 'coordinator'),
  ]);
  const midwayCoordinator = await Staff.login(p.base, midwayAccount);
  const marked = await Promise.all(
    [0, 1, 2].map(async (i) => {
      const name = marker(`rot${i}`);
      const description = marker(`rotdesc${i}`);
      const reference = await residentReport(p.base, caseWith({ name, postcode: uniquePostcode(), houseNumber: String(10 + i) }, {}, `Hij slaapt al weken in de auto voor het huis. ${description}.`));
      return { reference, name, description };
    }),
  );

  const references = withDb(dbPath, (db) => (db.prepare('SELECT reference FROM reports ORDER BY id').all() as { reference: string }[]).map((r) => r.reference));
  assert.ok(references.length >= 303, `only ${references.length} reports`);
  const before = withDb(dbPath, (db) => keyIdCounts(db));
  const reportValuesBefore = withDb(dbPath, (db) => keyIdCounts(db, 'reports'));
  assert.equal(before.size, 1, `before the rotation: one key id expected, found ${[...before.keys()].join(', ')}`);
  const [oldId] = [...before.keys()];
  const keysBefore = keyLines(keyFile).length;

  // First run: killed once it has printed progress and committed its first batch of reports (only the
  // rotation writes reports meanwhile: a report value under another key is its work).
  const first = runKeys({ ...env, KEYS_BATCH_SIZE: '10' });
  await eventually(
    () => (first.exitCode !== null || (first.out().includes('\n') && withDb(dbPath, (db) => keyIdCounts(db, 'reports')).size > 1) ? true : undefined),
    30_000,
    'the first batch of keys:rotate',
  );
  first.kill('SIGKILL');
  const killed = await exitOf(first);
  assert.equal(killed.signal, 'SIGKILL', `keys:rotate ended by itself (exit code ${killed.code}) before the kill: ${first.out()}`);
  assert.ok(keyLines(keyFile).length > keysBefore, 'keys:rotate did not append a new key');
  const midway = withDb(dbPath, (db) => keyIdCounts(db, 'reports'));
  assert.ok((midway.get(oldId!) ?? 0) > 0, `the first run had re-encrypted every report when it was killed: ${JSON.stringify([...midway])}`);
  assert.ok(midway.size > 1, `the first run re-encrypted no report before it was killed: ${JSON.stringify([...midway])}`);
  // Halfway, the running portal reads a report under the old key and one under the new key.
  for (const underOld of [true, false]) {
    const reference = withDb(dbPath, (db) => (db.prepare('SELECT reference, description FROM reports ORDER BY id').all() as { reference: string; description: string }[])
      .find((r) => (ENCRYPTED.exec(r.description)?.[1] === oldId) === underOld)?.reference);
    assert.ok(reference, `no report under the ${underOld ? 'old' : 'new'} key halfway`);
    await midwayCoordinator.reportPage(reference);
  }
  const keysAfterKill = keyLines(keyFile).length;

  // Second run: completes.
  const second = runKeys({ ...env, KEYS_BATCH_SIZE: '10' });
  const done = await exitOf(second);
  assert.equal(done.code, 0, `second keys:rotate: ${second.out()}`);
  assert.ok(second.out().trim().split('\n').length >= 2, `the second run printed no progress per batch: ${second.out()}`);

  const after = withDb(dbPath, (db) => {
    assert.deepEqual(plainSensitiveValues(db), [], 'sensitive values in plain text after the rotation');
    const stored = (db.prepare('SELECT reference FROM reports ORDER BY id').all() as { reference: string }[]).map((r) => r.reference);
    assert.deepEqual(stored, references, 'reports lost or added by the rotation');
    return keyIdCounts(db);
  });
  const reportValuesAfter = withDb(dbPath, (db) => keyIdCounts(db, 'reports'));
  assert.equal(after.size, 1, `after the rotation every value under one key, found ${JSON.stringify([...after])}`);
  const [newId] = [...after.keys()];
  assert.notEqual(newId, oldId, 'the values are still under the old key');
  // (Sent mail drops its recipient meanwhile: the reports' own values are counted.)
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  assert.equal(total(reportValuesAfter), total(reportValuesBefore), 'the reports hold another number of encrypted values after the rotation');
  assert.equal(keyLines(keyFile).length, keysAfterKill, 'the resumed run added yet another key instead of finishing the rotation');

  // The running portal: the coordinator logs in (the TOTP secret was re-encrypted) and reads every report.
  const coordinator = await eventually(async () => {
    try {
      return await Staff.login(p.base, coordinatorAccount);
    } catch {
      return undefined;
    }
  }, 10_000, 'a login after the rotation');
  for (const m of marked) {
    const html = await eventually(async () => {
      const r = await coordinator.get(`/intern/triage/${m.reference}`);
      return r.status === 200 ? r.text() : undefined;
    }, 10_000, `the report page of ${m.reference} after the rotation`);
    assert.ok(html.includes(m.name) && html.includes(m.description), `${m.reference}: the marker is not readable after the rotation`);
  }
  // Every report opens under the newest key alone (the app's own decryption, each value for its row) …
  const newest = keyringOf([Buffer.from(keyLines(keyFile).at(-1)!, 'base64')]);
  const unreadable = withDb(dbPath, (db) =>
    (db.prepare('SELECT * FROM reports ORDER BY id').all() as { reference: string }[]).flatMap((row) => {
      try {
        const opened = openReport(newest, row) as Record<string, unknown>;
        return typeof opened['description'] === 'string' && opened['description'].length > 0 ? [] : [`${row.reference}: no description`];
      } catch (error) {
        return [`${row.reference}: ${(error as Error).message}`];
      }
    }),
  );
  assert.deepEqual(unreadable, [], 'reports that do not open under the new key');
  // … and the coordinator opens a sample of them in the running portal (all 300 pages would take 15–25 s on these machines).
  const sample = [...references].sort(() => Math.random() - 0.5).slice(0, 30);
  const failed: string[] = [];
  for (let i = 0; i < sample.length; i += 6) {
    await Promise.all(sample.slice(i, i + 6).map(async (reference) => {
      const response = await coordinator.get(`/intern/triage/${reference}`);
      const html = await response.text();
      if (response.status !== 200 || !html.includes(`Melding ${reference}`)) failed.push(`${reference}: ${response.status}`);
    }));
  }
  assert.deepEqual(failed, [], 'report pages that did not open after the rotation');

  // New values are written under the new key (the portal picked it up within a few seconds).
  await eventually(async () => {
    const reference = await residentReport(p.base, caseWith({ name: marker('after'), postcode: uniquePostcode(), houseNumber: '3' }));
    const ids = withDb(dbPath, (db) => reportKeyIds(db, reference));
    const current = withDb(dbPath, (db) => keyIdCounts(db));
    return ids.length === 1 && ids[0] !== oldId && ids[0] !== 'plain' && current.size === 1 ? true : undefined;
  }, 10_000, 'a new report under the new key');

  // Nothing of the reports in what the commands and the portal printed.
  const printed = Buffer.from(first.out() + second.out() + p.output());
  assert.deepEqual(markersIn(printed, marked.flatMap((m) => [m.name, m.description])), [], 'markers in the output of keys:rotate or the portal');
  assert.ok(!printed.includes(Buffer.from(keyLines(keyFile).at(-1)!)), 'a key was printed');
});

// ---------------------------------------------------------------------------------------------
// 4. Production without a key

test('NODE_ENV=production without a data key refuses to start (exit 1, names DATA_KEY_FILE); with one it starts', async () => {
  const dir = dataDir('encryption-production');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // The demo municipality with real-looking addresses: the production checks refuse the .example ones.
  const municipality = path.join(dir, 'gemeente.json');
  writeFileSync(municipality, readFileSync('src/platform/westerkwartier.json', 'utf8').replaceAll('westerkwartier.example', 'westerkwartier.nl'));
  const defaultKey = path.resolve('data/data-key');
  const defaultKeyExisted = existsSync(defaultKey);
  const start = async (extra: Record<string, string>) => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_PATH: path.join(dir, 'meldpunt.db'),
      MAIL_DIR: path.join(dir, 'mail'),
      PUBLIC_URL: 'https://meldpunt.westerkwartier.nl',
      MUNICIPALITY_CONFIG: municipality,
      PDOK_LOCATIESERVER_URL: 'off',
      ...extra,
    };
    delete env['DATA_KEY_FILE'];
    delete env['CREDENTIALS_DIRECTORY'];
    delete env['TEST_CLOCK_FILE'];
    Object.assign(env, extra);
    const child = spawn(process.execPath, ['dist/server/entry.mjs'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    return { child, port, output: () => output };
  };

  const refused = await start({});
  const exited = exitOf(refused.child);
  const listening = await eventually(() => (refused.child.exitCode !== null ? false : /listening/i.test(refused.output()) ? true : undefined), 15_000, 'the refusal or the start');
  if (listening) {
    refused.child.kill('SIGKILL');
    await exited;
  }
  assert.equal(listening, false, `the portal started in production without a data key: ${refused.output()}`);
  assert.equal((await exited).code, 1, refused.output());
  assert.match(refused.output(), /DATA_KEY_FILE/);
  assert.doesNotMatch(refused.output(), /listening/i);
  if (!defaultKeyExisted) assert.equal(existsSync(defaultKey), false, 'production created the embedded default key data/data-key');

  // The same settings with a key: it starts (so the refusal was the key's).
  const keyFile = path.join(dir, 'data-key');
  newKeyFile(keyFile);
  const started = await start({ DATA_KEY_FILE: keyFile });
  try {
    await eventually(async () => {
      if (started.child.exitCode !== null) throw new Error(`the production portal with a key exited: ${started.output()}`);
      try {
        return (await fetch(`http://127.0.0.1:${started.port}/health`)).ok ? true : undefined;
      } catch {
        return undefined;
      }
    }, 20_000, 'the production portal with a data key');
  } finally {
    started.child.kill('SIGTERM');
    await exitOf(started.child);
  }
});

test('without DATA_KEY_FILE outside production, the first start creates data/data-key (mode 0600, a 256-bit key) and says so', async () => {
  // In a folder of its own, so that the worktree's data/ is left alone.
  const cwd = mkdtempSync(path.join(tmpdir(), 'mb-enc-default-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port), MIGRATIONS_DIR: path.resolve('db/migrations'), PDOK_LOCATIESERVER_URL: 'off' };
  for (const name of ['DATA_KEY_FILE', 'CREDENTIALS_DIRECTORY', 'NODE_ENV', 'DATABASE_PATH', 'MAIL_DIR', 'PUBLIC_URL', 'MUNICIPALITY_CONFIG']) delete env[name];
  const child = spawn(process.execPath, [path.resolve('dist/server/entry.mjs')], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  try {
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`the portal exited: ${output}`);
      try {
        return (await fetch(`http://127.0.0.1:${port}/health`)).ok ? true : undefined;
      } catch {
        return undefined;
      }
    }, 20_000, 'the portal without DATA_KEY_FILE');
    const keyFile = path.join(cwd, 'data', 'data-key');
    assert.ok(existsSync(keyFile), `no data/data-key in ${cwd}: ${output}`);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600, 'data/data-key is readable by others');
    const lines = keyLines(keyFile);
    assert.equal(lines.length, 1);
    assert.equal(Buffer.from(lines[0]!, 'base64').length, 32, 'the key is not 256 bits in base64');
    assert.match(output, /data-key/, 'the portal did not say it created data/data-key');
    assert.ok(!output.includes(lines[0]!), 'the portal printed the key');
  } finally {
    child.kill('SIGTERM');
    await exitOf(child);
  }
});

// ---------------------------------------------------------------------------------------------
// 5. Upgrade of a database of the previous version

/** The migrations of the previous version (schema 9, commit 95cdcb5), as git holds them. */
function previousMigrations(): { version: number; sql: string }[] {
  const files = execFileSync('git', ['ls-tree', '--name-only', '95cdcb5', 'db/migrations/'], { encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('.sql')).sort();
  assert.equal(files.length, 9, `expected 9 migrations at 95cdcb5, found ${files.join(', ')}`);
  return files.map((file, i) => ({ version: i + 1, sql: execFileSync('git', ['show', `95cdcb5:${file}`], { encoding: 'utf8' }) }));
}

// The previous version's repeat-report keys (src/features/reports/repeat-keys.rules.ts at 95cdcb5): plain text.
const SPECIAL: Record<string, string> = { ı: 'i', ł: 'l', Ł: 'l', ø: 'o', Ø: 'o', ß: 'ss', æ: 'ae', Æ: 'ae', œ: 'oe', Œ: 'oe', đ: 'd', Đ: 'd', þ: 'th', Þ: 'th' };
const fold = (text: string): string =>
  text.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[ıłŁøØßæÆœŒđĐþÞ]/g, (c) => SPECIAL[c] ?? c).toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
const oldAddressKey = (postcode: string, houseNumber: string, addition: string | null) => `${postcode}|${houseNumber.replace(/^0+/, '')}|${fold(addition ?? '').replace(/ /g, '')}`;
const TITLES = /^(dhr|de heer|heer|meneer|mr|mevr|mevrouw|mw|mej|juffrouw)\b\s*/;
function oldPersonKey(name: string, place: string): string {
  let n = fold(name);
  while (TITLES.test(n)) n = n.replace(TITLES, '');
  return `${n}|${fold(place)}`;
}

const REFERENCE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const newReference = () => `MB-${Array.from({ length: 8 }, () => REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)]).join('')}`;

test('a database of the previous version (schema 9, plain) is encrypted in place on start: every report kept and readable, no marker left', async () => {
  const NAME = 'encryption-upgrade';
  const dir = dataDir(NAME);
  const dbPath = dbPathOf(NAME);
  const keyFile = keyFileOf(NAME);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  newKeyFile(keyFile);

  // The previous version's database, made elsewhere and copied in (as an operator would restore it).
  const build = path.join(mkdtempSync(path.join(tmpdir(), 'mb-enc-old-')), 'old.db');
  const old = new Database(build);
  old.pragma('journal_mode = WAL');
  old.pragma('foreign_keys = OFF');
  for (const m of previousMigrations()) {
    old.transaction(() => {
      old.exec(m.sql);
      old.pragma(`user_version = ${m.version}`);
    })();
  }
  old.pragma('foreign_keys = ON');
  assert.equal(old.pragma('user_version', { simple: true }), 9);

  const now = new Date();
  const iso = now.toISOString();
  const today = iso.slice(0, 10);
  const oldSecret = `ZQXTOTP${letters(25)}`;
  const user = old
    .prepare(`INSERT INTO users (email, name, role, password_hash, totp_secret, created_at, updated_at) VALUES (?, 'Oude Coordinator', 'coordinator', ?, ?, ?, ?)`)
    .run(`oud-${letters(6).toLowerCase()}@test.example`, `scrypt$${randomBytes(16).toString('hex')}`, oldSecret, iso, iso);
  const userId = Number(user.lastInsertRowid);

  const personMarker = `ZQXOLDSAME${letters(8)}`;
  const sharedPerson = `Dhr. Jan ${personMarker}`;
  const sharedStreet = marker('oldstreet');
  const sharedPostcode = `9351${letters(2)}`;
  const bagMarker = `19692000${digits(8)}`;
  type OldReport = { reference: string; markers: string[]; row: Record<string, string | number | null> };
  const reports: OldReport[] = [];
  const addReport = (row: Record<string, string | number | null>, markers: string[]) => reports.push({ reference: newReference(), markers, row });
  for (let i = 0; i < 2; i++) {
    const m = { name: sharedPerson, desc: marker(`olddesc${i}`), addition: `Q${letters(5)}`, reporter: marker(`oldreporter${i}`), phone: digits(8), email: `zqxoldmail${letters(8).toLowerCase()}` };
    addReport(
      {
        channel: 'inwoner', person_name: m.name, location_kind: 'adres', postcode: sharedPostcode, house_number: '17', house_addition: i === 0 ? m.addition : null, street: sharedStreet,
        place: 'Leek', description: `Hij schreeuwt elke nacht in de tuin. ${m.desc}`, reporter_name: m.reporter, reporter_phone: `06${m.phone}`, reporter_email: `${m.email}@example.nl`,
        address_key: oldAddressKey(sharedPostcode, '17', null), person_key: oldPersonKey(m.name, 'Leek'),
        bag_address_id: i === 0 ? bagMarker : null,
      },
      [personMarker, m.desc, sharedStreet, m.reporter, m.phone, m.email, ...(i === 0 ? [m.addition] : [])],
    );
  }
  const kccMarkers = { name: marker('oldkname'), location: marker('oldklocation'), desc: marker('oldkdesc'), caller: marker('oldkcaller') };
  addReport(
    {
      channel: 'kcc', intake_method: 'telefoon', person_name: kccMarkers.name, location_kind: 'geen_vast_adres', place: 'Zuidhorn', location_description: `Bij de kerk, ${kccMarkers.location}`,
      description: `De beller ziet hem elke dag bij de kerk. ${kccMarkers.desc}`, reporter_name: kccMarkers.caller, reporter_phone: '06 12345678',
      person_key: oldPersonKey(kccMarkers.name, 'Zuidhorn'), case_director: null,
    },
    Object.values(kccMarkers),
  );
  const boaMarkers = { name: marker('oldbname'), street: marker('oldbstreet'), police: marker('oldbpolice'), desc: marker('oldbdesc'), cr: marker('oldcr'), fwd: marker('oldfwd') };
  addReport(
    {
      channel: 'boa', person_name: boaMarkers.name, location_kind: 'adres', postcode: '9861CD', house_number: '3', street: boaMarkers.street, place: 'Grootegast',
      description: `Vervuilde woning, het dak heeft gaten. ${boaMarkers.desc}`, observed_at: iso, police_present: 1, police_reference: boaMarkers.police,
      address_key: oldAddressKey('9861CD', '3', null), person_key: oldPersonKey(boaMarkers.name, 'Grootegast'),
      case_director: `${boaMarkers.cr} (sociaal team)`, forwarded_to: `Veilig Thuis ${boaMarkers.fwd}`, status: 'doorgestuurd',
    },
    Object.values(boaMarkers),
  );
  const insert = (row: Record<string, string | number | null>, reference: string) => {
    const full: Record<string, string | number | null> = {
      reference, created_at: iso, updated_at: iso, acute_danger: 0, person_age: '18_plus', concern_since: 'paar_weken', danger_to_self: 'nee', danger_to_others: 'ja',
      person_aware: 'nee', reporter_relation: 'buren', captcha_status: 'niet_van_toepassing', suggested_urgency: 'hoog', urgency: 'hoog', due_on: today, ...row,
    };
    const columns = Object.keys(full);
    const id = Number(old.prepare(`INSERT INTO reports (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(full).lastInsertRowid);
    old.prepare("INSERT INTO report_concerns (report_id, concern) VALUES (?, 'overlast_agressie')").run(id);
    return id;
  };
  const ids = reports.map((r) => insert(r.row, r.reference));
  const noteMarker = marker('oldnote');
  const reasonMarker = marker('oldreason');
  const regieMarker = boaMarkers.cr;
  old.prepare('INSERT INTO report_notes (report_id, author_id, created_at, body) VALUES (?, ?, ?, ?)').run(ids[0], userId, iso, `Gesproken met de huisarts. ${noteMarker}`);
  old.prepare("INSERT INTO report_events (report_id, actor_id, at, kind, from_value, to_value, reason) VALUES (?, ?, ?, 'status', 'nieuw', 'doorgestuurd', ?)").run(ids[3], userId, iso, `Naar Veilig Thuis: ${reasonMarker}`);
  old.prepare("INSERT INTO report_events (report_id, actor_id, at, kind, from_value, to_value, reason) VALUES (?, ?, ?, 'regie', 'CR: -', ?, NULL)").run(ids[3], userId, iso, `CR: ${regieMarker} (sociaal team)`);
  // Mail not yet due (never sent during the test), to a marker address; a resident's draft in progress.
  const outboxMarker = `zqxoldoutbox${letters(8).toLowerCase()}`;
  old.prepare(`INSERT INTO outbox (kind, report_id, recipient, subject, text_body, html_body, message_id, state, next_attempt_at, created_at)
    VALUES ('reporter_confirmation', ?, ?, 'Bevestiging', 'x', 'x', ?, 'pending', '2099-01-01T00:00:00.000Z', ?)`).run(ids[0], `${outboxMarker}@example.nl`, `<${letters(10)}@test>`, iso);
  const draftMarker = marker('olddraft');
  old.prepare('INSERT INTO drafts (token_hash, answers, created_at, updated_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(
    createHash('sha256').update(randomBytes(16)).digest('hex'),
    JSON.stringify({ acute: { acuteDanger: 'nee' }, persoon: { personName: draftMarker, personAge: '18_plus', locationKind: 'geen_vast_adres', locationDescription: 'bij het station' } }),
    iso, iso, new Date(now.getTime() + 12 * 3_600_000).toISOString(),
  );
  old.close();

  const allMarkers = [...reports.flatMap((r) => r.markers), noteMarker, reasonMarker, outboxMarker, draftMarker, bagMarker, oldSecret];
  copyFileSync(build, dbPath);
  assert.ok(!existsSync(`${build}-wal`) || statSync(`${build}-wal`).size === 0, 'the old database was not checkpointed');
  // The byte search finds the markers in the old file: its absence later means something.
  assert.deepEqual(markersIn(readFileSync(dbPath), allMarkers).sort(), [...allMarkers].sort(), 'the plain markers are not all in the old database file');

  // The new version starts on it.
  let p = await portal(NAME, {}, true);
  const [coordinatorAccount] = await Promise.all([
    account(dbPath, keyFile, 'coordinator'),
    eventually(() => withDb(dbPath, (db) => (plainSensitiveValues(db).length === 0 ? true : undefined)), 30_000, 'every sensitive value of the old database encrypted'),
  ]);
  const stored = withDb(dbPath, (db) => (db.prepare('SELECT reference FROM reports ORDER BY id').all() as { reference: string }[]).map((r) => r.reference));
  assert.deepEqual(stored, reports.map((r) => r.reference), 'reports lost in the upgrade');
  withDb(dbPath, (db) => {
    assert.equal((db.prepare('SELECT count(*) AS n FROM report_notes').get() as { n: number }).n, 1, 'the note was lost');
    assert.equal((db.prepare('SELECT count(*) AS n FROM report_events').get() as { n: number }).n >= 2, true, 'events were lost');
    assert.equal((db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n >= 1, true, 'the user was lost');
  });

  // The coordinator reads every marker on its report page.
  const coordinator = await Staff.login(p.base, coordinatorAccount);
  for (const r of reports) {
    let html = await coordinator.reportPage(r.reference);
    if (r.row['reporter_name']) html += await (await coordinator.post(`/intern/triage/${r.reference}`, { intent: 'reveal' })).text();
    for (const m of r.markers) assert.ok(html.includes(m), `${r.reference}: the coordinator does not read ${m} after the upgrade`);
  }
  const firstPage = await coordinator.reportPage(reports[0]!.reference);
  assert.ok(firstPage.includes(noteMarker), 'the old note is not readable after the upgrade');
  const boaPage = await coordinator.reportPage(reports[3]!.reference);
  assert.ok(boaPage.includes(reasonMarker), 'the old status reason is not readable after the upgrade');
  // Repeat detection survives the upgrade: the second report lists the first.
  assert.ok(relatedSection(await coordinator.reportPage(reports[1]!.reference)).includes(reports[0]!.reference), 'the old repeat report is not under "Eerdere meldingen" after the upgrade');

  // Stopped (SIGTERM checkpoints): no marker left in the file, its WAL or a backup; the plain postcode is.
  await p.stop('SIGTERM');
  assert.deepEqual(markersIn(Buffer.from(p.output()), allMarkers), [], 'markers of the old database in the portal output');
  const file = readFileSync(dbPath);
  const wal = readIfThere(`${dbPath}-wal`);
  assert.ok(file.includes(Buffer.from(sharedPostcode)), 'the plain postcode is not in the upgraded file: the byte search proves nothing');
  assert.ok(file.includes(Buffer.from(reports[2]!.reference)), 'the reference is not in the upgraded file');
  assert.deepEqual(markersIn(file, allMarkers), [], 'markers of the old database left in the upgraded file');
  assert.deepEqual(markersIn(wal, allMarkers), [], 'markers of the old database in the WAL');
  const backup = path.join(mkdtempSync(path.join(tmpdir(), 'mb-enc-')), 'backup.db');
  await runNode(['src/cli/db.ts', 'backup', backup], { ...process.env, DATABASE_PATH: dbPath, DATA_KEY_FILE: keyFile });
  const backupBytes = readFileSync(backup);
  assert.ok(backupBytes.includes(Buffer.from(sharedPostcode)), 'the plain postcode is not in the backup');
  assert.deepEqual(markersIn(backupBytes, allMarkers), [], 'markers of the old database in a backup of the upgraded one');
  // Started again on the upgraded file: still readable, nothing redone wrongly.
  p = await portal(NAME, {}, true, p.port);
  const again = coordinator.movedTo(p.base);
  const html = await again.reportPage(reports[2]!.reference);
  assert.ok(html.includes(kccMarkers.location), 'after a second start the KCC report is not readable');
});
