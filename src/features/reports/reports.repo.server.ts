import { SqliteError } from 'better-sqlite3';
import { newReference } from './reference.rules.ts';
import { addressKey, addressNumberKey, normaliseName, personKey, registrationKey, streetKey, streetNumberKey } from './repeat-keys.rules.ts';
import type { Urgency } from './urgency.rules.ts';
import type { STATUS } from './options.schema.ts';
import type { AddressCheck } from '#features/address/address.schema.ts';
import { db } from '#platform/db.ts';
import { blind, blindAll, fieldsOf, needsReseal, type ResealBatch } from '#platform/crypto/fields.server.ts';
import { lazy } from '#lib/lazy.ts';
import { SEALED_COLUMNS, type SealedColumn } from './sealed-columns.rules.ts';

export { SEALED_COLUMNS };

/**
 * The one module that reads and writes report rows. Sensitive columns (names, contact details,
 * address, free text, the BAG identifiers, the directors) pass only through here: sealed on the way
 * in, opened on the way out (spec §8), with the reference as the row each value belongs to. The blind
 * indexes that find repeat reports and serve the search are computed here too.
 */

const SEALED = new Set<string>(SEALED_COLUMNS);

const fields = fieldsOf('reports');

/** The plain values the blind indexes are made from. */
interface BlindSource {
  postcode: string | undefined;
  houseNumber: string | undefined;
  houseAddition: string | undefined;
  street: string | undefined;
  personName: string | undefined;
  /** The village from the lookup, else the typed place. */
  place: string | undefined;
  bagAddressId: string | undefined;
  policeReference: string | undefined;
}

/** The blind-index columns of a report (the current key). */
function blindColumns(v: BlindSource) {
  return {
    addressKey: blind('address', addressKey(v.postcode, v.houseNumber, v.houseAddition)),
    addressNumberKey: blind('address_number', addressNumberKey(v.postcode, v.houseNumber)),
    personKey: blind('person', personKey(v.personName, v.place, v.postcode)),
    nameKey: blind('name', normaliseName(v.personName)),
    streetKey: blind('street', streetKey(v.street)),
    streetNumberKey: blind('street_number', streetNumberKey(v.street, v.houseNumber)),
    bagKey: blind('bag', v.bagAddressId),
    policeReferenceKey: blind('registration', registrationKey(v.policeReference)),
  };
}

export type Channel = 'inwoner' | 'kcc' | 'boa' | 'politie';
export type ReportStatus = keyof typeof STATUS;
export type CaptchaStatus = 'geslaagd' | 'niet_gecontroleerd' | 'niet_van_toepassing';

/** Everything any channel can record about a new report. Absent answers are `undefined`. */
export interface NewReport {
  channel: Channel;
  status?: 'nieuw' | 'acuut_doorgezet';
  enteredBy?: number | undefined;
  acuteDanger: boolean;
  personName?: string | undefined;
  personAge?: string | undefined;
  locationKind?: string | undefined;
  postcode?: string | undefined;
  houseNumber?: string | undefined;
  houseAddition?: string | undefined;
  street?: string | undefined;
  place?: string | undefined;
  locationDescription?: string | undefined;
  childrenInHome?: string | undefined;
  concerns: readonly string[];
  description?: string | undefined;
  concernSince?: string | undefined;
  dangerToSelf?: string | undefined;
  dangerToOthers?: string | undefined;
  personAware?: string | undefined;
  involved: readonly string[];
  reporterRelation?: string | undefined;
  anonymous: boolean;
  reporterName?: string | undefined;
  reporterPhone?: string | undefined;
  reporterEmail?: string | undefined;
  intakeMethod?: string | undefined;
  observedAt?: string | undefined;
  policePresent?: boolean | undefined;
  policeReference?: string | undefined;
  /** Police reports (spec §4a). */
  incidentAt?: string | undefined;
  incidentPlace?: string | undefined;
  policeRequest?: string | undefined;
  policeFeedback?: boolean | undefined;
  policeOfficer?: string | undefined;
  policeTeam?: string | undefined;
  policePhone?: string | undefined;
  policeEmail?: string | undefined;
  captchaStatus: CaptchaStatus;
  /** What the national address register said (`undefined`: no address to look up). */
  addressCheck?: AddressCheck | undefined;
  suggestedUrgency: Urgency;
  dueOn: string;
}

