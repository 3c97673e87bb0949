// `npm run bench:photos`: how long the portal takes to accept a BOA report with five photos of about
// 4 MB each (12-megapixel JPEGs, as a phone takes them): one multipart POST of the form, from the first
// byte sent to the 303, which includes decoding, rotating, resizing and re-encoding each photo, its
// thumbnail, sealing both and the report's transaction. Prints the figures; writes nothing else.
//
// Settings (environment): BENCH_PHOTO_ROUNDS measured posts (default 5), after one unmeasured.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { StaffClient } from '../support/staff-client.ts';
import { killAllStarted, startPortal } from './servers.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
process.chdir(ROOT);
const ROUNDS = Number(process.env['BENCH_PHOTO_ROUNDS']) || 5;
const MB = 1024 * 1024;

/** A 4000 × 3000 JPEG of about 4 MB: a gradient with grain (noise makes it as large as a phone's photo). */
async function phonePhoto(): Promise<Buffer> {
  const width = 4000;
  const height = 3000;
  const raw = Buffer.alloc(width * height * 3);
  let seed = 1;
  for (let i = 0; i < raw.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const pixel = Math.floor(i / 3);
    raw[i] = ((pixel % width) / 16 + pixel / width / 12 + (seed % 24)) & 0xff;
  }
  let quality = 85;
  for (;;) {
    const jpeg = await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality }).withMetadata({ orientation: 6 }).toBuffer();
    if (jpeg.length >= 3.8 * MB || quality >= 98) return jpeg;
    quality += 3;
  }
}

function reportForm(photo: Buffer): FormData {
  const form = new FormData();
  const observed = new Date(Date.now() - 3_600_000).toLocaleString('sv-SE', { timeZone: 'Europe/Amsterdam' }).slice(0, 16).replace(' ', 'T');
  for (const [k, v] of [
    ['acuteDanger', 'nee'], ['personAge', '18_plus'], ['locationKind', 'geen_vast_adres'], ['locationDescription', 'Bij de molen'],
    ['concerns', 'vervuiling'], ['description', 'Het dak staat op instorten en de woning is zwaar vervuild.'], ['concernSince', 'langer_dan_jaar'],
    ['dangerToSelf', 'ja'], ['dangerToOthers', 'ja'], ['personAware', 'weet_niet'], ['observedAt', observed], ['policePresent', 'nee'], ['intent', 'opslaan'],
  ]) form.append(k!, v!);
  for (let i = 1; i <= 5; i++) form.append('fotos', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), `IMG_000${i}.jpg`);
  return form;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'mb-bench-photos-'));
try {
  const photo = await phonePhoto();
  const portal = await startPortal('bench-photos', dir, []);
  const boa = await StaffClient.create(portal.origin, portal.databasePath, 'boa');
  const times: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const form = reportForm(photo);
    const started = performance.now();
    const answer = await boa.postMultipart('/intern/boa/melding', form);
    const ms = performance.now() - started;
    if (answer.status !== 303 || !/\/intern\/boa\/opgeslagen\/MB-/.test(answer.headers.get('location') ?? '')) {
      throw new Error(`the BOA form answered ${answer.status} ${answer.headers.get('location') ?? ''}`);
    }
    if (round > 0) times.push(ms);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(`photos: a BOA report with five photos of ${(photo.length / MB).toFixed(1)} MB (4000 × 3000 JPEG) accepted in ${Math.round(median)} ms (median of ${times.length}; fastest ${Math.round(times[0]!)} ms, slowest ${Math.round(times.at(-1)!)} ms; ${os.cpus().length} cores)`);
  await portal.stop();
} finally {
  killAllStarted();
  rmSync(dir, { recursive: true, force: true });
}
