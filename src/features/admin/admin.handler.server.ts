import { accountFields, accountSchema } from '#features/auth/accounts.schema.ts';
import { changeRole, changeServiceNumber, disableAccount, enableAccount, listAccounts, type AccountList } from '#features/auth/accounts.server.ts';
import { adminReset, inviteAccount, reenrolSecondFactor } from '#features/auth/credentials.server.ts';
import { staffActor, type StaffSession } from '#features/auth/login.server.ts';
import type { Actor } from '#features/audit/audit.repo.server.ts';
import { viewAuditLog, type AuditLogView } from '#features/audit/audit.server.ts';
import { retryDeadLetter, viewOutbox, type OutboxView } from '#features/mail/outbox.server.ts';
import { parseStep, readFields, type FieldErrors, type RawAnswers } from '#lib/forms.ts';
import { now } from '#platform/clock.ts';
import { config } from '#platform/config.ts';
import { FORM_LIMIT_BYTES, readForm, redirectTo, render, type FormOutcome, type HandlerContext } from '#platform/http.ts';
import {
  accountActionFields,
  accountTargetSchema,
  ADMIN_MESSAGES,
  intentSchema,
  mailRetryFields,
  mailRetrySchema,
  roleChangeSchema,
  serviceNumberSchema,
} from './admin.schema.ts';
import { readAuditQuery } from './logboek.schema.ts';

/**
 * The admin pages under /intern/beheer: accounts, the audit log and the outbox. Only admins reach
 * them (the middleware checks the role).
 */

/** What the handlers need from Astro. */
export type AdminContext = Omit<HandlerContext, 'params'>;

function adminOf(ctx: AdminContext): { staff: StaffSession; actor: Actor } {
  const staff = ctx.locals.staff as StaffSession;
  return { staff, actor: staffActor(staff, ctx.locals.clientIp) };
}

// ---------------------------------------------------------------------------------------------
// Accounts (/intern/beheer)

export const ACCOUNTS_PAGE_SIZE = 25;

export interface AccountsView extends AccountList {
  /** The admin's own account: no buttons on its row. */
  selfId: number;
  /** The POST was refused (4xx): the page shows `formError` and the field messages. */
  refused: boolean;
  formError: string | undefined;
  /** The POST did what was asked: the message. The admin never sees a password or a TOTP secret. */
  done: { message: string } | undefined;
  /** Password accounts are on (LOCAL_LOGIN): the new-account form and the password buttons. */
  localLogin: boolean;
  /** The new-account form as it was posted, with its messages. */
  values: RawAnswers;
  errors: FieldErrors;
}

/** What a POST came to, before the list is read. */
interface PostOutcome {
  status: 200 | 400 | 404 | 413;
  message?: string | undefined;
  values?: RawAnswers | undefined;
  errors?: FieldErrors | undefined;
}

const refuse = (status: 400 | 404 | 413, message?: string, values?: RawAnswers, errors?: FieldErrors): PostOutcome => ({ status, message, values, errors });
const done = (message: string): PostOutcome => ({ status: 200, message });

async function accountPost(ctx: AdminContext): Promise<PostOutcome> {
  const posted = await readForm(ctx.request, FORM_LIMIT_BYTES);
  if (!posted.ok) return refuse(posted.status, ADMIN_MESSAGES.notAForm);
  const { staff, actor } = adminOf(ctx);
  const change = { actor, at: now() };
  const raw = readFields(posted.form, accountActionFields);
  const intent = parseStep(intentSchema, raw);
  if (!intent.ok) return refuse(400, ADMIN_MESSAGES.unknownAction);
  const localLogin = config().localLogin;
  // Single sign-on only: no password accounts to make, reset or enrol.
  if (!localLogin && ['create', 'reset2fa', 'resetPassword'].includes(intent.data.intent)) return refuse(400, ADMIN_MESSAGES.localLoginOff);

  if (intent.data.intent === 'create') {
    const answers = readFields(posted.form, accountFields);
    const parsed = parseStep(accountSchema, answers);
    const result = parsed.ok ? inviteAccount(parsed.data, actor, change.at) : parsed;
    if (!result.ok) return refuse(400, undefined, answers, result.errors);
    return done(ADMIN_MESSAGES.created(String(answers['email'])));
  }
  if (intent.data.intent === 'serviceNumber') {
    const parsed = serviceNumberSchema.safeParse(raw);
    if (!parsed.success) return refuse(400, parsed.error.issues[0]?.message ?? ADMIN_MESSAGES.notFound);
    return changeServiceNumber(parsed.data.id, parsed.data.serviceNumber, change) ? done(ADMIN_MESSAGES.serviceNumberChanged) : refuse(404, ADMIN_MESSAGES.notFound);
  }
  if (intent.data.intent === 'role') {
    const parsed = roleChangeSchema.safeParse(raw);
    if (!parsed.success) {
      return parsed.error.issues.some((i) => i.path[0] === 'role') ? refuse(400, ADMIN_MESSAGES.unknownRole) : refuse(404, ADMIN_MESSAGES.notFound);
    }
    const { id, role } = parsed.data;
    if (id === staff.user.id) return refuse(400, ADMIN_MESSAGES.ownRole);
    return changeRole(id, role, change) ? done(ADMIN_MESSAGES.roleChanged) : refuse(404, ADMIN_MESSAGES.notFound);
    // (a single sign-on account's role is the provider's: refused as not found here, its row has no role form)
  }
  const target = parseStep(accountTargetSchema, raw);
  if (!target.ok) return refuse(404, ADMIN_MESSAGES.notFound);
  const { id } = target.data;
  switch (intent.data.intent) {
    case 'disable':
      if (id === staff.user.id) return refuse(400, ADMIN_MESSAGES.ownAccount);
      return disableAccount(id, change) ? done(ADMIN_MESSAGES.disabled) : refuse(404, ADMIN_MESSAGES.notFound);
    case 'enable':
      return enableAccount(id, change) ? done(ADMIN_MESSAGES.enabled) : refuse(404, ADMIN_MESSAGES.notFound);
    case 'reset2fa':
      return reenrolSecondFactor(id, actor, change.at) ? done(ADMIN_MESSAGES.secondFactorReset) : refuse(404, ADMIN_MESSAGES.notFound);
    case 'resetPassword':
      return adminReset(id, actor, change.at) ? done(ADMIN_MESSAGES.passwordReset) : refuse(404, ADMIN_MESSAGES.notFound);
  }
}