/** A stored report as the portal reads it back. */
export interface StoredReport extends Omit<NewReport, 'status' | 'acuteDanger' | 'anonymous' | 'policePresent' | 'policeFeedback'> {
  id: number;
  reference: string;
  status: string;
  createdAt: string;
  acuteDanger: boolean;
  anonymous: boolean;
  policePresent: boolean | undefined;
  policeFeedback: boolean | undefined;
  /** `Geen terugkoppeling sturen` (spec §7). */
  feedbackOff: boolean;
  urgency: Urgency;
  avePhase: string;
}

/** The lookup's columns (migration 0008). */
function addressColumns(check: AddressCheck | undefined) {
  const m = check?.match;
  return {
    addressCheck: orNull(check?.status),
    addressCheckedOn: orNull(check?.checkedOn),
    bagAddressId: orNull(m?.nummeraanduidingId),
    bagObjectId: orNull(m?.adresseerbaarobjectId),
    woonplaats: orNull(m?.place),
    municipalityCode: orNull(m?.municipalityCode),
    municipalityName: orNull(m?.municipalityName ?? (check?.otherMunicipality || undefined)),
    otherMunicipality: check?.otherMunicipality === undefined ? 0 : 1,
    wijkCode: orNull(m?.wijkCode),
    wijkName: orNull(m?.wijkName),
    buurtCode: orNull(m?.buurtCode),
    buurtName: orNull(m?.buurtName),
  };
}

/**
 * A closed report that still holds a contact detail of its reporter or police contact: word for word the
 * condition of the partial index `reports_contact_to_erase` (migration 0025), so SQLite can use that index.
 */
const CONTACT_TO_ERASE = `closed_at IS NOT NULL AND contact_erased_at IS NULL
  AND (reporter_name IS NOT NULL OR reporter_phone IS NOT NULL OR reporter_email IS NOT NULL
       OR police_officer IS NOT NULL OR police_phone IS NOT NULL OR police_email IS NOT NULL)`;

/**
 * The id of the report with the reference `?`, from the table of keys (migration 0028), for `id = …`. A
 * deleted report's key may linger until retention sweeps it: its id then finds no report.
 */
export const REPORT_ID_BY_REFERENCE = "(SELECT report_id FROM report_keys WHERE kind = 'reference' AND key = ?)";

