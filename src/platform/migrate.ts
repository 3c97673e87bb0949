import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';

/** Where the numbered SQL files live; the server runs from the project root. */
export const MIGRATIONS_DIR = process.env['MIGRATIONS_DIR'] || path.resolve('db/migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Reads `NNNN-name.sql` files in order; the number is the schema version they bring the database to. */
export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((file) => file.endsWith('.sql'));
  const misnamed = files.find((file) => !/^\d{4}-[a-z0-9-]+\.sql$/.test(file));
  if (misnamed) throw new Error(`Migration ${misnamed} is misnamed: use NNNN-lowercase-words.sql`);
  const migrations = files
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file,
      sql: readFileSync(path.join(dir, file), 'utf8'),
    }));
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration ${m.name} is out of sequence: expected number ${i + 1}`);
  });
  return migrations;
}

/**
 * Applies every migration newer than `PRAGMA user_version`, each in its own transaction together with
 * the version bump, so a crash leaves the database at a whole version. Forward only.
 *
 * Foreign keys are off while migrations run: SQLite adds constraints only by rebuilding a table
 * (https://www.sqlite.org/lang_altertable.html#otheralter), and with them on, its DROP TABLE deletes
 * the children by ON DELETE CASCADE (defer_foreign_keys does not stop that). The pragma cannot change
 * inside a transaction, so it is switched around the loop; each migration must leave
 * `PRAGMA foreign_key_check` empty or it is rolled back.
 */
export function migrate(db: Database, migrations: Migration[] = readMigrations()): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.length;
  if (current > latest) {
    throw new Error(`Database schema version ${current} is newer than this code (${latest}); refusing to start.`);
  }
  const pending = migrations.slice(current);
  if (pending.length === 0) return latest;
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    for (const m of pending) {
      db.transaction(() => {
        db.exec(m.sql);
        const broken = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
        if (broken.length > 0) {
          const first = broken[0]!;
          throw new Error(`Migration ${m.name} leaves ${broken.length} broken foreign key(s), first ${first.table} row ${first.rowid} → ${first.parent}`);
        }
        db.pragma(`user_version = ${m.version}`);
      }).immediate();
    }
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
  return latest;
}
