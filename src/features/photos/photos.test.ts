import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { useTempDatabase } from '#tests/support/unit-db.ts';
import { HEIC_MARKER, HEIC_PHOTO } from '#tests/fixtures/heic.ts';

useTempDatabase('photos');
const { db } = await import('#platform/db.ts');
const { recordReport } = await import('#features/intake/intake.server.ts');
const { insertUser } = await import('#features/auth/users.repo.server.ts');
const { deleteReports } = await import('#features/reports/reports.repo.server.ts');
const { purgeExpired } = await import('#features/retention/retention.server.ts');
const { attachPhotos, keptPhotos, receivePhotos, reencodePhoto, reportPhotos, viewPhoto } = await import('./photos.server.ts');
const { resealPhotos } = await import('./photos.repo.server.ts');
const { PHOTO_MESSAGES, PHOTO_FIELD, PHOTO_REMOVE_FIELD, PHOTO_SET_FIELD } = await import('./photos.schema.ts');

const at = new Date('2030-06-01T10:00:00Z');
const MARKER = 'GEHEIM-TOESTEL-4711';

/** A landscape JPEG (600 × 400 pixels) shown upright as portrait (EXIF orientation 6), with GPS and a maker note. */
async function phonePhoto(): Promise<Buffer> {
  return sharp({ create: { width: 600, height: 400, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: 'Telefoonmaker', Model: MARKER },
      IFD2: { MakerNote: MARKER, UserComment: MARKER },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '53/1 12/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '6/1 24/1 0/1' },
    })
    .toBuffer();
}

/** A PNG whose header claims `side` × `side` pixels (a decompression bomb: tiny on disk). */
async function bomb(side: number): Promise<Buffer> {
  const png = Buffer.from(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer());
  png.writeUInt32BE(side, 16);
  png.writeUInt32BE(side, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
  return png;
}

test('a phone photo: upright, at most 2048 px, JPEG, and nothing of its metadata left', async () => {
  const input = await phonePhoto();
  assert.ok(input.includes(Buffer.from(MARKER)), 'the test photo carries the marker');
  const result = await reencodePhoto(input);
  assert.ok(result.ok);
  const meta = await sharp(result.photo.image).metadata();
  assert.equal(meta.format, 'jpeg');
  assert.deepEqual([meta.width, meta.height, result.photo.width, result.photo.height], [400, 600, 400, 600]);
  assert.equal(meta.exif, undefined);
  assert.equal(meta.orientation, undefined);
  assert.equal(meta.icc, undefined);
  assert.equal(meta.xmp, undefined);
  assert.ok(!Buffer.from(result.photo.image).includes(Buffer.from(MARKER)));
  assert.ok(!Buffer.from(result.photo.image).includes(Buffer.from('Exif')));
  const thumb = await sharp(result.photo.thumbnail).metadata();
  assert.ok(Math.max(thumb.width!, thumb.height!) <= 320);

  const large = await reencodePhoto(await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#888' } }).png().toBuffer());
  assert.ok(large.ok);
  assert.deepEqual([large.photo.width, large.photo.height], [2048, 1536]);
});

test('an iPhone HEIC (HEVC): decoded in its own thread, a JPEG with the same picture and nothing of its metadata', async () => {
  assert.ok(HEIC_PHOTO.includes(Buffer.from(HEIC_MARKER)), 'the test photo carries the marker');
  assert.equal((await sharp(HEIC_PHOTO).metadata()).compression, 'hevc');
  const result = await reencodePhoto(HEIC_PHOTO);
  assert.ok(result.ok);
  const meta = await sharp(result.photo.image).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height, meta.exif], ['jpeg', 60, 40, undefined]);
  assert.ok(!Buffer.from(result.photo.image).includes(Buffer.from(HEIC_MARKER)));
  // The picture itself: red on the left, blue on the right.
  const { data } = await sharp(result.photo.image).raw().toBuffer({ resolveWithObject: true });
  const pixel = (x: number, y: number) => [...data.subarray((y * 60 + x) * 3, (y * 60 + x) * 3 + 3)];
  const [lr, , lb] = pixel(10, 20);
  const [rr, , rb] = pixel(50, 20);
  assert.ok(lr! > 150 && lb! < 100, `left ${pixel(10, 20)}`);
  assert.ok(rb! > 150 && rr! < 100, `right ${pixel(50, 20)}`);
  // A HEIC that is cut off: refused with a message, not a crash.
  for (const end of [300, 700, 1000]) {
    const cut = await reencodePhoto(HEIC_PHOTO.subarray(0, end));
    assert.ok(!cut.ok && ([PHOTO_MESSAGES.heic, PHOTO_MESSAGES.notAnImage, PHOTO_MESSAGES.broken] as string[]).includes(cut.message), `${end}: ${JSON.stringify(cut)}`);
  }
});

