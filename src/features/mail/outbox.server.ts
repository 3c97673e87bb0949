import { audit, type Actor } from '#features/audit/audit.repo.server.ts';
import { db } from '#platform/db.ts';
import { deadLetters, outboxCounts, reviveDeadLetter, type DeadLetter, type OutboxState } from './outbox.repo.server.ts';
import { nudgeMailWorker } from './worker.server.ts';

/** The admin's view of the outbox (/intern/beheer/mail) and the retry of a dead letter. */

export interface OutboxView {
  counts: Record<OutboxState, number>;
  /** The latest hundred dead letters. */
  deadLetters: DeadLetter[];
}

function read(): OutboxView {
  return { counts: outboxCounts(), deadLetters: deadLetters(100) };
}

/** The outbox as an admin opens it; the view is logged. */
export function viewOutbox(viewer: Actor, at: Date): OutboxView {
  return db().transaction((): OutboxView => {
    audit({ actorId: viewer.id, actorRole: viewer.role, action: 'mail_overzicht_bekeken', objectType: 'mail', result: 'gelukt', clientIp: viewer.ip }, at);
    return read();
  }).immediate();
}

export type RetryResult = { revived: true } | { revived: false; view: OutboxView };

/**
 * Puts a dead letter back in the queue and wakes the worker; the attempt is logged, also when there
 * was no such dead letter. `id` undefined (not a whole number): nothing to try, nothing logged.
 * When nothing was revived, the outbox as it is now comes back to show with the message.
 */
export function retryDeadLetter(id: number | undefined, viewer: Actor, at: Date): RetryResult {
  const result = db().transaction((): RetryResult => {
    if (id === undefined) return { revived: false, view: read() };
    const revived = reviveDeadLetter(id, at);
    audit({ actorId: viewer.id, actorRole: viewer.role, action: 'mail_opnieuw', objectType: 'mail', objectId: id, result: revived ? 'gelukt' : 'mislukt', clientIp: viewer.ip }, at);
    return revived ? { revived } : { revived, view: read() };
  }).immediate();
  if (result.revived) nudgeMailWorker();
  return result;
}
