/**
 * The MDO's pure rules (spec §5a): the kinds of overleg, names shortened to initials for a printed
 * agenda (`Namen afkorten`), and which overleggen are still to come. No I/O.
 */

/** `Soort overleg` (meetings.kind): its one home in TypeScript, with what a person reads. */
export const MEETING_KINDS = {
  mdo: 'MDO',
  netwerkoverleg: 'Netwerkoverleg OGGz',
  casusoverleg: 'Casusoverleg',
  anders: 'Anders',
} as const;
export type MeetingKind = keyof typeof MEETING_KINDS;

/**
 * `Namen afkorten`: only the initials of each word that is a name, "Dhr. P., Dorpsstraat 12" →
 * "D. P. D. 12". Numbers stay (a house number identifies nobody by itself), punctuation goes.
 */
export function initials(text: string): string {
  return text
    .split(/[\s,;/()]+/)
    .filter((w) => w !== '')
    .map((w) => {
      const letter = w.match(/\p{L}/u)?.[0];
      if (letter) return `${letter.toUpperCase()}.`;
      return /\d/.test(w) ? w.replace(/[^\p{N}\p{L}-]/gu, '') : '';
    })
    .filter((w) => w !== '')
    .join(' ');
}

/** A regisseur as "name, organisation": the name shortened, the organisation kept (it is no person). */
export function shortenedDirector(value: string): string {
  const comma = value.indexOf(',');
  return comma < 0 ? initials(value) : `${initials(value.slice(0, comma))}, ${value.slice(comma + 1).trim()}`;
}

/** An overleg is still to come on its own day and after (dates as YYYY-MM-DD, today in Amsterdam). */
export function meetingUpcoming(heldOn: string, today: string): boolean {
  return heldOn >= today;
}
