import { AVE_PHASE, URGENCY } from '#features/reports/options.schema.ts';
import { cleanText, type FieldErrors } from '#lib/forms.ts';
import { CLOSED, isOutcome, isStatus, transitionProblem } from './triage.rules.ts';
import type { Urgency } from '#features/reports/urgency.rules.ts';
import { addWorkingDays, amsterdamDate } from '#lib/working-days.ts';
import { audit, type AuditEntry } from '#features/audit/audit.repo.server.ts';
import type { StaffSession } from '#features/auth/login.server.ts';
import { now } from '#platform/clock.ts';
import { config } from '#platform/config.ts';
import { db } from '#platform/db.ts';
import { FORM_LIMIT_BYTES, readForm } from '#platform/http.ts';
import { addEvent, addNote, linkReports } from './triage.repo.server.ts';
import { activeCoordinators, reportIdOf, triageFields, type TriageFields } from './triage.queries.server.ts';
import { updateReport } from '#features/reports/reports.repo.server.ts';

/**
 * The coordinator's changes to a report (spec §5). Every change is validated here, whatever the
 * browser sent, and written with its history event and its audit row in one transaction.
 */

export type TriageOutcome =
  | { kind: 'done'; anchor: string }
  | { kind: 'reveal' }
  | { kind: 'error'; status: 400 | 404 | 409 | 413; errors: FieldErrors; formError?: string; values: Record<string, string> };

const isUrgency = (v: unknown): v is Urgency => typeof v === 'string' && Object.hasOwn(URGENCY, v);
const isAve = (v: unknown): v is keyof typeof AVE_PHASE => typeof v === 'string' && Object.hasOwn(AVE_PHASE, v);

function text(form: FormData, name: string, max: number): string {
  const v = form.get(name);
  return typeof v === 'string' ? cleanText(v).trim().slice(0, max + 1) : '';
}


/** The date the screening of a report is due, given its urgency. */
export function dueDate(createdAt: string, urgency: Urgency): string {
  const m = config().municipality;
  return addWorkingDays(new Date(createdAt), m.urgencyNormDays[urgency], m.holidays);
}

