// `npm run demo:data -- --count 1000`: fills the database (DATABASE_PATH) with realistic generated
// reports for demos and benchmarks, spread over channels, statuses, AVE phases, places and months.
// It starts with the four cases of the Westerkwartier document (Bijlage 1), with their casussen and
// AVE trajectories (demo-casus.ts), and gives part of the generated reports a casus. Never run it on a
// production database: it refuses when NODE_ENV=production.
import { parseArgs } from 'node:util';
import { randomInt } from 'node:crypto';
import { db } from '#platform/db.ts';
import { insertReport, updateReport, type NewReport } from '#features/reports/reports.repo.server.ts';
import { CONCERNS } from '#features/reports/options.schema.ts';
import { CLOSED, OUTCOMES, type Status } from '#features/triage/triage.rules.ts';
import { suggestUrgency, type Urgency } from '#features/reports/urgency.rules.ts';
import { addWorkingDays } from '#lib/working-days.ts';
import { config } from '#platform/config.ts';
import type { AddressCheck } from '#features/address/address.schema.ts';
import { demoCasussen } from './demo-casus.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '200' }, months: { type: 'string', default: '12' } } });
const count = Number(values.count);
const months = Number(values.months);
if (!Number.isInteger(count) || count < 0 || count > 1_000_000) throw new Error('--count must be a whole number up to 1,000,000');
if (config().production) throw new Error('demo data is not for production');

/** Villages of the demo municipality with their postcode area and a wijk (CBS-style codes) with two buurten. */
const PLACES: [village: string, pc4: string, wijk: string][] = [
  ['Leek', '9351', '01'], ['Zuidhorn', '9801', '02'], ['Grootegast', '9861', '03'], ['Marum', '9363', '04'], ['Aduard', '9831', '05'],
  ['Tolbert', '9356', '06'], ['Oldehove', '9881', '07'], ['Niekerk', '9822', '08'], ['Zevenhuizen', '9354', '09'], ['Nuis', '9364', '10'],
  ['Opende', '9865', '11'], ['Doezum', '9863', '12'],
];

/** A stable number for an address, so that the same address gets the same BAG identifiers. */
function addressNumber(postcode: string, houseNumber: string): string {
  let h = 0;
  for (const c of `${postcode}|${houseNumber}`) h = (h * 31 + c.charCodeAt(0)) % 1_000_000;
  return String(h).padStart(6, '0');
}

/** What the address lookup would have said: mostly found, sometimes down or not found. */
function demoAddressCheck(village: string, wijk: string, postcode: string, houseNumber: string, street: string, at: Date): AddressCheck {
  const checkedOn = at.toISOString().slice(0, 10);
  const status = weighted<AddressCheck['status']>([['gevonden', 90], ['niet_gecontroleerd', 6], ['niet_gevonden', 4]]);
  if (status !== 'gevonden') return { status, match: undefined, checkedOn, otherMunicipality: undefined };
  const n = addressNumber(postcode, houseNumber);
  const buurt = Number(n) % 2 === 0 ? 'Centrum' : 'Buitengebied';
  return {
    status,
    checkedOn,
    otherMunicipality: undefined,
    match: {
      nummeraanduidingId: `1969200000${n}`,
      adresseerbaarobjectId: `1969010000${n}`,
      label: `${street} ${houseNumber}, ${postcode.slice(0, 4)} ${postcode.slice(4)} ${village}`,
      street,
      houseNumber,
      addition: '',
      postcode,
      place: village,
      municipalityCode: '1969',
      municipalityName: 'Westerkwartier',
      wijkCode: `WK1969${wijk}`,
      wijkName: `Wijk ${wijk} ${village}`,
      buurtCode: `BU1969${wijk}${buurt === 'Centrum' ? '00' : '09'}`,
      buurtName: `${village} ${buurt}`,
    },
  };
}
const STREETS = ['Hoofdstraat', 'Kerkstraat', 'Schoolstraat', 'Molenweg', 'Stationsweg', 'Dorpsstraat', 'Julianalaan', 'Wilhelminastraat', 'Tolberterstraat', 'Raadhuisstraat'];
const NAMES = ['Dhr. de Vries', 'Mevr. Bakker', 'Dhr. Smit', 'Mevr. Mulder', 'Dhr. Bos', 'Mevr. Visser', 'Dhr. Hoekstra', 'Mevr. Dijkstra', 'Dhr. Jansen', undefined, undefined];
const STORIES = [
  'De buurman komt al weken niet meer buiten en de gordijnen blijven dicht. Er staat veel afval in de tuin.',
  'Mijn tante vergeet steeds meer. Ze liep gisteren in haar nachtjapon over straat en wist niet waar ze woonde.',
  'Hij schreeuwt vaak tegen voorbijgangers en lijkt dronken. Buren durven niet meer langs zijn huis te lopen.',
  'Een man slaapt al een paar nachten in het bushokje bij de supermarkt. Hij praat in zichzelf en heeft geen jas.',
  'De woning ruikt sterk en er lopen ratten. De bewoonster laat niemand binnen.',
  'Mijn broer zegt dat het leven geen zin meer heeft. Hij heeft zijn baan verloren en schulden.',
];
const pickOne = <T>(list: readonly T[]): T => list[randomInt(list.length)]!;
const weighted = <T>(entries: [T, number][]): T => {
  let r = Math.random() * entries.reduce((s, [, w]) => s + w, 0);
  for (const [v, w] of entries) if ((r -= w) < 0) return v;
  return entries[0]![0];
};

