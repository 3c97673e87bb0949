/**
 * The encrypted columns of `reports` (spec §8): what identifies or describes a person, the BAG
 * identifiers (each points at one dwelling) and the directors' names. Everything else in the table is a
 * date, a code or an area, kept plain to sort and count. reports.repo.server.ts seals and opens them;
 * tests that read the file directly open them with this list.
 */
export const SEALED_COLUMNS = [
  'person_name', 'house_number', 'house_addition', 'street', 'location_description', 'description',
  'reporter_name', 'reporter_phone', 'reporter_email', 'police_reference', 'bag_address_id', 'bag_object_id',
  'case_director', 'process_director', 'treatment_director', 'forwarded_to',
  // The police report (spec §4a): where, what the police ask, the police contact.
  'incident_place', 'police_request', 'police_officer', 'police_team', 'police_phone', 'police_email',
] as const;

export type SealedColumn = (typeof SEALED_COLUMNS)[number];
