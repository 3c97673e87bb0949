import { z } from 'astro/zod';
import { ALWAYS, choice, choices, optionalChoice, optionalText, text, tooLong, type FieldDef } from '#lib/forms.ts';
import { ANONYMITY, CONCERN_SINCE, CONCERNS, INVOLVED, LOCATION_KIND, PERSON_AGE, RELATION, YES_NO, YES_NO_UNKNOWN } from '#features/reports/options.schema.ts';

/** Dutch postcode "1234 AB", any spacing or case; normalised to "1234AB". */
export function normalisePostcode(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}
export const POSTCODE_PATTERN = /^[1-9][0-9]{3}[A-Z]{2}$/;
/** What an e-mail address that is not one is told. */
export const EMAIL_MESSAGE = 'Vul een e-mailadres in zoals naam@voorbeeld.nl';
/** What a phone number that is not one is told. */
export const PHONE_MESSAGE = 'Vul een telefoonnummer in zoals 06 12345678 of +31 6 12345678';

/**
 * A phone number as people write one: digits with spaces, hyphens and brackets, an optional + in front, 8 to 16
 * digits: `06 12345678`, `+31 6 12345678`, `(050) 123 45 67`, `0031 (0)6 12 34 56 78`.
 */
export function isPhoneNumber(value: string): boolean {
  if (!/^\+?[0-9 ()-]+$/.test(value)) return false;
  const digits = value.replace(/[^0-9]/g, '').length;
  return digits >= 8 && digits <= 16;
}
const EMAIL_PATTERN = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;


// ---------------------------------------------------------------------------------------------
// Step 1 — Direct gevaar

export const acuteFields: FieldDef[] = [
  {
    name: 'acuteDanger',
    label: 'Is er nu direct gevaar voor iemand?',
    kind: 'radio',
    options: YES_NO,
    hint: 'Bijvoorbeeld: iemand is gewond, wil zichzelf iets aandoen, of bedreigt iemand op dit moment.',
  },
];

/** Step 1: is anyone in danger right now? */
export const acuteSchema = z.object({
  acuteDanger: choice(YES_NO, 'Kies of er nu direct gevaar is voor iemand'),
});

// ---------------------------------------------------------------------------------------------
// Step 2 — Over de persoon

export const personFields: FieldDef[] = [
  { name: 'personName', label: 'Naam van de persoon', kind: 'text', maxLength: 200, optional: true, autocomplete: 'off',
    hint: 'Weet u de naam niet? Dan kunt u dit leeg laten.' },
  { name: 'personAge', label: 'Leeftijd van de persoon', kind: 'radio', options: PERSON_AGE },
  { name: 'locationKind', label: 'Waar woont of verblijft de persoon?', kind: 'radio', options: LOCATION_KIND },
  { name: 'postcode', label: 'Postcode', kind: 'text', size: 'postcode', maxLength: 7, autocomplete: 'off',
    hint: 'Vul dit in als de persoon op een adres woont. Bijvoorbeeld: 9351 AB' },
  { name: 'houseNumber', label: 'Huisnummer', kind: 'text', size: 'house-number', maxLength: 5, inputMode: 'numeric', autocomplete: 'off' },
  { name: 'houseAddition', label: 'Toevoeging', kind: 'text', size: 'house-addition', maxLength: 6, optional: true, autocomplete: 'off',
    hint: 'Bijvoorbeeld: A of 2 hoog' },
  { name: 'street', label: 'Straat', kind: 'text', maxLength: 200, optional: true, autocomplete: 'off' },
  { name: 'place', label: 'Plaats', kind: 'text', maxLength: 200, optional: true, autocomplete: 'off' },
  { name: 'locationDescription', label: 'Beschrijf de plek waar u de persoon ziet', kind: 'textarea', maxLength: 1000,
    hint: 'Vul dit in als de persoon geen vast adres heeft of als u het adres niet weet. Bijvoorbeeld: bij het bushokje aan de Hoofdstraat, meestal in de ochtend.' },
  { name: 'childrenInHome', label: 'Wonen er kinderen in het huis?', kind: 'radio', options: YES_NO_UNKNOWN, optional: true },
];

