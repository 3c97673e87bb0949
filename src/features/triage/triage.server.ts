import type { z } from 'astro/zod';
import { parseStep, type FieldErrors, type RawAnswers } from '#lib/forms.ts';
import { amsterdamDate } from '#lib/working-days.ts';
import { audit, type AuditEntry, type StaffActor } from '#features/audit/audit.repo.server.ts';
import { findReportByReference, updateReport } from '#features/reports/reports.repo.server.ts';
import { enqueueMail, type QueuedMail } from '#features/mail/outbox.repo.server.ts';
import { feedbackMoment } from '#features/mail/templates.rules.ts';
import { nudgeMailWorker } from '#features/mail/worker.server.ts';
import { config } from '#platform/config.ts';
import { db } from '#platform/db.ts';
import { markAdditionsSeen } from '#features/additions/additions.repo.server.ts';
import { addEvent, addNote, linkReports } from './triage.repo.server.ts';
import { activeCoordinators, reportDetails, reportIdOf, triageFields, type ReportDetails, type TriageFields } from './triage.queries.server.ts';
import { caseIdOfReport } from '#features/casus/casus.queries.server.ts';
import { followMergeTarget } from '#features/casus/casus.server.ts';
import { AWAITING_TRIAGE, CLOSED, DIRECTORS, dueOn, type DueNorms } from './triage.rules.ts';
import {
  assignSchema,
  feedbackSchema,
  isIntent,
  linkSchema,
  noteSchema,
  regieSchema,
  statusSchema,
  urgencyAveSchema,
  wvggzSchema,
  type StatusChange,
} from './triage.schema.ts';

/**
 * The coordinator's work on reports (spec §5), one transaction per call: every change is validated
 * with its schema (triage.schema.ts), whatever the browser sent, and written with its history events
 * and its audit row; a refused change writes only a `geweigerd` audit row. Opening a report page is
 * audited too.
 */

/** What became of a change. */
export type ChangeOutcome =
  | { kind: 'done'; anchor: string }
  | { kind: 'reveal' }
  | { kind: 'refused'; status: 400 | 404 | 409; errors: FieldErrors; formError?: string };

export interface ChangeRequest {
  reference: string;
  /** The `intent` as posted: which form. */
  intent: string;
  /** The answers of that form's fields (readFields). */
  answers: RawAnswers;
  actor: StaffActor;
  at: Date;
  /** The municipality's norms for a new due date. */
  norms: DueNorms;
}

const tx = <T>(fn: () => T): T => db().transaction(fn).immediate();

/**
 * Opens a report page: what it shows, and the `melding_bekeken` audit row, in one transaction (the
 * access history on the page includes this view). `undefined` when there is no such report.
 */
export function openReport(reference: string, actor: StaffActor, at: Date): ReportDetails | undefined {
  return tx(() => {
    const report = reportIdOf(reference);
    if (!report) return undefined;
    audit({ actorId: actor.id, actorRole: actor.role, action: 'melding_bekeken', objectType: 'melding', objectId: reference, result: 'gelukt', clientIp: actor.ip }, at);
    // The additions are no longer new: the queue drops its `Nieuwe aanvulling` (spec §2 "Aanvullen").
    markAdditionsSeen(report.id, at);
    return reportDetails(reference);
  });
}

/** A search of the queue: audited, the term itself never. */
export function recordQueueSearch(actor: StaffActor, at: Date): void {
  tx(() => audit({ actorId: actor.id, actorRole: actor.role, action: 'meldingen_gezocht', result: 'gelukt', clientIp: actor.ip }, at));
}

/** Applies one change of the coordinator to a report, or refuses it. */
export function changeReport(change: ChangeRequest): ChangeOutcome {
  const outcome = tx(() => {
    const t = triageFields(change.reference);
    if (!t) return { kind: 'refused', status: 404, errors: {}, formError: 'Deze melding bestaat niet.' } as const;
    return new Change(change, t).apply();
  });
  // A status change may have queued feedback mails (committed with it).
  if (outcome.kind === 'done' && outcome.anchor === 'status') nudgeMailWorker();
  return outcome;
}

const IN_CASE = 'Deze melding hoort bij een casus: de AVE-fase en de regie wijzigt u op de casus';

/** One change to one report (`t`, as read in the transaction). */
class Change {
  private readonly c: ChangeRequest;
  private readonly t: TriageFields;
  private readonly base: Omit<AuditEntry, 'action'>;
  private readonly actorId: number;

  constructor(c: ChangeRequest, t: TriageFields) {
    this.c = c;
    this.t = t;
    this.actorId = c.actor.id;
    this.base = { actorId: c.actor.id, actorRole: c.actor.role, objectType: 'melding', objectId: c.reference, result: 'gelukt', clientIp: c.actor.ip };
  }

  private audit(entry: Partial<AuditEntry> & { action: string }): void {
    audit({ ...this.base, ...entry }, this.c.at);
  }

