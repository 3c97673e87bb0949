import { audit, type Actor } from '#features/audit/audit.repo.server.ts';
import { db } from '#platform/db.ts';
import { additionsOf, insertAddition } from './additions.repo.server.ts';
import { reportForCaller } from './additions.queries.server.ts';
import { callerStatus, type CallerStatus } from './additions.rules.ts';

/**
 * Callbacks and additions (spec §2 "Aanvullen", §3a), one transaction per call with its audit row. What
 * comes back never holds content, names or outcome: the reference, the date received and the status in
 * a caller's words. A KCC agent acts on behalf of a caller (`on_behalf_of` 'beller').
 */

export interface CallerView {
  reference: string;
  createdAt: string;
  status: CallerStatus;
}

const tx = <T>(fn: () => T): T => db().transaction(fn).immediate();

function callerView(reference: string): { id: number; view: CallerView } | undefined {
  const r = reportForCaller(reference);
  const status = r ? callerStatus(r.status) : undefined;
  return r && status ? { id: r.id, view: { reference: r.reference, createdAt: r.createdAt, status } } : undefined;
}

/** A KCC agent looks a reference up for a caller: audited, also when there is no such report. */
export function lookUpForCaller(reference: string, agent: Actor, at: Date): CallerView | undefined {
  return tx(() => {
    const found = callerView(reference);
    audit({
      actorId: agent.id, actorRole: agent.role, action: 'melding_opgezocht', objectType: 'melding',
      objectId: found ? reference : undefined, result: found ? 'gelukt' : 'mislukt', onBehalfOf: 'beller', clientIp: agent.ip,
    }, at);
    return found?.view;
  });
}

export interface AdditionRequest {
  reference: string;
  body: string;
  callerName?: string | undefined;
  callerPhone?: string | undefined;
}

/**
 * Adds what a resident (no actor id) or a caller through the KCC tells to the report; audited. False
 * when there is no such report (audited as `mislukt`, without the reference).
 */
export function addAddition(request: AdditionRequest, actor: Actor, at: Date): boolean {
  return tx(() => {
    const found = callerView(request.reference);
    const kcc = actor.role !== 'inwoner';
    if (found) {
      insertAddition({
        reportId: found.id,
        source: kcc ? 'kcc' : 'inwoner',
        body: request.body,
        callerName: kcc ? request.callerName : undefined,
        callerPhone: kcc ? request.callerPhone : undefined,
        enteredBy: kcc ? actor.id : undefined,
      }, at);
    }
    audit({
      actorId: actor.id, actorRole: actor.role, action: 'aanvulling_toegevoegd', objectType: 'melding',
      objectId: found ? found.view.reference : undefined, result: found ? 'gelukt' : 'mislukt',
      onBehalfOf: kcc ? 'beller' : undefined, clientIp: actor.ip,
    }, at);
    return found !== undefined;
  });
}

/** An addition as the coordinator reads it on the report page and in the casus timeline. */
export interface AdditionItem {
  createdAt: string;
  reportId: number;
  /** Who added it, in words: "Inwoner via de website", "KCC namens beller (K. Jansen)". */
  from: string;
  body: string;
  /** The caller's name and phone, when given (shown like a reporter's: after `Toon gegevens melder`). */
  caller: string | undefined;
}

/** The additions to these reports, oldest first, for a coordinator (the caller of this function audits the view). */
export function additionItems(reportIds: readonly number[]): AdditionItem[] {
  return additionsOf(reportIds).map((a) => ({
    createdAt: a.createdAt,
    reportId: a.reportId,
    from: a.source === 'inwoner' ? 'Inwoner via de website' : `KCC namens beller${a.enteredByName ? ` (${a.enteredByName})` : ''}`,
    body: a.body,
    caller: [a.callerName, a.callerPhone].filter(Boolean).join(', ') || undefined,
  }));
}
