import type { AppConfig } from '#platform/config.ts';
import { decideAddress, type AddressDecision, type OwnMunicipality } from './address.rules.ts';
import { ADDRESS_MESSAGES, OTHER_ADDRESS, type AddressCheck, type BagAddress } from './address.schema.ts';
import { lookupKey } from './pdok.rules.ts';
import { lookupAddresses } from './pdok.server.ts';

/** The municipality's own area from its configuration. */
export function ownMunicipality(cfg: Pick<AppConfig, 'municipality'>): OwnMunicipality {
  const m = cfg.municipality;
  return { name: m.municipalityName, code: m.municipalityCode, postcodePrefixes: m.postcodePrefixes };
}

/** Looks the address up and decides (see address.rules.ts). Never throws, never takes over ~3 s. */
export async function checkAddress(
  cfg: Pick<AppConfig, 'municipality' | 'addressLookup'>,
  input: { postcode: string; houseNumber: string; addition: string | undefined; choice: string | undefined },
  now: Date,
): Promise<AddressDecision> {
  const result = await lookupAddresses(cfg.addressLookup, input.postcode, input.houseNumber, now);
  return decideAddress(result, input, ownMunicipality(cfg), now);
}

/** The address part of a sent form (resident step 2, KCC, BOA). */
export interface FormAddress {
  locationKind?: string | undefined;
  postcode?: string | undefined;
  houseNumber?: string | undefined;
  houseAddition?: string | undefined;
}

export type FormAddressOutcome =
  /** Nothing to look up (no fixed address). */
  | { kind: 'none' }
  | { kind: 'checked'; check: AddressCheck }
  /** Ask `Welk adres bedoelt u?`; `error` when it was asked and not (well) answered. */
  | { kind: 'choose'; options: BagAddress[]; error: string | undefined };

/** The options asked before still belong to this postcode and number. */
function sameAddress(options: readonly BagAddress[] | undefined, a: FormAddress): boolean {
  if (!options?.length || !a.postcode || !a.houseNumber) return false;
  const key = lookupKey(a.postcode, a.houseNumber);
  return options[0]!.postcode === key.postcode && options[0]!.houseNumber === key.houseNumber;
}

/**
 * The lookup for a form: `asked` are the addresses the form offered under `Welk adres bedoelt u?`
 * (when it did), `choice` the answer posted.
 */
export async function checkFormAddress(
  cfg: Pick<AppConfig, 'municipality' | 'addressLookup'>,
  address: FormAddress,
  answer: { asked: readonly BagAddress[] | undefined; choice: string | undefined },
  now: Date,
): Promise<FormAddressOutcome> {
  if (address.locationKind !== 'adres' || !address.postcode || !address.houseNumber) return { kind: 'none' };
  const asked = sameAddress(answer.asked, address) ? answer.asked : undefined;
  const valid = asked && answer.choice && (answer.choice === OTHER_ADDRESS || asked.some((a) => a.nummeraanduidingId === answer.choice));
  if (asked && !valid) return { kind: 'choose', options: [...asked], error: ADDRESS_MESSAGES.chooseError };
  const decision = await checkAddress(
    cfg,
    // Without a record of what was offered (the staff forms), the register's fresh answer checks the choice.
    { postcode: address.postcode, houseNumber: address.houseNumber, addition: address.houseAddition, choice: asked ? (valid ? answer.choice : undefined) : answer.choice },
    now,
  );
  return decision.kind === 'choose' ? { ...decision, error: undefined } : decision;
}

/**
 * Street and place from the register where the form left them empty. What was typed stands: the
 * areas come from the register's own fields (`woonplaats`, wijk), never from the typed `Plaats`.
 * `before` is the lookup of an earlier answer to the same step: a street or place still as that lookup
 * filled it in was not typed, so a changed address brings its own (or none, when nothing is found; when the
 * register could not be asked they stay).
 */
export function fillFromRegister<T extends { street?: string | undefined; place?: string | undefined }>(answers: T, check: AddressCheck, before?: AddressCheck): T {
  // The register not asked (down, slow): nothing to replace them with, so they stay.
  if (check.status === 'niet_gecontroleerd') return answers;
  // What was typed: a value, and not the one the earlier lookup filled in.
  const typed = (value: string | undefined, filledBefore: string | undefined) => (value && value !== filledBefore ? value : '');
  const street = typed(answers.street, before?.match?.street);
  const place = typed(answers.place, before?.match?.place);
  const m = check.match;
  if (!m) return before?.match ? { ...answers, street, place } : answers;
  return { ...answers, street: street || m.street, place: place || m.place };
}
