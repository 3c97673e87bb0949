import { CLOSED, type Status } from '#features/triage/triage.rules.ts';

/**
 * Which closed reports each retention rule applies to (spec §8). Pure: no I/O. The statuses come from
 * the one list of closed statuses (triage.rules.ts), so a new closed status is covered here too.
 */

/** Closed reports whose reporter's contact details are erased after `contactErasureDays`. */
export const CONTACT_ERASURE_STATUSES: readonly Status[] = [...CLOSED];

/**
 * The rules a report is deleted by, as stored in `deletion_log.rule`, with the statuses each applies to:
 * `geannuleerd` after `cancelledDays`, every other closed report after `reportDeletionDays`.
 */
export const DELETION_RULES = {
  geannuleerd: ['geannuleerd'],
  bewaartermijn: [...CLOSED].filter((s) => s !== 'geannuleerd'),
} as const satisfies Record<string, readonly Status[]>;

export type DeletionRule = keyof typeof DELETION_RULES;
