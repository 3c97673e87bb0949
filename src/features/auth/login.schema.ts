import { z } from 'astro/zod';
import type { FieldDef } from '#lib/forms.ts';

/**
 * The staff login: e-mail, password and the code from the authenticator app, on one form, so that
 * the answer never tells whether the password alone was right. Whatever is wrong (nothing filled in, an unknown address, a wrong password or code), the page says
 * one thing: LOGIN_FAILED. Nothing tells which part was wrong, so the schemas' messages are that
 * message too, and the pages show it once, above the form, never beside a field.
 */

/** One message for a wrong e-mail, password or code: nothing tells which one was wrong. */
export const LOGIN_FAILED = 'Inloggen is niet gelukt. Controleer uw e-mailadres, wachtwoord en code, en probeer het opnieuw.';
/** A post over the body limit (sent without a length, so the middleware could not refuse it first). */
export const LOGIN_TOO_LARGE = 'U heeft te veel tekst verstuurd. Vul uw gegevens opnieuw in.';
/** Too many failures from this address on this account: how long to wait, in whole minutes (at least 1). */
export function loginThrottled(retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return `Er is te vaak geprobeerd in te loggen. Wacht ${minutes === 1 ? '1 minuut' : `${minutes} minuten`} en probeer het dan opnieuw.`;
}

/** Login fields (exact labels). */
export const loginFields: FieldDef[] = [
  { name: 'email', label: 'E-mailadres', kind: 'email', autocomplete: 'username', inputMode: 'email' },
  { name: 'password', label: 'Wachtwoord', kind: 'password', autocomplete: 'current-password' },
  {
    name: 'code',
    label: 'Code',
    kind: 'text',
    inputMode: 'numeric',
    autocomplete: 'one-time-code',
    hint: 'De code van 6 cijfers uit uw authenticator-app.',
  },
];

/** An address longer than this cannot be an account (accounts.schema.ts); it is cut, not refused. */
const EMAIL_MAX = 254;

/** A single sign-on that did not work (the provider refused, a tampered or expired state). */
export const SSO_FAILED = 'Inloggen met uw organisatie-account is niet gelukt. Probeer het opnieuw.';
/** A single sign-on whose claims map to no role (spec §6a, exact text). */
export const SSO_NO_ROLE = 'Uw account heeft geen toegang tot het meldpunt. Vraag het aan bij uw functioneel beheerder.';
/** The single sign-on button (spec §6a). */
export const SSO_BUTTON = 'Inloggen met uw organisatie-account';

/** E-mail and password must be filled in; only then is anything checked (and a failure counted). */
export const loginSchema = z.object({
  /** As typed (cut at 254 characters): the page shows it again after a failure. Matched trimmed and lowercased. */
  email: z.string({ error: LOGIN_FAILED }).min(1, { error: LOGIN_FAILED }).transform((v) => v.slice(0, EMAIL_MAX)),
  /** Never shown again, never trimmed. */
  password: z.string({ error: LOGIN_FAILED }).min(1, { error: LOGIN_FAILED }),
  /**
   * Six digits from the authenticator app; spaces (as apps show it, "123 456") are ignored. Anything
   * else is not refused here: the login service counts it as a wrong code (`undefined`).
   */
  code: z
    .string()
    .optional()
    .transform((v) => {
      const clean = (v ?? '').replace(/\s/g, '');
      return /^\d{6}$/.test(clean) ? clean : undefined;
    }),
});
