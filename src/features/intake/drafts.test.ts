import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { useTempDatabase } from '#tests/support/unit-db.ts';

useTempDatabase('drafts');
const drafts = await import('./drafts.repo.server.ts');
const { db } = await import('#platform/db.ts');
const { loadConfig } = await import('#platform/config.ts');

const HOUR = 3_600_000;
const now = new Date('2026-03-02T10:00:00.000Z');
const later = (ms: number): Date => new Date(now.getTime() + ms);
/** The demo municipality's draft lifetime, as the handler passes it. */
const lifetime = loadConfig({}).municipality.retention.draftHours;

const answers = {
  gevaar: { acuteDanger: 'nee' },
  persoon: { personName: 'Jan de Vries', personAge: '18_plus', locationKind: 'adres', postcode: '9351 AB', houseNumber: '12' },
  zorgen: { concerns: ['eenzaamheid', 'vervuiling'], description: 'Hij komt al weken niet buiten.' },
};

type DraftRow = { token_hash: string; answers: string; created_at: string; updated_at: string; expires_at: string; submitted_reference: string | null };
const allRows = (): DraftRow[] => db().prepare('SELECT * FROM drafts').all() as DraftRow[];
const rowOf = (tokenHash: string): DraftRow | undefined =>
  db().prepare('SELECT * FROM drafts WHERE token_hash = ?').get(tokenHash) as DraftRow | undefined;

