import type { FieldDef } from '#lib/forms.ts';

/** Login fields (exact labels). */
export const loginFields: FieldDef[] = [
  { name: 'email', label: 'E-mailadres', kind: 'email', autocomplete: 'username', inputMode: 'email' },
  { name: 'password', label: 'Wachtwoord', kind: 'password', autocomplete: 'current-password' },
];

export const codeFields: FieldDef[] = [
  {
    name: 'code',
    label: 'Code',
    kind: 'text',
    inputMode: 'numeric',
    autocomplete: 'one-time-code',
    hint: 'De code van 6 cijfers uit uw authenticator-app.',
  },
];
