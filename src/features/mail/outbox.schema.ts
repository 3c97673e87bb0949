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

/** Mails whose body carries a one-time link (a secret): sealed in the outbox and emptied once sent. */
export const SEALED_BODY_KINDS: readonly OutboxKind[] = ['password_reset', 'invitation'];
