// A local stand-in for PDOK Locatieserver v3.1 `/free` (these machines cannot reach it), answering with
// the service's real envelope and document fields (../shared/guides/testing.md). Like v3.1 it refuses
// parameters it does not know (400). What it answers depends on the postcode asked:
//   9801ZZ 12          → one address (Zuidhorn, Westerkwartier)
//   9351XY 14          → several: 14, 14A, 14B and 14-1 (Leek)
//   9711AA 1           → one address in another municipality (Groningen)
//   the four cases of tests/fixtures/cases.ts (9351AB 12, 9801AB 7, 9861CD 3, 9363BC 21) → their address
//   house number 9999 → HTTP 500
//   house number 9998 → answers after 10 s (longer than the portal's timeout)
//   house number 9997 → the connection is reset
//   anything else      → no match (numFound 0)
// GET /_requests lists the query strings and header names received (newest last), so tests can check
// that nothing but the address was sent.
// Usage: node tests/support/pdok-stub.ts <port>
import { createServer, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';

const KNOWN_PARAMETERS = new Set(['q', 'fq', 'fl', 'rows', 'start', 'sort', 'df', 'wt', 'bq', 'lat', 'lon']);

interface Doc {
  type: 'adres';
  weergavenaam: string;
  straatnaam: string;
  huisnummer: number;
  huisletter?: string;
  huisnummertoevoeging?: string;
  huis_nlt: string;
  postcode: string;
  woonplaatsnaam: string;
  gemeentenaam: string;
  gemeentecode: string;
  provincienaam: string;
  wijkcode: string;
  wijknaam: string;
  buurtcode: string;
  buurtnaam: string;
  nummeraanduiding_id: string;
  adresseerbaarobject_id: string;
  centroide_ll: string;
}

function doc(street: string, number: number, postcode: string, place: string, gemeente: [string, string], wijk: [string, string], buurt: [string, string], id: string, letter = '', extra = ''): Doc {
  const nlt = `${number}${letter}${extra ? `-${extra}` : ''}`;
  return {
    type: 'adres',
    weergavenaam: `${street} ${nlt}, ${postcode.slice(0, 4)}${postcode.slice(4)} ${place}`,
    straatnaam: street,
    huisnummer: number,
    ...(letter ? { huisletter: letter } : {}),
    ...(extra ? { huisnummertoevoeging: extra } : {}),
    huis_nlt: nlt,
    postcode,
    woonplaatsnaam: place,
    gemeentenaam: gemeente[1],
    gemeentecode: gemeente[0],
    provincienaam: 'Groningen',
    wijkcode: wijk[0],
    wijknaam: wijk[1],
    buurtcode: buurt[0],
    buurtnaam: buurt[1],
    nummeraanduiding_id: `1969200000${id}`,
    adresseerbaarobject_id: `1969010000${id}`,
    centroide_ll: 'POINT(6.4 53.2)',
  };
}

const WESTERKWARTIER: [string, string] = ['1969', 'Westerkwartier'];
export const PDOK_ADDRESSES: Record<string, Doc[]> = {
  '9801ZZ|12': [doc('Hoofdstraat', 12, '9801ZZ', 'Zuidhorn', WESTERKWARTIER, ['WK196902', 'Wijk 02 Zuidhorn'], ['BU19690200', 'Zuidhorn Centrum'], '081012')],
  '9351XY|14': [
    doc('Kerkstraat', 14, '9351XY', 'Leek', WESTERKWARTIER, ['WK196901', 'Wijk 01 Leek'], ['BU19690100', 'Leek Centrum'], '035014'),
    doc('Kerkstraat', 14, '9351XY', 'Leek', WESTERKWARTIER, ['WK196901', 'Wijk 01 Leek'], ['BU19690100', 'Leek Centrum'], '035015', 'A'),
    doc('Kerkstraat', 14, '9351XY', 'Leek', WESTERKWARTIER, ['WK196901', 'Wijk 01 Leek'], ['BU19690100', 'Leek Centrum'], '035016', 'B'),
    doc('Kerkstraat', 14, '9351XY', 'Leek', WESTERKWARTIER, ['WK196901', 'Wijk 01 Leek'], ['BU19690100', 'Leek Centrum'], '035017', '', '1'),
  ],
  // The cases of tests/fixtures/cases.ts, with the streets they type.
  '9351AB|12': [doc('Hoofdstraat', 12, '9351AB', 'Leek', WESTERKWARTIER, ['WK196901', 'Wijk 01 Leek'], ['BU19690109', 'Leek Buitengebied'], '035112', 'B')],
  '9801AB|7': [doc('Dorpsstraat', 7, '9801AB', 'Zuidhorn', WESTERKWARTIER, ['WK196902', 'Wijk 02 Zuidhorn'], ['BU19690200', 'Zuidhorn Centrum'], '080107')],
  '9861CD|3': [doc('Molenweg', 3, '9861CD', 'Grootegast', WESTERKWARTIER, ['WK196903', 'Wijk 03 Grootegast'], ['BU19690300', 'Grootegast Centrum'], '086103')],
  '9363BC|21': [doc('Schoolstraat', 21, '9363BC', 'Marum', WESTERKWARTIER, ['WK196904', 'Wijk 04 Marum'], ['BU19690400', 'Marum Centrum'], '036321')],
  '9711AA|1': [
    { ...doc('Grote Markt', 1, '9711AA', 'Groningen', ['0014', 'Groningen'], ['WK001401', 'Centrum'], ['BU00140100', 'Binnenstad-Zuid'], '000001'), nummeraanduiding_id: '0014200000000001', adresseerbaarobject_id: '0014010000000001' },
  ],
};

/** The filter queries `fq=postcode:…` and `fq=huisnummer:…` as a key, when both are there. */
function askedAddress(params: URLSearchParams): { postcode: string; number: string } | undefined {
  let postcode: string | undefined;
  let number: string | undefined;
  for (const fq of params.getAll('fq')) {
    const m = /^(postcode|huisnummer):(.+)$/.exec(fq);
    if (m?.[1] === 'postcode') postcode = m[2];
    if (m?.[1] === 'huisnummer') number = m[2];
  }
  return postcode && number ? { postcode, number } : undefined;
}

export function startPdokStub(port = 0): Promise<Server> {
  const received: { query: string; headers: string[] }[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/health') return void res.end('ok');
    if (url.pathname === '/_requests') return json(200, received);
    if (req.method !== 'GET' || !url.pathname.endsWith('/free')) return json(404, { error: 'not found' });
    received.push({ query: url.search, headers: Object.keys(req.headers).sort() });
    if (received.length > 200) received.shift();
    const unknown = [...url.searchParams.keys()].filter((k) => !KNOWN_PARAMETERS.has(k));
    if (unknown.length) return json(400, { error: { msg: `Unknown parameter(s): ${unknown.join(', ')}`, code: 400 } });
    if (!url.searchParams.getAll('fq').includes('type:adres')) return json(400, { error: { msg: 'expected fq=type:adres', code: 400 } });
    const asked = askedAddress(url.searchParams);
    if (asked?.number === '9999') return json(500, { error: { msg: 'Internal Server Error', code: 500 } });
    if (asked?.number === '9998') return void setTimeout(() => json(200, { response: { numFound: 0, start: 0, maxScore: 0, numFoundExact: true, docs: [] } }), 10_000);
    if (asked?.number === '9997') return void req.socket.destroy();
    const docs = asked ? (PDOK_ADDRESSES[`${asked.postcode}|${asked.number}`] ?? []) : [];
    const fields = url.searchParams.get('fl')?.split(/[\s,]+/).filter(Boolean);
    const shown = fields ? docs.map((d) => Object.fromEntries(Object.entries(d).filter(([k]) => fields.includes(k)))) : docs;
    json(200, { response: { numFound: docs.length, start: 0, maxScore: docs.length ? 9.5 : 0, numFoundExact: true, docs: shown } });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await startPdokStub(Number(process.argv[2] ?? 4400));
}
