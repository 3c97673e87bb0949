import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { config } from './config.ts';
import { migrate } from './migrate.ts';

export type DB = Database.Database;

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
  db.pragma('busy_timeout = 5000');
  // Deleted content is overwritten with zeros: an erased draft, reporter or report leaves no residue in
  // free pages (spec §8).
  db.pragma('secure_delete = ON');
  // Notes are append-only (migration 0010): only the encryption pass, inside rekeying(), may seal one again.
  db.function('meldpunt_rekeying', { deterministic: false }, () => (rekeyDepth > 0 ? 1 : 0));
  migrate(db);
  // Keeps the query planner's statistics fresh for a long-lived connection (cheap; SQLite's advice).
  db.pragma('optimize=0x10002');
  return db;
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

/** The process's one connection, opened on first use. */
export function db(): DB {
  shared ??= openDatabase(config().databasePath);
  return shared;
}

/**
 * At shutdown: moves the WAL into the database file (so the file alone is complete) and closes the
 * connection. Safe to call twice.
 */
export function closeDatabase(): void {
  if (!shared) return;
  const d = shared;
  shared = undefined;
  try {
    d.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    d.close();
  }
}
