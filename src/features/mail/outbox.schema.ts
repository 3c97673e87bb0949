import { z } from 'astro/zod';
import { CHANNELS, URGENCY } from '#features/reports/options.schema.ts';

/** The kinds of mail in the outbox (stored codes) with their Dutch names, as the admin sees them. */
export const OUTBOX_KINDS = {
  reporter_confirmation: 'Bevestiging aan melder',
  coordinator_notification: 'Melding aan coördinatoren',
  reporter_feedback: 'Terugkoppeling aan melder',
  police_feedback: 'Terugkoppeling aan politie',
  password_reset: 'Link om wachtwoord opnieuw in te stellen',
  invitation: 'Uitnodiging voor een account',
  role_notice: 'Bericht aan coördinatoren over de rol',
} as const;

export type OutboxKind = keyof typeof OUTBOX_KINDS;

/**
 * Mails whose parameters are secret, sealed in the outbox and emptied once sent: a one-time link (reset,
 * invitation) and the police's registration number (sealed in the report too).
 */
export const SEALED_PARAM_KINDS: readonly OutboxKind[] = ['password_reset', 'invitation', 'police_feedback'];

/**
 * Mails to a reporter or a police contact: the recipient is their contact detail, wiped once the mail is sent,
 * and with the report's contact details when retention erases those (spec §8).
 */
export const CONTACT_KINDS: readonly OutboxKind[] = ['reporter_confirmation', 'reporter_feedback', 'police_feedback'];

/** Mail queued before migration 0021 carries its rendered bodies; these kinds' bodies were sealed (a one-time link). */
export const SEALED_BODY_KINDS: readonly OutboxKind[] = ['password_reset', 'invitation'];

const reference = z.string().min(1).max(40);
const moment = z.enum(['in_behandeling', 'afgehandeld']);
const link = z.string().url();

/**
 * What the mail worker renders a queued mail from (templates.rules.ts `renderMail`), per kind: the
 * report's reference and small settings, never what was reported (spec §7). Stored as JSON in
 * `outbox.params`, without the kind (a column of its own).
 */
export const MAIL_PARAMS = {
  reporter_confirmation: z.object({ reference }).strict(),
  coordinator_notification: z
    .object({
      reference,
      channel: z.enum(Object.keys(CHANNELS) as [keyof typeof CHANNELS, ...(keyof typeof CHANNELS)[]]),
      urgency: z.enum(Object.keys(URGENCY) as [keyof typeof URGENCY, ...(keyof typeof URGENCY)[]]),
      acute: z.literal(true).optional(),
    })
    .strict(),
  reporter_feedback: z.object({ reference, moment }).strict(),
  police_feedback: z.object({ reference, moment, registration: z.string() }).strict(),
  password_reset: z.object({ link }).strict(),
  invitation: z.object({ link }).strict(),
  role_notice: z.object({}).strict(),
} as const satisfies Record<OutboxKind, z.ZodType>;

/** A mail to render: its kind and that kind's parameters. */
export type MailParams = { [K in OutboxKind]: { kind: K } & NoIndex<z.infer<(typeof MAIL_PARAMS)[K]>> }[OutboxKind];

/** An empty strict object is inferred as Record<string, never>, which nothing with a kind would fit. */
type NoIndex<T> = string extends keyof T ? unknown : T;

/** The stored parameters of a kind read back (JSON); throws when they do not fit the kind. */
export function parseMailParams(kind: OutboxKind, json: string): MailParams {
  return { kind, ...MAIL_PARAMS[kind].parse(JSON.parse(json)) } as MailParams;
}

/** The parameters as stored: JSON without the kind. */
export function storedMailParams(mail: MailParams): string {
  const { kind: _kind, ...params } = mail;
  return JSON.stringify(params);
}
