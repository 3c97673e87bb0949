import type { LinkKind } from '#features/auth/links.repo.server.ts';
import { ADDRESS_CHECKS } from '#features/address/address.schema.ts';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { schemaSql } from '#cli/db.ts';
import { ROLES } from '#features/auth/roles.schema.ts';
import { INTAKE_METHOD } from '#features/intake/staff/staff-report.schema.ts';
import {
  AVE_PHASE,
  CHANNELS,
  CONCERN_SINCE,
  CONCERNS,
  LOCATION_KIND,
  PERSON_AGE,
  RELATION,
  STATUS,
  URGENCY,
  YES_NO_UNKNOWN,
} from '#features/reports/options.schema.ts';
import { OUTCOMES } from '#features/triage/triage.rules.ts';
import { CASE_EVENT_KINDS, CASE_STATUS } from '#features/casus/casus.rules.ts';
import { MEETING_KINDS } from '#features/mdo/mdo.rules.ts';
import { ROLLUP_DIMENSIONS } from '#features/monitor/monitor.rules.ts';
import type { AuditEntry, AuditObject, AuditResult, AuditRole } from '#features/audit/audit.repo.server.ts';
import type { OutboxKind, OutboxState } from '#features/mail/outbox.repo.server.ts';
import type { SessionStage } from '#features/auth/sessions.repo.server.ts';
import { REPORT_KEY_KINDS, type CaptchaStatus } from '#features/reports/reports.repo.server.ts';
import type { AdditionSource } from '#features/additions/additions.repo.server.ts';

/**
 * Every `CHECK (column IN (...))` list of the schema the migrations build equals the set of codes the
 * TypeScript code holds for it (its one home), so a code added on one side only fails here.
 */

type Codes = readonly (string | number)[];

/**
 * Sets that exist only as a TypeScript union type, not as a runtime value: mirrored here as a
 * `Record<Union, true>`, which the type check (`astro check`, `tsc`) refuses when it misses a member of
 * the union or names one that is not in it. So the chain is union ⇔ mirror (types) and mirror ⇔ CHECK (here).
 */
const CAPTCHA_STATUS: Record<CaptchaStatus, true> = { geslaagd: true, niet_gecontroleerd: true, niet_van_toepassing: true };
const OUTBOX_KIND: Record<OutboxKind, true> = { reporter_confirmation: true, coordinator_notification: true, reporter_feedback: true, police_feedback: true, password_reset: true, invitation: true, role_notice: true };
const ADDITION_SOURCE: Record<AdditionSource, true> = { inwoner: true, kcc: true };
const OUTBOX_STATE: Record<OutboxState, true> = { pending: true, sent: true, dead: true };
const SESSION_STAGE: Record<SessionStage, true> = { password: true, complete: true };
const LINK_KIND: Record<LinkKind, true> = { reset: true, invitation: true };
const AUDIT_ROLE: Record<AuditRole, true> = { inwoner: true, kcc: true, boa: true, coordinator: true, admin: true, systeem: true, onbekend: true };
const AUDIT_RESULT: Record<AuditResult, true> = { gelukt: true, mislukt: true, geweigerd: true };
const AUDIT_OBJECT: Record<AuditObject, true> = { melding: true, account: true, sessie: true, mail: true, export: true, casus: true, overleg: true };
const ON_BEHALF_OF: Record<NonNullable<AuditEntry['onBehalfOf']>, true> = { beller: true };

/**
 * Sets with no home in TypeScript at all (the code passes a plain `string`): listed here so that the
 * CHECK list cannot change unnoticed, until they get one.
 * - report_events.kind: `addEvent(…, kind: string, …)` in src/features/triage/triage.repo.server.ts;
 * - deletion_log.rule: `remove(…, rule: string)` in src/features/retention/retention.server.ts.
 */
const EVENT_KIND_WITHOUT_HOME = ['status', 'urgentie', 'ave_fase', 'regie', 'uitkomst', 'toewijzing', 'wvggz', 'koppeling', 'samengevoegd'];
const DELETION_RULE_WITHOUT_HOME = ['geannuleerd', 'bewaartermijn'];

/** The 0/1 flags stored as INTEGER. */
const BOOLEAN: Codes = [0, 1];

const keys = (map: object): Codes => Object.keys(map);

