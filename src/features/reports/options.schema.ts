/**
 * The answer options of the report forms: stored code → exact Dutch label (spec §2–§5).
 * Codes go into the database and the HTML `value`; labels are what people read.
 */

export const YES_NO_UNKNOWN = { ja: 'Ja', nee: 'Nee', weet_niet: 'Weet ik niet' } as const;
export const YES_NO = { ja: 'Ja', nee: 'Nee' } as const;

export const PERSON_AGE = {
  jonger_dan_16: 'Jonger dan 16 jaar',
  '16_17': '16 of 17 jaar',
  '18_plus': '18 jaar of ouder',
  onbekend: 'Weet ik niet',
} as const;

export const LOCATION_KIND = {
  adres: 'Op een adres',
  geen_vast_adres: 'Geen vast adres of adres onbekend',
} as const;

export const CONCERNS = {
  verward_gedrag: 'Verward gedrag',
  vervuiling: 'Vervuiling of verzamelen van spullen',
  verwaarlozing: 'Zichzelf verwaarlozen',
  eenzaamheid: 'Eenzaamheid',
  verslaving: 'Verslaving (alcohol of drugs)',
  overlast_agressie: 'Overlast of agressie',
  dreigen_geweld: 'Dreigen met geweld',
  zelfdoding: 'Praten over zelfdoding',
  geldproblemen: 'Geldproblemen of huisuitzetting',
  dementie: 'Vergeetachtigheid of dementie',
  anders: 'Iets anders',
} as const;

export const CONCERN_SINCE = {
  minder_dan_week: 'Minder dan een week',
  paar_weken: 'Een paar weken',
  paar_maanden: 'Een paar maanden',
  langer_dan_jaar: 'Langer dan een jaar',
} as const;

export const INVOLVED = {
  huisarts: 'Huisarts',
  wijkteam: 'Wijkteam of sociaal team',
  politie: 'Politie',
  woningcorporatie: 'Woningcorporatie',
  ggz: 'GGZ of verslavingszorg',
  veilig_thuis: 'Veilig Thuis',
  iemand_anders: 'Iemand anders',
  niemand: 'Niemand of weet ik niet',
} as const;

export const RELATION = {
  buren: 'Buurman of buurvrouw',
  familie: 'Familie',
  vriend: 'Vriend of kennis',
  professional: 'Ik ben professional',
  anders: 'Anders',
} as const;

export const ANONYMITY = {
  nee: 'Nee, ik geef mijn gegevens',
  ja: 'Ja, ik meld anoniem',
} as const;

export const CHANNELS = { inwoner: 'Inwoner', kcc: 'KCC', boa: 'BOA', politie: 'Politie' } as const;

export const URGENCY = { direct: 'Direct', hoog: 'Hoog', normaal: 'Normaal', laag: 'Laag' } as const;

export const AVE_PHASE = { ave1: 'AVE 1', ave2: 'AVE 2', ave3: 'AVE 3', ave4: 'AVE 4', onbekend: 'Onbekend' } as const;

export const STATUS = {
  nieuw: 'Nieuw',
  in_behandeling: 'In behandeling',
  wacht_op_info: 'Wacht op informatie',
  uitgezet: 'Uitgezet',
  afgesloten: 'Afgesloten',
  samengevoegd: 'Samengevoegd',
  doorgestuurd: 'Doorgestuurd',
  geannuleerd: 'Geannuleerd',
  acuut_doorgezet: 'Acuut doorgezet',
} as const;
