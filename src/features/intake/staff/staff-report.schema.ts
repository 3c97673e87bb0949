import { z } from 'astro/zod';
import { codes } from '#lib/forms.ts';
import { RELATION, YES_NO } from '#features/reports/options.schema.ts';
import { ALWAYS, fieldErrors, type FieldDef, type FieldErrors, type RawAnswers } from '#lib/forms.ts';
import { acuteFields, concernFields, concernSchema, contactRules, personFields, personSchema, EMAIL_MESSAGE, PHONE_MESSAGE } from '#features/intake/resident/report.schema.ts';
import { amsterdamToUtc } from '#lib/dates.ts';

/** How a report reached the KCC (spec §3). */
export const INTAKE_METHOD = {
  telefoon: 'Telefoon',
  telefoon_0800: 'Telefoon via 0800-1205',
  balie: 'Balie',
  email_brief: 'E-mail of brief',
} as const;

/** The channel of an acute record when the agent did not choose one: a 112 transfer is never held up (spec §3). */
export const ACUTE_INTAKE_DEFAULT = 'telefoon' satisfies keyof typeof INTAKE_METHOD;

export const intakeFields: FieldDef[] = [
  { name: 'intakeMethod', label: 'Hoe kwam de melding binnen?', kind: 'radio', options: INTAKE_METHOD },
];

/** Messages of the KCC and BOA forms that no one schema gives (exact texts). */
export const STAFF_MESSAGES = {
  tooLarge: 'Er is te veel tekst ingevuld. Maak de tekst korter.',
  tooLargeWithPhotos: "Er is te veel verstuurd. Stuur hoogstens 5 foto's van hoogstens 15 MB, en maak lange tekst korter.",
  notAForm: 'Het formulier kwam niet goed aan. Probeer het opnieuw.',
  intakeMethod: 'Kies hoe de melding binnenkwam',
  acuteDanger: 'Kies of er nu direct gevaar is voor iemand',
} as const;

export const intakeSchema = z.object({
  intakeMethod: z.enum(codes(INTAKE_METHOD), { error: STAFF_MESSAGES.intakeMethod }),
});

export const callerFields: FieldDef[] = [
  { name: 'callerRelation', label: 'Relatie tot de persoon', kind: 'radio', options: RELATION },
  { name: 'callerAnonymous', label: 'Beller wil anoniem blijven', kind: 'checkbox',
    hint: 'Dan vult u geen naam, telefoonnummer of e-mailadres in.' },
  { name: 'callerName', label: 'Naam beller', kind: 'text', maxLength: 200, autocomplete: 'off' },
  { name: 'callerPhone', label: 'Telefoonnummer beller', kind: 'tel', maxLength: 25, inputMode: 'tel', autocomplete: 'off',
    hint: 'Of een e-mailadres. Nodig als de beller niet anoniem is.' },
  { name: 'callerEmail', label: 'E-mailadres beller', kind: 'email', maxLength: 254, inputMode: 'email', autocomplete: 'off',
    optional: true, hint: 'De beller krijgt dan een bevestiging met het referentienummer.' },
];

/** The caller on whose behalf a KCC agent reports. */
export const callerSchema = z
  .object({
    callerRelation: z.enum(codes(RELATION), { error: 'Kies de relatie van de beller tot de persoon' }),
    callerAnonymous: z.union([z.literal('ja'), z.literal('')], { error: 'Vink aan of laat leeg' }),
    callerName: z.string().trim().max(200, { error: 'Gebruik maximaal 200 tekens' }),
    callerPhone: z.string().trim().max(40, { error: PHONE_MESSAGE }),
    callerEmail: z.string().trim().max(254, { error: EMAIL_MESSAGE }),
  })
  .superRefine((v, ctx) => {
    const anonymous = v.callerAnonymous === 'ja';
    if (!anonymous && v.callerName === '') ctx.addIssue({ code: 'custom', path: ['callerName'], message: 'Vul de naam van de beller in' });
    contactRules(
      { anonymous, name: v.callerName, phone: v.callerPhone, email: v.callerEmail },
      ctx,
      { name: 'callerName', phone: 'callerPhone', email: 'callerEmail' },
      false,
    );
  }, ALWAYS)
  .transform((v) => {
    const anonymous = v.callerAnonymous === 'ja';
    const keep = (s: string) => (anonymous || s === '' ? undefined : s);
    return {
      reporterRelation: v.callerRelation,
      anonymous,
      reporterName: keep(v.callerName),
      reporterPhone: keep(v.callerPhone),
      reporterEmail: keep(v.callerEmail),
    };
  });

export const observationFields: FieldDef[] = [
  { name: 'observedAt', label: 'Datum en tijd van de waarneming', kind: 'datetime', hint: 'Bijvoorbeeld: 2026-11-22 14:30' },
  { name: 'policePresent', label: 'Was de politie ter plaatse?', kind: 'radio', options: YES_NO },
  { name: 'policeReference', label: 'Registratienummer', kind: 'text', maxLength: 50, optional: true, autocomplete: 'off',
    hint: 'Bijvoorbeeld het registratienummer van de politie.' },
];

