// Photos on the BOA form (spec §4, issue 15): an officer on a phone attaches photos to Mevr. B.'s report,
// with JavaScript on and off; the server re-encodes them (upright, no EXIF, no GPS, no maker note), keeps
// them across an error elsewhere on the form, refuses what is no photo, stores them encrypted, and shows
// them to coordinators only. The photos are made here with sharp, with a rotation, GPS and a marker.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import type { APIRequestContext, Page } from '@playwright/test';
import { amsterdamLocal, mevrB } from '../../fixtures/cases.ts';
import { HEIC_MARKER, HEIC_PHOTO } from '../../fixtures/heic.ts';
import { auditRows, createAccount, reportsContaining, expect, expectNoAxeViolations, field, loginAs, marker, servers, submit, submitRefused, test, withDb, withWritableDb } from '../fixtures.ts';
import { S, expectFormErrors, expectStaffForm, fillStaffForm, openStaffForm, savedReference, staffAnswers, type StaffAnswers } from './staff-utils.ts';

const staff = servers.staff;
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PHOTOS = "Foto's";
const RED = { r: 220, g: 20, b: 20 };
const BLUE = { r: 20, g: 20, b: 220 };

/**
 * A phone's photo: stored 1200 × 800 with its top half red and bottom half blue, and EXIF orientation 6
 * (turn a quarter clockwise to show it), so upright it is 800 × 1200 with blue left and red right. Its EXIF
 * holds the camera (`marker` as the model and the maker note) and a GPS position.
 */
async function phonePhoto(mark: string): Promise<Buffer> {
  return sharp({ create: { width: 1200, height: 800, channels: 3, background: RED } })
    .composite([{ input: { create: { width: 1200, height: 400, channels: 3, background: BLUE } }, top: 400, left: 0 }])
    .jpeg({ quality: 90 })
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: 'Telefoonmaker', Model: mark },
      IFD2: { MakerNote: mark, UserComment: mark },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '53/1 12/1 30/1', GPSLongitudeRef: 'E', GPSLongitude: '6/1 16/1 10/1' },
    })
    .toBuffer();
}

