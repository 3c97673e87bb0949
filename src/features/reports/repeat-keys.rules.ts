/**
 * The normalised values behind the blind indexes (spec §8): repeat reports about the same address or
 * person, and search by street or name, find each other whatever the spelling. Stored only as keyed
 * hashes of these strings (#platform/crypto/fields.server.ts), never as they are.
 */

/** Letters Unicode does not decompose into a plain letter and a mark, common in names here. */
const SPECIAL: Record<string, string> = { ı: 'i', ł: 'l', Ł: 'l', ø: 'o', Ø: 'o', ß: 'ss', æ: 'ae', Æ: 'ae', œ: 'oe', Œ: 'oe', đ: 'd', Đ: 'd', þ: 'th', Þ: 'th' };

function fold(text: string): string {
  return text
    // NFKD also splits ligatures such as the Dutch ĳ into their letters.
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[ıłŁøØßæÆœŒđĐþÞ]/g, (c) => SPECIAL[c] ?? c)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const postcodeOf = (postcode: string): string => postcode.replace(/\s+/g, '').toUpperCase();
const numberOf = (houseNumber: string): string => houseNumber.trim().replace(/^0+/, '');

/** Postcode + house number + addition: "9351 ab", "12", "A" → "9351AB|12|a". */
export function addressKey(postcode: string | undefined, houseNumber: string | undefined, addition: string | undefined): string | undefined {
  if (!postcode || !houseNumber) return undefined;
  return `${addressNumberKey(postcode, houseNumber)}|${fold(addition ?? '').replace(/ /g, '')}`;
}

/** Postcode + house number, any addition (the queue's search `9351AB 12`): "9351AB|12". */
export function addressNumberKey(postcode: string | undefined, houseNumber: string | undefined): string | undefined {
  if (!postcode || !houseNumber) return undefined;
  return `${postcodeOf(postcode)}|${numberOf(houseNumber)}`;
}

/** A street without case, accents or punctuation: "Hoofdstraat-Oost" → "hoofdstraat oost". */
export function streetKey(street: string | undefined): string | undefined {
  const folded = street ? fold(street) : '';
  return folded || undefined;
}

/** A street and house number (the queue's search `Kerkstraat 12`): "kerkstraat|12". */
export function streetNumberKey(street: string | undefined, houseNumber: string | undefined): string | undefined {
  const s = streetKey(street);
  return s && houseNumber ? `${s}|${numberOf(houseNumber)}` : undefined;
}

const TITLES = /^(dhr|de heer|heer|meneer|mr|mevr|mevrouw|mw|mej|juffrouw)\b\s*/;

/** A name without titles, accents, punctuation or case: "Dhr. P. de Vries" → "p de vries". */
export function normaliseName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  let folded = fold(name);
  while (TITLES.test(folded)) folded = folded.replace(TITLES, '');
  return folded || undefined;
}

/** Name + place (or the postcode area when no place was given). */
export function personKey(
  name: string | undefined,
  place: string | undefined,
  postcode: string | undefined,
): string | undefined {
  const n = normaliseName(name);
  const where = place ? fold(place) : postcode ? postcode.replace(/\s+/g, '').slice(0, 4) : '';
  return n && where ? `${n}|${where}` : undefined;
}

/**
 * A police registration number (`PL0100-2026123456`) as typed or read out: upper case, without spaces,
 * hyphens, dots or slashes, so `pl0100 2026123456` finds it. `undefined` when nothing is left.
 */
export function registrationKey(value: string | undefined): string | undefined {
  const key = value?.toUpperCase().replace(/[\s./-]+/g, '');
  return key ? key : undefined;
}
