/**
 * The daily snapshots' names and their retention, without I/O (snapshots.ts writes and deletes the files).
 * A snapshot is `meldpunt-20261129T080500Z.db`: the UTC time it was taken, so that sorting the names sorts
 * them by age, and only files with exactly this form are ever counted or deleted — whatever else lies in the
 * folder (an operator's own copy, the data key by mistake) is left alone.
 */

const NAME = /^meldpunt-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.db$/;
/** A snapshot being written: VACUUM INTO writes here first, so a half-written file never looks like a snapshot. */
const PARTIAL = /^meldpunt-\d{8}T\d{6}Z\.db\.tmp$/;

/** The file name of a snapshot taken at `at` (UTC, to the second). */
export function snapshotName(at: Date): string {
  return `meldpunt-${at.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z.db`;
}

/** When the snapshot of this file name was taken; undefined for any other file. */
export function snapshotTime(name: string): Date | undefined {
  const m = NAME.exec(name);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const at = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // 20261331T… is not a time: Date.UTC would roll it over into another one.
  return snapshotName(at) === name ? at : undefined;
}

/** A snapshot left half-written by a crash (its `.tmp` file): safe to delete. */
export function isPartialSnapshot(name: string): boolean {
  return PARTIAL.test(name);
}

/** The snapshots among `names`, newest first. */
export function snapshotsNewestFirst(names: readonly string[]): string[] {
  return names.filter((n) => snapshotTime(n) !== undefined).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
}

/** Which snapshots to delete so that the newest `keep` remain. */
export function snapshotsToDelete(names: readonly string[], keep: number): string[] {
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`keep must be a whole number of at least 1, not ${keep}`);
  return snapshotsNewestFirst(names).slice(keep);
}

/**
 * Whether a new snapshot is due: none yet, or the newest is `intervalMs` old (a little less counts, so
 * that an hourly check does not drift a snapshot later by an hour every day).
 */
export function snapshotDue(names: readonly string[], now: Date, intervalMs = 24 * 3_600_000, slackMs = 5 * 60_000): boolean {
  const newest = snapshotsNewestFirst(names)[0];
  if (!newest) return true;
  return now.getTime() - snapshotTime(newest)!.getTime() >= intervalMs - slackMs;
}
