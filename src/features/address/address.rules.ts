import { utcToAmsterdam } from '#lib/dates.ts';
import type { FieldDef } from '#lib/forms.ts';
import { ADDRESS_CHOICE_FIELD, ADDRESS_MESSAGES, ADDRESS_MESSAGES_STAFF, OTHER_ADDRESS, type AddressCheck, type BagAddress, type LookupResult } from './address.schema.ts';
import { matchAddition } from './pdok.rules.ts';

/**
 * What a lookup means for the form being sent, without I/O: the address found (or chosen), a
 * question `Welk adres bedoelt u?` when several addresses share the postcode and number, or the
 * report goes on unchecked. An address lookup never blocks a report.
 */

/** The municipality's own area: its CBS code when configured, else (and offline) its postcodes. */
export interface OwnMunicipality {
  name: string;
  code: string | undefined;
  postcodePrefixes: readonly string[];
}

export type AddressDecision =
  | { kind: 'checked'; check: AddressCheck }
  /** Several addresses: ask which one (`options` in the register's order). */
  | { kind: 'choose'; options: BagAddress[] };

function outsideByPostcode(postcode: string, own: OwnMunicipality): string | undefined {
  return own.postcodePrefixes.includes(postcode.replace(/\s+/g, '').slice(0, 4)) ? undefined : '';
}

function otherMunicipality(match: BagAddress, own: OwnMunicipality, postcode: string): string | undefined {
  if (own.code) return match.municipalityCode === own.code ? undefined : match.municipalityName;
  return outsideByPostcode(postcode, own) === undefined ? undefined : match.municipalityName;
}

/**
 * `choice`: the answer to `Welk adres bedoelt u?` (a `nummeraanduidingId` or `ander`), when the form
 * showed that question for this postcode and number.
 */
export function decideAddress(
  result: LookupResult,
  input: { postcode: string; addition: string | undefined; choice: string | undefined },
  own: OwnMunicipality,
  now: Date,
): AddressDecision {
  const checkedOn = utcToAmsterdam(now).slice(0, 10);
  const checked = (status: AddressCheck['status'], match?: BagAddress): AddressDecision => ({
    kind: 'checked',
    check: {
      status,
      match,
      checkedOn,
      otherMunicipality: match ? otherMunicipality(match, own, input.postcode) : outsideByPostcode(input.postcode, own),
    },
  });
  if (result.kind === 'unavailable') return checked('niet_gecontroleerd');
  if (result.kind === 'none') return checked('niet_gevonden');
  if (input.choice === OTHER_ADDRESS) return checked('ander_adres');
  const chosen = result.addresses.find((a) => a.nummeraanduidingId === input.choice) ?? matchAddition(result.addresses, input.addition);
  return chosen ? checked('gevonden', chosen) : { kind: 'choose', options: result.addresses };
}

/** The notice for the reporter on the next page (or for the staff member after saving), if any. */
export function addressNotice(check: AddressCheck | undefined, ownName: string, reader: 'melder' | 'medewerker' = 'melder'): string | undefined {
  if (!check) return undefined;
  const texts = reader === 'melder' ? ADDRESS_MESSAGES : ADDRESS_MESSAGES_STAFF;
  // The register answered that it does not know this address: the not-found text (spec §2), also when the
  // postcode list says it lies elsewhere (that still flags it for the coordinator: `otherMunicipality`).
  if (check.status === 'niet_gevonden') return texts.notFound;
  if (check.otherMunicipality !== undefined) {
    return check.otherMunicipality ? texts.otherMunicipality(check.otherMunicipality) : texts.otherMunicipalityUnknown(ownName);
  }
  return undefined;
}

/** The options of `Welk adres bedoelt u?`: each address in full, then `Een ander adres`. */
export function choiceOptions(options: readonly BagAddress[]): Record<string, string> {
  return { ...Object.fromEntries(options.map((a) => [a.nummeraanduidingId, a.label])), [OTHER_ADDRESS]: ADDRESS_MESSAGES.other };
}

/** The radio group `Welk adres bedoelt u?`, drawn like every other question. */
export function addressChoiceField(options: readonly BagAddress[]): FieldDef {
  return { name: ADDRESS_CHOICE_FIELD, label: ADDRESS_MESSAGES.chooseLegend, kind: 'radio', options: choiceOptions(options), hint: ADDRESS_MESSAGES.chooseIntro };
}

/** A form's fields with the address question right after `Plaats` (fields without `Plaats` stay as they are). */
export function withAddressChoice(fields: readonly FieldDef[], choice: FieldDef | undefined): readonly FieldDef[] {
  const at = fields.findIndex((f) => f.name === 'place');
  return !choice || at < 0 ? fields : [...fields.slice(0, at + 1), choice, ...fields.slice(at + 1)];
}

/** A check as the draft keeps it (strings only), and back. */
export function serialiseCheck(check: AddressCheck): string {
  return JSON.stringify(check);
}

export function parseCheck(text: string | undefined): AddressCheck | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as AddressCheck;
  } catch {
    return undefined;
  }
}
