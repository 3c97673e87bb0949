// Online backup and tested restore of the SQLite database (DATABASE_PATH), and the schema file.
//   npm run db:backup -- <file>    a consistent copy while the server runs (SQLite's backup API)
//   npm run db:restore -- <file>   replace the database with a backup; stop the server first
//   npm run db:snapshot            a checked VACUUM INTO copy in SNAPSHOT_DIR (default data/snapshots), keeping
//                                  the newest SNAPSHOT_KEEP (default 14); the server does this daily when
//                                  SNAPSHOT_DIR is set
//   npm run db:schema              write db/schema.sql: the schema the migrations build (src/platform/schema.test.ts
//                                  fails while the committed file differs)
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { now } from '#platform/clock.ts';
import { config } from '#platform/config.ts';
import { db } from '#platform/db.ts';
import { migrate, readMigrations, type Migration } from '#platform/migrate.ts';
import { takeSnapshot } from '#platform/snapshots.ts';

/** Where the generated schema is committed. */
export const SCHEMA_FILE = path.resolve('db/schema.sql');

/**
 * The schema the migrations build, as SQL: every migration applied to an empty in-memory database, then
 * each table from `sqlite_schema` (by name) followed by its indexes and triggers (by name). The text is
 * SQLite's own copy of each CREATE statement, so it changes only when a migration does.
 */
export function schemaSql(migrations: Migration[] = readMigrations()): string {
  const memory = new Database(':memory:');
  try {
    const version = migrate(memory, migrations);
    const rows = memory
      .prepare(
        `SELECT sql FROM sqlite_schema
         WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
         ORDER BY tbl_name, CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'trigger' THEN 2 ELSE 3 END, name`,
      )
      .all() as { sql: string }[];
    const header = [
      '-- The current schema, generated from db/migrations by `npm run db:schema`. Do not edit: add a migration.',
      `-- PRAGMA user_version = ${version}`,
    ];
    return `${[header.join('\n'), ...rows.map((r) => `${r.sql};`)].join('\n\n')}\n`;
  } finally {
    memory.close();
  }
}

async function main(): Promise<void> {
  const [command, file] = process.argv.slice(2);
  if (command === 'schema') {
    writeFileSync(SCHEMA_FILE, schemaSql());
    console.log(`${path.relative(process.cwd(), SCHEMA_FILE)} geschreven.`);
    return;
  }
  if (command === 'snapshot') {
    const { snapshotDir, snapshotKeep } = config();
    const dir = path.resolve(snapshotDir ?? 'data/snapshots');
    try {
      const r = takeSnapshot(db(), dir, snapshotKeep, now());
      console.log(`Momentopname geschreven: ${r.file} (gecontroleerd, ${r.reports} meldingen).`);
      console.log(
        r.deleted.length
          ? `${r.deleted.length} oudere momentopname(n) verwijderd; de nieuwste ${snapshotKeep} blijven bewaard.`
          : `Geen oudere momentopnamen verwijderd (ten hoogste ${snapshotKeep} worden bewaard).`,
      );
    } catch (error) {
      console.error(`De momentopname is mislukt: ${(error as Error).message}`);
      process.exit(1);
    }
    return;
  }
  if (!file || !['backup', 'restore'].includes(command ?? '')) {
    console.error('Gebruik: npm run db:backup -- <bestand>  of  npm run db:restore -- <bestand>  of  npm run db:snapshot  of  npm run db:schema');
    process.exit(1);
  }
  const target = path.resolve(file);

  if (command === 'backup') {
    if (existsSync(target)) {
      console.error(`${target} bestaat al; kies een nieuw bestand.`);
      process.exit(1);
    }
    await db().backup(target);
    console.log(`Back-up geschreven naar ${target}.`);
  } else {
    if (!existsSync(target)) {
      console.error(`${target} bestaat niet.`);
      process.exit(1);
    }
    const backup = new Database(target, { readonly: true, fileMustExist: true });
    const check = backup.pragma('integrity_check', { simple: true });
    const version = backup.pragma('user_version', { simple: true }) as number;
    if (check !== 'ok') {
      console.error(`De back-up is beschadigd (${String(check)}); er is niets teruggezet.`);
      process.exit(1);
    }
    if (version > readMigrations().length) {
      console.error(`De back-up is van een nieuwere versie (schema ${version}); er is niets teruggezet.`);
      process.exit(1);
    }
    const live = path.resolve(config().databasePath);
    for (const suffix of ['', '-wal', '-shm']) rmSync(live + suffix, { force: true });
    await backup.backup(live);
    backup.close();
    // Opening it migrates a backup of an older version forward.
    db();
    console.log(`Database ${live} teruggezet uit ${target} (schema ${version}, nu ${readMigrations().length}).`);
  }
}

// Run as a command; imported (by the schema test), it only lends schemaSql.
if (import.meta.main) await main();