const m = config().municipality;

function seedCases(): NewReport[] {
  const common = { captchaStatus: 'niet_van_toepassing' as const, dueOn: '', suggestedUrgency: 'hoog' as Urgency, involved: [] as string[], acuteDanger: false };
  return [
    { ...common, channel: 'inwoner', captchaStatus: 'niet_gecontroleerd', personName: 'Dhr. P.', personAge: '18_plus', locationKind: 'adres', postcode: '9351AB', houseNumber: '12', street: 'Kerkstraat', place: 'Leek',
      concerns: ['overlast_agressie', 'dreigen_geweld', 'zelfdoding'], description: 'Hij staat vaak dronken op zijn balkon te schreeuwen, bedreigt buren en vernielt spullen. Hij zegt dat hij de gasleidingen wil doorzagen.',
      concernSince: 'paar_maanden', dangerToSelf: 'ja', dangerToOthers: 'ja', personAware: 'nee', reporterRelation: 'buren', anonymous: true },
    { ...common, channel: 'kcc', intakeMethod: 'telefoon', personName: 'Dhr. K.', personAge: '18_plus', locationKind: 'adres', postcode: '9801CD', houseNumber: '7', place: 'Zuidhorn', childrenInHome: 'weet_niet',
      concerns: ['dreigen_geweld', 'overlast_agressie'], description: 'Dochter belt: haar vader bedreigt zijn vrouw, kinderen en kleinkinderen en dreigt het huis en het bedrijf in brand te steken.',
      concernSince: 'langer_dan_jaar', dangerToSelf: 'nee', dangerToOthers: 'ja', personAware: 'nee', reporterRelation: 'familie', anonymous: false, reporterName: 'Dochter van dhr. K.', reporterPhone: '06 12345678' },
    { ...common, channel: 'boa', personName: 'Mevr. B.', personAge: '18_plus', locationKind: 'adres', postcode: '9861EF', houseNumber: '3', place: 'Grootegast',
      concerns: ['vervuiling', 'verwaarlozing', 'eenzaamheid'], description: 'Bouwvallige woning, door de ramen is vervuiling te zien, het dak heeft gaten. Bewoonster laat niemand binnen. Vermoedelijk asbest en knaagdieren.',
      concernSince: 'langer_dan_jaar', dangerToSelf: 'ja', dangerToOthers: 'weet_niet', personAware: 'nee', reporterRelation: 'professional', anonymous: false, observedAt: new Date().toISOString(), policePresent: false },
    { ...common, channel: 'inwoner', personName: 'Dhr. E.', personAge: '18_plus', locationKind: 'adres', postcode: '9363GH', houseNumber: '21', place: 'Marum',
      concerns: ['anders'], description: 'Een man maakt stiekem via zijn brievenbus foto\u0027s van spelende kinderen op het schoolplein tegenover zijn huis.',
      concernSince: 'paar_weken', dangerToSelf: 'nee', dangerToOthers: 'weet_niet', personAware: 'nee', reporterRelation: 'buren', anonymous: false, reporterName: 'Ouder van de school', reporterEmail: 'ouder@voorbeeld.nl' },
    // Dhr. P. again, three weeks later, through the KCC: the second report of his casus.
    { ...common, channel: 'kcc', intakeMethod: 'telefoon', personName: 'Dhr. P.', personAge: '18_plus', locationKind: 'adres', postcode: '9351AB', houseNumber: '12', street: 'Kerkstraat', place: 'Leek',
      concerns: ['overlast_agressie', 'verslaving'], description: 'Buurvrouw belt: hij heeft vannacht weer geschreeuwd en met flessen gegooid. Ze is bang.',
      concernSince: 'paar_maanden', dangerToSelf: 'weet_niet', dangerToOthers: 'ja', personAware: 'nee', reporterRelation: 'buren', anonymous: true },
  ];
}

