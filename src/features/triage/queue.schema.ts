import { STATUS } from '#features/reports/options.schema.ts';

/** The queue's filter labels (spec §5). Safe for islands: no server code. */

/** The `status` value that shows every status; without a status the queue shows the open work. */
export const ALL_STATUSES = 'alle';

/** The empty choice of the status filter: the open work. */
export const OPEN_WORK_LABEL = 'Open werk';

/** What the count of the open work says after the number of reports. */
export const OPEN_WORK_NOTE = ' in het open werk (nieuw, in behandeling en wacht op informatie)';

/** The status filter's options after the open work. */
export const QUEUE_STATUS_OPTIONS = { [ALL_STATUSES]: 'Alle statussen', ...STATUS } as const;

/** The orders of the queue; `termijn` is the open work's default and only applies to it. */
export const QUEUE_ORDERS = {
  termijn: 'Te laat eerst, dan op termijn',
  nieuw: 'Meest urgent, nieuwste eerst',
  oud: 'Meest urgent, oudste eerst',
} as const;

export const SEARCH_LABEL = 'Zoeken op referentienummer, straat of postcode, of de naam van de persoon';
export const SEARCH_HINT = 'Bijvoorbeeld MB-7KQ3 XH2P of 7KQ3XH2P, 9351 AB 12, Kerkstraat 12 of Jan de Vries. Typ een straat of naam helemaal, met of zonder huisnummer.';