  /** A refusal: only a `geweigerd` audit row, naming the fields. Only known intents name the action. */
  private refuse(errors: FieldErrors, status: 400 | 409 = 400): ChangeOutcome {
    const intent = isIntent(this.c.intent) ? this.c.intent : 'onbekend';
    this.audit({ action: `wijziging_${intent}`, result: 'geweigerd', detail: Object.keys(errors).join(',') });
    return { kind: 'refused', status, errors };
  }

  private event(kind: Parameters<typeof addEvent>[3], from: string | null, to: string | null, reason: string | null = null, reportId = this.t.id): void {
    addEvent(reportId, this.actorId, this.c.at, kind, from, to, reason);
  }

  apply(): ChangeOutcome {
    const { intent, answers } = this.c;
    if (!isIntent(intent)) return this.refuse({}, 400);
    switch (intent) {
      case 'reveal':
        this.audit({ action: 'melder_getoond' });
        return { kind: 'reveal' };
      case 'urgency_ave':
        return this.valid(parseStep(urgencyAveSchema({ avePhase: this.t.avePhase }), answers), (d) =>
          // In a casus the phase is the casus's (spec §5a): changed there, not on its report.
          d.avePhase !== this.t.avePhase && caseIdOfReport(this.t.id) !== undefined ? this.refuse({ avePhase: IN_CASE }, 409) : this.urgencyAve(d),
        );
      case 'regie':
        if (caseIdOfReport(this.t.id) !== undefined) return this.refuse({ caseDirector: IN_CASE }, 409);
        return this.valid(parseStep(regieSchema, answers), (d) => this.regie(d));
      case 'assign': {
        const coordinators = activeCoordinators().map((c) => c.id);
        return this.valid(parseStep(assignSchema({ me: this.actorId, coordinators }), answers), (d) => this.assign(d.assignedTo));
      }
      case 'wvggz':
        return this.valid(parseStep(wvggzSchema, answers), (d) => this.wvggz(d.wvggz));
      case 'feedback':
        return this.valid(parseStep(feedbackSchema, answers), (d) => this.feedback(d.feedback));
      case 'note':
        return this.valid(parseStep(noteSchema, answers), (d) => this.note(d.note));
      case 'link':
        return this.valid(parseStep(linkSchema({ self: this.t.id, find: reportIdOf }), answers), (d) => this.link(d.other));
      case 'status':
        return this.valid(parseStep(statusSchema({ current: this.t, find: reportIdOf }), answers), (d) => this.status(d));
      case 'case_create':
      case 'case_add':
        // Applied by the casus feature (casus.server.ts), never here.
        return this.refuse({}, 400);
    }
  }

  /** Applies valid answers, or refuses them. A transition the status table does not allow conflicts with the report's state: 409. */
  private valid<T>(parsed: { ok: true; data: T } | { ok: false; errors: FieldErrors }, apply: (data: T) => ChangeOutcome): ChangeOutcome {
    if (parsed.ok) return apply(parsed.data);
    return this.refuse(parsed.errors, this.c.intent === 'status' && 'status' in parsed.errors ? 409 : 400);
  }

  private urgencyAve({ urgency, avePhase, aveReason }: z.output<ReturnType<typeof urgencyAveSchema>>): ChangeOutcome {
    const t = this.t;
    if (urgency === t.urgency && avePhase === t.avePhase) return { kind: 'done', anchor: 'triage' };
    if (urgency !== t.urgency) {
      updateReport(t.id, { urgency, due_on: dueOn(t.createdAt, urgency, this.c.norms) }, this.c.at);
      this.event('urgentie', t.urgency, urgency);
    }
    if (avePhase !== t.avePhase) {
      updateReport(t.id, { ave_phase: avePhase }, this.c.at);
      this.event('ave_fase', t.avePhase, avePhase, aveReason);
    }
    this.audit({ action: 'triage_gewijzigd', detail: `urgentie ${urgency}, ave ${avePhase}` });
    return { kind: 'done', anchor: 'triage' };
  }

  private regie(d: z.output<typeof regieSchema>): ChangeOutcome {
    const t = this.t;
    const next = { case_director: d.caseDirector, process_director: d.processDirector, treatment_director: d.treatmentDirector };
    const before = { case_director: t.caseDirector, process_director: t.processDirector, treatment_director: t.treatmentDirector };
    for (const key of Object.keys(DIRECTORS) as (keyof typeof DIRECTORS)[]) {
      const label = DIRECTORS[key];
      if (next[key] !== before[key]) this.event('regie', before[key] ? `${label}: ${before[key]}` : null, next[key] ? `${label}: ${next[key]}` : `${label}: -`);
    }
    updateReport(t.id, next, this.c.at);
    this.audit({ action: 'regie_gewijzigd' });
    return { kind: 'done', anchor: 'regie' };
  }

  private assign(target: number | null): ChangeOutcome {
    const t = this.t;
    if (target === t.assignedTo) return { kind: 'done', anchor: 'toewijzing' };
    updateReport(t.id, { assigned_to: target }, this.c.at);
    this.event('toewijzing', t.assignedTo === null ? null : String(t.assignedTo), target === null ? null : String(target));
    this.audit({ action: 'toegewezen', detail: target === null ? 'niemand' : `gebruiker ${target}` });
    return { kind: 'done', anchor: 'toewijzing' };
  }

