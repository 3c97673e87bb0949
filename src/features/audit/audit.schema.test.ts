import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AUDIT_ACTION_LABELS, AUDIT_ROLES, auditActionLabel, auditResultLabel, auditRoleLabel } from './audit.schema.ts';
import { INTENTS } from '#features/triage/triage.schema.ts';

const src = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sources(file);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [file] : [];
  });
}

test('every role and result reads in Dutch', () => {
  assert.equal(auditRoleLabel('coordinator'), 'OGGz-coördinator');
  assert.equal(auditRoleLabel('inwoner'), 'Inwoner');
  assert.equal(auditResultLabel('geweigerd'), 'Geweigerd');
  for (const label of Object.values(AUDIT_ROLES)) assert.match(label, /^[A-Z]/);
});

test('every action written in src has a Dutch label, and so has every refused triage change', () => {
  const written = new Set<string>();
  for (const file of sources(src)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/action: (?:[^'`,]*\? )?'([a-z_]+)'(?: : '([a-z_]+)')?/g)) for (const a of [m[1], m[2]]) if (a) written.add(a);
    for (const m of text.matchAll(/'(account_(?!links')[a-z]+|wvggz_[a-z]+)'/g)) written.add(m[1]!);
  }
  for (const step of ['wachtwoord', 'code']) written.add(`inloggen_${step}`);
  for (const intent of [...INTENTS, 'onbekend']) written.add(`wijziging_${intent}`);
  assert.ok(written.size > 25, [...written].join(', '));
  for (const action of written) assert.ok(AUDIT_ACTION_LABELS[action], `no label for ${action}`);
  assert.equal(auditActionLabel('iets_nieuws'), 'Iets nieuws');
  assert.doesNotMatch(Object.values(AUDIT_ACTION_LABELS).join(' '), /_|geexporteerd|urgency|ave\b/);
});
