import { URGENCY } from './options.schema.ts';

export type Urgency = keyof typeof URGENCY;

/**
 * Most urgent first: 0 for `direct` … 3 for `laag`, in the order of URGENCY. The same order as the
 * generated column `reports.urgency_rank` the queue is sorted and filtered by.
 */
export function urgencyRank(urgency: Urgency): number {
  return Object.keys(URGENCY).indexOf(urgency);
}

/** The answers that bear on urgency; every channel has them. */
export interface UrgencySignals {
  acuteDanger?: boolean | undefined;
  dangerToSelf?: string | undefined;
  dangerToOthers?: string | undefined;
  concerns?: readonly string[] | undefined;
  childrenInHome?: string | undefined;
  personAge?: string | undefined;
}

/**
 * The urgency suggested to the coordinator (spec §5): danger to self or others, threats of violence,
 * talk of suicide, or children involved make it `hoog`; anything else `normaal`. The coordinator
 * decides. Acute danger on the public form never gets here (it goes to 112); a staff record of an
 * acute call passed on to 112 is `direct`.
 */
export function suggestUrgency(s: UrgencySignals): Urgency {
  // A KCC or BOA record of acute danger (passed on to 112) is for the coordinator to see today.
  if (s.acuteDanger) return 'direct';
  const concerns = s.concerns ?? [];
  const high =
    s.dangerToSelf === 'ja' ||
    s.dangerToOthers === 'ja' ||
    concerns.includes('dreigen_geweld') ||
    concerns.includes('zelfdoding') ||
    s.childrenInHome === 'ja' ||
    s.personAge === 'jonger_dan_16';
  return high ? 'hoog' : 'normaal';
}
