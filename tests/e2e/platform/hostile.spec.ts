// Hostile and malformed input sent without a browser: refused with a 4xx and a usable Dutch page,
// stored literally when it is valid text, and never answered with a 5xx.
import type { APIRequestContext, APIResponse } from '@playwright/test';
import { dhrP, residentSteps, type ResidentSteps } from '../../fixtures/cases.ts';
import { expect, expectNoAxeViolations, locationPath, marker, postForm, postRefused, postResidentSteps, reportByReference, reportsContaining, sendDraft, servers, test } from '../fixtures.ts';
import { expectDutchRefusal, expectSecurityHeaders, expectUsableDutchPage } from './platform-utils.ts';

const origin = servers.main.origin;
/** The answers of Dhr. P. (tests/fixtures/cases.ts), as the form posts them. */
const raw = (tag: string): ResidentSteps => residentSteps(dhrP(tag));
const postSteps = (request: APIRequestContext, steps: ResidentSteps) => postResidentSteps(request, origin, steps);
const send = (request: APIRequestContext): Promise<string> => sendDraft(request, origin);

test.describe('hostile input', () => {
  test('a 10 MB description gets 413 and a Dutch page, and nothing is stored', async ({ request }) => {
    const tag = marker('groot');
    await postSteps(request, raw(tag));
    const huge = `${tag} ${'x'.repeat(10 * 1024 * 1024)}`;
    const response = await postForm(request, `${origin}/melden/zorgen`, { ...raw(tag).zorgen, description: huge }, { origin });
    // The step answers it itself: the form again (its earlier answers kept), the message, the way back.
    const html = await expectDutchRefusal(response, 413, 'U heeft te veel tekst ingevuld om te versturen.', '/melden/persoon');
    expect(html).toMatch(/<title>Fout: Uw zorgen/);
    expect(html).toContain('action="/melden/zorgen"');
    expect(html.length).toBeLessThan(100_000);
    // The earlier answers are still there: the check page still works with the old description.
    const check = await request.get(`${origin}/melden/controleren`, { maxRedirects: 0 });
    expect(check.status()).toBe(200);
    expect(await check.text()).not.toContain('xxxxxxxxxx');
  });

  test('HTML and script in text fields are shown as text on the check page and stored literally', async ({ request }) => {
    const tag = marker('xss');
    const script = `<script>alert("${tag}")</script>`;
    const img = `<img src=x onerror="alert('${tag}')">`;
    await postSteps(request, {
      ...raw(tag),
      persoon: { ...raw(tag).persoon, personName: `<b>${tag}</b>`, street: `"><svg onload=alert(1)>` },
      zorgen: { ...raw(tag).zorgen, description: `Hij schreef: ${script} ${img} & meer` },
    });
    const check = await request.get(`${origin}/melden/controleren`);
    expect(check.status()).toBe(200);
    const html = await check.text();
    expect(html).not.toContain(script);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain(`<b>${tag}`);
    expect(html).not.toContain('<svg onload');
    expect(html).toContain(`&lt;script&gt;alert(&quot;${tag}&quot;)&lt;/script&gt;`);
    expect(html).toContain(`&lt;b&gt;${tag}&lt;/b&gt;`);
    // The page's CSP would block an injected script anyway: no inline script allowed but by hash.
    expect(check.headers()['content-security-policy']).not.toContain('unsafe-inline');

    const reference = await send(request);
    const row = reportByReference(servers.main, reference)!;
    expect(row.person_name).toBe(`<b>${tag}</b>`);
    expect(row.street).toBe(`"><svg onload=alert(1)>`);
    expect(row.description).toBe(`Hij schreef: ${script} ${img} & meer`);
  });

  test('SQL injection strings are stored literally', async ({ request }) => {
    const tag = marker('sql');
    const name = `Robert'); DROP TABLE reports;-- ${tag}`;
    const description = `' OR '1'='1'; DELETE FROM reports WHERE ''=' -- ${tag} "; SELECT * FROM drafts; --`;
    await postSteps(request, {
      ...raw(tag),
      persoon: { ...raw(tag).persoon, personName: name, place: `x' UNION SELECT token_hash FROM drafts --` },
      zorgen: { ...raw(tag).zorgen, description },
    });
    const reference = await send(request);
    const row = reportByReference(servers.main, reference)!;
    expect(row.person_name).toBe(name);
    expect(row.description).toBe(description);
    expect(row.place).toBe(`x' UNION SELECT token_hash FROM drafts --`);
    expect(reportsContaining(servers.main, tag)).toHaveLength(1);
  });

  test('NUL and other control characters are stripped; emoji and accents are kept', async ({ request }) => {
    const tag = marker('tekens');
    await postSteps(request, {
      ...raw(tag),
      persoon: { ...raw(tag).persoon, personName: `Jo\u0000sé\u0007 ${tag}` },
      zorgen: { ...raw(tag).zorgen, description: `Hij\u0000 huilt 😢 en zegt 🔥🏠. Één\tkeer\r\nper week. ${tag}\u0000` },
    });
    const reference = await send(request);
    const row = reportByReference(servers.main, reference)!;
    expect(row.person_name).toBe(`José ${tag}`);
    expect(row.description).toBe(`Hij huilt 😢 en zegt 🔥🏠. Één\tkeer\nper week. ${tag}`);
    expect(row.description).not.toContain('\u0000');
  });

  test('two values for one radio, and unknown option values, get 400', async ({ request }) => {
    const tag = marker('keuze');
    const cases: [string, Record<string, string | string[]>, string][] = [
      ['/melden', { acuteDanger: ['nee', 'ja'] }, 'Kies of er nu direct gevaar is voor iemand'],
      ['/melden', { acuteDanger: 'misschien' }, 'Kies of er nu direct gevaar is voor iemand'],
    ];
    for (const [path, fields, message] of cases) {
      const response = await postRefused(request, `${origin}${path}`, fields, { origin });
      expect(response.status(), JSON.stringify(fields)).toBe(400);
      await expectUsableDutchPage(response, message);
    }
    await postSteps(request, raw(tag));
    const steps = raw(tag);
    const later: [string, Record<string, string | string[]>, string][] = [
      ['/melden/persoon', { ...steps.persoon, personAge: ['18_plus', 'jonger_dan_16'] }, 'Kies de leeftijd van de persoon'],
      ['/melden/persoon', { ...steps.persoon, personAge: '42' }, 'Kies de leeftijd van de persoon'],
      ['/melden/persoon', { ...steps.persoon, childrenInHome: ['ja', 'nee'] }, 'Kies Ja, Nee of Weet ik niet'],
      ['/melden/persoon', { ...steps.persoon, childrenInHome: 'soms' }, 'Kies Ja, Nee of Weet ik niet'],
      ['/melden/zorgen', { ...steps.zorgen, concerns: ['overlast_agressie', 'bestaat_niet'] }, 'Kies waar u zich zorgen over maakt'],
      ['/melden/zorgen', { ...steps.zorgen, involved: ['politie', "'; DROP TABLE reports;--"] }, 'Kies wie er al betrokken is'],
      ['/melden/zorgen', { ...steps.zorgen, dangerToSelf: ['ja', 'nee'] }, 'Kies of de persoon een gevaar is voor zichzelf'],
      ['/melden/zorgen', { ...steps.zorgen, dangerToOthers: 'JA' }, 'Kies of de persoon een gevaar is voor anderen'],
      ['/melden/over-u', { ...steps.overU, anonymous: ['ja', 'nee'] }, 'Kies of u anoniem wilt melden'],
      ['/melden/over-u', { ...steps.overU, reporterRelation: 'baas' }, 'Kies wat uw relatie tot de persoon is'],
    ];
    for (const [path, fields, message] of later) {
      const response = await postRefused(request, `${origin}${path}`, fields, { origin });
      expect(response.status(), `${path} ${JSON.stringify(fields)}`).toBe(400);
      await expectUsableDutchPage(response, message);
    }
    // The draft still holds the valid answers: the report can be sent, without the refused values.
    const reference = await send(request);
    const row = reportByReference(servers.main, reference)!;
    expect(row).toMatchObject({ person_age: '18_plus', danger_to_self: 'ja', anonymous: 0, reporter_relation: 'buren' });
    expect(row.concerns).toEqual(['dreigen_geweld', 'overlast_agressie', 'verslaving', 'zelfdoding']);
  });

  test('missing fields, an empty body and a body that is not a form get 400', async ({ request }) => {
    const tag = marker('leeg');
    await postSteps(request, raw(tag));
    const forms: [string, Record<string, string> | string, string][] = [
      ['/melden', {}, 'Kies of er nu direct gevaar is voor iemand'],
      ['/melden/persoon', { personName: 'Alleen een naam' }, 'Kies de leeftijd van de persoon'],
      ['/melden/zorgen', { concerns: 'eenzaamheid' }, 'Beschrijf wat u heeft gezien of gehoord'],
      ['/melden/over-u', { anonymous: 'nee' }, 'Kies wat uw relatie tot de persoon is'],
      ['/melden/over-u', '', 'Kies wat uw relatie tot de persoon is'],
      ['/melden/zorgen', '%%%&&&==', 'Kies minstens één ding waar u zich zorgen over maakt'],
    ];
    for (const [path, fields, message] of forms) {
      const response = await postRefused(request, `${origin}${path}`, fields, { origin });
      expect(response.status(), `${path} ${JSON.stringify(fields)}`).toBe(400);
      await expectUsableDutchPage(response, message);
    }
    const json = await request.post(`${origin}/melden/zorgen`, {
      data: { description: 'x'.repeat(20) },
      headers: { Origin: origin },
      maxRedirects: 0,
    });
    expect(json.status()).toBe(400);
    await expectUsableDutchPage(json, 'Het formulier kwam niet goed aan.');
  });

  test('a form post from another origin, or with Origin null, gets 403 and stores nothing', async ({ request }) => {
    const tag = marker('csrf');
    for (const bad of ['http://evil.example', 'null', servers.captcha.origin, `http://127.0.0.1:${new URL(origin).port}`]) {
      const response = await postForm(request, `${origin}/melden`, { acuteDanger: 'nee' }, { origin: bad });
      // The page a resident with a privacy extension meets: Dutch, with the headers and a way back.
      await expectDutchRefusal(response, 403, 'Uw formulier is niet verstuurd', '/melden');
      expect(response.headers()['set-cookie']).toBeUndefined();
    }
    // With a draft in hand, a cross-site post cannot send the report either.
    await postSteps(request, raw(tag));
    const forged = await postForm(request, `${origin}/melden/controleren`, {}, { origin: 'http://evil.example' });
    expect(forged.status()).toBe(403);
    expect(reportsContaining(servers.main, tag)).toEqual([]);
    // The same post from the portal's own origin goes through.
    await send(request);
    expect(reportsContaining(servers.main, tag)).toHaveLength(1);
  });

  test('the honeypot field refuses the post with a Dutch message', async ({ request }) => {
    const tag = marker('honing');
    const step = await postForm(request, `${origin}/melden`, { acuteDanger: 'nee', website: 'http://spam.example' }, { origin });
    expect(step.status()).toBe(400);
    await expectUsableDutchPage(step, 'Laat het veld');
    await postSteps(request, raw(tag));
    const sendWithHoney = await postForm(request, `${origin}/melden/controleren`, { website: 'spam' }, { origin });
    expect(sendWithHoney.status()).toBe(400);
    expect(await sendWithHoney.text()).toContain('Er is een probleem');
    expect(reportsContaining(servers.main, tag)).toEqual([]);
  });

  test('odd requests never get a 5xx', async ({ request }) => {
    const tag = marker('raar');
    const responses: [string, APIResponse][] = [];
    const get = async (path: string, headers: Record<string, string> = {}) =>
      responses.push([`GET ${path}`, await request.get(`${origin}${path}`, { headers, maxRedirects: 0, failOnStatusCode: false })]);
    const post = async (path: string, body: string, headers: Record<string, string> = {}) => {
      const response = await postForm(request, `${origin}${path}`, body, { origin, headers });
      responses.push([`POST ${path} ${body.slice(0, 40)}`, response]);
      // A refusal redirects back to the page, which then shows the messages: that GET must work too.
      if (response.status() === 303 && locationPath(response) === path) {
        const shown = await request.get(`${origin}${path}`, { headers, maxRedirects: 0, failOnStatusCode: false });
        responses.push([`GET ${path} after POST ${body.slice(0, 40)}`, shown]);
      }
    };

    await get('/melden/bestaat-niet');
    await get('/melden/%00');
    await get('/melden/..%2f..%2fetc%2fpasswd');
    await get('/melden/persoon?postcode=9351AB');
    await get('/melden', { Cookie: `mb_melding=${'A'.repeat(5000)}` });
    await get('/melden/controleren', { Cookie: 'mb_melding="; DROP TABLE drafts;--' });
    await get('/melden/bedankt', { Cookie: 'mb_melding=%00%ff%fe' });
    await post('/melden/persoon', 'personAge=18_plus', { Cookie: 'mb_melding=onbekend' });
    await post('/melden/controleren', '', { Cookie: 'mb_melding=onbekend' });
    await post('/melden', `acuteDanger=nee&${'a'.repeat(300)}=${'b'.repeat(300)}`.repeat(50));
    await post('/melden/zorgen', 'concerns[]=eenzaamheid&description[]=abc&concernSince[0]=x');
    await post('/melden/zorgen', `description=%ED%A0%80%C0%AF%FF+ongeldige+UTF-8+${tag}`);
    await post('/melden', 'acuteDanger=%E0%A4%A', { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' });
    await post('/melden', '--x\r\nContent-Disposition: form-data; name="acuteDanger"\r\n\r\nnee', {
      'Content-Type': 'multipart/form-data; boundary=x',
    });
    responses.push([
      'POST multipart with a file',
      await request.post(`${origin}/melden/zorgen`, {
        multipart: { description: { name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('bestand') }, concerns: 'eenzaamheid' },
        headers: { Origin: origin },
        maxRedirects: 0,
      }),
    ]);
    for (const [what, response] of responses) {
      expect(response.status(), what).toBeLessThan(500);
      expect(response.status(), what).toBeGreaterThanOrEqual(200);
    }
    // None was taken as a good answer: each is refused (4xx) or sent elsewhere (303); only the plain
    // first step (with an overlong cookie, which is ignored) is a page as usual.
    expect(responses.filter(([, r]) => r.status() === 200).map(([what]) => what)).toEqual(['GET /melden']);
    expect(responses.filter(([, r]) => r.status() >= 400 && r.status() !== 403).length).toBeGreaterThan(4);
  });

  test('odd methods, hidden routes and undecodable addresses: a Dutch page with the headers, never a 5xx', async ({ request }) => {
    const answers: [string, APIResponse][] = [];
    for (const method of ['TRACE', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      for (const path of ['/', '/melden', '/melden/controleren', '/intern/triage', '/health', '/favicon.svg']) {
        const response = await request.fetch(`${origin}${path}`, { method, maxRedirects: 0, failOnStatusCode: false });
        answers.push([`${method} ${path}`, response]);
        await expectDutchRefusal(response, 405, 'Dit verzoek kan hier niet');
        expect(response.headers()['allow'], `${method} ${path}`).toBe('GET, HEAD, POST');
      }
    }
    // Astro's image service is not used, and /500 is the error page, not a route.
    for (const [method, path] of [['GET', '/_image?href=/favicon.svg&w=10'], ['GET', '/_image'], ['GET', '/500'], ['POST', '/500'], ['GET', '/500/'], ['GET', '/geweigerd']]) {
      const response = await request.fetch(`${origin}${path}`, { method: method!, headers: { Origin: origin }, maxRedirects: 0, failOnStatusCode: false });
      answers.push([`${method} ${path}`, response]);
      expect(response.status(), `${method} ${path}`).toBe(404);
      expectSecurityHeaders(response, `${method} ${path}`);
      expect(await response.text()).toContain('Deze pagina bestaat niet');
    }
    for (const path of ['/%E0%A4%A', '/melden/%C0', '/melden?postcode=%E0%A4%A']) {
      const response = await request.get(`${origin}${path}`, { maxRedirects: 0, failOnStatusCode: false });
      answers.push([`GET ${path}`, response]);
      await expectDutchRefusal(response, 400, 'Dit adres kunnen wij niet lezen');
    }
    for (const [what, response] of answers) expect(response.status(), what).toBeLessThan(500);
  });

  test('directory redirects never echo an encoded slash or backslash into Location', async ({ request }) => {
    for (const path of ['/_astro', '/_astro/', '/%5F%61stro', '/%5C%5Cevil.example%2F_astro', '/%2F%2Fevil.example/_astro', '/_astro%2F..%2F_astro', '/_astro%5C', '//_astro', '///_astro']) {
      const response = await request.get(`${origin}${path}`, { maxRedirects: 0, failOnStatusCode: false });
      expect(response.status(), path).toBe(404);
      expect(response.headers()['location'], path).toBeUndefined();
      expectSecurityHeaders(response, path);
    }
  });

  test('a body over the limit gets 413 everywhere: the login and the final submit too, and nothing is kept', async ({ request }) => {
    const tag = marker('groot');
    const big = `${tag}${'x'.repeat(2 * 1024 * 1024)}`;
    const login = await postForm(request, `${origin}/intern/inloggen`, { email: `${tag}@test.example`, password: big }, { origin });
    await expectDutchRefusal(login, 413, 'U heeft te veel tekst ingevuld om te versturen.', '/intern/inloggen');
    // The same body without a Content-Length (chunked): read up to the limit first, the same Dutch page, 413.
    const chunked = await fetch(`${origin}/intern/inloggen`, {
      method: 'POST',
      headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new Blob([`email=${tag}%40test.example&password=${big}`]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    const page = await chunked.text();
    expect(page).toContain('<html lang="nl">');
    expect(page).toContain('U heeft te veel tekst ingevuld om te versturen.');
    expect(page).toContain('href="/intern/inloggen"');
    await postSteps(request, raw(tag));
    const submit = await postForm(request, `${origin}/melden/controleren`, { website: big }, { origin });
    await expectDutchRefusal(submit, 413, 'U heeft te veel tekst ingevuld om te versturen.', '/melden/controleren');
    expect(reportsContaining(servers.main, tag)).toEqual([]);
    // The draft is still there: the report can still be sent.
    await send(request);
    expect(reportsContaining(servers.main, tag)).toHaveLength(1);
  });

  test('a resident whose browser hides the origin (Origin: null) sees the Dutch page, accessible, and gets back to the form', async ({ browser }) => {
    const context = await browser.newContext({ extraHTTPHeaders: { Origin: 'null' } });
    const page = await context.newPage();
    await page.goto(`${origin}/melden`);
    await page.getByLabel('Nee', { exact: true }).check();
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Volgende' }).click()]);
    expect(response.status()).toBe(403);
    await expect(page).toHaveTitle(/^Fout: Formulier niet verstuurd/);
    await expect(page.getByRole('alert')).toContainText('Uw formulier is niet verstuurd');
    await expectNoAxeViolations(page, '403 Origin: null');
    await page.getByRole('link', { name: 'Terug naar de pagina' }).click();
    await expect(page).toHaveURL(`${origin}/melden`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Direct gevaar');
    await context.close();
  });
});
