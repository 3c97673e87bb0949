import { z } from 'astro/zod';
import { ALWAYS, choice, text, tooLong, type FieldDef } from '#lib/forms.ts';
import { AVE_PHASE, URGENCY } from '#features/reports/options.schema.ts';
import { addFields, createFields } from '#features/casus/casus.schema.ts';
import { OUTCOMES, isOutcome, transitionProblem, type Outcome, type Status } from './triage.rules.ts';

/**
 * The coordinator's forms on a report page (spec §5): one small form per change, told apart by its
 * `intent`. FieldDefs with the exact Dutch labels (tests find the fields by them), and a Zod schema
 * per intent with the exact Dutch messages. Some rules depend on the report as it stands (a new AVE
 * phase needs a reason, the allowed transitions): those schemas are built per request from that
 * context. Safe for islands: no server code.
 */

/** The forms of the report page, by the `intent` each posts. */
export const INTENTS = ['reveal', 'urgency_ave', 'regie', 'assign', 'wvggz', 'feedback', 'note', 'link', 'status', 'case_create', 'case_add'] as const;
/** The intents the casus feature applies (casus.server.ts), not the report's own changes. */
export const CASE_INTENTS_OF_REPORT = ['case_create', 'case_add'] as const;
export const isCaseIntentOfReport = (v: string): v is (typeof CASE_INTENTS_OF_REPORT)[number] => (CASE_INTENTS_OF_REPORT as readonly string[]).includes(v);
export type Intent = (typeof INTENTS)[number];

export function isIntent(value: unknown): value is Intent {
  return typeof value === 'string' && (INTENTS as readonly string[]).includes(value);
}

/** A field of a triage form. */
export interface TriageField extends FieldDef {
  /** Its name in the error summary, where that is shorter than the label ("Reden"). */
  short?: string;
}

/** How the error summary names a field: "Reden: Vul de reden in…". */
export const summaryLabel = (field: TriageField): string => field.short ?? field.label;

// ---------------------------------------------------------------------------------------------
// Urgentie en AVE-fase

export const urgencyAveFields = [
  { name: 'urgency', label: 'Urgentie', kind: 'radio', options: URGENCY },
  { name: 'avePhase', label: 'AVE-fase', kind: 'radio', options: AVE_PHASE },
  { name: 'aveReason', label: 'Reden voor de AVE-fase', short: 'Reden', kind: 'textarea', hint: 'Verplicht als u de AVE-fase wijzigt.' },
] as const satisfies readonly TriageField[];

/** Urgency and AVE phase; a phase other than `current` needs a reason. */
export const urgencyAveSchema = (current: { avePhase: string }) =>
  z
    .object({
      /** The urgency the coordinator decides on; it sets the due date. */
      urgency: choice(URGENCY, 'Kies de urgentie'),
      /** The phase of the AVE model (AVE 1 to 4, or Onbekend). */
      avePhase: choice(AVE_PHASE, 'Kies de AVE-fase'),
      /** Why the phase changes; kept in the history. Required for a new phase. */
      aveReason: text(1000, tooLong(1000)),
    })
    .superRefine((v, ctx) => {
      if (Object.hasOwn(AVE_PHASE, v.avePhase) && v.avePhase !== current.avePhase && v.aveReason === '') {
        ctx.addIssue({ code: 'custom', path: ['aveReason'], message: 'Vul de reden in voor de nieuwe AVE-fase' });
      }
    }, ALWAYS);

// ---------------------------------------------------------------------------------------------
// Regie

export const regieFields = [
  { name: 'caseDirector', label: 'Casusregisseur (CR)', kind: 'text', optional: true, hint: 'Naam en organisatie' },
  { name: 'processDirector', label: 'Procesregisseur (PR)', kind: 'text', optional: true, hint: 'Naam en organisatie' },
  { name: 'treatmentDirector', label: 'Behandelregie (BR)', kind: 'text', optional: true, hint: 'Naam en organisatie' },
] as const satisfies readonly TriageField[];

const director = text(200, tooLong(200)).transform((v) => (v === '' ? null : v));

/** Who directs the care around the person; empty clears a director. */
export const regieSchema = z.object({
  /** Casusregisseur (CR): name and organisation. */
  caseDirector: director,
  /** Procesregisseur (PR): name and organisation. */
  processDirector: director,
  /** Behandelregie (BR): name and organisation. */
  treatmentDirector: director,
});

// ---------------------------------------------------------------------------------------------
// Toewijzing

export const assignFields = [
  // Drawn as a select of the active coordinators (SelectField), with "Niemand" as the empty choice.
  { name: 'assignedTo', label: 'Toewijzen aan', kind: 'text' },
] as const satisfies readonly TriageField[];

