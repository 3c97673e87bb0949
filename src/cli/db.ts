// Online backup and tested restore of the SQLite database (DATABASE_PATH).
//   npm run db:backup -- <file>    a consistent copy while the server runs (SQLite's backup API)
//   npm run db:restore -- <file>   replace the database with a backup; stop the server first
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { config } from '#platform/config.ts';
import { db } from '#platform/db.ts';
import { readMigrations } from '#platform/migrate.ts';

const [command, file] = process.argv.slice(2);
if (!file || !['backup', 'restore'].includes(command ?? '')) {
  console.error('Gebruik: npm run db:backup -- <bestand>  of  npm run db:restore -- <bestand>');
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
