import { z } from 'astro/zod';

/**
 * Addresses from the national address register (BAG), as PDOK Locatieserver publishes them. The
 * lookup runs on the server when a form with a postcode and a house number is sent (resident step 2,
 * KCC and BOA forms); it sends nothing but the postcode and the house number, and never blocks a
 * report. Safe for islands: no server code.
 */

/** One address of the register, with the areas it lies in. */
export interface BagAddress {
  /** BAG `nummeraanduiding_id`: the address itself. */
  nummeraanduidingId: string;
  /** BAG `adresseerbaarobject_id`: the dwelling (verblijfsobject) it belongs to. */
  adresseerbaarobjectId: string | undefined;
  /** The full address in one line, as the register writes it (`weergavenaam`). */
  label: string;
  street: string;
  houseNumber: string;
  /** Huisletter and huisnummertoevoeging as one addition (`A`, `2`, `A-bis`). */
  addition: string;
  postcode: string;
  /** The village or town (`woonplaatsnaam`). */
  place: string;
  /** CBS municipality code without `GM` (`1969`). */
  municipalityCode: string;
  municipalityName: string;
  wijkCode: string | undefined;
  wijkName: string | undefined;
  buurtCode: string | undefined;
  buurtName: string | undefined;
}

/** What the register answered for a postcode and house number. */
export type LookupResult =
  | { kind: 'found'; addresses: BagAddress[] }
  | { kind: 'none' }
  /** Down, slow, an error, or an answer that is not one. */
  | { kind: 'unavailable' };

/**
 * What the lookup said about a report's address (`reports.address_check`):
 * found (one match, or the one the reporter chose), not found, not checked (the service could not be
 * asked: down, slow or an error), or the reporter chose "Een ander adres" from several.
 */
export const ADDRESS_CHECKS = {
  gevonden: 'Adres gevonden in de adresregistratie',
  niet_gevonden: 'Adres niet gevonden in de adresregistratie',
  niet_gecontroleerd: 'Adres niet gecontroleerd',
  ander_adres: 'Ander adres dan in de adresregistratie',
} as const;
export type AddressCheckStatus = keyof typeof ADDRESS_CHECKS;

/** The outcome of a lookup, stored with the report. */
export interface AddressCheck {
  status: AddressCheckStatus;
  /** The register's address, when found (or chosen). */
  match: BagAddress | undefined;
  /** The lookup's date, `YYYY-MM-DD` (Amsterdam). */
  checkedOn: string;
  /**
   * The address lies in another municipality: its name, or `''` when only the postcode list says so
   * (the service could not be asked). `undefined`: the municipality's own, or not known.
   */
  otherMunicipality: string | undefined;
}

/** The spec's texts for the reporter (§2). */
export const ADDRESS_MESSAGES = {
  chooseLegend: 'Welk adres bedoelt u?',
  chooseIntro: 'Wij vonden meer dan één adres bij deze postcode en dit huisnummer. Kies het goede adres.',
  other: 'Een ander adres',
  chooseError: 'Kies welk adres u bedoelt',
  notFound: 'We konden dit adres niet vinden. Controleer de postcode en het huisnummer, of ga verder.',
  /** Shown on the next page when one address was found: street and place were filled in from it. */
  found: (label: string) => `Wij vonden dit adres: ${label}. Klopt het niet? Ga dan terug naar de vorige stap en pas het aan.`,
  otherMunicipality: (name: string) =>
    `Dit adres ligt in de gemeente ${name}. U kunt uw melding hier afmaken; wij sturen hem door naar die gemeente.`,
  otherMunicipalityUnknown: (own: string) =>
    `Dit adres ligt waarschijnlijk niet in de gemeente ${own}. U kunt uw melding hier afmaken; wij sturen hem door naar de goede gemeente.`,
} as const;

/** The same facts for the KCC agent or BOA, after saving. */
export const ADDRESS_MESSAGES_STAFF = {
  notFound: 'Dit adres staat niet in de adresregistratie. Controleer de postcode en het huisnummer met de beller. De coördinator ziet dat het adres niet is gevonden.',
  otherMunicipality: (name: string) => `Dit adres ligt in de gemeente ${name}. De coördinator stuurt de melding door naar die gemeente.`,
  otherMunicipalityUnknown: (own: string) => `Dit adres ligt waarschijnlijk niet in de gemeente ${own}. De coördinator kijkt naar welke gemeente de melding moet.`,
} as const;

/** The value of the "Een ander adres" option of `Welk adres bedoelt u?`. */
export const OTHER_ADDRESS = 'ander';

/** The name of the choice field on the forms. */
export const ADDRESS_CHOICE_FIELD = 'addressChoice';

/** One document of a Locatieserver answer, as far as the portal reads it. */
export const locatieserverDoc = z.object({
  type: z.literal('adres'),
  weergavenaam: z.string(),
  straatnaam: z.string(),
  huisnummer: z.union([z.number(), z.string()]).transform(String),
  huisletter: z.string().optional(),
  huisnummertoevoeging: z.string().optional(),
  postcode: z.string(),
  woonplaatsnaam: z.string(),
  gemeentecode: z.string(),
  gemeentenaam: z.string(),
  wijkcode: z.string().optional(),
  wijknaam: z.string().optional(),
  buurtcode: z.string().optional(),
  buurtnaam: z.string().optional(),
  nummeraanduiding_id: z.string(),
  adresseerbaarobject_id: z.string().optional(),
});

/** The envelope of a Locatieserver answer. */
export const locatieserverAnswer = z.object({
  response: z.object({ numFound: z.number(), docs: z.array(z.unknown()) }),
});
