/**
 * Pure rules of callbacks and additions (spec §2 "Aanvullen", §3a): the reference as people read it, and
 * a report's status in words a caller may hear.
 */

const CODE = /^[A-HJKMNP-Z2-9]{8}$/;

/**
 * A reference as typed or read out (`mb-7kq3 xh2p`, `7KQ3XH2P`, `MB 7KQ3-XH2P`) as stored
 * (`MB-7KQ3XH2P`), or `undefined` when it cannot be one.
 */
export function readReference(input: string): string | undefined {
  const compact = input.replace(/[\s.-]/g, '').toUpperCase();
  const code = compact.startsWith('MB') && compact.length === 10 ? compact.slice(2) : compact;
  return CODE.test(code) ? `MB-${code}` : undefined;
}

/** What a caller may hear of a report's status: never the outcome, never the detail. */
export const CALLER_STATUS = {
  ontvangen: 'Ontvangen',
  in_behandeling: 'In behandeling',
  afgehandeld: 'Afgehandeld',
} as const;

export type CallerStatus = keyof typeof CALLER_STATUS;

/**
 * The caller's words for a status. `nieuw`: received; open work: in hand; every closed status
 * (handled, forwarded, cancelled) handled. A merged report is read as the report it went into (the
 * caller of the service passes that one's status). An acute record is no report a caller can ask after.
 */
export function callerStatus(status: string): CallerStatus | undefined {
  switch (status) {
    case 'nieuw':
      return 'ontvangen';
    case 'in_behandeling':
    case 'wacht_op_info':
      return 'in_behandeling';
    case 'uitgezet':
    case 'afgesloten':
    case 'doorgestuurd':
    case 'geannuleerd':
    case 'samengevoegd':
      return 'afgehandeld';
    default:
      return undefined;
  }
}