const statements = lazy(() => {
  const d = db();
  return {
    insert: d.prepare(`
      INSERT INTO reports (
        reference, channel, status, created_at, updated_at, entered_by, acute_danger,
        person_name, person_age, location_kind, postcode, house_number, house_addition, street, place,
        location_description, children_in_home, description, concern_since, danger_to_self, danger_to_others,
        person_aware, involved, reporter_relation, anonymous, reporter_name, reporter_phone, reporter_email,
        intake_method, observed_at, police_present, police_reference, captcha_status,
        incident_at, incident_place, police_request, police_feedback, police_officer, police_team, police_phone, police_email,
        suggested_urgency, urgency, due_on, address_key, person_key, address_number_key, name_key, street_key,
        street_number_key, bag_key, police_reference_key,
        address_check, address_checked_on, bag_address_id, bag_object_id, woonplaats, municipality_code,
        municipality_name, other_municipality, wijk_code, wijk_name, buurt_code, buurt_name, closed_at)
      VALUES (
        @reference, @channel, @status, @createdAt, @createdAt, @enteredBy, @acuteDanger,
        @personName, @personAge, @locationKind, @postcode, @houseNumber, @houseAddition, @street, @place,
        @locationDescription, @childrenInHome, @description, @concernSince, @dangerToSelf, @dangerToOthers,
        @personAware, @involved, @reporterRelation, @anonymous, @reporterName, @reporterPhone, @reporterEmail,
        @intakeMethod, @observedAt, @policePresent, @policeReference, @captchaStatus,
        @incidentAt, @incidentPlace, @policeRequest, @policeFeedback, @policeOfficer, @policeTeam, @policePhone, @policeEmail,
        @suggestedUrgency, @suggestedUrgency, @dueOn, @addressKey, @personKey, @addressNumberKey, @nameKey, @streetKey,
        @streetNumberKey, @bagKey, @policeReferenceKey,
        @addressCheck, @addressCheckedOn, @bagAddressId, @bagObjectId, @woonplaats, @municipalityCode,
        @municipalityName, @otherMunicipality, @wijkCode, @wijkName, @buurtCode, @buurtName, @closedAt)`),
    insertConcern: d.prepare('INSERT INTO report_concerns (report_id, concern) VALUES (?, ?)'),
    byReference: d.prepare(`SELECT * FROM reports WHERE id = ${REPORT_ID_BY_REFERENCE}`),
    concernsOf: d.prepare('SELECT concern FROM report_concerns WHERE report_id = ? ORDER BY concern'),
    enteredBy: d.prepare(`
      SELECT reference, created_at AS createdAt, status FROM reports
      WHERE entered_by = ? AND created_at >= ? ORDER BY created_at DESC LIMIT ?`),
    // Retention (retention.server.ts). The statuses and ids arrive as JSON arrays: the lists have one home in
    // TypeScript (triage.rules.ts, retention.rules.ts) and the statements are prepared once. Candidates are
    // read from a partial index that holds only candidates (migrations 0019, 0025; an index range, no sort),
    // in the index's order from where the last read stopped (its closing time and id), so a run reads every
    // candidate once, a part at a time, before changing any in id order (retention.server.ts). Only a report
    // with a contact detail is a candidate for erasure: the others have nothing to erase. Only the index is
    // read: 16–30 ms per 20,000 at 1,000,000 reports, where checking the status as well read every row
    // (about 500 ms). The status is checked where the contact is erased (eraseContact).
    contactToErase: d.prepare(`
      SELECT id, closed_at AS closedAt FROM reports INDEXED BY reports_contact_to_erase
      WHERE ${CONTACT_TO_ERASE} AND closed_at < ? AND (closed_at, id) > (?, ?)
      ORDER BY closed_at, id LIMIT ?`),
    // Each condition checked again at the change: a report reopened since it was read is left alone.
    eraseContact: d.prepare(`
      UPDATE reports SET reporter_name = NULL, reporter_phone = NULL, reporter_email = NULL,
        police_officer = NULL, police_phone = NULL, police_email = NULL, contact_erased_at = ?
      WHERE id IN (SELECT value FROM json_each(?)) AND ${CONTACT_TO_ERASE} AND closed_at < ?
        AND status IN (SELECT value FROM json_each(?))`),
    closedBefore: d.prepare(`
      SELECT id, closed_at AS closedAt FROM reports INDEXED BY reports_closed_by_status
      WHERE status = ? AND closed_at IS NOT NULL AND closed_at < ? AND (closed_at, id) > (?, ?)
      ORDER BY closed_at, id LIMIT ?`),
    unmergeFrom: d.prepare('UPDATE reports SET merged_into = NULL WHERE merged_into IN (SELECT value FROM json_each(?))'),
    deleteByIds: d.prepare('DELETE FROM reports WHERE id IN (SELECT value FROM json_each(?))'),
    deleteConcernsOf: d.prepare('DELETE FROM report_concerns WHERE report_id IN (SELECT value FROM json_each(?))'),
    // The keys of deleted reports (migration 0028): the newest waiting, those of one kind in key order, sweeping
    // some, and forgetting the swept ones in the order they came. An id is never given twice (DELETABLE).
    goneUpTo: d.prepare('SELECT coalesce(max(id), 0) FROM report_keys_gone').pluck(),
    goneFrom: d.prepare('SELECT coalesce(min(id), 0) FROM report_keys_gone').pluck(),
    forgetGone: d.prepare('DELETE FROM report_keys_gone WHERE id >= ? AND id < ?'),
    referenceOf: d.prepare('SELECT reference FROM reports WHERE id = ?'),
    // The encryption pass: a batch of rows after an id.
    batch: d.prepare(`
      SELECT id, reference, postcode, place, woonplaats, address_key, person_key, address_number_key, name_key, street_key,
        street_number_key, bag_key, police_reference_key, ${SEALED_COLUMNS.join(', ')}
      FROM reports WHERE id > ? ORDER BY id LIMIT ?`),
    reseal: d.prepare(`
      UPDATE reports SET ${SEALED_COLUMNS.map((c) => `${c} = @${c}`).join(', ')}, address_key = @addressKey, person_key = @personKey,
        address_number_key = @addressNumberKey, name_key = @nameKey, street_key = @streetKey, street_number_key = @streetNumberKey,
        bag_key = @bagKey, police_reference_key = @policeReferenceKey
      WHERE id = @id`),
  };
});

