/**
 * The casus's pure rules (spec §5a): how an AVE change is classified, what a change needs, when an
 * action is overdue. No I/O.
 */

export const AVE_ORDER: Readonly<Record<string, number>> = { onbekend: 0, ave1: 1, ave2: 2, ave3: 3, ave4: 4 };

/** `opgeschaald` to a higher phase, `afgeschaald` to a lower one (Onbekend counts as the lowest); `undefined` when unchanged. */
export function aveDirection(from: string, to: string): 'opgeschaald' | 'afgeschaald' | undefined {
  if (from === to) return undefined;
  return (AVE_ORDER[to] ?? 0) > (AVE_ORDER[from] ?? 0) ? 'opgeschaald' : 'afgeschaald';
}

/** The kinds of a casus's history (case_events.kind): its one home in TypeScript, with what a person reads. */
export const CASE_EVENT_KINDS = {
  aangemaakt: 'Casus aangemaakt',
  melding_toegevoegd: 'Melding toegevoegd',
  melding_uitgehaald: 'Melding uit de casus gehaald',
  opgeschaald: 'Opgeschaald',
  afgeschaald: 'Afgeschaald',
  regie: 'Regie gewijzigd',
  wvggz: 'Wvggz',
  afgesloten: 'Casus afgesloten',
  heropend: 'Casus heropend',
  naam: 'Naam of omschrijving gewijzigd',
} as const;
export type CaseEventKind = keyof typeof CASE_EVENT_KINDS;

/** Kinds whose from/to values are names (encrypted); the others hold codes or references. */
export const SEALED_CASE_EVENT_KINDS: ReadonlySet<CaseEventKind> = new Set(['regie', 'naam']);

export const CASE_STATUS = { open: 'Open', afgesloten: 'Afgesloten' } as const;
export type CaseStatus = keyof typeof CASE_STATUS;

/** A change of the AVE phase: refused without a reason; otherwise classified. */
export function aveChange(from: string, to: string, reason: string): { ok: true; kind: 'opgeschaald' | 'afgeschaald' | undefined } | { ok: false; problem: 'reden' } {
  const kind = aveDirection(from, to);
  if (kind && reason.trim() === '') return { ok: false, problem: 'reden' };
  return { ok: true, kind };
}

/**
 * Opening or closing: closing needs a reason, reopening too; a casus is closed no earlier than its
 * last report (retention counts from the closing).
 */
export function statusChange(
  current: CaseStatus,
  to: CaseStatus,
  reason: string,
): { ok: true } | { ok: false; problem: 'zelfde' | 'reden' } {
  if (current === to) return { ok: false, problem: 'zelfde' };
  if (reason.trim() === '') return { ok: false, problem: 'reden' };
  return { ok: true };
}

/** An action is overdue when it is open and its date (YYYY-MM-DD) is before today (Amsterdam date). */
export function actionOverdue(action: { dueOn: string; doneAt: string | null }, today: string): boolean {
  return action.doneAt === null && action.dueOn < today;
}