/** A PNG whose header claims 20 000 × 20 000 pixels (400 megapixels): a decompression bomb of a few bytes. */
async function bomb(): Promise<Buffer> {
  const png = Buffer.from(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer());
  png.writeUInt32BE(20_000, 16);
  png.writeUInt32BE(20_000, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
  return png;
}

const jpegFile = (name: string, buffer: Buffer) => ({ name, mimeType: 'image/jpeg', buffer });

/** The officer's answers for Mevr. B., seen an hour ago. */
function answersFor(tag: string): StaffAnswers {
  const answers = staffAnswers(mevrB(tag), 'boa');
  return { ...answers, observation: { ...answers.observation, observedAt: amsterdamLocal(new Date(Date.now() - 3_600_000)) } };
}

const photosField = (page: Page) => field(page, PHOTOS);

/** Nothing sticks out sideways at 390 px, nor on the narrowest phone (320 px); the viewport is put back. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const before = page.viewportSize()!;
  for (const width of [before.width, 320]) {
    await page.setViewportSize({ width, height: before.height });
    const widths = await page.locator('html').evaluate((html) => ({ scroll: html.scrollWidth, client: html.clientWidth }));
    expect(widths.scroll, `page width at ${width} px`).toBeLessThanOrEqual(widths.client);
  }
  await page.setViewportSize(before);
}

/** The photos of a report in the database: ids and the raw (sealed) bytes. */
function storedPhotos(reference: string): { id: string; image: Buffer }[] {
  return withDb(staff, (db) =>
    db.prepare('SELECT p.id, p.image FROM report_photos p JOIN reports r ON r.id = p.report_id WHERE r.reference = ? ORDER BY p.position').all(reference),
  ) as { id: string; image: Buffer }[];
}

/** A BOA report of Mevr. B. with `count` photos, sent without a browser (multipart, as the form does). */
async function reportWithPhotos(req: APIRequestContext, tag: string, count: number): Promise<string> {
  const form = new FormData();
  const fields: [string, string][] = [
    ['acuteDanger', 'nee'], ['personAge', '18_plus'], ['locationKind', 'geen_vast_adres'],
    ['locationDescription', `Bij de molen ${tag}`], ['concerns', 'vervuiling'],
    ['description', `Het dak staat op instorten. Kenmerk ${tag}.`], ['concernSince', 'langer_dan_jaar'],
    ['dangerToSelf', 'ja'], ['dangerToOthers', 'ja'], ['personAware', 'weet_niet'],
    ['observedAt', amsterdamLocal(new Date(Date.now() - 3_600_000))], ['policePresent', 'nee'], ['intent', 'opslaan'],
  ];
  for (const [k, v] of fields) form.append(k, v);
  for (let i = 0; i < count; i++) form.append('fotos', new Blob([new Uint8Array(await phonePhoto(tag))], { type: 'image/jpeg' }), `foto-${i}.jpg`);
  const posted = await req.post(`${staff.origin}/intern/boa/melding`, { multipart: form, headers: { origin: staff.origin }, maxRedirects: 0 });
  expect(posted.status()).toBe(303);
  const reference = /\/opgeslagen\/(MB-[A-Z2-9]{8})$/.exec(posted.headers()['location'] ?? '')?.[1];
  expect(reference).toBeTruthy();
  return reference!;
}

test.describe('BOA photos on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: false, hasTouch: true });

  test("Mevr. B.: three photos survive an error elsewhere and a Verwijderen; the coordinator sees them upright, without EXIF or GPS, and nothing of them is readable in the database or a backup", async ({ page, browser }) => {
    test.slow();
    const tag = marker('foto');
    const mark = `TOESTEL-${tag}`;
    const photo = await phonePhoto(mark);
    expect(photo.includes(Buffer.from(mark)), 'the test photo carries the marker').toBe(true);
    const original = await sharp(photo).metadata();
    expect([original.width, original.height, original.orientation, Boolean(original.exif)]).toEqual([1200, 800, 6, true]);

    await openStaffForm(page, 'boa', createAccount(staff, 'boa'));
    const input = photosField(page);
    await expect(input).toHaveAttribute('type', 'file');
    await expect(input).toHaveAttribute('multiple', '');
    await expect(input).toHaveAttribute('accept', 'image/jpeg,image/png,image/heic,image/heif,image/webp');

    // Everything but the observation time, and three photos: refused, the photos kept on the server.
    const answers = answersFor(tag);
    await fillStaffForm(page, { ...answers, observation: { ...answers.observation, observedAt: '' } });
    await input.setInputFiles([jpegFile('IMG_0001.jpg', photo), jpegFile('IMG_0002.jpg', photo), jpegFile('IMG_0003.jpg', photo)]);
    // With JavaScript, a comfort island shows what was chosen before it is sent.
    if (test.info().project.use.javaScriptEnabled !== false) {
      await expect(page.getByRole('list', { name: "Gekozen foto's, nog niet verstuurd" }).getByRole('img')).toHaveCount(3);
      await expect(page.getByRole('img', { name: 'Gekozen foto 1: IMG_0001.jpg' })).toBeVisible();
    }
    const refused = await submitRefused(page, S.save);
    await expectFormErrors(page, refused, ['Vul de datum en tijd van de waarneming in']);
    await expect(page.getByText("3 foto's toegevoegd", { exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: /verwijderen$/i })).toHaveCount(3);
    await expectNoAxeViolations(page, 'the BOA form with kept photos and an error');
    await expectNoSidewaysScroll(page);

    // Verwijderen removes one (the other answers stay), then one more is added and the report is saved.
    await page.getByRole('button', { name: 'Foto 3 verwijderen' }).click();
    await page.waitForLoadState('domcontentloaded');
    await expect(page.getByText("2 foto's toegevoegd", { exact: true })).toBeVisible();
    await field(page, S.observedAt).fill(answers.observation!.observedAt!);
    await expectStaffForm(page, answers);
    await photosField(page).setInputFiles([jpegFile('IMG_0004.jpg', photo)]);
    expect((await submit(page, S.save)).status()).toBe(303);
    const reference = await savedReference(page, 'boa');
    const stored = storedPhotos(reference);
    expect(stored).toHaveLength(3);

    // The coordinator: three thumbnails with alt text, each a link to the full view.
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'nl-NL' });
    try {
      const coordinator = await context.newPage();
      await loginAs(coordinator, staff, 'coordinator');
      await coordinator.goto(`${staff.origin}/intern/triage/${reference}`);
      const section = coordinator.getByRole('region', { name: PHOTOS });
      const day = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'long' }).format(new Date());
      for (const n of [1, 2, 3]) await expect(section.getByRole('img', { name: `Foto ${n} van de BOA, ${day}` })).toBeVisible();
      await expectNoAxeViolations(coordinator, 'the report page with photos');
      await expectNoSidewaysScroll(coordinator);

      const link = section.getByRole('link').first();
      const url = new URL((await link.getAttribute('href'))!, staff.origin).toString();
      expect(url).not.toMatch(/\/foto\/[0-9]+$/);
      const full = await coordinator.request.get(url);
      expect(full.status()).toBe(200);
      expect(full.headers()['content-type']).toBe('image/jpeg');
      expect(full.headers()['cache-control']).toBe('no-store');
      const bytes = await full.body();
      const meta = await sharp(bytes).metadata();
      // Upright: portrait, blue on the left and red on the right; no EXIF, no orientation, no GPS.
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 800, 1200]);
      expect(meta.exif).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.iptc).toBeUndefined();
      expect(bytes.includes(Buffer.from('Exif'))).toBe(false);
      expect(bytes.includes(Buffer.from(mark))).toBe(false);
      const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
      const at = (x: number, y: number) => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
      const [lr, , lb] = at(100, 600);
      const [rr, , rb] = at(700, 600);
      expect(lb! > 150 && lr! < 80, `left is blue: ${at(100, 600)}`).toBe(true);
      expect(rr! > 150 && rb! < 80, `right is red: ${at(700, 600)}`).toBe(true);
      const thumbnail = await coordinator.request.get(`${url}?klein=1`);
      expect(thumbnail.headers()['cache-control']).toBe('no-store');
      const thumbMeta = await sharp(await thumbnail.body()).metadata();
      expect(Math.max(thumbMeta.width!, thumbMeta.height!)).toBeLessThanOrEqual(320);

      // Each view audited (the page's three thumbnails, and the two fetched here at least).
      const views = auditRows(staff, { action: 'foto_bekeken', object_id: reference });
      expect(views.length).toBeGreaterThanOrEqual(5);
      expect(views.map((v) => v.detail)).toContain('foto 1, volledig');

      // Neither the image nor the marker of its EXIF is in the database, its WAL, or a backup.
      const backup = path.join(mkdtempSync(path.join(tmpdir(), 'mb-photos-')), 'backup.db');
      const live = new Database(staff.dbPath, { readonly: true, fileMustExist: true });
      await live.backup(backup);
      live.close();
      const piece = bytes.subarray(Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 48);
      for (const file of [staff.dbPath, `${staff.dbPath}-wal`, backup]) {
        if (!existsSync(file)) continue;
        const content = readFileSync(file);
        expect(content.includes(piece), `image bytes in ${path.basename(file)}`).toBe(false);
        expect(content.includes(Buffer.from(mark)), `EXIF marker in ${path.basename(file)}`).toBe(false);
        expect(content.includes(photo.subarray(0, 2048)), `the upload in ${path.basename(file)}`).toBe(false);
      }
      expect(stored.every((s) => s.image[0] === 1 && !s.image.includes(piece))).toBe(true);
    } finally {
      await context.close();
    }
  });

  test('an iPhone photo (HEIC with HEVC) is taken: stored as a JPEG of the same picture, without its EXIF', async ({ page, staffClient }) => {
    const tag = marker('heic');
    await openStaffForm(page, 'boa', createAccount(staff, 'boa'));
    await fillStaffForm(page, answersFor(tag));
    await photosField(page).setInputFiles([{ name: 'IMG_0005.HEIC', mimeType: 'image/heic', buffer: HEIC_PHOTO }]);
    expect((await submit(page, S.save)).status()).toBe(303);
    const reference = await savedReference(page, 'boa');
    expect(storedPhotos(reference)).toHaveLength(1);
    const coordinator = await staffClient(staff, 'coordinator');
    const html = await (await coordinator.get(`${staff.origin}/intern/triage/${reference}`)).text();
    const href = /href="([^"]*\/foto\/[^"]+)"/.exec(html)?.[1];
    expect(href, 'a link to the full photo').toBeTruthy();
    const full = await coordinator.get(`${staff.origin}${href}`);
    expect(full.headers()['content-type']).toBe('image/jpeg');
    const bytes = await full.body();
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width, meta.height, meta.exif]).toEqual(['jpeg', 60, 40, undefined]);
    expect(bytes.includes(Buffer.from(HEIC_MARKER))).toBe(false);
  });

  test('a text file named .jpg, a truncated JPEG, a decompression bomb and a 16 MB file: each its message, every answer kept', async ({ page }) => {
    test.slow();
    const tag = marker('foto-fout');
    const photo = await phonePhoto(tag);
    await openStaffForm(page, 'boa', createAccount(staff, 'boa'));
    const answers = answersFor(tag);
    await fillStaffForm(page, answers);
    const cases: [string, { name: string; mimeType: string; buffer: Buffer }, string][] = [
      ['text', jpegFile('notitie.jpg', Buffer.from('Dit is een tekstbestand en geen foto.\n')), 'Dit bestand is geen foto. Kies een JPEG-, PNG-, HEIC- of WebP-bestand.'],
      ['truncated', jpegFile('half.jpg', photo.subarray(0, Math.floor(photo.length * 0.6))), 'Deze foto is beschadigd of niet compleet. Kies de foto opnieuw of maak een nieuwe foto.'],
      ['bomb', { name: 'bom.png', mimeType: 'image/png', buffer: await bomb() }, 'Deze foto heeft te veel beeldpunten. Een foto mag hoogstens 50 megapixel zijn.'],
      ['16 MB', jpegFile('groot.jpg', Buffer.concat([photo, Buffer.alloc(16 * 1024 * 1024 - photo.length, 0x20)])), 'Deze foto is te groot. Een foto mag hoogstens 15 MB zijn.'],
    ];
    for (const [what, file, message] of cases) {
      await photosField(page).setInputFiles([file]);
      const refused = await submitRefused(page, S.save);
      await expectFormErrors(page, refused, [message]);
      await expect(page.getByText(`Fout: ${message}`, { exact: true }), what).toBeVisible();
      await expectStaffForm(page, answers);
      await expect(page.getByText(/foto's? toegevoegd/)).toHaveCount(0);
    }
    expect(reportsContaining(staff, tag)).toEqual([]);
  });
});

