import { z } from 'astro/zod';
import type { FieldDef } from '#lib/forms.ts';
import { passwordProblem } from './passwords.rules.ts';

/**
 * The forms where staff set their own password: `/intern/account` (change it), the reset link's page
 * and the invitation's page (choose it, and enrol the second factor), and `Wachtwoord vergeten?`.
 * Exact labels and messages.
 */

export const CODE_HINT = 'De code van 6 cijfers uit uw authenticator-app.';
const codeField = (hint = CODE_HINT): FieldDef => ({ name: 'code', label: 'Code', kind: 'text', inputMode: 'numeric', autocomplete: 'one-time-code', hint });
const newPasswordField: FieldDef = {
  name: 'newPassword',
  label: 'Nieuw wachtwoord',
  kind: 'password',
  autocomplete: 'new-password',
  hint: 'Minstens 12 tekens. Een zin van een paar woorden is makkelijk te onthouden en moeilijk te raden.',
};

export const CREDENTIAL_MESSAGES = {
  currentWrong: 'Het huidige wachtwoord of de code klopt niet',
  codeWrong: 'Deze code klopt niet. Vul de code in die de app nu toont',
  codeMissing: 'Vul de code van 6 cijfers in',
  changed: 'Uw wachtwoord is gewijzigd.',
  forgotSent: 'Als er een account met dit e-mailadres is, hebben wij een e-mail gestuurd met een link om een nieuw wachtwoord te kiezen. De link is 1 uur geldig.',
  emailInvalid: 'Vul een e-mailadres in zoals naam@gemeente.nl',
  linkInvalid: 'Deze link werkt niet (meer). Een link werkt één keer en is maar een tijd geldig. Vraag een nieuwe link aan.',
  notAForm: 'Het formulier kwam niet goed aan. Probeer het opnieuw.',
} as const;

/** /intern/account: the current password, a new one, and a fresh code. */
export const changePasswordFields: FieldDef[] = [
  { name: 'currentPassword', label: 'Huidig wachtwoord', kind: 'password', autocomplete: 'current-password' },
  newPasswordField,
  codeField(),
];

/** The reset link's page: only the new password (the code is still asked at every login). */
export const resetPasswordFields: FieldDef[] = [newPasswordField];

/** The invitation's page: the password, and the code that proves the app was set up. */
export const invitationFields: FieldDef[] = [newPasswordField, codeField('De code van 6 cijfers die de app toont nadat u de QR-code heeft gescand.')];

/** Wachtwoord vergeten? */
export const forgotFields: FieldDef[] = [{ name: 'email', label: 'E-mailadres', kind: 'email', autocomplete: 'username', inputMode: 'email' }];

const code = z
  .string({ error: CREDENTIAL_MESSAGES.codeMissing })
  .transform((v) => v.replace(/\s/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, { error: CREDENTIAL_MESSAGES.codeMissing }));

/** A new password for this person: the password rules, with their own name and address. */
export const newPassword = (who: { email?: string; name?: string }) =>
  z.string({ error: 'Kies een nieuw wachtwoord' }).superRefine((v, ctx) => {
    const problem = passwordProblem(v, who);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const changePasswordSchema = (who: { email?: string; name?: string }) =>
  z.object({
    /** Checked against the stored hash by the service (never shown again). */
    currentPassword: z.string({ error: 'Vul uw huidige wachtwoord in' }).min(1, { error: 'Vul uw huidige wachtwoord in' }),
    newPassword: newPassword(who),
    code,
  });

export const resetPasswordSchema = (who: { email?: string; name?: string }) => z.object({ newPassword: newPassword(who) });

export const invitationSchema = (who: { email?: string; name?: string }) => z.object({ newPassword: newPassword(who), code });

export const forgotSchema = z.object({
  email: z.string({ error: CREDENTIAL_MESSAGES.emailInvalid }).trim().toLowerCase().regex(/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/, { error: CREDENTIAL_MESSAGES.emailInvalid }).max(254, { error: CREDENTIAL_MESSAGES.emailInvalid }),
});

/** The secret in groups of four, for typing it into an app by hand. */
export function secretInGroups(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}
