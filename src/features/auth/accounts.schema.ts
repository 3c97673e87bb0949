import { z } from 'astro/zod';
import { codes, type FieldDef } from '#lib/forms.ts';
import { passwordProblem } from './passwords.rules.ts';
import { ROLES } from './roles.schema.ts';

/**
 * A new staff account. In the admin page (accountFields, accountSchema) the admin never chooses a
 * password: the person gets an invitation. `npm run user:add` (passwordAccountSchema) reads a password
 * from the operator's standard input. Labels are exact; the admin page draws the fields in this order.
 */
export const accountFields: FieldDef[] = [
  { name: 'email', label: 'E-mailadres', kind: 'email', autocomplete: 'off', inputMode: 'email', hint: 'De uitnodiging gaat naar dit adres.' },
  { name: 'name', label: 'Naam', kind: 'text', maxLength: 200, autocomplete: 'off' },
  { name: 'role', label: 'Rol', kind: 'radio', options: ROLES },
  { name: 'serviceNumber', label: 'Dienstnummer', kind: 'text', maxLength: 50, optional: true, autocomplete: 'off', hint: 'Alleen voor een BOA.' },
];

const accountShape = {
  /** Where the staff member logs in with; stored lowercased, unique. */
  email: z.string().trim().toLowerCase().regex(/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/, { error: 'Vul een e-mailadres in zoals naam@gemeente.nl' }).max(254, { error: 'Gebruik maximaal 254 tekens' }),
  /** The name colleagues see (in the menu, on a BOA's report). */
  name: z.string().trim().min(1, { error: 'Vul de naam in' }).max(200, { error: 'Gebruik maximaal 200 tekens' }),
  /** What the account may do (spec §6). */
  role: z.enum(codes(ROLES), { error: 'Kies een rol' }),
  /** A BOA's service number; empty for the other roles. */
  serviceNumber: z.string().trim().max(50, { error: 'Gebruik maximaal 50 tekens' }),
};

/** The admin page's new account: no password (the person chooses it through the invitation). */
export const accountSchema = z.object(accountShape);

/** `npm run user:add`: with the first password, from the operator; checked by passwordProblem (length, common, own name). */
export const passwordAccountSchema = z
  .object({ ...accountShape, password: z.string() })
  .superRefine((v, ctx) => {
    const problem = passwordProblem(v.password, { email: v.email, name: v.name });
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
  });

export type InvitedAccountInput = z.output<typeof accountSchema>;
export type AccountInput = z.output<typeof passwordAccountSchema>;

/** Refused when the e-mail address is taken (checked against the database, after the schema). */
export const EMAIL_TAKEN = 'Er is al een account met dit e-mailadres';
