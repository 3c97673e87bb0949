// `node tests/bench/wal-per-report.ts`: what one report writes to the database, counted by SQLite itself
// rather than by the process's I/O (which a shared machine and checkpoints blur): WAL frames (pages) and
// bytes per report recorded by the intake service (report, audit row, outbox rows), on a fresh database
// in a temporary folder, automatic checkpoints off while measuring; and the bytes of the outbox rows alone.
// Deterministic: compare two versions of the code on the same machine at any load.
//
// Settings: WAL_REPORTS measured reports (500), after WAL_WARMUP unmeasured ones (300).
import { statSync } from 'node:fs';
import os from 'node:os';
import { useTempDatabase } from '../support/unit-db.ts';

const intSetting = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return process.env[name] && Number.isInteger(value) && value > 0 ? value : fallback;
};
const REPORTS = intSetting('WAL_REPORTS', 500);
const WARMUP = intSetting('WAL_WARMUP', 300);

const file = useTempDatabase('wal-per-report');
const { db } = await import('#platform/db.ts');
const { recordReport } = await import('#features/intake/intake.server.ts');

const VILLAGES = ['Leek', 'Zuidhorn', 'Grootegast', 'Marum', 'Tolbert'];
/** A resident's report as the form hands it in, with an e-mail address (so both mails are queued). */
function report(n: number): Parameters<typeof recordReport>[0] {
  return {
    channel: 'inwoner', acuteDanger: false, personName: `Dhr. P. ${n}`, locationKind: 'adres', postcode: `93${String(51 + (n % 40)).padStart(2, '0')}AB`,
    houseNumber: String(1 + (n % 120)), street: 'Hoofdstraat', place: VILLAGES[n % VILLAGES.length]!, concerns: ['verwaarlozing', 'vervuiling'], involved: [],
    description: `De buurman (${n}) komt al weken niet buiten, de tuin is overwoekerd en er staat afval voor de deur. Hij lijkt verward als ik hem aanspreek.`,
    anonymous: false, reporterName: `Anna ${n}`, reporterEmail: `anna.${n}@voorbeeld.nl`, captchaStatus: 'niet_van_toepassing',
  };
}

const walFile = `${file}-wal`;
const walBytes = (): number => statSync(walFile, { throwIfNoEntry: false })?.size ?? 0;
const pageSize = db().pragma('page_size', { simple: true }) as number;

for (let n = 0; n < WARMUP; n++) recordReport(report(n));
db().pragma('wal_autocheckpoint = 0');
db().pragma('wal_checkpoint(TRUNCATE)');
const columns = (db().prepare('SELECT name FROM pragma_table_info(\'outbox\')').all() as { name: string }[]).map((c) => c.name);
// The outbox's content columns of this version (params from migration 0021 on; subject and bodies before).
const contentBytes = db().prepare(`SELECT coalesce(sum(${['params', 'subject', 'text_body', 'html_body'].filter((c) => columns.includes(c)).map((c) => `coalesce(length(CAST(${c} AS BLOB)), 0)`).join(' + ')}), 0) AS bytes, count(*) AS n FROM outbox`);
const load = os.loadavg()[0]!.toFixed(2);
console.log(`What a report writes (${REPORTS} reports measured after ${WARMUP}, page ${pageSize} bytes; load ${load} on ${os.cpus().length} CPUs):`);
let next = WARMUP;
// One report per commit (recordReport, the command line), and ten per commit (what the group commit of ten
// residents sending together writes: pages that several reports change are written once).
for (const group of [1, 10]) {
  const before = contentBytes.get() as { bytes: number; n: number };
  const start = walBytes();
  for (let done = 0; done < REPORTS; done += group) {
    db().transaction(() => {
      for (let k = 0; k < group; k++) recordReport(report(next++));
    }).immediate();
  }
  const wal = walBytes() - start;
  const after = contentBytes.get() as { bytes: number; n: number };
  // A WAL frame is a 24-byte header and one page; the file starts with a 32-byte header.
  const frames = (wal - (start === 0 ? 32 : 0)) / (pageSize + 24);
  console.log(`  ${String(group).padStart(2)} per commit: ${(frames / REPORTS).toFixed(2)} pages, ${(wal / REPORTS / 1024).toFixed(1)} KB to the WAL per report; outbox ${((after.n - before.n) / REPORTS).toFixed(1)} mails, ${Math.round((after.bytes - before.bytes) / REPORTS)} bytes of subject, bodies and parameters per report`);
  db().pragma('wal_checkpoint(TRUNCATE)');
}