  private wvggz(start: boolean): ChangeOutcome {
    const t = this.t;
    if (start === (t.wvggzStartedOn !== null)) return { kind: 'done', anchor: 'wvggz' };
    const on = start ? amsterdamDate(this.c.at) : null;
    updateReport(t.id, { wvggz_started_on: on }, this.c.at);
    this.event('wvggz', t.wvggzStartedOn, on);
    this.audit({ action: start ? 'wvggz_gestart' : 'wvggz_gestopt' });
    return { kind: 'done', anchor: 'wvggz' };
  }

  /** `Geen terugkoppeling sturen` (spec §7): no feedback mail goes out for this report while it is off. */
  private feedback(off: boolean): ChangeOutcome {
    if (off === this.t.feedbackOff) return { kind: 'done', anchor: 'terugkoppeling' };
    updateReport(this.t.id, { feedback_off: off ? 1 : 0 }, this.c.at);
    this.audit({ action: off ? 'terugkoppeling_uit' : 'terugkoppeling_aan' });
    return { kind: 'done', anchor: 'terugkoppeling' };
  }

  private note(body: string): ChangeOutcome {
    addNote(this.t.id, this.actorId, body, this.c.at);
    this.audit({ action: 'notitie_toegevoegd' });
    return { kind: 'done', anchor: 'notities' };
  }

  private link(other: { id: number; reference: string }): ChangeOutcome {
    const reference = this.c.reference;
    if (linkReports(this.t.id, other.id, this.actorId, this.c.at)) {
      this.event('koppeling', null, other.reference);
      this.event('koppeling', null, reference, null, other.id);
      this.audit({ action: 'gekoppeld', detail: `met ${other.reference}` });
      this.audit({ objectId: other.reference, action: 'gekoppeld', detail: `met ${reference}` });
    }
    return { kind: 'done', anchor: 'eerdere-meldingen' };
  }

  private status(s: StatusChange): ChangeOutcome {
    const t = this.t;
    const at = this.c.at;
    const reference = this.c.reference;
    const closing = CLOSED.has(s.to);
    // Reopened: no longer forwarded or merged (the history keeps that it was).
    const reopening = s.to === 'in_behandeling' && CLOSED.has(t.status);
    updateReport(
      t.id,
      {
        status: s.to,
        ...(s.outcome ? { outcome: s.outcome } : {}),
        ...(s.to === 'doorgestuurd' ? { forwarded_to: s.forwardedTo ?? null } : {}),
        ...(s.to === 'samengevoegd' && s.target ? { merged_into: s.target.id } : {}),
        ...(reopening ? { forwarded_to: null, merged_into: null } : {}),
        ...(t.triagedAt === null && t.status === AWAITING_TRIAGE ? { triaged_at: at.toISOString() } : {}),
        closed_at: closing ? at.toISOString() : null,
      },
      at,
    );
    this.event('status', t.status, s.to, s.reason ?? s.forwardedTo ?? null);
    if (s.outcome && s.outcome !== t.outcome) this.event('uitkomst', t.outcome, s.outcome);
    if (s.to === 'samengevoegd' && s.target) {
      linkReports(t.id, s.target.id, this.actorId, at);
      this.event('samengevoegd', null, reference, null, s.target.id);
      if (s.mergeInto) followMergeTarget({ id: t.id, reference }, { id: s.target.id, reference: s.mergeInto }, this.c.actor, at);
      this.audit({ objectId: s.mergeInto, action: 'samengevoegd_ontvangen', detail: `uit ${reference}` });
    }
    this.audit({ action: 'status_gewijzigd', detail: `${t.status} naar ${s.to}` });
    this.sendFeedback(t.status, s.to);
    return { kind: 'done', anchor: 'status' };
  }

  /**
   * Feedback without content (spec §7), queued with the status change: to a non-anonymous reporter with
   * an e-mail address, and to a police contact who asked for it, unless `Geen terugkoppeling sturen`.
   */
  private sendFeedback(from: string, to: string): void {
    const moment = feedbackMoment(from, to);
    if (!moment || this.t.feedbackOff) return;
    const report = findReportByReference(this.c.reference);
    if (!report) return;
    const cfg = config();
    const mails: QueuedMail[] = [];
    if (!report.anonymous && report.reporterEmail) {
      mails.push({ kind: 'reporter_feedback', recipient: report.reporterEmail, reference: report.reference, moment });
    }
    if (report.channel === 'politie' && report.policeFeedback && report.policeEmail) {
      const registration = report.policeReference ?? '';
      mails.push({ kind: 'police_feedback', recipient: report.policeEmail, reference: report.reference, moment, registration });
    }
    // The outbox row is the record: the status change's own audit row stays the one row of this change.
    for (const mail of mails) enqueueMail({ ...mail, reportId: this.t.id }, cfg.publicUrl, this.c.at);
  }
}

