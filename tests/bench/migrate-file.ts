// `node tests/bench/migrate-file.ts FILE`: opens a SQLite file the way the portal does (migrating it to
// the latest schema), folds the write-ahead log into the file and closes it. For the benchmark's cached
// demo database (demo-db.ts).
import { openDatabase } from '#platform/db.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: node tests/bench/migrate-file.ts FILE');
const db = openDatabase(file);
db.pragma('wal_checkpoint(TRUNCATE)');
db.close();
