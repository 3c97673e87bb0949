import { createHash, randomBytes } from 'node:crypto';
import type { RawAnswers } from '#lib/forms.ts';
import { db } from '#platform/db.ts';
import { fieldsOf, resealed, type ResealBatch } from '#platform/crypto/fields.server.ts';
import { lazy } from '#lib/lazy.ts';

/**
 * Unfinished reports: a resident's draft across the steps, and a KCC or BOA form that was refused and
 * waits one redirect to be shown again (Post/Redirect/Get for errors too). The browser keeps a random 256-bit token in a cookie; the database
 * keeps only its hash, so a copy of the database cannot be used to take over someone's draft. The
 * answers are sealed at rest (spec §8) for that hash: written at every step, they hold everything a report will.
 * Every function takes `now` (the handler's `now()` from #platform/clock.ts, so the test clock moves
 * drafts too) and the lifetime comes from the caller (the municipality's `retention.draftHours`).
 */

export interface Draft {
  tokenHash: string;
  /** Answers per step id, as typed (after validation). */
  answers: Record<string, RawAnswers>;
  submittedReference: string | undefined;
}

const statements = lazy(() => {
  const d = db();
  return {
    get: d.prepare('SELECT answers, submitted_reference FROM drafts WHERE token_hash = ? AND expires_at > ?'),
    insert: d.prepare(
      'INSERT INTO drafts (token_hash, answers, created_at, updated_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    ),
    // A staff form's key, recorded as sent with its report: the primary key refuses it a second time.
    insertSent: d.prepare(
      'INSERT INTO drafts (token_hash, answers, submitted_reference, created_at, updated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (token_hash) DO NOTHING',
    ),
    update: d.prepare('UPDATE drafts SET answers = ?, updated_at = ? WHERE token_hash = ?'),
    // Only a draft not sent yet (and not expired): the database decides which of two sends of one draft wins.
    submit: d.prepare('UPDATE drafts SET answers = ?, submitted_reference = ?, updated_at = ? WHERE token_hash = ? AND submitted_reference IS NULL AND expires_at > ?'),
    remove: d.prepare('DELETE FROM drafts WHERE token_hash = ?'),
    purge: d.prepare('DELETE FROM drafts WHERE expires_at <= ?'),
    batch: d.prepare('SELECT token_hash AS tokenHash, answers FROM drafts WHERE token_hash > ? ORDER BY token_hash LIMIT ?'),
    reseal: d.prepare('UPDATE drafts SET answers = ? WHERE token_hash = ?'),
  };
});

const fields = fieldsOf('drafts');
const seal = (tokenHash: string, answers: Record<string, RawAnswers>): string => fields.seal('answers', tokenHash, JSON.stringify(answers))!;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * A new draft that expires `lifetimeHours` after `now`; returns the token for the cookie. Expired
 * drafts are purged on the way.
 */
export function createDraft(answers: Record<string, RawAnswers>, now: Date, lifetimeHours: number): string {
  const s = statements();
  const token = randomBytes(32).toString('base64url');
  const at = now.toISOString();
  s.purge.run(at);
  const tokenHash = hashToken(token);
  s.insert.run(tokenHash, seal(tokenHash, answers), at, at, new Date(now.getTime() + lifetimeHours * 3_600_000).toISOString());
  return token;
}

export function findDraft(token: string | undefined, now: Date): Draft | undefined {
  if (!token || token.length > 100) return undefined;
  const tokenHash = hashToken(token);
  const row = statements().get.get(tokenHash, now.toISOString()) as
    | { answers: string; submitted_reference: string | null }
    | undefined;
  if (!row) return undefined;
  return {
    tokenHash,
    answers: JSON.parse(fields.open('answers', tokenHash, row.answers) ?? '{}') as Record<string, RawAnswers>,
    submittedReference: row.submitted_reference ?? undefined,
  };
}

export function saveDraftAnswers(draft: Draft, now: Date): void {
  statements().update.run(seal(draft.tokenHash, draft.answers), now.toISOString(), draft.tokenHash);
}

/** Thrown by `markDraftSubmitted` when the draft was sent already (double click, two tabs, a replayed post) or is gone. */
export class DraftAlreadySent extends Error {
  constructor() {
    super('this draft was sent already');
    this.name = 'DraftAlreadySent';
  }
}

/**
 * After sending: the answers are wiped; only the reference stays, for the confirmation page, with
 * `kept` (no content: e.g. whether the report was anonymous, so the page can speak to that reporter).
 * In the report's transaction: a draft is sent at most once. When another send of the same draft
 * committed first (or the draft expired meanwhile), nothing is changed and `DraftAlreadySent` is thrown,
 * so the caller's transaction (the report) rolls back.
 */
export function markDraftSubmitted(draft: Pick<Draft, 'tokenHash'>, reference: string, now: Date, kept: Record<string, RawAnswers> = {}): void {
  const at = now.toISOString();
  if (statements().submit.run(seal(draft.tokenHash, kept), reference, at, draft.tokenHash, at).changes !== 1) throw new DraftAlreadySent();
}

/**
 * A KCC or BOA form is sent at most once: each form page carries a random key (a hidden field), and the
 * report's transaction records the key's hash as a draft already sent, with the report's reference. A second
 * send of the same form (a double click, a replayed post) finds the key taken: `DraftAlreadySent` is thrown
 * and the caller's transaction (the second report) rolls back. Kept `lifetimeHours`, purged with the drafts.
 */
export function markFormSent(formKey: string, reference: string, now: Date, lifetimeHours: number): void {
  const tokenHash = hashToken(formKey);
  const at = now.toISOString();
  const expires = new Date(now.getTime() + lifetimeHours * 3_600_000).toISOString();
  if (statements().insertSent.run(tokenHash, seal(tokenHash, {}), reference, at, at, expires).changes !== 1) throw new DraftAlreadySent();
}

/** The reference of the report a form key was sent with, if it was. */
export function sentFormReference(formKey: string, now: Date): string | undefined {
  return findDraft(formKey, now)?.submittedReference;
}

export function deleteDraft(draft: Draft): void {
  statements().remove.run(draft.tokenHash);
}

/** Deletes every draft past its expiry; returns how many. */
export function purgeExpiredDrafts(now: Date): number {
  return statements().purge.run(now.toISOString()).changes;
}

/** The encryption pass over drafts (src/features/encryption): rows after `after` (a token hash), sealed again where needed. */
export function resealDrafts(after: string, limit: number): ResealBatch<string> {
  const rows = statements().batch.all(after, limit) as { tokenHash: string; answers: string }[];
  let changed = 0;
  for (const r of rows) {
    const next = resealed(fields, 'answers', r.tokenHash, r.answers);
    if (next === r.answers) continue;
    statements().reseal.run(next, r.tokenHash);
    changed++;
  }
  return { last: rows.at(-1)?.tokenHash, changed };
}
