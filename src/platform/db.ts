import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { config } from './config.ts';
import { migrate } from './migrate.ts';

export type DB = Database.Database;

/** How long a statement waits for a lock another connection holds (group-commit.ts waits as long, off the thread). */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens a SQLite file the way this portal needs it: WAL so readers never block the writer,
 * synchronous=FULL so an acknowledged report survives power loss, foreign keys, and a busy timeout
 * for the command-line tools that share the file, secure deletion. Migrates to the latest schema.
 */
export function openDatabase(file: string): DB {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // Deleted content is overwritten with zeros: an erased draft, reporter or report leaves no residue in
  // free pages (spec §8).
  db.pragma('secure_delete = ON');
  // Notes are append-only (migration 0010): only the encryption pass, inside rekeying(), may seal one again.
  db.function('meldpunt_rekeying', { deterministic: false }, () => (rekeyDepth > 0 ? 1 : 0));
  migrate(db);
  // A statement that may have to undo itself alone (a deletion with its cascades, inside a batch) keeps the
  // pages it changes in a statement journal: in memory, not a temporary file written page by page. Measured
  // in the retention catch-up at 1,000,000 reports: 148–164 s with the file, 121–139 s in memory. Set after
  // migrating: a migration that rewrites a whole table would hold all of its pages in memory.
  db.pragma('temp_store = MEMORY');
  // Keeps the query planner's statistics fresh for a long-lived connection (cheap; SQLite's advice).
  db.pragma('optimize=0x10002');
  return db;
}

/** Connection settings that a batch job may change for the transactions it runs (see `withSettings`). */
export interface BatchSettings {
  /**
   * Commit without waiting for the disk: synchronous=NORMAL, which in WAL mode keeps the database consistent
   * but may forget the last commits after a power loss. The next commit of a report (synchronous=FULL) or a
   * checkpoint syncs the WAL, these frames with it. Only for work that is done again when lost (a retention batch).
   */
  noWaitForDisk?: boolean;
  /**
   * Foreign keys not enforced: the work itself keeps every reference right (retention's deletion, which
   * deletes what refers to a report in one statement per table instead of a cascade per report).
   */
  noForeignKeys?: boolean;
}

/**
 * Runs `work` (its own transactions) with `settings`, and restores the portal's settings afterwards. Both
 * pragmas apply only outside a transaction; `work` is synchronous, so no other commit of this connection
 * runs in between.
 */
export function withSettings<T>(connection: DB, settings: BatchSettings, work: () => T): T {
  if (connection.inTransaction) throw new Error('withSettings: call outside a transaction');
  if (settings.noWaitForDisk) connection.pragma('synchronous = NORMAL');
  if (settings.noForeignKeys) connection.pragma('foreign_keys = OFF');
  try {
    return work();
  } finally {
    if (settings.noWaitForDisk) connection.pragma('synchronous = FULL');
    if (settings.noForeignKeys) connection.pragma('foreign_keys = ON');
  }
}

let rekeyDepth = 0;

/** Runs `work` as the encryption pass: the one writer allowed to seal an append-only note again. */
export function rekeying<T>(work: () => T): T {
  rekeyDepth++;
  try {
    return work();
  } finally {
    rekeyDepth--;
  }
}

let shared: DB | undefined;
let checkpoints: 'app' | 'litestream' = 'app';

/**
 * The process's one connection, opened on first use. Under Litestream (`WAL_CHECKPOINTS=litestream`) SQLite's
 * automatic checkpoints are off: Litestream checkpoints after it has copied the WAL, and a checkpoint by the
 * portal in between could move frames into the database file before Litestream saw them (litestream.io/tips).
 */
export function db(): DB {
  if (!shared) {
    const { databasePath, walCheckpoints } = config();
    shared = openDatabase(databasePath);
    checkpoints = walCheckpoints;
    if (checkpoints === 'litestream') shared.pragma('wal_autocheckpoint = 0');
  }
  return shared;
}

/**
 * For a reader thread (the AVE-monitor's worker, src/features/monitor/monitor.reader.server.ts): from now on
 * this thread's `db()` is a read-only connection to `file`, never migrated and unable to write. The
 * server's own connection has migrated the file already; WAL lets this one read while the server writes.
 */
export function useReadOnlyConnection(file: string): DB {
  if (shared) throw new Error('useReadOnlyConnection: this thread has a connection already');
  const d = new Database(file, { readonly: true, fileMustExist: true });
  d.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // The monitor reads most of the reports table: a larger page cache than SQLite's 2 MB keeps it in memory.
  d.pragma('cache_size = -131072');
  shared = d;
  return d;
}

/**
 * At shutdown: moves the WAL into the database file (so the file alone is complete) and closes the
 * connection. Safe to call twice. Under Litestream only a PASSIVE checkpoint: Litestream's read lock makes a
 * TRUNCATE wait the whole busy timeout (5 s, measured) and then give up. Litestream sends what is left to the
 * replica after the portal has exited; the WAL file stays beside the database file, and SQLite reads both.
 */
export function closeDatabase(): void {
  if (!shared) return;
  const d = shared;
  shared = undefined;
  try {
    d.pragma(checkpoints === 'litestream' ? 'wal_checkpoint(PASSIVE)' : 'wal_checkpoint(TRUNCATE)');
  } finally {
    d.close();
  }
}