test.describe('who may see a photo', () => {
  test('in the casus timeline the coordinator sees the report\'s photos: thumbnails through the photo route with alt texts, each view audited', async ({ page, staffClient }) => {
    test.slow();
    const tag = marker('foto-casus');
    const reference = await reportWithPhotos(await staffClient(staff, createAccount(staff, 'boa')), tag, 2);
    await loginAs(page, staff, 'coordinator');
    const made = await page.request.post(`${staff.origin}/intern/triage/${reference}`, { form: { intent: 'case_create', caseName: `Mevr. B. ${tag}` }, headers: { origin: staff.origin }, maxRedirects: 0 });
    expect(made.status()).toBe(303);
    const nummer = withDb(staff, (db) => db.prepare('SELECT cr.case_id FROM case_reports cr JOIN reports r ON r.id = cr.report_id WHERE r.reference = ?').pluck().get(reference)) as number;
    const before = auditRows(staff, { action: 'foto_bekeken', object_id: reference }).length;
    await page.goto(`${staff.origin}/intern/casussen/${nummer}`);
    const photos = page.getByRole('region', { name: 'Tijdlijn' }).getByRole('list', { name: `Foto's bij ${reference}` });
    const day = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'long' }).format(new Date());
    for (const n of [1, 2]) {
      const img = photos.getByRole('img', { name: `Foto ${n} van de BOA, ${day}, melding ${reference}` });
      // Lazy: fetched (and audited) when scrolled into view.
      await img.scrollIntoViewIfNeeded();
      await expect(img).toBeVisible();
      await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
      expect(await img.getAttribute('src')).toMatch(new RegExp(`^/intern/triage/${reference}/foto/[A-Za-z0-9_-]{22}\\?klein=1$`));
    }
    await expect(photos.getByRole('link', { name: /Groot bekijken/ })).toHaveCount(2);
    await expect.poll(() => auditRows(staff, { action: 'foto_bekeken', object_id: reference }).slice(before).filter((r) => r.detail?.endsWith('klein')).length).toBeGreaterThanOrEqual(2);
    await expectNoAxeViolations(page, 'the casus page with photos');
    await expectNoSidewaysScroll(page);
  });

  test('KCC, BOA and admin cannot open a photo URL; a guessed id or another report\'s 404s; retention deletes them with the report', async ({ staffClient }) => {
    test.skip(test.info().project.name === 'js-off', 'no browser involved: runs once');
    const officer = createAccount(staff, 'boa');
    const boa = await staffClient(staff, officer);
    const tag = marker('foto-rol');
    const reference = await reportWithPhotos(boa, tag, 2);
    const other = await reportWithPhotos(boa, `${tag}-b`, 1);
    const [first] = storedPhotos(reference);
    const url = `${staff.origin}/intern/triage/${reference}/foto/${first!.id}`;

    const coordinator = await staffClient(staff, 'coordinator');
    expect((await coordinator.get(url)).status()).toBe(200);
    for (const role of ['kcc', 'boa', 'admin'] as const) {
      const client = role === 'boa' ? boa : await staffClient(staff, role);
      const response = await client.get(url, { maxRedirects: 0 });
      expect(response.status(), role).not.toBe(200);
      expect(response.headers()['content-type'] ?? '', role).not.toContain('image/');
    }
    // A guessed id, a sequence number, and the photo of another report under this reference.
    const [otherPhoto] = storedPhotos(other);
    for (const guess of ['AAAAAAAAAAAAAAAAAAAAAA', '1', otherPhoto!.id]) {
      expect((await coordinator.get(`${staff.origin}/intern/triage/${reference}/foto/${guess}`)).status(), guess).toBe(404);
    }
    // Never in the officer's own pages or the saved page.
    const saved = await (await boa.get(`${staff.origin}/intern/boa/opgeslagen/${reference}`)).text();
    expect(saved).not.toContain('/foto/');

    // Retention: the report closed long ago is deleted, its photos with it.
    withWritableDb(staff, (db) => db.prepare(`UPDATE reports SET status = 'afgesloten', closed_at = '2015-01-01T00:00:00.000Z', outcome = 'geen_actie' WHERE reference = ?`).run(reference));
    execFileSync(process.execPath, ['src/cli/retention.ts'], { cwd: ROOT, env: { ...process.env, DATABASE_PATH: staff.dbPath, NODE_ENV: 'development' }, stdio: 'pipe' });
    expect(storedPhotos(reference)).toEqual([]);
    expect(withDb(staff, (db) => db.prepare('SELECT count(*) AS n FROM report_photos WHERE id = ?').get(first!.id))).toEqual({ n: 0 });
    expect((await coordinator.get(url)).status()).toBe(404);
    expect(storedPhotos(other)).toHaveLength(1);
  });
});

