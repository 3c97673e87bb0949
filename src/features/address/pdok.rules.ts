import { locatieserverAnswer, locatieserverDoc, type BagAddress } from './address.schema.ts';

/**
 * The question to PDOK Locatieserver and the reading of its answer, without any I/O. Version 3.1
 * refuses parameters it does not know (400), so only `q`, `fq`, `fl` and `rows` are sent.
 */

/** The fields the portal reads (`fl`): nothing more is asked for. */
export const LOOKUP_FIELDS = [
  'type',
  'weergavenaam',
  'straatnaam',
  'huisnummer',
  'huisletter',
  'huisnummertoevoeging',
  'postcode',
  'woonplaatsnaam',
  'gemeentecode',
  'gemeentenaam',
  'wijkcode',
  'wijknaam',
  'buurtcode',
  'buurtnaam',
  'nummeraanduiding_id',
  'adresseerbaarobject_id',
] as const;

/** At most this many addresses share a postcode and house number (letters and additions). */
export const LOOKUP_ROWS = 50;

/** `GET <base>/free?q=*:*&fq=type:adres&fq=postcode:9801ZZ&fq=huisnummer:12&fl=…&rows=50`. */
export function lookupUrl(base: string, postcode: string, houseNumber: string): string {
  const url = new URL(`${base.replace(/\/+$/, '')}/free`);
  url.searchParams.set('q', '*:*');
  url.searchParams.append('fq', 'type:adres');
  url.searchParams.append('fq', `postcode:${postcode}`);
  url.searchParams.append('fq', `huisnummer:${houseNumber}`);
  url.searchParams.set('fl', LOOKUP_FIELDS.join(' '));
  url.searchParams.set('rows', String(LOOKUP_ROWS));
  return url.toString();
}

/** `9801 zz` → `9801ZZ`; a house number without leading zeros. */
export function lookupKey(postcode: string, houseNumber: string): { postcode: string; houseNumber: string } {
  return { postcode: postcode.replace(/\s+/g, '').toUpperCase(), houseNumber: houseNumber.replace(/^0+(?=\d)/, '') };
}

const cleanCode = (code: string | undefined): string | undefined => code?.trim() || undefined;

/**
 * The addresses in a Locatieserver answer, in the order of letters and additions; `undefined` when
 * the answer is not one (the service then counts as not reachable). Documents of another type, or
 * without the fields the portal needs, are left out.
 */
export function readAnswer(json: unknown): BagAddress[] | undefined {
  const envelope = locatieserverAnswer.safeParse(json);
  if (!envelope.success) return undefined;
  const addresses: BagAddress[] = [];
  for (const raw of envelope.data.response.docs) {
    const doc = locatieserverDoc.safeParse(raw);
    if (!doc.success) continue;
    const d = doc.data;
    const letter = d.huisletter?.trim() ?? '';
    const extra = d.huisnummertoevoeging?.trim() ?? '';
    addresses.push({
      nummeraanduidingId: d.nummeraanduiding_id,
      adresseerbaarobjectId: cleanCode(d.adresseerbaarobject_id),
      label: d.weergavenaam,
      street: d.straatnaam,
      houseNumber: d.huisnummer,
      addition: letter && extra ? `${letter}-${extra}` : letter || extra,
      postcode: d.postcode.replace(/\s+/g, '').toUpperCase(),
      place: d.woonplaatsnaam,
      municipalityCode: d.gemeentecode.replace(/^GM/i, ''),
      municipalityName: d.gemeentenaam,
      wijkCode: cleanCode(d.wijkcode),
      wijkName: cleanCode(d.wijknaam),
      buurtCode: cleanCode(d.buurtcode),
      buurtName: cleanCode(d.buurtnaam),
    });
  }
  return addresses.sort((a, b) => a.addition.localeCompare(b.addition, 'nl', { numeric: true }) || a.label.localeCompare(b.label, 'nl'));
}

/** An addition as typed or registered, comparable: `A-2`, `a 2`, `A2` → `a2`. */
export function foldAddition(addition: string | undefined): string {
  return (addition ?? '').normalize('NFKD').toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * The address the reporter means among several at one postcode and house number: the one whose
 * letter and addition match what was typed, when exactly one does; else none (ask).
 */
export function matchAddition(addresses: readonly BagAddress[], typed: string | undefined): BagAddress | undefined {
  if (addresses.length === 1) return addresses[0];
  const wanted = foldAddition(typed);
  if (!wanted) return undefined;
  const same = addresses.filter((a) => foldAddition(a.addition) === wanted);
  return same.length === 1 ? same[0] : undefined;
}