/**
 * A date and time as staff type it (`2026-11-22 14:30`, Amsterdam time): required, not in the future.
 * Adds the messages to `ctx` at `path`; `what` names the moment in the missing message.
 */
function pastDateTime(value: string, ctx: z.RefinementCtx, path: string, missing: string): void {
  if (value === '') return void ctx.addIssue({ code: 'custom', path: [path], message: missing });
  const at = amsterdamToUtc(value.replace(' ', 'T'));
  if (!at) ctx.addIssue({ code: 'custom', path: [path], message: 'Vul een datum en tijd in zoals 2026-11-22 14:30' });
}

/** A typed date and time (already valid) as ISO 8601 UTC. */
const isoOf = (value: string): string => amsterdamToUtc(value.replace(' ', 'T'))!.toISOString();

/** The not-in-the-future check of pastDateTime, with the clock. */
function notFuture(value: string, now: Date, ctx: z.RefinementCtx, path: string): void {
  const at = value === '' ? undefined : amsterdamToUtc(value.replace(' ', 'T'));
  if (at && at.getTime() > now.getTime() + 60_000) ctx.addIssue({ code: 'custom', path: [path], message: 'De datum en tijd mogen niet in de toekomst liggen' });
}

/** A BOA's observation: when (not in the future), police present, their registration number. */
export function observationSchema(now: Date) {
  return z
    .object({
      observedAt: z.string().trim(),
      policePresent: z.enum(codes(YES_NO), { error: 'Kies of de politie ter plaatse was' }),
      policeReference: z.string().trim().max(50, { error: 'Gebruik maximaal 50 tekens' }),
    })
    .superRefine((v, ctx) => {
      pastDateTime(v.observedAt, ctx, 'observedAt', 'Vul de datum en tijd van de waarneming in');
      notFuture(v.observedAt, now, ctx, 'observedAt');
    }, ALWAYS)
    .transform((v) => ({
      observedAt: isoOf(v.observedAt),
      policePresent: v.policePresent === 'ja',
      policeReference: v.policeReference || undefined,
    }));
}

// ---------------------------------------------------------------------------------------------
// Police reports (E33, spec §4a). The fields follow the draft national JZV-Melding message: the
// situation (description), the request, the wish for feedback, the incident, the person concerned.

export const policeFields: FieldDef[] = [
  { name: 'policeReference', label: 'Registratienummer politie', kind: 'text', maxLength: 50, autocomplete: 'off',
    hint: 'Staat bovenaan het formulier van de politie. Bijvoorbeeld: PL0100-2026123456' },
  { name: 'incidentAt', label: 'Datum en tijd van het incident', kind: 'datetime', hint: 'Bijvoorbeeld: 2026-11-22 14:30' },
  { name: 'incidentPlace', label: 'Plaats van het incident', kind: 'text', maxLength: 200, optional: true, autocomplete: 'off' },
  { name: 'policeRequest', label: 'Wat vraagt de politie?', kind: 'textarea', maxLength: 1000, optional: true },
  { name: 'policeFeedback', label: 'Wil de politie terugkoppeling?', kind: 'radio', options: YES_NO,
    hint: 'Bij Ja krijgt de politie een e-mail zonder inhoud als de melding in behandeling is en als hij is afgehandeld.' },
];

export const policeContactFields: FieldDef[] = [
  { name: 'policeOfficer', label: 'Naam politiemedewerker', kind: 'text', maxLength: 200, autocomplete: 'off' },
  { name: 'policeTeam', label: 'Team of basisteam', kind: 'text', maxLength: 200, optional: true, autocomplete: 'off' },
  { name: 'policePhone', label: 'Telefoonnummer politie', kind: 'tel', maxLength: 25, inputMode: 'tel', autocomplete: 'off',
    hint: 'Of een e-mailadres. Een van beide is nodig.' },
  { name: 'policeEmail', label: 'E-mailadres politie', kind: 'email', maxLength: 254, inputMode: 'email', autocomplete: 'off',
    optional: true, hint: 'Nodig voor terugkoppeling per e-mail.' },
];

/** The concern fields of a police report: the description is the situation the police describe. */
export const policeConcernFields: FieldDef[] = concernFields.map((f) =>
  f.name === 'description' ? { ...f, label: 'Omschrijving van de situatie', hint: 'Neem over wat de politie over de situatie schrijft.' } : f,
);

const policeConcernSchema = concernSchema.extend({
  description: z
    .string()
    .trim()
    .min(1, { error: 'Beschrijf de situatie' })
    .min(10, { error: 'Schrijf minstens 10 tekens over de situatie' })
    .max(4000, { error: 'Gebruik maximaal 4000 tekens. Maak de tekst korter.' }),
});