test('not an image, a truncated JPEG, a bomb and an SVG are refused with their messages', async () => {
  const jpeg = await phonePhoto();
  assert.deepEqual(await reencodePhoto(Buffer.from('Dit is geen foto maar tekst.')), { ok: false, message: PHOTO_MESSAGES.notAnImage });
  assert.deepEqual(await reencodePhoto(jpeg.subarray(0, Math.floor(jpeg.length * 0.6))), { ok: false, message: PHOTO_MESSAGES.broken });
  assert.deepEqual(await reencodePhoto(await bomb(20_000)), { ok: false, message: PHOTO_MESSAGES.tooManyPixels });
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
  assert.deepEqual(await reencodePhoto(svg), { ok: false, message: PHOTO_MESSAGES.notAnImage });
});

test('kept for a refused form, removed, attached to the report, viewed (audited), deleted with the report, re-sealed', async () => {
  const officer = insertUser({ email: 'boa@test.example', name: 'BOA', role: 'boa', passwordHash: 'x', totpSecret: 'x' }, at);
  const other = insertUser({ email: 'boa2@test.example', name: 'BOA 2', role: 'boa', passwordHash: 'x', totpSecret: 'x' }, at);
  const photo = new File([new Uint8Array(await phonePhoto())], 'IMG_0001.jpg', { type: 'image/jpeg' });
  const form = new FormData();
  form.append(PHOTO_FIELD, photo);
  form.append(PHOTO_FIELD, photo);
  form.append(PHOTO_FIELD, new File(['tekst'], 'tekst.jpg', { type: 'image/jpeg' }));
  const first = await receivePhotos(form, officer, at);
  assert.equal(first.kept.length, 2);
  assert.equal(first.error, PHOTO_MESSAGES.notAnImage);
  assert.ok(first.token);
  assert.deepEqual(keptPhotos(first.token, other, at).kept, [], 'another officer does not get them');

  // Four more on the same form: only three fit.
  const more = new FormData();
  more.set(PHOTO_SET_FIELD, first.token);
  for (let i = 0; i < 4; i++) more.append(PHOTO_FIELD, photo);
  const second = await receivePhotos(more, officer, at);
  assert.equal(second.kept.length, 5);
  assert.equal(second.error, PHOTO_MESSAGES.tooMany);

  const remove = new FormData();
  remove.set(PHOTO_SET_FIELD, first.token);
  remove.set(PHOTO_REMOVE_FIELD, second.kept[0]!.id);
  const third = await receivePhotos(remove, officer, at);
  assert.ok(third.removed);
  assert.deepEqual(third.kept.map((p) => p.label), ['Foto 1', 'Foto 2', 'Foto 3', 'Foto 4']);

  const { id, reference } = recordReport(
    { channel: 'boa', acuteDanger: false, concerns: ['vervuiling'], involved: [], anonymous: false, captchaStatus: 'niet_van_toepassing', description: 'Een dak stort in.' },
    { now: at, alsoInTransaction: (stored) => assert.equal(attachPhotos(first.token, stored.id, officer, at), 4) },
  );
  assert.deepEqual(keptPhotos(first.token, officer, at).kept, [], 'no longer waiting');
  const photos = reportPhotos(reference);
  assert.equal(photos.length, 4);
  assert.match(photos[0]!.alt, /^Foto 1 van de BOA, 1 juni 2030$/);
  const photoId = photos[0]!.url.split('/').at(-1)!;
  const actor = { id: officer, role: 'coordinator' as const };
  const full = viewPhoto(reference, photoId, 'image', actor, at)!;
  assert.equal((await sharp(full).metadata()).height, 600);
  assert.equal(viewPhoto('MB-ZZZZZZZZ', photoId, 'image', actor, at), undefined);
  assert.equal(viewPhoto(reference, 'A'.repeat(22), 'thumbnail', actor, at), undefined);
  const audits = db().prepare(`SELECT detail FROM audit_log WHERE action = 'foto_bekeken' AND object_id = ?`).all(reference);
  assert.deepEqual(audits, [{ detail: 'foto 1, volledig' }]);

  // Sealed: the stored bytes are no JPEG and hold nothing of it; a pass under the same key changes nothing.
  const stored = db().prepare('SELECT image FROM report_photos WHERE id = ?').get(photoId) as { image: Buffer };
  assert.equal(stored.image[0], 1);
  assert.ok(!stored.image.subarray(33).includes(full.subarray(0, 64)));
  assert.equal(resealPhotos('', 100).changed, 0);

  const count = () => (db().prepare('SELECT count(*) AS n FROM report_photos').get() as { n: number }).n;
  assert.equal(count(), 4);
  deleteReports([id]);
  assert.equal(count(), 0, 'deleted with the report');
});

