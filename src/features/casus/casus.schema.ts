import { z } from 'astro/zod';
import { ALWAYS, choice, text, tooLong, type FieldDef } from '#lib/forms.ts';
import { AVE_PHASE } from '#features/reports/options.schema.ts';
import { REFERENCE_PATTERN } from '#features/reports/reference.rules.ts';
import { aveDirection } from './casus.rules.ts';

/**
 * The casus forms (spec §5a): FieldDefs with the exact Dutch labels (tests find the fields by them)
 * and a Zod schema per form with the exact Dutch messages. Safe for islands: no server code.
 */

/** The forms of the casus page, by the `intent` each posts. */
export const CASE_INTENTS = ['name', 'ave', 'regie', 'wvggz', 'status', 'remove', 'add_action', 'action_done'] as const;
export type CaseIntent = (typeof CASE_INTENTS)[number];
export const isCaseIntent = (v: unknown): v is CaseIntent => typeof v === 'string' && (CASE_INTENTS as readonly string[]).includes(v);

/** "Opgeslagen: …" after each form. */
export const CASE_SAVED: Record<CaseIntent, string> = {
  name: 'naam of omschrijving',
  ave: 'AVE-fase',
  regie: 'regie',
  wvggz: 'Wvggz',
  status: 'status van de casus',
  remove: 'melding uit de casus gehaald',
  add_action: 'nieuwe actie',
  action_done: 'actie afgerond',
};

const NAME = { name: 'name', label: 'Naam of omschrijving', kind: 'text', hint: 'Bijvoorbeeld: Dhr. P., Dorpsstraat' } as const satisfies FieldDef;
const nameText = text(200, tooLong(200)).min(1, { error: 'Vul een naam of omschrijving in' });

export const nameFields = [NAME] as const satisfies readonly FieldDef[];
export const nameSchema = z.object({ name: nameText });

/** From a report page: a new casus (a name), or an open casus to add the report to. */
export const createFields = [{ ...NAME, name: 'caseName' }] as const satisfies readonly FieldDef[];
export const createSchema = z.object({ caseName: nameText });
export const addFields = [{ name: 'caseNumber', label: 'Kies een open casus', kind: 'text' }] as const satisfies readonly FieldDef[];
/** The value of a casus in the choice: `casus-12` (not a bare number: the page keeps the order it is given). */
export const caseChoiceValue = (nummer: number): string => `casus-${nummer}`;
export const addSchema = (open: readonly number[]) =>
  z.object({
    caseNumber: z
      .string()
      .transform((v) => Number(v.replace(/^casus-/, '')))
      .refine((n) => open.includes(n), { error: 'Kies een open casus' }),
  });

export const aveFields = [
  { name: 'avePhase', label: 'AVE-fase', kind: 'radio', options: AVE_PHASE },
  { name: 'aveReason', label: 'Reden', kind: 'textarea', hint: 'Verplicht bij elke wijziging van de AVE-fase.' },
] as const satisfies readonly FieldDef[];

/** A new AVE phase, with the reason every change needs. */
export const aveSchema = (current: { avePhase: string }) =>
  z
    .object({ avePhase: choice(AVE_PHASE, 'Kies de AVE-fase'), aveReason: text(1000, tooLong(1000)) })
    .superRefine((v, ctx) => {
      if (Object.hasOwn(AVE_PHASE, v.avePhase) && aveDirection(current.avePhase, v.avePhase) && v.aveReason === '') {
        ctx.addIssue({ code: 'custom', path: ['aveReason'], message: 'Vul de reden in voor de nieuwe AVE-fase' });
      }
    }, ALWAYS);

/** The three regisseurs, each "name, organisation" in one field (optional; empty clears it). */
export const regieFields = [
  { name: 'caseDirector', label: 'Casusregisseur', kind: 'text', optional: true, hint: 'Naam en organisatie, bijvoorbeeld: J. de Vries, Sociaal team' },
  { name: 'processDirector', label: 'Procesregisseur', kind: 'text', optional: true, hint: 'Naam en organisatie' },
  { name: 'treatmentDirector', label: 'Behandelregie', kind: 'text', optional: true, hint: 'Naam en organisatie' },
] as const satisfies readonly FieldDef[];

