/**
 * What a coordinator types in the queue's search box, read as what it may be (spec §5): a reference
 * with or without `MB-` (as read out on the phone: any case, spaces anywhere), a postcode with or
 * without a house number, a street with or without a house number, or the person's name. Street and name
 * are encrypted at rest: they are found whole (any case, accents or punctuation), by their blind indexes.
 * Where a term can be more than one (`9822XZ86` is a postcode with a number and a reference; `KERKSTRA`
 * a reference and the start of a street), every reading is looked for. A term with six digits or more
 * that is no postcode may also be a police registration number (found whole, by its blind index). Pure: the SQL that looks for
 * each lives in triage.queries.server.ts.
 */

export interface Search {
  /** `MB-7KQ3XH2P`, `mb 7kq3 xh2p`, `7KQ3XH2P`. */
  reference?: string;
  /** `9351 AB`, `9351ab 12`, `9351AB12a`, or the four digits alone (`9351`, not complete). */
  postcode?: { postcode: string; complete: boolean; houseNumber: string | undefined };
  /** A street (whole), with a house number when one was typed (`Kerkstraat 12`). */
  street?: { start: string; houseNumber: string | undefined };
  /** The person's name (whole). */
  name?: string;
  /** A police registration number (`PL0100-2026123456`; whole, any case, spaces and hyphens free). */
  registration?: string;
}

/** The reference alphabet: no 0/O, 1/I/L (reference.rules.ts). */
const CODE = /^[A-HJKMNP-Z2-9]{8}$/;
const POSTCODE = /^([1-9]\d{3}) ?([A-Za-z]{2})?(?:[ ,]*(\d{1,5})(?: ?-? ?[A-Za-z0-9]{1,6})?)?$/;
const STREET_NUMBER = /^(.*\p{L}.*?),? (\d{1,5})(?: ?-? ?[A-Za-z0-9]{1,6})?$/u;

export function parseSearch(input: string): Search | undefined {
  const term = input.trim().replace(/\s+/g, ' ');
  if (term === '') return undefined;
  const search = readTerm(term);
  // A registration number carries many digits (`PL0100-2026123456`, at least six); a postcode or a
  // reference with `MB` is not one.
  const digits = term.replace(/\D/g, '').length;
  return digits >= 6 && term.length <= 50 && !search.postcode && !(search.reference && !search.street) ? { ...search, registration: term } : search;
}

function readTerm(term: string): Search {
  const compact = term.replace(/[\s-]/g, '').toUpperCase();
  if (compact.startsWith('MB') && CODE.test(compact.slice(2))) return { reference: `MB-${compact.slice(2)}` };
  const search: Search = {};
  if (CODE.test(compact)) search.reference = `MB-${compact}`;
  const pc = POSTCODE.exec(term);
  if (pc) {
    const letters = pc[2]?.toUpperCase();
    search.postcode = { postcode: `${pc[1]}${letters ?? ''}`, complete: letters !== undefined, houseNumber: pc[3] };
    return search;
  }
  const street = STREET_NUMBER.exec(term);
  if (street) return { ...search, street: { start: street[1]!, houseNumber: street[2]! } };
  // With a digit or a space inside, eight characters of the alphabet are a reference read out, no word.
  if (search.reference && (/\d/.test(compact) || term.includes(' '))) return search;
  return { ...search, street: { start: term, houseNumber: undefined }, name: term };
}