/** Step 2: who the worry is about and where they are. */
export const personSchema = z
  .object({
    personName: optionalText(200, tooLong(200)),
    personAge: choice(PERSON_AGE, 'Kies de leeftijd van de persoon'),
    locationKind: choice(LOCATION_KIND, 'Kies waar de persoon woont of verblijft'),
    postcode: text(20, 'Vul een postcode in zoals 1234 AB').transform(normalisePostcode),
    houseNumber: text(20, 'Vul een huisnummer in met alleen cijfers, zoals 12'),
    houseAddition: optionalText(6, tooLong(6)),
    street: optionalText(200, tooLong(200)),
    place: optionalText(200, tooLong(200)),
    locationDescription: text(1000, tooLong(1000)),
    childrenInHome: optionalChoice(YES_NO_UNKNOWN, 'Kies Ja, Nee of Weet ik niet'),
  })
  .superRefine((v, ctx) => {
    if (v.locationKind === 'adres') {
      if (v.postcode === '') ctx.addIssue({ code: 'custom', path: ['postcode'], message: 'Vul de postcode in' });
      else if (!POSTCODE_PATTERN.test(v.postcode))
        ctx.addIssue({ code: 'custom', path: ['postcode'], message: 'Vul een postcode in zoals 1234 AB' });
      if (v.houseNumber === '') ctx.addIssue({ code: 'custom', path: ['houseNumber'], message: 'Vul het huisnummer in' });
      else if (!/^[0-9]{1,5}$/.test(v.houseNumber))
        ctx.addIssue({ code: 'custom', path: ['houseNumber'], message: 'Vul een huisnummer in met alleen cijfers, zoals 12' });
    }
    if (v.locationKind === 'geen_vast_adres' && v.locationDescription === '') {
      ctx.addIssue({ code: 'custom', path: ['locationDescription'], message: 'Beschrijf de plek waar u de persoon ziet' });
    }
  }, ALWAYS)
  // Keep only what belongs to the answer given: least data.
  .transform((v) => {
    const atAddress = v.locationKind === 'adres';
    return {
      personName: v.personName,
      personAge: v.personAge,
      locationKind: v.locationKind,
      postcode: atAddress ? v.postcode : undefined,
      houseNumber: atAddress ? v.houseNumber : undefined,
      houseAddition: atAddress ? v.houseAddition : undefined,
      street: atAddress ? v.street : undefined,
      place: v.place,
      locationDescription: atAddress || v.locationDescription === '' ? undefined : v.locationDescription,
      childrenInHome: v.childrenInHome,
    };
  });

// ---------------------------------------------------------------------------------------------
// Step 3 — Uw zorgen

export const concernFields: FieldDef[] = [
  { name: 'concerns', label: 'Waar maakt u zich zorgen over?', kind: 'checkboxes', options: CONCERNS, hint: 'Kies alles wat past.' },
  { name: 'description', label: 'Wat heeft u gezien of gehoord?', kind: 'textarea', maxLength: 4000,
    hint: 'Schrijf op wat er gebeurt, wanneer en hoe vaak. U hoeft geen medische woorden te gebruiken.' },
  { name: 'concernSince', label: 'Sinds wanneer maakt u zich zorgen?', kind: 'radio', options: CONCERN_SINCE },
  { name: 'dangerToSelf', label: 'Is de persoon een gevaar voor zichzelf?', kind: 'radio', options: YES_NO_UNKNOWN },
  { name: 'dangerToOthers', label: 'Is de persoon een gevaar voor anderen?', kind: 'radio', options: YES_NO_UNKNOWN },
  { name: 'personAware', label: 'Weet de persoon dat u deze melding doet?', kind: 'radio', options: YES_NO_UNKNOWN },
  { name: 'involved', label: 'Wie is er al betrokken?', kind: 'checkboxes', options: INVOLVED, optional: true, hint: 'Kies alles wat u weet.' },
];

/** Step 3: what worries the reporter. */
export const concernSchema = z.object({
  concerns: choices(CONCERNS, 'Kies waar u zich zorgen over maakt').refine((l) => l.length > 0, {
    error: 'Kies minstens één ding waar u zich zorgen over maakt',
  }),
  description: z
    .string()
    .trim()
    .min(1, { error: 'Beschrijf wat u heeft gezien of gehoord' })
    .min(10, { error: 'Schrijf minstens 10 tekens over wat u heeft gezien of gehoord' })
    .max(4000, { error: 'Gebruik maximaal 4000 tekens. Maak uw tekst korter.' }),
  concernSince: choice(CONCERN_SINCE, 'Kies sinds wanneer u zich zorgen maakt'),
  dangerToSelf: choice(YES_NO_UNKNOWN, 'Kies of de persoon een gevaar is voor zichzelf'),
  dangerToOthers: choice(YES_NO_UNKNOWN, 'Kies of de persoon een gevaar is voor anderen'),
  personAware: choice(YES_NO_UNKNOWN, 'Kies of de persoon weet dat u deze melding doet'),
  involved: choices(INVOLVED, 'Kies wie er al betrokken is'),
});