test.describe('the body limit', () => {
  test('stays 1 MB everywhere but the BOA form: a chunked 2 MB post to the login and a 2 MB multipart post to the KCC form get 413', async ({ staffClient }) => {
    test.skip(test.info().project.name === 'js-off', 'no browser involved: runs once');
    const origin = staff.origin;
    const big = 'x'.repeat(2 * 1024 * 1024);
    const chunked = await fetch(`${origin}/intern/inloggen`, {
      method: 'POST',
      headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new Blob([`email=a%40test.example&password=${big}`]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    const kcc = await staffClient(staff, 'kcc');
    const form = new FormData();
    form.append('acuteDanger', 'nee');
    form.append('fotos', new Blob([new Uint8Array(Buffer.from(big))], { type: 'image/jpeg' }), 'a.jpg');
    const posted = await kcc.post(`${origin}/intern/kcc/melding`, { multipart: form, headers: { origin }, maxRedirects: 0 });
    expect(posted.status()).toBe(413);
    // The BOA form reads the same 2 MB (a file that is no photo): its own message at the field.
    const boa = await staffClient(staff, createAccount(staff, 'boa'));
    const refused = await boa.post(`${origin}/intern/boa/melding`, { multipart: form, headers: { origin }, maxRedirects: 0 });
    expect(refused.status()).toBe(303);
    const page = await boa.get(`${origin}/intern/boa/melding`);
    expect(page.status()).toBe(400);
    expect(await page.text()).toContain('Dit bestand is geen foto.');
  });
});
