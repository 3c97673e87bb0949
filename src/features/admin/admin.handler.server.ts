import { isRole } from '#features/auth/roles.schema.ts';
import { readFields, type FieldErrors, type RawAnswers } from '#lib/forms.ts';
import { accountFields, changeRole, createAccount, disableAccount, enableAccount, resetSecondFactor } from '#features/auth/accounts.server.ts';
import type { StaffSession } from '#features/auth/login.server.ts';
import { FORM_LIMIT_BYTES, readForm } from '#platform/http.ts';

/** What the admin page shows after a POST: a message, a one-time TOTP URI, or form errors. */
export interface AdminOutcome {
  status: 200 | 400 | 404 | 413;
  message?: string;
  /** Shown once, never stored in the page's URL or the browser. */
  otpauthUri?: string;
  values: RawAnswers;
  errors: FieldErrors;
}

/** Handles the account forms of /intern/beheer. Only called for admins (middleware and page check). */
export async function handleAdminPost(request: Request, staff: StaffSession, ip: string | undefined): Promise<AdminOutcome> {
  const posted = await readForm(request, FORM_LIMIT_BYTES);
  if (!posted.ok) return { status: posted.status, message: 'Het formulier kwam niet goed aan.', values: {}, errors: {} };
  const form = posted.form;
  const actor = { id: staff.user.id, role: staff.user.role, ip };
  const intent = String(form.get('intent') ?? '');
  const id = Number(form.get('id'));
  const notFound: AdminOutcome = { status: 404, message: 'Dit account bestaat niet.', values: {}, errors: {} };

  switch (intent) {
    case 'create': {
      const raw = readFields(form, accountFields);
      const result = await createAccount(raw, actor);
      if (!result.ok) return { status: 400, values: { ...raw, password: '' }, errors: result.errors };
      return { status: 200, message: `Account voor ${String(raw['email'])} is aangemaakt.`, otpauthUri: result.otpauthUri, values: {}, errors: {} };
    }
    case 'disable':
      if (id === staff.user.id) return { status: 400, message: 'U kunt uw eigen account niet blokkeren.', values: {}, errors: {} };
      return disableAccount(id, actor) ? { status: 200, message: 'Het account is geblokkeerd.', values: {}, errors: {} } : notFound;
    case 'enable':
      return enableAccount(id, actor) ? { status: 200, message: 'Het account is weer actief.', values: {}, errors: {} } : notFound;
    case 'role': {
      const role = form.get('role');
      if (!isRole(role)) return { status: 400, message: 'Kies een bestaande rol.', values: {}, errors: {} };
      if (id === staff.user.id) return { status: 400, message: 'U kunt uw eigen rol niet wijzigen.', values: {}, errors: {} };
      return changeRole(id, role, actor) ? { status: 200, message: 'De rol is gewijzigd.', values: {}, errors: {} } : notFound;
    }
    case 'reset2fa': {
      const uri = resetSecondFactor(id, actor);
      return uri ? { status: 200, message: 'De tweede factor is opnieuw ingesteld.', otpauthUri: uri, values: {}, errors: {} } : notFound;
    }
    default:
      return { status: 400, message: 'Onbekende actie.', values: {}, errors: {} };
  }
}
