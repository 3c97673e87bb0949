import type { STATUS } from '#features/reports/options.schema.ts';
import type { Urgency } from '#features/reports/urgency.rules.ts';
import { addWorkingDays } from '#lib/working-days.ts';

/** Report statuses and the transitions the coordinator may make (spec §5). Pure: no I/O. */
export type Status = keyof typeof STATUS;

/** Allowed transitions: from → the statuses it may go to. Anything else is refused. */
export const TRANSITIONS: Readonly<Record<Status, readonly Status[]>> = {
  nieuw: ['in_behandeling', 'samengevoegd', 'doorgestuurd', 'geannuleerd'],
  in_behandeling: ['wacht_op_info', 'uitgezet', 'afgesloten', 'samengevoegd', 'doorgestuurd', 'geannuleerd'],
  wacht_op_info: ['in_behandeling'],
  uitgezet: ['afgesloten'],
  afgesloten: ['in_behandeling'],
  samengevoegd: ['in_behandeling'],
  doorgestuurd: ['in_behandeling'],
  geannuleerd: ['in_behandeling'],
  acuut_doorgezet: [],
};

/** A new report, waiting for its first triage; the only status that can be overdue. */
export const AWAITING_TRIAGE = 'nieuw' satisfies Status;

/** Overdue: still waiting for triage after its due date (a `YYYY-MM-DD` before today's). */
export function isOverdue(report: { status: string; dueOn: string }, today: string): boolean {
  return report.status === AWAITING_TRIAGE && report.dueOn < today;
}

/**
 * The open work (spec §5): what the queue shows by default. `acuut_doorgezet` is closed by nature and
 * never part of it. Written literally into the queue's SQL (the partial index `reports_open_by_due`).
 */
export const OPEN_WORK: readonly Status[] = ['nieuw', 'in_behandeling', 'wacht_op_info'];

export const isOpenWork = (status: string): boolean => (OPEN_WORK as readonly string[]).includes(status);

/**
 * The closed statuses: a report in one of them has its `closed_at`, from which retention counts (spec §8).
 * `uitgezet` is closed too (handed to a partner; the reporter hears it is handled, spec §7), and may still be
 * closed as `afgesloten` later, which moves `closed_at` on. `acuut_doorgezet` is closed by nature, from its creation.
 */
export const CLOSED: ReadonlySet<Status> = new Set(['uitgezet', 'afgesloten', 'samengevoegd', 'doorgestuurd', 'geannuleerd', 'acuut_doorgezet']);

export const OUTCOMES = {
  geen_actie: 'Geen actie / advies gegeven',
  buurtbemiddeling: 'Buurtbemiddeling',
  sociaal_team: 'Sociaal team (casusregie)',
  ggd_in_de_buurt: "GGD'er in de buurt",
  bemoeizorg: 'Bemoeizorg',
  veilig_thuis: 'Veilig Thuis',
  zorg_en_veiligheidshuis: 'Zorg- en Veiligheidshuis',
  politie_oov: 'Politie / OOV',
  woningcorporatie: 'Woningcorporatie',
  wvggz_verkennend_onderzoek: 'Wvggz verkennend onderzoek',
  bespreken_in_mdo: 'Bespreken in MDO',
} as const;
export type Outcome = keyof typeof OUTCOMES;

/**
 * What a history event (`report_events.kind`) records, with its Dutch name in the history. The
 * same list as the table's CHECK.
 */
export const EVENT_KINDS = {
  status: 'Status',
  urgentie: 'Urgentie',
  ave_fase: 'AVE-fase',
  regie: 'Regie',
  uitkomst: 'Uitkomst',
  toewijzing: 'Toewijzing',
  wvggz: 'Wvggz',
  koppeling: 'Gekoppeld',
  samengevoegd: 'Samengevoegd',
} as const;
export type EventKind = keyof typeof EVENT_KINDS;

/**
 * History rows whose values quote what a coordinator typed (`CR: Jan Smit, GGD`): sealed at rest like
 * the report's own fields (spec §8). The others hold codes, dates, references or user ids. Every
 * reason is sealed, whatever the kind.
 */
export const SEALED_EVENT_KINDS: ReadonlySet<EventKind> = new Set<EventKind>(['regie']);

/** The directors of a report (regie), by column, with the abbreviation the history writes before a name. */
export const DIRECTORS = { case_director: 'CR', process_director: 'PR', treatment_director: 'BR' } as const;
export type DirectorColumn = keyof typeof DIRECTORS;

/** The municipality's norms a due date is counted with. */
export interface DueNorms {
  /** Working days to triage per urgency. */
  urgencyNormDays: Readonly<Record<Urgency, number>>;
  /** Days that are no working days (`YYYY-MM-DD`). */
  holidays: readonly string[];
}

/** The date the screening of a report is due, given its urgency: working days from the day it came in. */
export function dueOn(createdAt: string, urgency: Urgency, norms: DueNorms): string {
  return addWorkingDays(new Date(createdAt), norms.urgencyNormDays[urgency], norms.holidays);
}

/** Wvggz exploratory investigation: 14 days from its start. */
export function wvggzDeadline(startedOn: string): string {
  const d = new Date(`${startedOn}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 14);
  return d.toISOString().slice(0, 10);
}

export interface TransitionInput {
  outcome?: string | undefined;
  /** The report this one is merged into (its reference), for `samengevoegd`. */
  mergeInto?: string | undefined;
  /** To whom, for `doorgestuurd`. */
  forwardedTo?: string | undefined;
  /** Why, for `geannuleerd` and for reopening. */
  reason?: string | undefined;
}

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && Object.hasOwn(TRANSITIONS, value);
}

export function isOutcome(value: unknown): value is Outcome {
  return typeof value === 'string' && Object.hasOwn(OUTCOMES, value);
}

/**
 * Whether `from → to` is allowed with this input: `undefined` when it is, else a Dutch message
 * (with the field it belongs to). The server calls this for every change, whatever the browser sent.
 */
export function transitionProblem(
  from: Status,
  to: string,
  input: TransitionInput,
  current: { outcome?: string | undefined } = {},
): { field: string; message: string } | undefined {
  if (!isStatus(to)) return { field: 'status', message: 'Kies een bestaande status' };
  if (!TRANSITIONS[from].includes(to)) return { field: 'status', message: 'Deze statuswijziging is niet toegestaan' };
  const filled = (v: string | undefined) => v !== undefined && v.trim() !== '';
  if (to === 'uitgezet' || to === 'afgesloten') {
    const outcome = input.outcome || current.outcome;
    if (!filled(outcome)) return { field: 'outcome', message: 'Kies de uitkomst' };
    if (!isOutcome(outcome)) return { field: 'outcome', message: 'Kies een bestaande uitkomst' };
  }
  if (to === 'samengevoegd' && !filled(input.mergeInto)) {
    return { field: 'mergeInto', message: 'Vul het referentienummer in van de melding waarmee u samenvoegt' };
  }
  if (to === 'doorgestuurd' && !filled(input.forwardedTo)) {
    return { field: 'forwardedTo', message: 'Vul in naar wie de melding is doorgestuurd' };
  }
  if ((to === 'geannuleerd' || (to === 'in_behandeling' && CLOSED.has(from))) && !filled(input.reason)) {
    return { field: 'reason', message: to === 'geannuleerd' ? 'Vul de reden in, bijvoorbeeld spam, test of dubbel' : 'Vul in waarom u de melding weer opent' };
  }
  return undefined;
}