const director = text(200, tooLong(200)).transform((v) => (v === '' ? null : v));
export const regieSchema = z.object({ caseDirector: director, processDirector: director, treatmentDirector: director });
export type Regie = z.output<typeof regieSchema>;
export const DIRECTOR_LABELS: Record<keyof Regie, string> = { caseDirector: 'Casusregisseur', processDirector: 'Procesregisseur', treatmentDirector: 'Behandelregie' };

/** A calendar date as typed: YYYY-MM-DD. */
const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));

export const wvggzFields = [
  { name: 'wvggzStart', label: 'Wvggz', kind: 'text', optional: true, hint: 'De startdatum van het verkennend onderzoek, bijvoorbeeld 2026-11-29. Leeg: geen Wvggz.' },
] as const satisfies readonly FieldDef[];
export const wvggzSchema = z.object({
  wvggzStart: z
    .string()
    .trim()
    .refine((v) => v === '' || isDate(v), { error: 'Vul een datum in als 2026-11-29' })
    .transform((v) => (v === '' ? null : v)),
});

/** Closing needs `Reden van afsluiten`; reopening a reason of its own. */
export const statusFields = [{ name: 'statusReason', label: 'Reden van afsluiten', kind: 'textarea' }] as const satisfies readonly FieldDef[];
export const reopenField = { name: 'statusReason', label: 'Reden van heropenen', kind: 'textarea' } as const satisfies FieldDef;
export const statusSchema = z.object({
  statusReason: text(1000, tooLong(1000)).min(1, { error: 'Vul de reden in' }),
});

export const removeFields = [
  { name: 'removeReference', label: 'Melding', kind: 'text' },
  { name: 'removeReason', label: 'Reden om uit de casus te halen', kind: 'textarea' },
] as const satisfies readonly FieldDef[];
export const removeSchema = z.object({
  removeReference: z
    .string()
    .trim()
    .transform((v) => v.toUpperCase())
    .refine((v) => REFERENCE_PATTERN.test(v), { error: 'Kies een melding' }),
  removeReason: text(1000, tooLong(1000)).min(1, { error: 'Vul de reden in' }),
});

export const actionFields = [
  { name: 'actionWhat', label: 'Actie', kind: 'textarea', hint: 'Wat moet er gebeuren?' },
  { name: 'actionWho', label: 'Wie', kind: 'text', hint: 'Naam of organisatie' },
  { name: 'actionDue', label: 'Uiterlijk', kind: 'text', hint: 'Een datum, bijvoorbeeld 2026-12-15' },
] as const satisfies readonly FieldDef[];
export const actionSchema = z.object({
  actionWhat: text(500, tooLong(500)).min(1, { error: 'Vul in wat er moet gebeuren' }),
  actionWho: text(200, tooLong(200)).min(1, { error: 'Vul in wie het doet' }),
  actionDue: z.string().trim().refine(isDate, { error: 'Vul een datum in als 2026-12-15' }),
});
export const actionDoneFields = [{ name: 'actionId', label: 'Actie', kind: 'text' }] as const satisfies readonly FieldDef[];
export const actionDoneSchema = z.object({ actionId: z.string().regex(/^\d{1,9}$/, { error: 'Kies een actie' }).transform(Number) });

export const FIELDS_OF: Record<CaseIntent, readonly FieldDef[]> = {
  name: nameFields,
  ave: aveFields,
  regie: regieFields,
  wvggz: wvggzFields,
  status: statusFields,
  remove: removeFields,
  add_action: actionFields,
  action_done: actionDoneFields,
};

/** Every field of the casus page, for the error summary. */
export const CASE_FIELDS: readonly FieldDef[] = Object.values(FIELDS_OF).flat();

/** The list's filters (in the URL). */
export const listFilterFields = [
  { name: 'fase', label: 'AVE-fase', kind: 'text' },
  { name: 'regie', label: 'Regie', kind: 'text' },
] as const satisfies readonly FieldDef[];
export const REGIE_FILTER = { cr: 'Met casusregisseur', pr: 'Met procesregisseur', br: 'Met behandelregie' } as const;
