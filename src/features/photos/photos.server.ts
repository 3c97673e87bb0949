import { randomBytes } from 'node:crypto';
import { hashToken } from '#features/intake/drafts.repo.server.ts';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { config } from '#platform/config.ts';
import { decodeHeic } from './heic.decoder.server.ts';
import {
  PHOTO_FIELD,
  PHOTO_MAX_BYTES,
  PHOTO_MAX_COUNT,
  PHOTO_MAX_PIXELS,
  PHOTO_MAX_SIDE,
  PHOTO_MESSAGES,
  PHOTO_REMOVE_FIELD,
  PHOTO_SET_FIELD,
  PHOTO_THUMB_SIDE,
} from './photos.schema.ts';
import { audit, type Actor } from '#features/audit/audit.repo.server.ts';
import { reportIdOf } from '#features/triage/triage.queries.server.ts';
import { db } from '#platform/db.ts';
import {
  attachWaitingPhotos,
  photoBytes,
  photosOfReport,
  extendWaitingPhotos,
  insertWaitingPhoto,
  removeWaitingPhoto,
  waitingPhotos,
  type NewPhoto,
  type PhotoRow,
} from './photos.repo.server.ts';

/**
 * Photos on the BOA form (spec §4). Every upload is decoded and encoded again with sharp (libvips): the
 * EXIF orientation applied to the pixels, at most 2048 px on the long side, a baseline JPEG, and no
 * metadata at all (sharp writes none unless asked: no EXIF, GPS, maker notes, XMP, IPTC or ICC profile). A HEIC
 * with HEVC inside (an iPhone's) is decoded in a thread of its own first (heic.decoder.server.ts).
 * What does not decode as a JPEG, PNG, WebP or HEIF image, is truncated, or has more than 50 megapixels
 * is refused with its Dutch message. Accepted photos wait, sealed, under a random token the form
 * carries (a hidden field, bound to the officer too) until the report is saved or they expire like a
 * draft (the municipality's `retention.draftHours`).
 */

// One image at a time per request and no decoded images kept in memory between requests.
sharp.cache(false);

const DECODABLE = new Set(['jpeg', 'png', 'webp', 'heif']);
const PIXEL_LIMIT = /pixel limit/i;

export type Reencoded = { ok: true; photo: NewPhoto } | { ok: false; message: string };