test('photos of a form never sent expire like drafts', async () => {
  const officer = insertUser({ email: 'boa3@test.example', name: 'BOA 3', role: 'boa', passwordHash: 'x', totpSecret: 'x' }, at);
  const form = new FormData();
  form.append(PHOTO_FIELD, new File([new Uint8Array(await phonePhoto())], 'a.jpg'));
  const kept = await receivePhotos(form, officer, at);
  assert.equal(kept.kept.length, 1);
  assert.equal(purgeExpired(at).photos, 0);
  assert.equal(purgeExpired(new Date(at.getTime() + 25 * 3_600_000)).photos, 1);
});

test('key rotation: the encryption pass seals every photo again under the new key, and they still open', async () => {
  const { appendFileSync } = await import('node:fs');
  const { randomBytes } = await import('node:crypto');
  const { config } = await import('#platform/config.ts');
  const { keyring, resetKeyring } = await import('#platform/crypto/keyring.server.ts');
  const { keyIdOfBytes } = await import('#platform/crypto/field-crypto.ts');
  const { runPass } = await import('#features/encryption/encryption.server.ts');
  const officer = insertUser({ email: 'boa4@test.example', name: 'BOA 4', role: 'boa', passwordHash: 'x', totpSecret: 'x' }, at);
  const form = new FormData();
  form.append(PHOTO_FIELD, new File([new Uint8Array(await phonePhoto())], 'a.jpg'));
  const { token } = await receivePhotos(form, officer, at);
  const { reference } = recordReport(
    { channel: 'boa', acuteDanger: false, concerns: ['vervuiling'], involved: [], anonymous: false, captchaStatus: 'niet_van_toepassing', description: 'Rotatie.' },
    { now: at, alsoInTransaction: (stored) => void attachPhotos(token, stored.id, officer, at) },
  );
  const keyIds = () => (db().prepare('SELECT image, thumbnail FROM report_photos').all() as { image: Buffer; thumbnail: Buffer }[]).flatMap((r) => [keyIdOfBytes(r.image), keyIdOfBytes(r.thumbnail)]);
  const oldId = keyring().current.id;
  appendFileSync(config().dataKey.file, `${randomBytes(32).toString('base64')}\n`);
  resetKeyring();
  const newId = keyring().current.id;
  assert.notEqual(newId, oldId);
  assert.deepEqual([...new Set(keyIds())], [oldId]);
  assert.ok(runPass({ batchSize: 1 })['report_photos']! >= 1);
  assert.deepEqual([...new Set(keyIds())], [newId]);
  const id = reportPhotos(reference)[0]!.url.split('/').at(-1)!;
  assert.equal((await sharp(viewPhoto(reference, id, 'image', { id: officer, role: 'coordinator' }, at)!).metadata()).format, 'jpeg');
  assert.equal(runPass()['report_photos'], 0, 'a second pass changes nothing');
});
