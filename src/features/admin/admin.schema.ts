import { z } from 'astro/zod';
import { codes, type FieldDef } from '#lib/forms.ts';
import { ROLES } from '#features/auth/roles.schema.ts';

/**
 * The admin pages' small forms: the buttons on each account's row (block, unblock, new second factor,
 * change role) and "Opnieuw versturen" on a dead letter. The new-account form is
 * #features/auth/accounts.schema.ts (shared with `npm run user:add`).
 */

/** What the admin pages say (exact texts). */
export const ADMIN_MESSAGES = {
  notAForm: 'Het formulier kwam niet goed aan.',
  unknownAction: 'Onbekende actie.',
  notFound: 'Dit account bestaat niet.',
  unknownRole: 'Kies een bestaande rol.',
  ownAccount: 'U kunt uw eigen account niet blokkeren.',
  ownRole: 'U kunt uw eigen rol niet wijzigen.',
  created: (email: string) => `Account voor ${email} is aangemaakt. De uitnodiging is per e-mail verstuurd; de link is 72 uur geldig.`,
  passwordReset: 'Er is een e-mail met een link om een nieuw wachtwoord te kiezen verstuurd. De link is 1 uur geldig. Het account is op alle apparaten uitgelogd.',
  ssoAccount: 'Dit account logt in met het organisatie-account: naam, e-mailadres en rol komen van de organisatie.',
  serviceNumberChanged: 'Het dienstnummer is opgeslagen.',
  localLoginOff: 'Accounts met een wachtwoord staan uit: medewerkers loggen in met hun organisatie-account.',
  disabled: 'Het account is geblokkeerd.',
  enabled: 'Het account is weer actief.',
  roleChanged: 'De rol is gewijzigd.',
  secondFactorReset: 'De oude tweede factor werkt niet meer. De medewerker krijgt een e-mail met een link om een wachtwoord te kiezen en de app opnieuw in te stellen (72 uur geldig).',
  mailNotDead: 'Deze e-mail staat niet (meer) bij de onbezorgde e-mails.',
} as const;

/** The forms on /intern/beheer, by the button that posts them. */
export const ACCOUNT_INTENTS = {
  create: 'Account aanmaken',
  disable: 'Blokkeren',
  enable: 'Deblokkeren',
  reset2fa: 'Tweede factor opnieuw',
  resetPassword: 'Wachtwoord opnieuw instellen',
  role: 'Rol wijzigen',
  serviceNumber: 'Dienstnummer opslaan',
} as const;

export type AccountIntent = keyof typeof ACCOUNT_INTENTS;

/**
 * The fields of a row's forms. `intent` and `id` are hidden; the role's select is labelled with the
 * account's name on the page ("Rol van …"). All are read as the first value posted.
 */
export const accountActionFields: FieldDef[] = [
  { name: 'intent', label: 'Actie', kind: 'text' },
  { name: 'id', label: 'Account', kind: 'text' },
  { name: 'role', label: 'Rol', kind: 'text' },
  { name: 'serviceNumber', label: 'Dienstnummer', kind: 'text' },
];

/** Which form was posted. */
export const intentSchema = z.object({
  /** The button's form: create, disable, enable, reset2fa or role. */
  intent: z.enum(codes(ACCOUNT_INTENTS), { error: ADMIN_MESSAGES.unknownAction }),
});

/**
 * An account's number as posted. Anything that is not a number names no account: the page answers
 * 404, as for a number that does not exist.
 */
const accountId = z.coerce.number({ error: ADMIN_MESSAGES.notFound });

/** Block, unblock, new second factor. */
export const accountTargetSchema = z.object({
  /** The account the button is on. */
  id: accountId,
});

/** A single sign-on BOA's service number. */
export const serviceNumberSchema = z.object({
  id: accountId,
  serviceNumber: z.string().trim().max(50, { error: 'Gebruik maximaal 50 tekens' }),
});

/** Change role: the role is checked first (400), then the account (404). */
export const roleChangeSchema = z.object({
  /** One of the four staff roles. */
  role: z.enum(codes(ROLES), { error: ADMIN_MESSAGES.unknownRole }),
  /** The account the form is on. */
  id: accountId,
});

/** "Opnieuw versturen" on a dead letter. */
export const mailRetryFields: FieldDef[] = [{ name: 'id', label: 'E-mail', kind: 'text' }];

export const mailRetrySchema = z.object({
  /** The outbox row; a whole number (anything else names no dead letter, and nothing is tried). */
  id: z.coerce.number({ error: ADMIN_MESSAGES.mailNotDead }).refine(Number.isInteger, { error: ADMIN_MESSAGES.mailNotDead }),
});