const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

/**
 * The blind indexes to look for a report's address and person elsewhere (the deletion log), under every
 * key of the keyring, each as a JSON array.
 */
export function blindLookups(r: StoredReport): { address: string; bag: string; person: string } {
  return {
    address: blindAll('address', addressKey(r.postcode, r.houseNumber, r.houseAddition)),
    bag: blindAll('bag', r.addressCheck?.match?.nummeraanduidingId),
    person: blindAll('person', personKey(r.personName, r.addressCheck?.match?.place ?? r.place, r.postcode)),
  };
}

/** camelCase parameter → column, for the sealed ones. */
const PARAMETER_OF: Record<SealedColumn, string> = Object.fromEntries(
  SEALED_COLUMNS.map((c) => [c, c.replace(/_([a-z])/g, (_m, l: string) => l.toUpperCase())]),
) as Record<SealedColumn, string>;

/** The insert's parameters with every sealed column encrypted for the report `reference`. */
function sealRow<T extends Record<string, unknown>>(row: T, reference: string): T {
  const sealed: Record<string, unknown> = { ...row };
  for (const column of SEALED_COLUMNS) {
    const key = PARAMETER_OF[column];
    if (key in sealed) sealed[key] = fields.seal(column, reference, sealed[key] as string | null);
  }
  return sealed as T;
}
const bit = (v: boolean | undefined): number | null => (v === undefined ? null : v ? 1 : 0);

function isReferenceClash(error: unknown): boolean {
  // Raised by the trigger report_reference_unique (migration 0028).
  return error instanceof SqliteError && error.code.startsWith('SQLITE_CONSTRAINT') && /reports\.reference/.test(error.message);
}

/**
 * A report's row ready to insert: its reference, every column (the sealed ones encrypted for that
 * reference, the blind indexes computed) and its concerns. Prepared apart from the insert so that the work
 * without the database (encryption, HMACs: a fifth of the residents' writer thread, issue 16) can be done
 * by the thread that takes the request, while the writer thread only writes. A plain object: it can be
 * posted to another thread.
 */
export interface PreparedReport {
  reference: string;
  columns: Record<string, unknown>;
  concerns: readonly string[];
}

/** Another report has this reference already (the insert rolled back); prepare the report again with a new one. */
export class ReferenceClash extends Error {
  constructor() {
    super('UNIQUE constraint failed: reports.reference');
    this.name = 'ReferenceClash';
  }
}

/** How often a report is prepared again when its reference is taken (one chance in 31^8 per report). */
export const REFERENCE_ATTEMPTS = 6;

/** Runs `attempt` (prepare and insert) again, with a new reference, while its reference is taken. */
export function withFreshReference<T>(attempt: () => T): T {
  for (let n = 1; ; n++) {
    try {
      return attempt();
    } catch (error) {
      if (!(error instanceof ReferenceClash) || n >= REFERENCE_ATTEMPTS) throw error;
    }
  }
}

