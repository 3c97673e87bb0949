import { randomBytes } from 'node:crypto';
import { db } from '#platform/db.ts';
import { byteFieldsOf, bytesNeedReseal, type ResealBatch } from '#platform/crypto/fields.server.ts';
import { lazy } from '#lib/lazy.ts';


/**
 * The one owner of `report_photos` (db/migrations/0011-photos.sql): the photos of BOA reports, each a
 * re-encoded JPEG and its thumbnail, sealed with the data key (table, column and the photo's random id as
 * associated data). A photo waits without a report (`upload_key`, `expires_at`) while its form is refused,
 * and is attached when the report is saved.
 */

export interface PhotoRow {
  id: string;
  position: number;
  width: number;
  height: number;
  createdAt: string;
}

export interface NewPhoto {
  image: Uint8Array;
  thumbnail: Uint8Array;
  width: number;
  height: number;
}

const COLUMNS = 'id, position, width, height, created_at AS createdAt';

const statements = lazy(() => {
  const d = db();
  return {
    insert: d.prepare(
      `INSERT INTO report_photos (id, upload_key, uploaded_by, position, width, height, image, thumbnail, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    waiting: d.prepare(`SELECT ${COLUMNS} FROM report_photos WHERE upload_key = ? AND uploaded_by = ? AND expires_at > ? ORDER BY position, created_at`),
    extend: d.prepare('UPDATE report_photos SET expires_at = ? WHERE upload_key = ? AND uploaded_by = ? AND expires_at > ?'),
    removeWaiting: d.prepare('DELETE FROM report_photos WHERE id = ? AND upload_key = ? AND uploaded_by = ?'),
    renumber: d.prepare('UPDATE report_photos SET position = ? WHERE id = ?'),
    attach: d.prepare(
      'UPDATE report_photos SET report_id = ?, upload_key = NULL, expires_at = NULL WHERE upload_key = ? AND uploaded_by = ? AND expires_at > ?',
    ),
    ofReport: d.prepare(`SELECT ${COLUMNS} FROM report_photos WHERE report_id = ? ORDER BY position`),
    image: d.prepare('SELECT position, image AS bytes FROM report_photos WHERE id = ? AND report_id = ?'),
    thumbnail: d.prepare('SELECT position, thumbnail AS bytes FROM report_photos WHERE id = ? AND report_id = ?'),
    purge: d.prepare('DELETE FROM report_photos WHERE expires_at <= ?'),
    batch: d.prepare('SELECT id, image, thumbnail FROM report_photos WHERE id > ? ORDER BY id LIMIT ?'),
    reseal: d.prepare('UPDATE report_photos SET image = ?, thumbnail = ? WHERE id = ?'),
  };
});

const fields = byteFieldsOf('report_photos');

/** Stores a photo for a refused form, waiting under `uploadKey` until `expiresAt`; returns its id. */
export function insertWaitingPhoto(photo: NewPhoto, owner: { uploadKey: string; userId: number; position: number }, at: Date, expiresAt: Date): string {
  const id = randomBytes(16).toString('base64url');
  statements().insert.run(
    id, owner.uploadKey, owner.userId, owner.position, photo.width, photo.height,
    fields.seal('image', id, photo.image), fields.seal('thumbnail', id, photo.thumbnail), at.toISOString(), expiresAt.toISOString(),
  );
  return id;
}

/** The photos waiting for this form and officer (not expired), in order. */
export function waitingPhotos(uploadKey: string, userId: number, at: Date): PhotoRow[] {
  return statements().waiting.all(uploadKey, userId, at.toISOString()) as PhotoRow[];
}

/** The waiting photos live on until `expiresAt` (the officer is still at the form). */
export function extendWaitingPhotos(uploadKey: string, userId: number, at: Date, expiresAt: Date): void {
  statements().extend.run(expiresAt.toISOString(), uploadKey, userId, at.toISOString());
}

/** Removes one waiting photo of this form and officer, and numbers the rest 1, 2, …; whether it was there. */
export function removeWaitingPhoto(id: string, uploadKey: string, userId: number, at: Date): boolean {
  const s = statements();
  return db().transaction(() => {
    const removed = s.removeWaiting.run(id, uploadKey, userId).changes > 0;
    if (removed) waitingPhotos(uploadKey, userId, at).forEach((p, i) => s.renumber.run(i + 1, p.id));
    return removed;
  })();
}

/** Gives the waiting photos of this form and officer to the report just saved (inside its transaction). */
export function attachWaitingPhotos(reportId: number, uploadKey: string, userId: number, at: Date): number {
  return statements().attach.run(reportId, uploadKey, userId, at.toISOString()).changes;
}

export function photosOfReport(reportId: number): PhotoRow[] {
  return statements().ofReport.all(reportId) as PhotoRow[];
}

/** One photo of a report, opened: the full view or the thumbnail; `undefined` for another report's or an unknown id. */
export function photoBytes(id: string, reportId: number, size: 'image' | 'thumbnail'): { position: number; bytes: Buffer } | undefined {
  const row = statements()[size].get(id, reportId) as { position: number; bytes: Buffer } | undefined;
  return row ? { position: row.position, bytes: fields.open(size, id, row.bytes) } : undefined;
}

/** Deletes the waiting photos past their expiry; returns how many. */
export function purgeExpiredPhotos(at: Date): number {
  return statements().purge.run(at.toISOString()).changes;
}

/** The encryption pass over photos (src/features/encryption): rows after `after` (an id), sealed again under the current key where needed. */
export function resealPhotos(after: string, limit: number): ResealBatch<string> {
  const rows = statements().batch.all(after, limit) as { id: string; image: Buffer; thumbnail: Buffer }[];
  let changed = 0;
  for (const r of rows) {
    if (!bytesNeedReseal(r.image) && !bytesNeedReseal(r.thumbnail)) continue;
    const image = fields.seal('image', r.id, fields.open('image', r.id, r.image));
    const thumbnail = fields.seal('thumbnail', r.id, fields.open('thumbnail', r.id, r.thumbnail));
    statements().reseal.run(image, thumbnail, r.id);
    changed++;
  }
  return { last: rows.at(-1)?.id, changed };
}

const photosOfDeleted = lazy(() => db().prepare('DELETE FROM report_photos WHERE report_id IN (SELECT value FROM json_each(?))'));
/**
 * Removes the photos of the reports `ids` just deleted, in one statement: retention deletes reports with
 * foreign keys off (retention.server.ts, REPORT_CHILDREN), so no cascade does it.
 */
export function deletePhotosOfDeletedReports(ids: readonly number[]): void {
  photosOfDeleted().run(JSON.stringify(ids));
}