/** `table.column` → the codes TypeScript allows. */
const TYPESCRIPT: Readonly<Record<string, Codes>> = {
  'reports.channel': keys(CHANNELS),
  'reports.status': keys(STATUS),
  'reports.acute_danger': BOOLEAN,
  'reports.person_age': keys(PERSON_AGE),
  'reports.location_kind': keys(LOCATION_KIND),
  'reports.children_in_home': keys(YES_NO_UNKNOWN),
  'reports.concern_since': keys(CONCERN_SINCE),
  'reports.danger_to_self': keys(YES_NO_UNKNOWN),
  'reports.danger_to_others': keys(YES_NO_UNKNOWN),
  'reports.person_aware': keys(YES_NO_UNKNOWN),
  'reports.reporter_relation': keys(RELATION),
  'reports.anonymous': BOOLEAN,
  'reports.intake_method': keys(INTAKE_METHOD),
  'reports.police_present': BOOLEAN,
  'reports.captcha_status': keys(CAPTCHA_STATUS),
  'reports.suggested_urgency': keys(URGENCY),
  'reports.urgency': keys(URGENCY),
  'reports.ave_phase': keys(AVE_PHASE),
  'reports.outcome': keys(OUTCOMES),
  'reports.address_check': keys(ADDRESS_CHECKS),
  'reports.other_municipality': BOOLEAN,
  'reports.police_feedback': BOOLEAN,
  'reports.feedback_off': BOOLEAN,
  'report_additions.source': keys(ADDITION_SOURCE),
  'report_concerns.concern': keys(CONCERNS),
  'report_events.kind': EVENT_KIND_WITHOUT_HOME,
  'outbox.kind': keys(OUTBOX_KIND),
  'outbox.state': keys(OUTBOX_STATE),
  'users.role': keys(ROLES),
  'sessions.stage': keys(SESSION_STAGE),
  'account_links.kind': keys(LINK_KIND),
  'audit_log.actor_role': keys(AUDIT_ROLE),
  'audit_log.object_type': keys(AUDIT_OBJECT),
  'audit_log.result': keys(AUDIT_RESULT),
  'audit_log.on_behalf_of': keys(ON_BEHALF_OF),
  'deletion_log.rule': DELETION_RULE_WITHOUT_HOME,
  'cases.ave_phase': keys(AVE_PHASE),
  'cases.status': keys(CASE_STATUS),
  'case_events.kind': keys(CASE_EVENT_KINDS),
  'meetings.kind': keys(MEETING_KINDS),
  'monitor_daily.dimension': ROLLUP_DIMENSIONS,
  'report_keys.kind': REPORT_KEY_KINDS,
};

/** Every `CHECK (column IN (...))` of every table in `sql`, as `table.column` → its codes. */
function checkLists(sql: string): Record<string, Codes> {
  const lists: Record<string, Codes> = {};
  for (const statement of sql.split(/;\n/)) {
    const table = /^CREATE TABLE "?(\w+)"?/m.exec(statement)?.[1];
    if (!table) continue;
    for (const [, column, list] of statement.matchAll(/CHECK \((\w+) IN \(([^)]*)\)\)/g)) {
      const key = `${table}.${column}`;
      assert.ok(!(key in lists), `two IN lists for ${key}`);
      lists[key] = (list ?? '').split(',').map((v) => {
        const code = v.trim();
        return /^'.*'$/s.test(code) ? code.slice(1, -1) : Number(code);
      });
    }
  }
  return lists;
}

const sorted = (codes: Codes) => [...codes].map(String).sort();

/** What differs between the schema's lists and TypeScript's, one message per list; empty when they agree. */
function differences(schema: Record<string, Codes>, typescript: Readonly<Record<string, Codes>>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(schema)) {
    if (!(key in typescript)) problems.push(`${key}: a CHECK list with no TypeScript set in this test`);
  }
  for (const [key, codes] of Object.entries(typescript)) {
    const inSchema = schema[key];
    if (!inSchema) {
      problems.push(`${key}: no CHECK list in the schema`);
      continue;
    }
    const onlySql = sorted(inSchema).filter((c) => !sorted(codes).includes(c));
    const onlyTs = sorted(codes).filter((c) => !sorted(inSchema).includes(c));
    if (onlySql.length || onlyTs.length || inSchema.length !== new Set(inSchema).size) {
      problems.push(`${key}: only in SQL [${onlySql.join(', ')}], only in TypeScript [${onlyTs.join(', ')}]`);
    }
  }
  return problems;
}

const schema = checkLists(schemaSql());

describe('CHECK lists equal their TypeScript sets', () => {
  test('the schema has the IN lists this test knows', () => {
    assert.equal(Object.keys(schema).length, 42);
    assert.deepEqual(schema['reports.outcome'], Object.keys(OUTCOMES));
    assert.deepEqual(schema['reports.acute_danger'], [0, 1]);
    assert.deepEqual(schema['audit_log.on_behalf_of'], ['beller']);
  });

  for (const [key, codes] of Object.entries(TYPESCRIPT)) {
    test(key, () => {
      assert.ok(schema[key], `no CHECK (${key.split('.')[1]} IN (...)) on ${key.split('.')[0]}`);
      assert.deepEqual(sorted(schema[key]), sorted(codes));
    });
  }

  test('every IN list of the schema is covered', () => {
    assert.deepEqual(differences(schema, TYPESCRIPT), []);
  });

  test('a code added on one side only is caught', () => {
    const addedInTs = { ...TYPESCRIPT, 'reports.channel': [...keys(CHANNELS), 'gemeente'] };
    assert.deepEqual(differences(schema, addedInTs), ['reports.channel: only in SQL [], only in TypeScript [gemeente]']);
    const addedInSql = { ...schema, 'reports.outcome': [...(schema['reports.outcome'] ?? []), 'opgelost'] };
    assert.deepEqual(differences(addedInSql, TYPESCRIPT), ['reports.outcome: only in SQL [opgelost], only in TypeScript []']);
    const newList = checkLists(`${schemaSql()}\nCREATE TABLE x (kind TEXT CHECK (kind IN ('a', 'b'))) STRICT;\n`);
    assert.deepEqual(differences(newList, TYPESCRIPT), ['x.kind: a CHECK list with no TypeScript set in this test']);
  });
});