/** The one form of the report page; buttons elsewhere on the page post it with `form=`. */
export const REPORT_FORM_ID = 'f-melding';

/** The posted value of "Aan mij toewijzen". */
export const ASSIGN_TO_ME = 'mij';
/** The `intent` of the "Aan mij toewijzen" button: an assignment to `mij`. */
export const ASSIGN_ME = 'assign_me';

/** Who handles the report: `me` (the coordinator posting) or one of the active `coordinators`. */
export const assignSchema = (c: { me: number; coordinators: readonly number[] }) =>
  z.object({
    /** `mij`, empty for nobody, or the id of an active coordinator; read as that id, or `null`. */
    assignedTo: z
      .string()
      .transform((raw) => (raw === ASSIGN_TO_ME ? c.me : raw === '' ? null : Number(raw)))
      .refine((id) => id === null || c.coordinators.includes(id), { error: 'Kies een coördinator' }),
  });

// ---------------------------------------------------------------------------------------------
// Wvggz

export const wvggzFields = [
  // A hidden input: the button starts the investigation, or stops it when it runs.
  { name: 'wvggz', label: 'Wvggz', kind: 'text' },
] as const satisfies readonly TriageField[];

/** Starts or stops the Wvggz exploratory investigation. */
export const wvggzSchema = z.object({
  /** `start` starts it; anything else stops it. */
  wvggz: z.string().transform((v) => v === 'start'),
});

// ---------------------------------------------------------------------------------------------
// Terugkoppeling (spec §7)

export const feedbackFields = [
  // A hidden input: the button `Geen terugkoppeling sturen` switches feedback off, the other on again.
  { name: 'feedback', label: 'Terugkoppeling', kind: 'text' },
] as const satisfies readonly TriageField[];

/** The label of the switch that stops the feedback mails of a report (exact, spec §7). */
export const FEEDBACK_OFF_LABEL = 'Geen terugkoppeling sturen';

/** Switches the feedback mails of a report off (`uit`) or on again (anything else). */
export const feedbackSchema = z.object({
  feedback: z.string().transform((v) => v === 'uit'),
});

// ---------------------------------------------------------------------------------------------
// Status wijzigen

export const statusFields = [
  // Drawn as a select of the statuses the report may go to (SelectField).
  { name: 'status', label: 'Nieuwe status', kind: 'text' },
  { name: 'outcome', label: 'Uitkomst', kind: 'radio', options: OUTCOMES, hint: 'Nodig bij Uitgezet en Afgesloten.' },
  { name: 'forwardedTo', label: 'Doorgestuurd naar', kind: 'text', hint: 'Nodig bij Doorgestuurd: bijvoorbeeld een andere gemeente of Veilig Thuis.' },
  { name: 'mergeInto', label: 'Samenvoegen met', kind: 'text', hint: 'Nodig bij Samengevoegd: het referentienummer van de andere melding.' },
  { name: 'reason', label: 'Reden', kind: 'textarea', hint: 'Nodig bij Geannuleerd (spam, test, dubbel) en bij opnieuw openen.' },
] as const satisfies readonly TriageField[];

/** Another report, found by its reference. */
export type FindReport = (reference: string) => { id: number; status: string } | undefined;

/** A status change as validated: where to, and what the new status needs. */
export interface StatusChange {
  to: Status;
  outcome: Outcome | undefined;
  forwardedTo: string | undefined;
  reason: string | undefined;
  /** The reference as typed (upper case) and the report it names, for `samengevoegd`. */
  mergeInto: string | undefined;
  target: { id: number } | undefined;
}

/**
 * A new status for the report as it stands (`current`), with what that status needs: only the
 * transitions of the status table, an outcome to close, to whom when forwarded, a report to merge
 * into, a reason to cancel or reopen. Like the form, it names the first problem only.
 */
