// The benchmark's baseline: the least a server can do for "Melding versturen". A bare node:http server
// and better-sqlite3 with the portal's settings (WAL, synchronous=FULL, foreign keys, busy timeout) and
// schema (db/migrations/0001-init.sql), inserting one report row and its report_concerns rows in one
// IMMEDIATE transaction per POST and answering 303 to /melden/bedankt, as the portal does.
// Usage: node tests/bench/baseline-server.ts <port> <database file>
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Database from 'better-sqlite3';

const [portArg, file] = process.argv.slice(2);
if (!portArg || !file) throw new Error('usage: baseline-server.ts <port> <database file>');

const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
db.exec(readFileSync('db/migrations/0001-init.sql', 'utf8'));

// The same statement as src/features/reports/reports.repo.server.ts.
const insert = db.prepare(`
  INSERT INTO reports (
    reference, channel, status, created_at, updated_at, entered_by, acute_danger,
    person_name, person_age, location_kind, postcode, house_number, house_addition, street, place,
    location_description, children_in_home, description, concern_since, danger_to_self, danger_to_others,
    person_aware, involved, reporter_relation, anonymous, reporter_name, reporter_phone, reporter_email,
    intake_method, observed_at, police_present, police_reference, captcha_status,
    suggested_urgency, urgency, due_on)
  VALUES (
    @reference, @channel, @status, @createdAt, @createdAt, @enteredBy, @acuteDanger,
    @personName, @personAge, @locationKind, @postcode, @houseNumber, @houseAddition, @street, @place,
    @locationDescription, @childrenInHome, @description, @concernSince, @dangerToSelf, @dangerToOthers,
    @personAware, @involved, @reporterRelation, @anonymous, @reporterName, @reporterPhone, @reporterEmail,
    @intakeMethod, @observedAt, @policePresent, @policeReference, @captchaStatus,
    @suggestedUrgency, @suggestedUrgency, @dueOn)`);
const insertConcern = db.prepare('INSERT INTO report_concerns (report_id, concern) VALUES (?, ?)');

const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
function reference(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `MB-${code}`;
}

// The answers of the bench's draft (tests/bench/form-flow.ts), as the portal stores them.
const CONCERNS = ['vervuiling', 'eenzaamheid'];
const record = db.transaction((now: Date) => {
  const { lastInsertRowid } = insert.run({
    reference: reference(),
    channel: 'inwoner',
    status: 'nieuw',
    createdAt: now.toISOString(),
    enteredBy: null,
    acuteDanger: 0,
    personName: 'J. de Vries',
    personAge: '18_plus',
    locationKind: 'adres',
    postcode: '9351AB',
    houseNumber: '12',
    houseAddition: null,
    street: 'Hoofdstraat',
    place: 'Leek',
    locationDescription: null,
    childrenInHome: 'nee',
    description: 'Mijn buurman komt al weken niet buiten en de post stapelt zich op. Het ruikt in het portiek.',
    concernSince: 'paar_weken',
    dangerToSelf: 'weet_niet',
    dangerToOthers: 'nee',
    personAware: 'nee',
    involved: JSON.stringify(['huisarts']),
    reporterRelation: 'buren',
    anonymous: 0,
    reporterName: 'A. Jansen',
    reporterPhone: '06 12345678',
    reporterEmail: 'buur@voorbeeld.nl',
    intakeMethod: null,
    observedAt: null,
    policePresent: null,
    policeReference: null,
    captchaStatus: 'niet_van_toepassing',
    suggestedUrgency: 'normaal',
    dueOn: now.toISOString().slice(0, 10),
  });
  for (const concern of CONCERNS) insertConcern.run(Number(lastInsertRowid), concern);
});

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    res.end('ok');
    return;
  }
  if (req.method !== 'POST' || req.url !== '/melden/controleren') {
    res.statusCode = 404;
    res.end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const form = new URLSearchParams(Buffer.concat(chunks).toString());
    if (form.get('website')) {
      res.statusCode = 400;
      res.end();
      return;
    }
    try {
      record.immediate(new Date());
    } catch {
      res.statusCode = 500;
      res.end();
      return;
    }
    res.writeHead(303, { Location: '/melden/bedankt', 'Content-Length': '0' });
    res.end();
  });
});
server.listen(Number(portArg), '127.0.0.1');

const stop = () => {
  server.close();
  server.closeAllConnections();
  db.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
