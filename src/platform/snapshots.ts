import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DB } from './db.ts';
import { isPartialSnapshot, snapshotName, snapshotsToDelete } from './snapshots.rules.ts';

export interface SnapshotResult {
  /** The new snapshot's full path. */
  file: string;
  /** Rows in `reports` in the snapshot, as a check that it holds the reports. */
  reports: number;
  /** The snapshots deleted because more than `keep` were there (file names). */
  deleted: string[];
}

function fsyncPath(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a snapshot of the open database `source` into `dir` with `VACUUM INTO` (a consistent, compact copy,
 * taken while the portal runs: it is one read transaction), checks it (`integrity_check`), then deletes the
 * snapshots beyond the newest `keep`. The copy is written under a `.tmp` name and renamed when it is complete
 * and on disk, so a crash never leaves a broken file with a snapshot's name.
 */
export function takeSnapshot(source: DB, dir: string, keep: number, at: Date): SnapshotResult {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, snapshotName(at));
  if (existsSync(file)) throw new Error(`${file} already exists`);
  const partial = `${file}.tmp`;
  rmSync(partial, { force: true });
  source.prepare('VACUUM INTO ?').run(partial);
  let reports: number;
  try {
    const copy = new Database(partial, { readonly: true, fileMustExist: true });
    try {
      const check = copy.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new Error(`the snapshot failed its integrity check (${String(check)})`);
      reports = (copy.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n;
    } finally {
      copy.close();
    }
    // VACUUM INTO does not sync its output; the snapshot must be on disk before it counts as one.
    fsyncPath(partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  renameSync(partial, file);
  fsyncPath(dir);

  const names = readdirSync(dir);
  const deleted = snapshotsToDelete(names, keep);
  for (const name of deleted) rmSync(path.join(dir, name), { force: true });
  // Left by a snapshot that a crash interrupted (never the one just renamed).
  for (const name of names.filter(isPartialSnapshot)) rmSync(path.join(dir, name), { force: true });
  return { file, reports, deleted };
}