export const statusSchema = (c: { current: { id: number; status: Status; outcome: string | null }; find: FindReport }) =>
  z
    .object({
      /** The status to go to: one the current status may go to (TRANSITIONS). */
      status: z.string(),
      /** The outcome: needed for uitgezet and afgesloten, unless the report has one. */
      outcome: z.string().trim(),
      /** To whom the report went: needed for doorgestuurd. At most 200 characters. */
      forwardedTo: z.string().trim(),
      /** The reference of the report this one is merged into: needed for samengevoegd. */
      mergeInto: z.string().trim().toUpperCase(),
      /** Why: needed for geannuleerd and for reopening. At most 1000 characters. */
      reason: z.string().trim(),
    })
    .transform((v, ctx): StatusChange => {
      const refuse = (field: string, message: string): never => {
        ctx.addIssue({ code: 'custom', path: [field], message });
        return z.NEVER;
      };
      const input = {
        outcome: v.outcome || undefined,
        mergeInto: v.mergeInto || undefined,
        forwardedTo: v.forwardedTo || undefined,
        reason: v.reason || undefined,
      };
      const problem = transitionProblem(c.current.status, v.status, input, { outcome: c.current.outcome ?? undefined });
      if (problem) return refuse(problem.field, problem.message);
      if (input.outcome && !isOutcome(input.outcome)) return refuse('outcome', 'Kies een bestaande uitkomst');
      if ((input.forwardedTo?.length ?? 0) > 200) return refuse('forwardedTo', tooLong(200));
      if ((input.reason?.length ?? 0) > 1000) return refuse('reason', tooLong(1000));
      const to = v.status as Status;
      let target: { id: number; status: string } | undefined;
      if (to === 'samengevoegd') {
        target = c.find(input.mergeInto ?? '');
        if (!target || target.id === c.current.id) return refuse('mergeInto', 'Vul het referentienummer in van een andere, bestaande melding');
        if (target.status === 'samengevoegd') return refuse('mergeInto', 'Die melding is zelf al samengevoegd. Kies de melding waarin zij is opgegaan');
      }
      return { to, outcome: input.outcome as Outcome | undefined, forwardedTo: input.forwardedTo, reason: input.reason, mergeInto: input.mergeInto, target };
    });

// ---------------------------------------------------------------------------------------------
// Eerdere meldingen: koppelen

export const linkFields = [
  // The reference travels in a hidden input beside each "Koppelen" button.
  { name: 'other', label: 'Koppelen', kind: 'text' },
] as const satisfies readonly TriageField[];

/** Links the report (`self`) with another existing one. */
export const linkSchema = (c: { self: number; find: FindReport }) =>
  z.object({
    /** The reference of the other report; read as that report. */
    other: z.string().transform((reference, ctx) => {
      const found = c.find(reference);
      if (!found || found.id === c.self) {
        ctx.addIssue({ code: 'custom', message: 'Deze melding bestaat niet' });
        return z.NEVER;
      }
      return { id: found.id, reference };
    }),
  });

// ---------------------------------------------------------------------------------------------
// Notities

export const noteFields = [
  { name: 'note', label: 'Notitie', kind: 'textarea', hint: 'Een notitie kan niet meer worden gewijzigd of verwijderd.' },
] as const satisfies readonly TriageField[];

/** A note: it can never be changed or removed afterwards. */
export const noteSchema = z.object({
  /** The text of the note, 1 to 4000 characters. */
  note: text(4000, tooLong(4000)).refine((v) => v !== '', { error: 'Schrijf een notitie' }),
});

// ---------------------------------------------------------------------------------------------

/** The fields of every form of the report page, in page order: the error summary follows it. */
export const TRIAGE_FIELDS: readonly TriageField[] = [
  ...urgencyAveFields,
  ...regieFields,
  ...assignFields,
  ...statusFields,
  ...createFields,
  ...addFields,
  ...linkFields,
  ...noteFields,
];

/** What "Opgeslagen: …" names after each save. */
export const SAVED: Readonly<Record<Intent, string>> = {
  reveal: 'gegevens melder getoond',
  urgency_ave: 'urgentie en AVE-fase',
  regie: 'regie',
  assign: 'toewijzing',
  wvggz: 'Wvggz-markering',
  feedback: 'terugkoppeling',
  note: 'notitie',
  link: 'koppeling',
  status: 'status',
  case_create: 'casus aangemaakt',
  case_add: 'toegevoegd aan de casus',
};

/** The parts of the page a warning names when they hold entries not yet saved. */
export const PARTS: Readonly<Record<Intent, string>> = {
  reveal: 'Melder',
  urgency_ave: 'Urgentie en AVE-fase',
  regie: 'Regie',
  assign: 'Toewijzing',
  wvggz: 'Wvggz',
  feedback: 'Terugkoppeling',
  note: 'Notitie',
  link: 'Eerdere meldingen',
  status: 'Status wijzigen',
  case_create: 'Casus',
  case_add: 'Casus',
};

/** The fields each intent posts. */
export const FIELDS_OF: Readonly<Record<Intent, readonly TriageField[]>> = {
  reveal: [],
  urgency_ave: urgencyAveFields,
  regie: regieFields,
  assign: assignFields,
  wvggz: wvggzFields,
  feedback: feedbackFields,
  note: noteFields,
  link: linkFields,
  status: statusFields,
  case_create: createFields,
  case_add: addFields,
};