/** Wvggz exploratory investigation: 14 days from its start. */
export function wvggzDeadline(startedOn: string): string {
  const d = new Date(`${startedOn}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 14);
  return d.toISOString().slice(0, 10);
}

const INTENTS: ReadonlySet<string> = new Set(['reveal', 'urgency_ave', 'regie', 'assign', 'wvggz', 'note', 'link', 'status']);

export async function handleTriagePost(request: Request, reference: string, staff: StaffSession, ip: string | undefined): Promise<TriageOutcome> {
  const t = triageFields(reference);
  if (!t) return { kind: 'error', status: 404, errors: {}, formError: 'Deze melding bestaat niet.', values: {} };
  const posted = await readForm(request, FORM_LIMIT_BYTES);
  if (!posted.ok) return { kind: 'error', status: posted.status, errors: {}, formError: 'Het formulier kwam niet goed aan.', values: {} };
  const form = posted.form;
  const at = now();
  const actor = staff.user;
  const base: Omit<AuditEntry, 'action'> = { actorId: actor.id, actorRole: actor.role, objectType: 'melding', objectId: reference, result: 'gelukt', clientIp: ip };
  const values: Record<string, string> = {};
  for (const [k, v] of form) if (typeof v === 'string') values[k] = cleanText(v).slice(0, 4000);
  // Only known intents name the audit action: the posted value is never written as given.
  const intent = String(form.get('intent') ?? '');
  const error = (errors: FieldErrors, status: 400 | 409 = 400): TriageOutcome => {
    audit({ ...base, action: `wijziging_${INTENTS.has(intent) ? intent : 'onbekend'}`, result: 'geweigerd', detail: Object.keys(errors).join(',') });
    return { kind: 'error', status, errors, values };
  };
  const tx = <T>(fn: () => T): T => db().transaction(fn).immediate();

  switch (intent) {
    case 'reveal':
      audit({ ...base, action: 'melder_getoond' });
      return { kind: 'reveal' };

    case 'urgency_ave': {
      const urgency = form.get('urgency');
      const ave = form.get('avePhase');
      const reason = text(form, 'aveReason', 1000);
      const errors: FieldErrors = {};
      if (!isUrgency(urgency)) errors['urgency'] = 'Kies de urgentie';
      if (!isAve(ave)) errors['avePhase'] = 'Kies de AVE-fase';
      if (isAve(ave) && ave !== t.avePhase && reason === '') errors['aveReason'] = 'Vul de reden in voor de nieuwe AVE-fase';
      if (reason.length > 1000) errors['aveReason'] = 'Gebruik maximaal 1000 tekens';
      if (Object.keys(errors).length || !isUrgency(urgency) || !isAve(ave)) return error(errors);
      if (urgency === t.urgency && ave === t.avePhase) return { kind: 'done', anchor: 'triage' };
      tx(() => {
        if (urgency !== t.urgency) {
          updateReport(t.id, { urgency, due_on: dueDate(t.createdAt, urgency) }, at);
          addEvent(t.id, actor.id, at, 'urgentie', t.urgency, urgency);
        }
        if (ave !== t.avePhase) {
          updateReport(t.id, { ave_phase: ave }, at);
          addEvent(t.id, actor.id, at, 'ave_fase', t.avePhase, ave, reason);
        }
        audit({ ...base, action: 'triage_gewijzigd', detail: `urgentie ${urgency}, ave ${ave}` });
      });
      return { kind: 'done', anchor: 'triage' };
    }

    case 'regie': {
      const fields = { case_director: text(form, 'caseDirector', 200), process_director: text(form, 'processDirector', 200), treatment_director: text(form, 'treatmentDirector', 200) };
      const errors: FieldErrors = {};
      if (fields.case_director.length > 200) errors['caseDirector'] = 'Gebruik maximaal 200 tekens';
      if (fields.process_director.length > 200) errors['processDirector'] = 'Gebruik maximaal 200 tekens';
      if (fields.treatment_director.length > 200) errors['treatmentDirector'] = 'Gebruik maximaal 200 tekens';
      if (Object.keys(errors).length) return error(errors);
      tx(() => {
        const before = { case_director: t.caseDirector, process_director: t.processDirector, treatment_director: t.treatmentDirector };
        const labels = { case_director: 'CR', process_director: 'PR', treatment_director: 'BR' } as const;
        for (const key of Object.keys(fields) as (keyof typeof fields)[]) {
          const next = fields[key] || null;
          if (next !== before[key]) addEvent(t.id, actor.id, at, 'regie', before[key] ? `${labels[key]}: ${before[key]}` : null, next ? `${labels[key]}: ${next}` : `${labels[key]}: -`);
        }
        updateReport(t.id, { case_director: fields.case_director || null, process_director: fields.process_director || null, treatment_director: fields.treatment_director || null }, at);
        audit({ ...base, action: 'regie_gewijzigd' });
      });
      return { kind: 'done', anchor: 'regie' };
    }

    case 'assign': {
      const raw = String(form.get('assignedTo') ?? '');
      const target = raw === 'mij' ? actor.id : raw === '' ? null : Number(raw);
      if (target !== null && !activeCoordinators().some((c) => c.id === target)) return error({ assignedTo: 'Kies een coördinator' });
      if (target === t.assignedTo) return { kind: 'done', anchor: 'toewijzing' };
      tx(() => {
        updateReport(t.id, { assigned_to: target }, at);
        addEvent(t.id, actor.id, at, 'toewijzing', t.assignedTo === null ? null : String(t.assignedTo), target === null ? null : String(target));
        audit({ ...base, action: 'toegewezen', detail: target === null ? 'niemand' : `gebruiker ${target}` });
      });
      return { kind: 'done', anchor: 'toewijzing' };
    }

    case 'wvggz': {
      const start = form.get('wvggz') === 'start';
      if (start === (t.wvggzStartedOn !== null)) return { kind: 'done', anchor: 'wvggz' };
      const on = start ? amsterdamDate(at) : null;
      tx(() => {
        updateReport(t.id, { wvggz_started_on: on }, at);
        addEvent(t.id, actor.id, at, 'wvggz', t.wvggzStartedOn, on);
        audit({ ...base, action: start ? 'wvggz_gestart' : 'wvggz_gestopt' });
      });
      return { kind: 'done', anchor: 'wvggz' };
    }

    case 'note': {
      const body = text(form, 'note', 4000);
      if (body === '') return error({ note: 'Schrijf een notitie' });
      if (body.length > 4000) return error({ note: 'Gebruik maximaal 4000 tekens' });
      tx(() => {
        addNote(t.id, actor.id, body, at);
        audit({ ...base, action: 'notitie_toegevoegd' });
      });
      return { kind: 'done', anchor: 'notities' };
    }

    case 'link': {
      const other = reportIdOf(String(form.get('other') ?? ''));
      if (!other || other.id === t.id) return error({ other: 'Deze melding bestaat niet' });
      tx(() => {
        if (linkReports(t.id, other.id, actor.id, at)) {
          const otherRef = String(form.get('other'));
          addEvent(t.id, actor.id, at, 'koppeling', null, otherRef);
          addEvent(other.id, actor.id, at, 'koppeling', null, reference);
          audit({ ...base, action: 'gekoppeld', detail: `met ${otherRef}` });
          audit({ ...base, objectId: otherRef, action: 'gekoppeld', detail: `met ${reference}` });
        }
      });
      return { kind: 'done', anchor: 'eerdere-meldingen' };
    }

    case 'status':
      return changeStatus(t, form, reference, actor.id, at, base, error, tx);

    default:
      return error({}, 400);
  }
}

function changeStatus(
  t: TriageFields,
  form: FormData,
  reference: string,
  actorId: number,
  at: Date,
  base: Omit<AuditEntry, 'action'>,
  error: (errors: FieldErrors, status?: 400 | 409) => TriageOutcome,
  tx: <T>(fn: () => T) => T,
): TriageOutcome {
  const to = String(form.get('status') ?? '');
  const input = {
    outcome: text(form, 'outcome', 60) || undefined,
    mergeInto: text(form, 'mergeInto', 20).toUpperCase() || undefined,
    forwardedTo: text(form, 'forwardedTo', 200) || undefined,
    reason: text(form, 'reason', 1000) || undefined,
  };
  const problem = transitionProblem(t.status, to, input, { outcome: t.outcome ?? undefined });
  if (problem) return error({ [problem.field]: problem.message }, problem.field === 'status' ? 409 : 400);
  if (!isStatus(to)) return error({ status: 'Kies een bestaande status' });
  if (input.outcome && !isOutcome(input.outcome)) return error({ outcome: 'Kies een bestaande uitkomst' });
  if ((input.forwardedTo?.length ?? 0) > 200) return error({ forwardedTo: 'Gebruik maximaal 200 tekens' });
  let target: { id: number; status: string } | undefined;
  if (to === 'samengevoegd') {
    target = reportIdOf(input.mergeInto ?? '');
    if (!target || target.id === t.id) return error({ mergeInto: 'Vul het referentienummer in van een andere, bestaande melding' });
    if (target.status === 'samengevoegd') return error({ mergeInto: 'Die melding is zelf al samengevoegd. Kies de melding waarin zij is opgegaan' });
  }
  tx(() => {
    const closing = CLOSED.has(to);
    // Reopened: no longer forwarded or merged (the history keeps that it was).
    const reopening = to === 'in_behandeling' && CLOSED.has(t.status);
    updateReport(
      t.id,
      {
        status: to,
        ...(input.outcome ? { outcome: input.outcome } : {}),
        ...(to === 'doorgestuurd' ? { forwarded_to: input.forwardedTo ?? null } : {}),
        ...(to === 'samengevoegd' && target ? { merged_into: target.id } : {}),
        ...(reopening ? { forwarded_to: null, merged_into: null } : {}),
        ...(t.triagedAt === null && t.status === 'nieuw' ? { triaged_at: at.toISOString() } : {}),
        closed_at: closing ? at.toISOString() : null,
      },
      at,
    );
    addEvent(t.id, actorId, at, 'status', t.status, to, input.reason ?? input.forwardedTo ?? null);
    if (input.outcome && input.outcome !== t.outcome) addEvent(t.id, actorId, at, 'uitkomst', t.outcome, input.outcome);
    if (to === 'samengevoegd' && target) {
      linkReports(t.id, target.id, actorId, at);
      addEvent(target.id, actorId, at, 'samengevoegd', null, reference);
      audit({ ...base, objectId: input.mergeInto, action: 'samengevoegd_ontvangen', detail: `uit ${reference}` });
    }
    audit({ ...base, action: 'status_gewijzigd', detail: `${t.status} naar ${to}` });
  });
  return { kind: 'done', anchor: 'status' };
}