/** Prepares a report's row, with a fresh reference, for `insertPreparedReport`. */
export function prepareReport(report: NewReport, now: Date): PreparedReport {
  const reference = newReference();
  const plain = {
    channel: report.channel,
    status: report.status ?? 'nieuw',
    createdAt: now.toISOString(),
    // An acute record is closed by nature (spec §5): retention counts its term from its creation.
    closedAt: report.status === 'acuut_doorgezet' ? now.toISOString() : null,
    enteredBy: orNull(report.enteredBy),
    acuteDanger: report.acuteDanger ? 1 : 0,
    personName: orNull(report.personName),
    personAge: orNull(report.personAge),
    locationKind: orNull(report.locationKind),
    postcode: orNull(report.postcode),
    houseNumber: orNull(report.houseNumber),
    houseAddition: orNull(report.houseAddition),
    street: orNull(report.street),
    place: orNull(report.place),
    locationDescription: orNull(report.locationDescription),
    childrenInHome: orNull(report.childrenInHome),
    description: orNull(report.description),
    concernSince: orNull(report.concernSince),
    dangerToSelf: orNull(report.dangerToSelf),
    dangerToOthers: orNull(report.dangerToOthers),
    personAware: orNull(report.personAware),
    involved: JSON.stringify(report.involved),
    reporterRelation: orNull(report.reporterRelation),
    anonymous: report.anonymous ? 1 : 0,
    reporterName: orNull(report.reporterName),
    reporterPhone: orNull(report.reporterPhone),
    reporterEmail: orNull(report.reporterEmail),
    intakeMethod: orNull(report.intakeMethod),
    observedAt: orNull(report.observedAt),
    policePresent: bit(report.policePresent),
    policeReference: orNull(report.policeReference),
    incidentAt: orNull(report.incidentAt),
    incidentPlace: orNull(report.incidentPlace),
    policeRequest: orNull(report.policeRequest),
    policeFeedback: bit(report.policeFeedback),
    policeOfficer: orNull(report.policeOfficer),
    policeTeam: orNull(report.policeTeam),
    policePhone: orNull(report.policePhone),
    policeEmail: orNull(report.policeEmail),
    captchaStatus: report.captchaStatus,
    suggestedUrgency: report.suggestedUrgency,
    dueOn: report.dueOn,
    ...blindColumns({
      postcode: report.postcode,
      houseNumber: report.houseNumber,
      houseAddition: report.houseAddition,
      street: report.street,
      personName: report.personName,
      place: report.addressCheck?.match?.place ?? report.place,
      bagAddressId: report.addressCheck?.match?.nummeraanduidingId,
      policeReference: report.policeReference,
    }),
    ...addressColumns(report.addressCheck),
  };
  return { reference, columns: { ...sealRow(plain, reference), reference }, concerns: [...report.concerns] };
}

/**
 * Inserts a prepared report (in the caller's transaction). Throws ReferenceClash when another report has
 * its reference: its sealed columns belong to that reference, so the caller prepares it again.
 */
export function insertPreparedReport(prepared: PreparedReport): { id: number; reference: string } {
  const s = statements();
  let id: number;
  try {
    id = Number(s.insert.run(prepared.columns).lastInsertRowid);
  } catch (error) {
    throw isReferenceClash(error) ? new ReferenceClash() : error;
  }
  for (const concern of prepared.concerns) s.insertConcern.run(id, concern);
  return { id, reference: prepared.reference };
}

/**
 * Inserts a report with a fresh unique reference. Call inside the caller's transaction so the
 * report, its audit row and its outbox rows commit together.
 */
export function insertReport(report: NewReport, now: Date = new Date()): { id: number; reference: string } {
  return withFreshReference(() => insertPreparedReport(prepareReport(report, now)));
}

interface ReportRow {
  [column: string]: string | number | null;
}

const str = (v: string | number | null | undefined): string | undefined => (v === null || v === undefined ? undefined : String(v));

/** Reads one report back by its reference, or `undefined`. */
export function findReportByReference(reference: string): StoredReport | undefined {
  const s = statements();
  const r = s.byReference.get(reference) as ReportRow | undefined;
  if (!r) return undefined;
  const id = Number(r['id']);
  for (const column of SEALED_COLUMNS) r[column] = fields.open(column, reference, r[column]) ?? null;
  return {
    id,
    reference,
    channel: String(r['channel']) as Channel,
    status: String(r['status']),
    createdAt: String(r['created_at']),
    enteredBy: r['entered_by'] === null ? undefined : Number(r['entered_by']),
    acuteDanger: r['acute_danger'] === 1,
    personName: str(r['person_name']),
    personAge: str(r['person_age']),
    locationKind: str(r['location_kind']),
    postcode: str(r['postcode']),
    houseNumber: str(r['house_number']),
    houseAddition: str(r['house_addition']),
    street: str(r['street']),
    place: str(r['place']),
    locationDescription: str(r['location_description']),
    childrenInHome: str(r['children_in_home']),
    concerns: (s.concernsOf.all(id) as { concern: string }[]).map((c) => c.concern),
    description: str(r['description']),
    concernSince: str(r['concern_since']),
    dangerToSelf: str(r['danger_to_self']),
    dangerToOthers: str(r['danger_to_others']),
    personAware: str(r['person_aware']),
    involved: JSON.parse(String(r['involved'])) as string[],
    reporterRelation: str(r['reporter_relation']),
    anonymous: r['anonymous'] === 1,
    reporterName: str(r['reporter_name']),
    reporterPhone: str(r['reporter_phone']),
    reporterEmail: str(r['reporter_email']),
    intakeMethod: str(r['intake_method']),
    observedAt: str(r['observed_at']),
    policePresent: r['police_present'] === null ? undefined : r['police_present'] === 1,
    policeReference: str(r['police_reference']),
    incidentAt: str(r['incident_at']),
    incidentPlace: str(r['incident_place']),
    policeRequest: str(r['police_request']),
    policeFeedback: r['police_feedback'] === null ? undefined : r['police_feedback'] === 1,
    policeOfficer: str(r['police_officer']),
    policeTeam: str(r['police_team']),
    policePhone: str(r['police_phone']),
    policeEmail: str(r['police_email']),
    feedbackOff: r['feedback_off'] === 1,
    captchaStatus: String(r['captcha_status']) as CaptchaStatus,
    suggestedUrgency: String(r['suggested_urgency']) as Urgency,
    urgency: String(r['urgency']) as Urgency,
    dueOn: String(r['due_on']),
    avePhase: String(r['ave_phase']),
    addressCheck: readAddressCheck(r),
  };
}