describe('drafts repository', () => {
  test('create, then find with the token', () => {
    const token = drafts.createDraft(answers, now, lifetime);
    const draft = drafts.findDraft(token, now);
    assert.ok(draft);
    assert.deepEqual(draft.answers, answers);
    assert.equal(draft.submittedReference, undefined);
    const row = rowOf(draft.tokenHash);
    assert.equal(row?.created_at, now.toISOString());
    assert.equal(row?.expires_at, later(24 * HOUR).toISOString()); // demo retention: 24 hours
    // The answers are sealed for this draft's row: not readable in the file, not movable to another draft.
    assert.ok(row && !row.answers.includes('Jan de Vries') && !row.answers.includes('9351'));
    const otherToken = drafts.createDraft({}, now, lifetime);
    const other = drafts.findDraft(otherToken, now);
    assert.ok(other);
    db().prepare('UPDATE drafts SET answers = ? WHERE token_hash = ?').run(row.answers, other.tokenHash);
    assert.throws(() => drafts.findDraft(otherToken, now), /does not decrypt/);
  });

  test('the lifetime is a parameter', () => {
    const token = drafts.createDraft(answers, now, 2);
    const draft = drafts.findDraft(token, now);
    assert.ok(draft);
    assert.equal(rowOf(draft.tokenHash)?.expires_at, later(2 * HOUR).toISOString());
    assert.ok(drafts.findDraft(token, later(2 * HOUR - 1)));
    assert.equal(drafts.findDraft(token, later(2 * HOUR)), undefined);
  });

  test('tokens are long, random and different every time', () => {
    const a = drafts.createDraft({}, now, lifetime);
    const b = drafts.createDraft({}, now, lifetime);
    assert.notEqual(a, b);
    assert.ok(a.length >= 43, 'at least 256 bits in base64url');
    assert.match(a, /^[A-Za-z0-9_-]+$/);
  });

  test('the token is stored only as its SHA-256 hash', () => {
    const token = drafts.createDraft(answers, now, lifetime);
    const hash = createHash('sha256').update(token).digest('hex');
    assert.equal(drafts.hashToken(token), hash);
    assert.ok(rowOf(hash));
    const dump = JSON.stringify(allRows());
    assert.ok(!dump.includes(token), 'the raw token appears in the drafts table');
    // No column of any row holds it.
    for (const row of allRows()) assert.ok(!Object.values(row).some((v) => typeof v === 'string' && v.includes(token)));
  });

  test('unknown, missing and oversized tokens find nothing', () => {
    drafts.createDraft(answers, now, lifetime);
    assert.equal(drafts.findDraft(undefined, now), undefined);
    assert.equal(drafts.findDraft('', now), undefined);
    assert.equal(drafts.findDraft('not-a-token', now), undefined);
    assert.equal(drafts.findDraft('x'.repeat(101), now), undefined);
  });

  test('a hash found in a copy of the database cannot be used as a token', () => {
    const token = drafts.createDraft(answers, now, lifetime);
    assert.equal(drafts.findDraft(drafts.hashToken(token), now), undefined);
  });

  test('save replaces the answers and updates the time', () => {
    const token = drafts.createDraft(answers, now, lifetime);
    const draft = drafts.findDraft(token, now);
    assert.ok(draft);
    draft.answers = { ...draft.answers, 'over-u': { reporterRelation: 'buren', anonymous: 'ja' } };
    drafts.saveDraftAnswers(draft, later(HOUR));
    const again = drafts.findDraft(token, later(HOUR));
    assert.deepEqual(again?.answers['over-u'], { reporterRelation: 'buren', anonymous: 'ja' });
    assert.deepEqual(again?.answers['persoon'], answers.persoon);
    assert.equal(rowOf(draft.tokenHash)?.updated_at, later(HOUR).toISOString());
  });

  test('markSubmitted wipes the answers and keeps only the reference', () => {
    const token = drafts.createDraft(answers, now, lifetime);
    const draft = drafts.findDraft(token, now);
    assert.ok(draft);
    drafts.markDraftSubmitted(draft, 'MB-ABCD2345', later(HOUR));
    const after = drafts.findDraft(token, later(HOUR));
    assert.deepEqual(after?.answers, {});
    assert.equal(after?.submittedReference, 'MB-ABCD2345');
    const row = rowOf(draft.tokenHash);
    // Sealed at rest like every answer (spec §8); what it holds is the empty object read back above.
    assert.match(row?.answers ?? '', /^v1\.[0-9a-f]{8}\./);
    assert.ok(!row?.answers.includes('Jan de Vries'));
  });

  test('a draft is marked sent at most once: a second send (double click, two tabs, replay) is refused and changes nothing', () => {
    const token = drafts.createDraft(answers, now, lifetime);
    const first = drafts.findDraft(token, now);
    const second = drafts.findDraft(token, now);
    assert.ok(first && second);
    drafts.markDraftSubmitted(first, 'MB-ABCD2345', later(HOUR));
    assert.throws(() => drafts.markDraftSubmitted(second, 'MB-WXYZ6789', later(HOUR)), drafts.DraftAlreadySent);
    assert.equal(drafts.findDraft(token, later(HOUR))?.submittedReference, 'MB-ABCD2345');
    // An expired draft cannot be sent either.
    const old = drafts.findDraft(drafts.createDraft(answers, now, lifetime), now);
    assert.ok(old);
    assert.throws(() => drafts.markDraftSubmitted(old, 'MB-ABCD2346', later(25 * HOUR)), drafts.DraftAlreadySent);
  });

  test('a staff form key is marked sent once; a second time is refused and keeps the first reference', () => {
    const key = 'k'.repeat(43);
    assert.equal(drafts.sentFormReference(key, now), undefined);
    drafts.markFormSent(key, 'MB-ABCD2345', now, lifetime);
    assert.equal(drafts.sentFormReference(key, later(HOUR)), 'MB-ABCD2345');
    assert.throws(() => drafts.markFormSent(key, 'MB-WXYZ6789', later(HOUR), lifetime), drafts.DraftAlreadySent);
    assert.equal(drafts.sentFormReference(key, later(HOUR)), 'MB-ABCD2345');
    // Gone with the drafts after their lifetime.
    assert.equal(drafts.sentFormReference(key, later(25 * HOUR)), undefined);
  });

  test('delete removes the row', () => {
    const token = drafts.createDraft(answers, now, lifetime);
    const draft = drafts.findDraft(token, now);
    assert.ok(draft);
    drafts.deleteDraft(draft);
    assert.equal(drafts.findDraft(token, now), undefined);
    assert.equal(rowOf(draft.tokenHash), undefined);
  });

  test('a draft expires after the retention period', () => {
    const token = drafts.createDraft(answers, now, lifetime);
    assert.ok(drafts.findDraft(token, later(23 * HOUR)));
    assert.ok(drafts.findDraft(token, later(24 * HOUR - 1)));
    assert.equal(drafts.findDraft(token, later(24 * HOUR)), undefined);
    assert.equal(drafts.findDraft(token, later(25 * HOUR)), undefined);
  });

  test('purge deletes expired drafts and keeps the others', () => {
    db().prepare('DELETE FROM drafts').run();
    const old = drafts.createDraft(answers, now, lifetime);
    const recent = drafts.createDraft(answers, later(12 * HOUR), lifetime);
    assert.equal(drafts.purgeExpiredDrafts(later(24 * HOUR)), 1);
    assert.equal(rowOf(drafts.hashToken(old)), undefined);
    assert.ok(rowOf(drafts.hashToken(recent)));
    assert.equal(drafts.purgeExpiredDrafts(later(24 * HOUR)), 0);
    assert.equal(drafts.purgeExpiredDrafts(later(36 * HOUR)), 1);
    assert.equal(allRows().length, 0);
  });

  test('creating a draft purges expired ones on the way', () => {
    db().prepare('DELETE FROM drafts').run();
    const old = drafts.createDraft(answers, now, lifetime);
    drafts.createDraft(answers, later(25 * HOUR), lifetime);
    assert.equal(rowOf(drafts.hashToken(old)), undefined);
    assert.equal(allRows().length, 1);
  });
});