// ---------------------------------------------------------------------------------------------
// Step 4 — Over u

export const reporterFields: FieldDef[] = [
  { name: 'reporterRelation', label: 'Wat is uw relatie tot de persoon?', kind: 'radio', options: RELATION },
  { name: 'anonymous', label: 'Wilt u anoniem melden?', kind: 'radio', options: ANONYMITY,
    hint: 'Anoniem betekent: wij kunnen u geen vragen stellen en u hoort niet wat er met uw melding gebeurt. Geeft u wel uw gegevens? Dan vertellen wij nooit aan de persoon dat u de melding heeft gedaan.' },
  { name: 'reporterName', label: 'Uw naam', kind: 'text', maxLength: 200, autocomplete: 'name',
    hint: 'Alleen invullen als u niet anoniem meldt.' },
  { name: 'reporterPhone', label: 'Telefoonnummer', kind: 'tel', maxLength: 25, autocomplete: 'tel', inputMode: 'tel',
    hint: 'Vul een telefoonnummer of een e-mailadres in, of allebei.' },
  { name: 'reporterEmail', label: 'E-mailadres', kind: 'email', maxLength: 254, autocomplete: 'email', inputMode: 'email',
    hint: 'U krijgt dan een bevestiging per e-mail.' },
];

/** The reporter's contact details, shared by the resident form and (renamed) the KCC form. */
export function contactRules(
  v: { anonymous: boolean; name: string; phone: string; email: string },
  ctx: z.RefinementCtx,
  paths: { name: string; phone: string; email: string },
  nameRequired: boolean,
): void {
  if (v.anonymous) return;
  if (nameRequired && v.name === '') ctx.addIssue({ code: 'custom', path: [paths.name], message: 'Vul uw naam in' });
  if (v.phone === '' && v.email === '') {
    ctx.addIssue({ code: 'custom', path: [paths.phone], message: 'Vul een telefoonnummer of een e-mailadres in' });
  }
  if (v.phone !== '' && !isPhoneNumber(v.phone)) {
    ctx.addIssue({ code: 'custom', path: [paths.phone], message: PHONE_MESSAGE });
  }
  if (v.email !== '' && !EMAIL_PATTERN.test(v.email)) {
    ctx.addIssue({ code: 'custom', path: [paths.email], message: EMAIL_MESSAGE });
  }
}

/** Step 4: the reporter, who may stay anonymous. */
export const reporterSchema = z
  .object({
    reporterRelation: choice(RELATION, 'Kies wat uw relatie tot de persoon is'),
    anonymous: choice(ANONYMITY, 'Kies of u anoniem wilt melden'),
    reporterName: text(200, tooLong(200)),
    reporterPhone: text(40, PHONE_MESSAGE),
    reporterEmail: text(254, EMAIL_MESSAGE),
  })
  // Contact details are asked for once the resident said they are not anonymous; with anonymity not
  // yet chosen, "Vul uw naam in" would contradict "Kies of u anoniem wilt melden".
  .superRefine((v, ctx) =>
    contactRules(
      { anonymous: v.anonymous !== 'nee', name: v.reporterName, phone: v.reporterPhone, email: v.reporterEmail },
      ctx,
      { name: 'reporterName', phone: 'reporterPhone', email: 'reporterEmail' },
      true,
    ),
    ALWAYS,
  )
  // An anonymous reporter's details are dropped, even if they were typed before choosing anonymity.
  .transform((v) => {
    const anonymous = v.anonymous === 'ja';
    const keep = (s: string) => (anonymous || s === '' ? undefined : s);
    return {
      reporterRelation: v.reporterRelation,
      anonymous: v.anonymous,
      reporterName: keep(v.reporterName),
      reporterPhone: keep(v.reporterPhone),
      reporterEmail: keep(v.reporterEmail),
    };
  });

export type AcuteAnswers = z.output<typeof acuteSchema>;
export type PersonAnswers = z.output<typeof personSchema>;
export type ConcernAnswers = z.output<typeof concernSchema>;
export type ReporterAnswers = z.output<typeof reporterSchema>;

/** A complete resident report, as the check page shows it and the repository stores it. */
export type ResidentReport = AcuteAnswers & PersonAnswers & ConcernAnswers & ReporterAnswers;

