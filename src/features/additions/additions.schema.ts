import { z } from 'astro/zod';
import type { FieldDef } from '#lib/forms.ts';
import { readReference } from './additions.rules.ts';
import { isPhoneNumber, PHONE_MESSAGE } from '#features/intake/resident/report.schema.ts';

/**
 * The forms of additions (spec §2 "Aanvullen", §3a): the exact Dutch labels and messages. The reference
 * is accepted as people read it: with or without `MB-`, spaces, lower case.
 */

export const ADDITION_MESSAGES = {
  unknownReference: 'We kennen dit referentienummer niet. Controleer het nummer of bel ons.',
  reference: 'Vul het referentienummer in, zoals MB-7KQ3XH2P',
  referenceFormat: 'Vul een referentienummer in zoals MB-7KQ3XH2P: MB en 8 letters en cijfers',
  tooMany: 'Er zijn vanaf deze computer of dit netwerk te veel aanvullingen verstuurd. Probeer het over een uur opnieuw, of bel ons.',
  notAForm: 'Het formulier kwam niet goed aan. Probeer het opnieuw.',
} as const;

/** The reference, read as people read it; `notAReference` for what cannot be one. */
const referenceField = (notAReference: string) =>
  z
    .string()
    .trim()
    .min(1, { error: ADDITION_MESSAGES.reference })
    .max(40, { error: notAReference })
    .transform((v, ctx) => readReference(v) ?? (ctx.addIssue({ code: 'custom', message: notAReference }), z.NEVER));
/** For a resident, a number that cannot be a reference is one we do not know (spec §2: one message for both). */
const residentReference = referenceField(ADDITION_MESSAGES.unknownReference);
/** The KCC agent hears how a reference is built, to check what the caller reads out. */
const reference = referenceField(ADDITION_MESSAGES.referenceFormat);

const additionText = (missing: string) =>
  z
    .string()
    .trim()
    .min(1, { error: missing })
    .min(10, { error: 'Schrijf minstens 10 tekens' })
    .max(4000, { error: 'Gebruik maximaal 4000 tekens. Maak de tekst korter.' });

// ---------------------------------------------------------------------------------------------
// The resident: /melden/aanvullen

export const residentAdditionFields: FieldDef[] = [
  { name: 'reference', label: 'Referentienummer', kind: 'text', maxLength: 40, autocomplete: 'off',
    hint: 'Dit nummer staat in de bevestiging van uw melding. Bijvoorbeeld: MB-7KQ3XH2P' },
  { name: 'addition', label: 'Wat wilt u aanvullen?', kind: 'textarea', maxLength: 4000,
    hint: 'Schrijf op wat u nog weet of wat er sinds uw melding is gebeurd.' },
];

export const residentAdditionSchema = z.object({
  reference: residentReference,
  addition: additionText('Schrijf op wat u wilt aanvullen'),
});

// ---------------------------------------------------------------------------------------------
// The KCC: /intern/kcc/opzoeken

export const lookupFields: FieldDef[] = [
  { name: 'reference', label: 'Referentienummer', kind: 'text', maxLength: 40, autocomplete: 'off',
    hint: 'Zoals de beller het voorleest, met of zonder MB-. Bijvoorbeeld: MB-7KQ3XH2P' },
];

export const lookupSchema = z.object({ reference });

export const callerAdditionFields: FieldDef[] = [
  { name: 'addition', label: 'Aanvulling', kind: 'textarea', maxLength: 4000, hint: 'Schrijf op wat de beller vertelt.' },
  { name: 'callerName', label: 'Naam beller', kind: 'text', maxLength: 200, optional: true, autocomplete: 'off' },
  { name: 'callerPhone', label: 'Telefoonnummer beller', kind: 'tel', maxLength: 25, inputMode: 'tel', optional: true, autocomplete: 'off' },
];

export const callerAdditionSchema = z.object({
  reference,
  addition: additionText('Schrijf op wat de beller wil aanvullen'),
  callerName: z.string().trim().max(200, { error: 'Gebruik maximaal 200 tekens' }).transform((v) => v || undefined),
  callerPhone: z
    .string()
    .trim()
    .max(40, { error: PHONE_MESSAGE })
    .refine((v) => v === '' || isPhoneNumber(v), { error: PHONE_MESSAGE })
    .transform((v) => v || undefined),
});