/** The lookup's columns back into a check (`undefined`: no lookup was made). */
function readAddressCheck(r: ReportRow): AddressCheck | undefined {
  const status = str(r['address_check']) as AddressCheck['status'] | undefined;
  if (!status) return undefined;
  const id = str(r['bag_address_id']);
  const municipalityName = str(r['municipality_name']);
  return {
    status,
    checkedOn: String(r['address_checked_on']),
    otherMunicipality: r['other_municipality'] === 1 ? (municipalityName ?? '') : undefined,
    match: id
      ? {
          nummeraanduidingId: id,
          adresseerbaarobjectId: str(r['bag_object_id']),
          label: '',
          street: str(r['street']) ?? '',
          houseNumber: str(r['house_number']) ?? '',
          addition: str(r['house_addition']) ?? '',
          postcode: str(r['postcode']) ?? '',
          place: str(r['woonplaats']) ?? '',
          municipalityCode: str(r['municipality_code']) ?? '',
          municipalityName: municipalityName ?? '',
          wijkCode: str(r['wijk_code']),
          wijkName: str(r['wijk_name']),
          buurtCode: str(r['buurt_code']),
          buurtName: str(r['buurt_name']),
        }
      : undefined,
  };
}

/** What a KCC agent or BOA may see of their own reports: reference, time, status. No content. */
export interface OwnReport {
  reference: string;
  createdAt: string;
  status: string;
}

export function listReportsEnteredBy(userId: number, since: Date, limit: number): OwnReport[] {
  return statements().enteredBy.all(userId, since.toISOString(), limit) as OwnReport[];
}

/** The triage columns of a report a coordinator changes, by column name. */
export type ReportChanges = Partial<{
  status: ReportStatus;
  urgency: Urgency;
  due_on: string;
  ave_phase: string;
  assigned_to: number | null;
  outcome: string | null;
  case_director: string | null;
  process_director: string | null;
  treatment_director: string | null;
  wvggz_started_on: string | null;
  forwarded_to: string | null;
  merged_into: number | null;
  triaged_at: string | null;
  closed_at: string | null;
  feedback_off: 0 | 1;
}>;

// One statement per set of changed columns, prepared on first use (a handful of shapes in practice).
const updates = new Map<string, ReturnType<ReturnType<typeof db>['prepare']>>();

/** Updates named triage columns of one report (the caller validated them) and its `updated_at`. */
export function updateReport(id: number, changes: ReportChanges, at: Date): void {
  const columns = Object.keys(changes).sort();
  if (columns.length === 0) return;
  // Column names come from the typed keys above, never from input.
  const sql = `UPDATE reports SET ${columns.map((c) => `${c} = @${c}`).join(', ')}, updated_at = @updatedAt WHERE id = @id`;
  let statement = updates.get(sql);
  if (!statement) {
    statement = db().prepare(sql);
    if (updates.size < 100) updates.set(sql, statement);
  }
  const values: Record<string, unknown> = { ...changes };
  const sealed = columns.filter((c) => SEALED.has(c));
  if (sealed.length > 0) {
    const { reference } = statements().referenceOf.get(id) as { reference: string };
    for (const c of sealed) values[c] = fields.seal(c, reference, values[c] as string | null);
  }
  statement.run({ ...values, updatedAt: at.toISOString(), id });
}