/** The police's own fields: registration number, incident, request, feedback wish, contact. */
export function policeSchema(now: Date) {
  return z
    .object({
      policeReference: z.string().trim().min(1, { error: 'Vul het registratienummer van de politie in' }).max(50, { error: 'Gebruik maximaal 50 tekens' }),
      incidentAt: z.string().trim(),
      incidentPlace: z.string().trim().max(200, { error: 'Gebruik maximaal 200 tekens' }),
      policeRequest: z.string().trim().max(1000, { error: 'Gebruik maximaal 1000 tekens. Maak de tekst korter.' }),
      policeFeedback: z.enum(codes(YES_NO), { error: 'Kies of de politie terugkoppeling wil' }),
      policeOfficer: z.string().trim().min(1, { error: 'Vul de naam van de politiemedewerker in' }).max(200, { error: 'Gebruik maximaal 200 tekens' }),
      policeTeam: z.string().trim().max(200, { error: 'Gebruik maximaal 200 tekens' }),
      policePhone: z.string().trim().max(40, { error: PHONE_MESSAGE }),
      policeEmail: z.string().trim().max(254, { error: EMAIL_MESSAGE }),
    })
    .superRefine((v, ctx) => {
      pastDateTime(v.incidentAt, ctx, 'incidentAt', 'Vul de datum en tijd van het incident in');
      notFuture(v.incidentAt, now, ctx, 'incidentAt');
      contactRules({ anonymous: false, name: v.policeOfficer, phone: v.policePhone, email: v.policeEmail }, ctx,
        { name: 'policeOfficer', phone: 'policePhone', email: 'policeEmail' }, false);
    }, ALWAYS)
    .transform((v) => ({
      policeReference: v.policeReference,
      incidentAt: isoOf(v.incidentAt),
      incidentPlace: v.incidentPlace || undefined,
      policeRequest: v.policeRequest || undefined,
      policeFeedback: v.policeFeedback === 'ja',
      policeOfficer: v.policeOfficer,
      policeTeam: v.policeTeam || undefined,
      policePhone: v.policePhone || undefined,
      policeEmail: v.policeEmail || undefined,
    }));
}

/** Parses one raw form with several schemas: the merged values, or every message per field. */
export function parseParts(raw: RawAnswers, schemas: readonly z.ZodType[]): { ok: true; data: Record<string, unknown> } | { ok: false; errors: FieldErrors } {
  let data: Record<string, unknown> = {};
  let errors: FieldErrors = {};
  for (const schema of schemas) {
    const result = schema.safeParse(raw);
    if (result.success) data = { ...data, ...(result.data as Record<string, unknown>) };
    else errors = { ...errors, ...fieldErrors(result.error) };
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, data };
}

/**
 * The KCC form speaks to the agent, who types what a caller tells: hints about "de beller", never
 * to the caller as "u". The labels stay the spec's exact labels (spec §3: the same report fields).
 */
export const KCC_HINTS: Readonly<Record<string, string>> = {
  acuteDanger: 'Vraag dit eerst. Bijvoorbeeld: iemand is gewond, wil zichzelf iets aandoen, of bedreigt iemand op dit moment.',
  personName: 'Weet de beller de naam niet? Laat dit dan leeg.',
  postcode: 'Als de persoon op een adres woont. Bijvoorbeeld: 9351 AB',
  locationDescription: 'Als de persoon geen vast adres heeft of de beller het adres niet weet. Bijvoorbeeld: bij het bushokje aan de Hoofdstraat, meestal in de ochtend.',
  concerns: 'Kies alles wat de beller noemt.',
  description: 'Schrijf op wat de beller vertelt: wat er gebeurt, wanneer en hoe vaak. Medische woorden zijn niet nodig.',
  involved: 'Kies alles wat de beller weet.',
};

/** The fields with the agent's hints in place of the resident's. */
export function forAgent(fields: readonly FieldDef[]): FieldDef[] {
  return fields.map((f) => {
    const hint = KCC_HINTS[f.name];
    return hint ? { ...f, hint } : f;
  });
}

export const kccFields: readonly FieldDef[] = [...acuteFields, ...intakeFields, ...personFields, ...concernFields, ...callerFields];
export const boaFields: readonly FieldDef[] = [...acuteFields, ...personFields, ...concernFields, ...observationFields];
export const kccSchemas = [intakeSchema, personSchema, concernSchema, callerSchema] as const;
export const boaSchemas = (now: Date) => [personSchema, concernSchema, observationSchema(now)] as const;
export const politieFields: readonly FieldDef[] = [...policeFields, ...personFields, ...policeConcernFields, ...policeContactFields];
export const politieSchemas = (now: Date) => [personSchema, policeConcernSchema, policeSchema(now)] as const;

/** The hidden field that carries a KCC or BOA form's key: the form is saved at most once, however often it is sent. */
export const FORM_KEY_FIELD = 'formulier';