/** How long ago each seed case came in (days), and the AVE phase it was triaged at: a year of work. */
const SEED_HISTORY: [ageDays: number, ave: string][] = [[300, 'ave2'], [160, 'ave3'], [270, 'ave3'], [20, 'ave2'], [279, 'ave3']];

// One big transaction touches every index of reports at random places: with SQLite's default page
// cache (2 MB) most of the time goes to evicting and re-reading index pages. This connection is
// used for nothing else, so give it room (up to 1 GB, as much as it needs: 1,000,000 reports' indexes fit).
db().pragma('cache_size = -1048576');

const started = Date.now();
const insertAll = db().transaction(() => {
  const seeds: { id: number; ageDays: number }[] = [];
  seedCases().forEach((c, i) => {
    const [ageDays, ave] = SEED_HISTORY[i]!;
    const created = new Date(Date.now() - ageDays * 86_400_000);
    const suggested = suggestUrgency(c);
    const [, , wijk] = PLACES.find(([v]) => v === c.place)!;
    const addressCheck = demoAddressCheck(c.place!, wijk, c.postcode!, c.houseNumber!, c.street ?? 'Hoofdstraat', created);
    const dueOn = addWorkingDays(created, m.urgencyNormDays[suggested], m.holidays);
    const { id } = insertReport({ ...c, addressCheck, suggestedUrgency: suggested, dueOn }, created);
    updateReport(id, { status: 'in_behandeling', ave_phase: ave, triaged_at: new Date(created.getTime() + 3_600_000).toISOString() }, created);
    seeds.push({ id, ageDays });
  });
  // Oldest first, as a real database fills: ids follow time, and the indexes grow at their ends.
  const nowMs = Date.now();
  const ages = Array.from({ length: count }, () => randomInt(Math.max(1, months * 30 * 24 * 60))).sort((a, b) => b - a);
  for (let i = 0; i < count; i++) {
    const created = new Date(nowMs - ages[i]! * 60_000);
    const [place, pc4, wijk] = pickOne(PLACES);
    const postcode = `${pc4}${pickOne(['AA', 'AB', 'BC', 'CD', 'KL', 'XZ'])}`;
    const houseNumber = String(1 + randomInt(150));
    const street = pickOne(STREETS);
    // The police's E33 reports are 30–50 % of what a meldpunt receives (spec §4a).
    const channel = weighted<'inwoner' | 'kcc' | 'boa' | 'politie'>([['inwoner', 4], ['kcc', 2], ['boa', 1], ['politie', 4]]);
    const police = channel === 'politie';
    const concerns = [...new Set([pickOne(Object.keys(CONCERNS)), ...(Math.random() < 0.4 ? [pickOne(Object.keys(CONCERNS))] : [])])];
    const atAddress = Math.random() < 0.9;
    const report: Omit<NewReport, 'suggestedUrgency' | 'dueOn'> = {
      channel,
      acuteDanger: false,
      personName: pickOne(NAMES),
      personAge: weighted([['18_plus', 8], ['onbekend', 2], ['16_17', 0.5], ['jonger_dan_16', 0.3]]),
      locationKind: atAddress ? 'adres' : 'geen_vast_adres',
      postcode: atAddress ? postcode : undefined,
      houseNumber: atAddress ? houseNumber : undefined,
      street: atAddress ? street : undefined,
      place,
      addressCheck: atAddress ? demoAddressCheck(place, wijk, postcode, houseNumber, street, created) : undefined,
      locationDescription: atAddress ? undefined : 'Bij het bushokje aan de Hoofdstraat.',
      childrenInHome: pickOne(['ja', 'nee', 'weet_niet', undefined]),
      concerns,
      description: pickOne(STORIES),
      concernSince: pickOne(['minder_dan_week', 'paar_weken', 'paar_maanden', 'langer_dan_jaar']),
      dangerToSelf: weighted([['nee', 5], ['weet_niet', 3], ['ja', 1]]),
      dangerToOthers: weighted([['nee', 6], ['weet_niet', 2], ['ja', 1]]),
      personAware: pickOne(['ja', 'nee', 'weet_niet']),
      involved: [],
      reporterRelation: police ? 'professional' : pickOne(['buren', 'familie', 'vriend', 'professional', 'anders']),
      anonymous: !police && Math.random() < 0.3,
      intakeMethod: channel === 'kcc' ? pickOne(['telefoon', 'telefoon_0800', 'balie', 'email_brief']) : undefined,
      observedAt: channel === 'boa' ? created.toISOString() : undefined,
      policePresent: channel === 'boa' ? Math.random() < 0.3 : undefined,
      ...(police
        ? {
            policeReference: `PL0100-${created.getUTCFullYear()}${String(100000 + randomInt(900000))}`,
            incidentAt: new Date(created.getTime() - randomInt(1, 48 * 60) * 60_000).toISOString(),
            incidentPlace: atAddress ? `${street} ${houseNumber}, ${place}` : `Hoofdstraat, ${place}`,
            policeRequest: pickOne(['Graag beoordelen of zorg nodig is.', 'Verzoek om contact met de wijkagent na beoordeling.', undefined]),
            policeFeedback: Math.random() < 0.7,
            policeOfficer: pickOne(['Agent J. de Boer', 'Hoofdagent M. Visser', 'Brigadier S. Bakker']),
            policeTeam: 'Basisteam Westerkwartier',
            policeEmail: 'wijkagent.westerkwartier@politie.example',
          }
        : {}),
      captchaStatus: channel === 'inwoner' ? pickOne(['geslaagd', 'niet_gecontroleerd'] as const) : 'niet_van_toepassing',
    };
    const suggested = suggestUrgency(report);
    const dueOn = addWorkingDays(created, m.urgencyNormDays[suggested], m.holidays);
    const { id } = insertReport({ ...report, suggestedUrgency: suggested, dueOn }, created);
    const ageDays = (Date.now() - created.getTime()) / 86_400_000;
    const status = ageDays < 2 ? weighted<Status>([['nieuw', 6], ['in_behandeling', 3]]) : weighted<Status>([['afgesloten', 5], ['uitgezet', 2], ['in_behandeling', 2], ['wacht_op_info', 1], ['doorgestuurd', 0.5], ['geannuleerd', 0.3], ['nieuw', 0.3]]);
    const ave = status === 'nieuw' ? 'onbekend' : weighted([['ave1', 3], ['ave2', 4], ['ave3', 2], ['ave4', 0.4]]);
    const urgency: Urgency = Math.random() < 0.1 ? pickOne(['direct', 'hoog', 'normaal', 'laag']) : suggested;
    const triaged = status === 'nieuw' ? null : new Date(created.getTime() + randomInt(1, 72 * 60) * 60_000).toISOString();
    const closed = CLOSED.has(status) ? new Date(created.getTime() + randomInt(2, 60) * 86_400_000).toISOString() : null;
    const outcome = status === 'afgesloten' || status === 'uitgezet' ? pickOne(Object.keys(OUTCOMES)) : null;
    // As a coordinator would have left it; updated_at stays the time of the report.
    updateReport(id, {
      status,
      ave_phase: ave,
      urgency,
      outcome,
      case_director: ave === 'ave2' || ave === 'ave3' ? 'Sociaal team' : null,
      process_director: ave === 'ave3' || ave === 'ave4' ? 'Zorg- en Veiligheidshuis' : null,
      triaged_at: triaged,
      closed_at: closed,
      due_on: addWorkingDays(created, m.urgencyNormDays[urgency], m.holidays),
    }, created);
  }
  return demoCasussen(seeds, new Date());
});
const casussen = insertAll.immediate();
console.log(`demo: ${count + 5} reports and ${casussen} casussen written to ${config().databasePath} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