/** Decodes an upload and encodes it again without metadata; or the message that refuses it. */
export async function reencodePhoto(input: Uint8Array): Promise<Reencoded> {
  const options = { limitInputPixels: PHOTO_MAX_PIXELS, failOn: 'warning' as const };
  let meta: Metadata;
  try {
    meta = await sharp(input, options).metadata();
  } catch (error) {
    // The header alone says how large the decoded image would be: a bomb is refused before decoding.
    return { ok: false, message: PIXEL_LIMIT.test(String(error)) ? PHOTO_MESSAGES.tooManyPixels : PHOTO_MESSAGES.notAnImage };
  }
  if (!DECODABLE.has(meta.format ?? '')) return { ok: false, message: PHOTO_MESSAGES.notAnImage };
  if ((meta.width ?? 0) * (meta.height ?? 0) > PHOTO_MAX_PIXELS) return { ok: false, message: PHOTO_MESSAGES.tooManyPixels };
  // A HEIC from an iPhone (HEVC inside HEIF): libvips here has no HEVC decoder, so its pixels come from the
  // decoder thread (libheif, with the photo's rotation applied), and from there it goes the same way.
  let source: Sharp;
  if (meta.format === 'heif' && meta.compression === 'hevc') {
    try {
      const decoded = await decodeHeic(input);
      source = sharp(decoded.data, { raw: { width: decoded.width, height: decoded.height, channels: 4 }, limitInputPixels: PHOTO_MAX_PIXELS });
    } catch {
      return { ok: false, message: PHOTO_MESSAGES.heic };
    }
  } else {
    source = sharp(input, options);
  }
  try {
    const { data, info } = await source
      .rotate()
      .resize({ width: PHOTO_MAX_SIDE, height: PHOTO_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    const thumbnail = await sharp(data)
      .resize({ width: PHOTO_THUMB_SIDE, height: PHOTO_THUMB_SIDE, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 75 })
      .toBuffer();
    return { ok: true, photo: { image: data, thumbnail, width: info.width, height: info.height } };
  } catch (error) {
    if (PIXEL_LIMIT.test(String(error))) return { ok: false, message: PHOTO_MESSAGES.tooManyPixels };
    return { ok: false, message: PHOTO_MESSAGES.broken };
  }
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** A kept photo as the form lists it. */
export interface KeptPhoto {
  id: string;
  label: string;
}

/** The photos kept for a form: the token its hidden field carries, and the list. */
export interface PhotoSet {
  token: string | undefined;
  kept: KeptPhoto[];
}

export interface ReceivedPhotos extends PhotoSet {
  /** The message for the field `Foto's`, when a file was refused. */
  error: string | undefined;
  /** The officer pressed `Verwijderen` for a kept photo: show the form again, nothing else to do. */
  removed: boolean;
}

const listed = (rows: PhotoRow[]): KeptPhoto[] => rows.map((r) => ({ id: r.id, label: `Foto ${r.position}` }));

const lifetime = (at: Date): Date => new Date(at.getTime() + config().municipality.retention.draftHours * 3_600_000);

/** The photos kept under a token for this officer (none for no token or an expired one). */
export function keptPhotos(token: string | undefined, userId: number, at: Date): PhotoSet {
  if (!token || !TOKEN.test(token)) return { token: undefined, kept: [] };
  return { token, kept: listed(waitingPhotos(hashToken(token), userId, at)) };
}

/**
 * Reads the photos of a posted BOA form: a `Verwijderen` (removes that kept photo), and the new files
 * (each checked, re-encoded and kept). At most five in all; one message for what was refused.
 */
export async function receivePhotos(form: FormData, userId: number, at: Date): Promise<ReceivedPhotos> {
  const posted = form.get(PHOTO_SET_FIELD);
  let token = typeof posted === 'string' && TOKEN.test(posted) ? posted : undefined;
  const key = () => hashToken(token ?? (token = randomBytes(32).toString('base64url')));
  const remove = form.get(PHOTO_REMOVE_FIELD);
  const removed = typeof remove === 'string' && token !== undefined && removeWaitingPhoto(remove, key(), userId, at);
  let count = token ? waitingPhotos(key(), userId, at).length : 0;
  const messages = new Set<string>();
  // An empty file input still sends one part: no name, no bytes.
  const files = form.getAll(PHOTO_FIELD).filter((f): f is File => typeof f !== 'string' && (f.size > 0 || f.name !== ''));
  const candidates: File[] = [];
  for (const file of files) {
    if (count + candidates.length >= PHOTO_MAX_COUNT) {
      messages.add(PHOTO_MESSAGES.tooMany);
      break;
    }
    if (file.size > PHOTO_MAX_BYTES) messages.add(PHOTO_MESSAGES.tooLarge);
    else candidates.push(file);
  }
  // Decoded side by side (libvips works in its own threads), kept in the order they were chosen.
  const results = await Promise.all(candidates.map(async (file) => reencodePhoto(new Uint8Array(await file.arrayBuffer()))));
  for (const result of results) {
    if (!result.ok) {
      messages.add(result.message);
      continue;
    }
    count++;
    insertWaitingPhoto(result.photo, { uploadKey: key(), userId, position: count }, at, lifetime(at));
  }
  if (token) extendWaitingPhotos(key(), userId, at, lifetime(at));
  return { ...keptPhotos(token, userId, at), error: messages.size ? [...messages].join(' ') : undefined, removed };
}

/** Gives the photos kept under `token` to the report just saved: call inside the report's transaction. */
export function attachPhotos(token: string | undefined, reportId: number, userId: number, at: Date): number {
  return token && TOKEN.test(token) ? attachWaitingPhotos(reportId, hashToken(token), userId, at) : 0;
}

/** A report's photo on its page: the links to the thumbnail and the full view, and the alt text. */
export interface ReportPhoto {
  url: string;
  thumbnailUrl: string;
  alt: string;
}

const photoDay = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'long' });

/** The photos of a report for the coordinator's page, in order ("Foto 1 van de BOA, 12 maart 2026"). */
export function reportPhotos(reference: string): ReportPhoto[] {
  const report = reportIdOf(reference);
  if (!report) return [];
  return photosOfReport(report.id).map((p) => {
    const url = `/intern/triage/${reference}/foto/${p.id}`;
    return { url, thumbnailUrl: `${url}?klein=1`, alt: `Foto ${p.position} van de BOA, ${photoDay.format(new Date(p.createdAt))}` };
  });
}

/**
 * One photo of a report, opened for a coordinator, the view audited (`foto_bekeken`, which photo and
 * which size); `undefined` for an unknown report or a photo that is not this report's.
 */
export function viewPhoto(reference: string, id: string, size: 'image' | 'thumbnail', actor: Actor, at: Date): Buffer | undefined {
  const report = reportIdOf(reference);
  if (!report || !/^[A-Za-z0-9_-]{22}$/.test(id)) return undefined;
  const photo = photoBytes(id, report.id, size);
  if (!photo) return undefined;
  db().transaction(() =>
    audit(
      {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'foto_bekeken',
        objectType: 'melding',
        objectId: reference,
        result: 'gelukt',
        clientIp: actor.ip,
        detail: `foto ${photo.position}, ${size === 'image' ? 'volledig' : 'klein'}`,
      },
      at,
    ),
  )();
  return photo.bytes;
}