/**
 * Of the reports `id IN (SELECT value FROM json_each(:ids))`, those retention may delete now: still in one of
 * `:statuses` and closed before `:closedBefore` (not reopened since they were read), and never the newest
 * report. SQLite gives a new row the highest id + 1, so as long as that one stays no id is ever given twice,
 * and the keys a deleted report left (report_keys_gone) can be swept without looking each id up; it goes once
 * a newer report has come in. The condition of the statement that logs a deletion (retention.repo.server.ts),
 * which returns the ids to delete in the same transaction.
 */
export const DELETABLE = `id IN (SELECT value FROM json_each(:ids)) AND status IN (SELECT value FROM json_each(:statuses))
  AND closed_at IS NOT NULL AND closed_at < :closedBefore AND id < (SELECT max(id) FROM reports)`;

/** A retention candidate: a closed report's id and closing time, the order candidates are read in. */
export interface ClosedReport {
  id: number;
  closedAt: string;
}

/** Where reading candidates starts: before every closed report. */
export const FIRST_CLOSED: ClosedReport = { id: 0, closedAt: '' };

/**
 * Retention: at most `limit` closed reports, closed before `closedBefore`, that still hold a contact detail of
 * their reporter (or police contact), in the order of closing (then id) after `after`. Whatever their status:
 * `eraseReporterContact` checks that.
 */
export function contactsToErase(closedBefore: Date, after: ClosedReport, limit: number): ClosedReport[] {
  return statements().contactToErase.all(closedBefore.toISOString(), after.closedAt, after.id, limit) as ClosedReport[];
}

/**
 * Retention: erases the reporter's and police contact details of those of `ids` that still qualify (one of
 * `statuses`, closed before `closedBefore`, not erased yet). Call inside a transaction. Returns how many changed.
 */
export function eraseReporterContact(ids: readonly number[], statuses: readonly ReportStatus[], closedBefore: Date, at: Date): number {
  if (ids.length === 0) return 0;
  return statements().eraseContact.run(at.toISOString(), JSON.stringify(ids), closedBefore.toISOString(), JSON.stringify(statuses)).changes;
}

/** Retention: at most `limit` reports with `status` closed before `closedBefore`, in the order of closing (then id) after `after`. */
export function closedReports(status: ReportStatus, closedBefore: Date, after: ClosedReport, limit: number): ClosedReport[] {
  return statements().closedBefore.all(status, closedBefore.toISOString(), after.closedAt, after.id, limit) as ClosedReport[];
}

/**
 * Deletes reports for good, with their concerns; a report merged into one of them is merged no longer; their
 * keys wait for retention's sweep (migration 0028). What other features keep of a report goes by ON DELETE
 * CASCADE, or, as retention deletes with foreign keys off, by their own functions (retention.server.ts,
 * REPORT_CHILDREN). Pass ids that qualified by DELETABLE, which never takes the newest report.
 */
export function deleteReports(ids: readonly number[]): void {
  if (ids.length === 0) return;
  const list = JSON.stringify(ids);
  const s = statements();
  s.unmergeFrom.run(list);
  s.deleteByIds.run(list);
  s.deleteConcernsOf.run(list);
}

/** The kinds of key a report is looked up by (the table `report_keys`, migration 0028). */
export const REPORT_KEY_KINDS = ['reference', 'postcode', 'address', 'address_number', 'bag', 'name', 'person', 'police_reference', 'street', 'street_number'] as const;
export type ReportKeyKind = (typeof REPORT_KEY_KINDS)[number];
/**
 * The keys a deleted report leaves for the deletion log (its reference; recurrence survives deletion, spec §8):
 * never swept, so a reference is never given twice either.
 */
export const KEYS_KEPT_FOR_DELETION_LOG: readonly ReportKeyKind[] = ['reference', 'address', 'bag', 'person'];
/** The keys a deleted report leaves for retention's sweep (the trigger report_keys_deleting lists these). */
export const SWEPT_KEY_KINDS: readonly ReportKeyKind[] = REPORT_KEY_KINDS.filter((k) => !KEYS_KEPT_FOR_DELETION_LOG.includes(k));

/** The newest key of a deleted report waiting to be swept (0: none): a sweep takes those up to it. */
export function goneKeysUpTo(): number {
  return Number(statements().goneUpTo.get());
}

