/** The kinds of mail in the outbox (stored codes) with their Dutch names, as the admin sees them. */
export const OUTBOX_KINDS = {
  reporter_confirmation: 'Bevestiging aan melder',
  coordinator_notification: 'Melding aan coördinatoren',
  reporter_feedback: 'Terugkoppeling aan melder',
  police_feedback: 'Terugkoppeling aan politie',
} as const;

export type OutboxKind = keyof typeof OUTBOX_KINDS;