/** The accounts page: the account forms on POST (answered on the page itself), and the list. */
export async function handleAccounts(ctx: AdminContext): Promise<FormOutcome<AccountsView>> {
  const outcome = ctx.request.method === 'POST' ? await accountPost(ctx) : undefined;
  const refused = outcome !== undefined && outcome.status >= 400;
  const requested = Number.parseInt(ctx.url.searchParams.get('pagina') ?? '1', 10) || 1;
  const view: AccountsView = {
    ...listAccounts(requested, ACCOUNTS_PAGE_SIZE),
    selfId: adminOf(ctx).staff.user.id,
    refused,
    formError: refused ? outcome.message : undefined,
    done: outcome && !refused ? { message: outcome.message ?? '' } : undefined,
    localLogin: config().localLogin,
    values: outcome?.values ?? {},
    errors: outcome?.errors ?? {},
  };
  return render(view, outcome?.status ?? 200);
}

// ---------------------------------------------------------------------------------------------
// The audit log (/intern/beheer/logboek)

/** A page of the log, filtered by the query; the view itself is logged. */
export function handleAuditLog(ctx: AdminContext): FormOutcome<AuditLogView & { previousHref: string | undefined; nextHref: string | undefined }> {
  const { filter, page } = readAuditQuery(ctx.url.searchParams);
  const log = viewAuditLog(filter, page, adminOf(ctx).actor, now());
  const pageHref = (n: number) => {
    const q = new URLSearchParams(ctx.url.search);
    q.set('pagina', String(n));
    return `/intern/beheer/logboek?${q}`;
  };
  return render({
    ...log,
    previousHref: log.page > 1 ? pageHref(log.page - 1) : undefined,
    nextHref: log.hasMore ? pageHref(log.page + 1) : undefined,
  });
}

// ---------------------------------------------------------------------------------------------
// The outbox (/intern/beheer/mail)

export const MAIL_PATH = '/intern/beheer/mail';

export interface MailPageView extends OutboxView {
  /** A retry found no dead letter (404). */
  formError: string | undefined;
  /** Back from a successful retry (?opnieuw=1). */
  retried: boolean;
}

/** The counts and dead letters; POST puts a dead letter back in the queue (then 303 to ?opnieuw=1). */
export async function handleMailPage(ctx: AdminContext): Promise<FormOutcome<MailPageView>> {
  const { actor } = adminOf(ctx);
  const retried = ctx.url.searchParams.get('opnieuw') === '1';
  if (ctx.request.method !== 'POST') return render({ ...viewOutbox(actor, now()), formError: undefined, retried });
  const posted = await readForm(ctx.request, FORM_LIMIT_BYTES);
  const parsed = posted.ok ? parseStep(mailRetrySchema, readFields(posted.form, mailRetryFields)) : undefined;
  const result = retryDeadLetter(parsed?.ok ? parsed.data.id : undefined, actor, now());
  if (result.revived) return redirectTo(`${MAIL_PATH}?opnieuw=1`);
  return render({ ...result.view, formError: ADMIN_MESSAGES.mailNotDead, retried }, 404);
}