/**
 * The sweep's list of keys (a temporary table of this connection): the keys of one kind, in key order, each
 * row swept from `report_keys` as it leaves the list (by its trigger), so a batch is one statement and no key
 * passes through JavaScript. Made afresh for every kind: its rows are numbered from 1 in key order.
 */
function freshSweepList(): void {
  db().exec(`
    DROP TABLE IF EXISTS temp.report_keys_sweep;
    CREATE TEMP TABLE report_keys_sweep (kind TEXT NOT NULL, key TEXT NOT NULL, report_id INTEGER NOT NULL);
    CREATE TEMP TRIGGER report_keys_sweep_swept AFTER DELETE ON report_keys_sweep
    BEGIN
      DELETE FROM main.report_keys WHERE kind = OLD.kind AND key = OLD.key AND report_id = OLD.report_id;
    END;`);
}

/**
 * Lists the keys of `kind` of deleted reports, up to `upTo`, in key order (neighbours share their pages), for
 * `sweepListed`; replaces the list of the kind before. Reads only: the list is this connection's own. Returns
 * how many there are.
 */
export function listGoneKeys(kind: ReportKeyKind, upTo: number): number {
  freshSweepList();
  return db()
    .prepare('INSERT INTO temp.report_keys_sweep (kind, key, report_id) SELECT kind, key, report_id FROM report_keys_gone WHERE kind = ? AND id <= ? ORDER BY key, report_id')
    .run(kind, upTo).changes;
}

/**
 * Removes the listed keys up to number `through` (from 1, in key order) from the table of keys. Call inside a
 * transaction. Returns how many keys it took off the list.
 */
export function sweepListed(through: number): number {
  return db().prepare('DELETE FROM temp.report_keys_sweep WHERE rowid <= ?').run(through).changes;
}

/**
 * Forgets the swept keys with ids from `from` up to (not including) `to`. Call inside a transaction. Returns how
 * many went.
 */
export function forgetGoneKeys(from: number, to: number): number {
  return statements().forgetGone.run(from, to).changes;
}

/** The oldest key of a deleted report still on the list to forget (0: none). */
export function goneKeysFrom(): number {
  return Number(statements().goneFrom.get());
}

/**
 * The encryption pass over reports (src/features/encryption): the rows after `afterId`, at most `limit`,
 * each value sealed again under the current key where it is plain (a database from before encryption)
 * or under an older key, and every blind index recomputed. Idempotent: a row already current is left
 * alone. Call inside a transaction. Returns the last id seen (undefined: no rows left) and how many changed.
 */
export function resealReports(afterId: number, limit: number): ResealBatch<number> {
  const s = statements();
  const rows = s.batch.all(afterId, limit) as ReportRow[];
  let changed = 0;
  for (const r of rows) {
    const reference = String(r['reference']);
    const plain = Object.fromEntries(SEALED_COLUMNS.map((c) => [c, fields.open(c, reference, r[c])])) as Record<SealedColumn, string | undefined>;
    const keys = blindColumns({
      postcode: str(r['postcode']),
      houseNumber: plain.house_number,
      houseAddition: plain.house_addition,
      street: plain.street,
      personName: plain.person_name,
      place: str(r['woonplaats']) ?? str(r['place']),
      bagAddressId: plain.bag_address_id,
      policeReference: plain.police_reference,
    });
    const stale =
      SEALED_COLUMNS.some((c) => needsReseal(r[c])) ||
      keys.addressKey !== r['address_key'] || keys.personKey !== r['person_key'] || keys.addressNumberKey !== r['address_number_key'] ||
      keys.nameKey !== r['name_key'] || keys.streetKey !== r['street_key'] || keys.streetNumberKey !== r['street_number_key'] || keys.bagKey !== r['bag_key'] ||
      keys.policeReferenceKey !== r['police_reference_key'];
    if (!stale) continue;
    const values: Record<string, unknown> = { id: r['id'], ...keys };
    for (const c of SEALED_COLUMNS) values[c] = needsReseal(r[c]) ? fields.seal(c, reference, plain[c] ?? null) : r[c];
    s.reseal.run(values);
    changed++;
  }
  return { last: rows.length ? Number(rows[rows.length - 1]!['id']) : undefined, changed };
}
