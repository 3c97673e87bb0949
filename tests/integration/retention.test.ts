// Retention catch-up (issue 16) on a back-dated database: a year of demo reports, the clock moved years
// forward, the real `npm run retention` command, which works in batches of 500. Afterwards exactly the
// reports past their period are gone (with everything that hangs on them, and a deletion-log row each),
// the contact details of the closed reports past theirs are erased, nothing else changed, and a second
// run changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

const DIR = path.resolve('data/test/retention-catch-up');
const FILE = path.join(DIR, 'meldpunt.db');
const DAY = 86_400_000;
const COUNT = 4000;
/** The demo municipality's periods (src/platform/westerkwartier.json). */
const PERIODS = { cancelledDays: 365, contactErasureDays: 365, reportDeletionDays: 1826 };
const CLOSED = "('afgesloten', 'uitgezet', 'doorgestuurd', 'geannuleerd')";

function env(clockDays: number): NodeJS.ProcessEnv {
  const clock = path.join(DIR, 'clock');
  writeFileSync(clock, String(clockDays * DAY));
  const e: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: FILE, MAIL_DIR: path.join(DIR, 'mail'), TEST_CLOCK_FILE: clock, PDOK_LOCATIESERVER_URL: 'off' };
  delete e['NODE_ENV'];
  delete e['DATA_KEY_FILE'];
  delete e['CREDENTIALS_DIRECTORY'];
  return e;
}

test('retention catch-up on a back-dated database deletes and erases exactly what is past its period, in batches', () => {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  execFileSync(process.execPath, ['src/cli/demo-data.ts', '--count', String(COUNT)], { env: env(0), stdio: 'pipe' });

  // The clock 5 years and 3 months on: the reports closed more than ~3 months before today are past
  // the deletion period; every closed report is past the contact-erasure period.
  const clockDays = PERIODS.reportDeletionDays - 91;
  const at = Date.now() + clockDays * DAY;
  const iso = (ms: number) => new Date(ms).toISOString();
  const deleteBefore = iso(at - PERIODS.reportDeletionDays * DAY);
  const cancelBefore = iso(at - PERIODS.cancelledDays * DAY);
  const eraseBefore = iso(at - PERIODS.contactErasureDays * DAY);

  const db = new Database(FILE);
  // Merges into reports about to go (they must come loose, not block the deletion), and a few that stay.
  db.exec(`UPDATE reports SET status = 'samengevoegd', merged_into = (SELECT id FROM reports r2 WHERE r2.status = 'afgesloten' AND r2.closed_at < '${deleteBefore}' ORDER BY id LIMIT 1)
           WHERE id IN (SELECT id FROM reports WHERE status = 'in_behandeling' ORDER BY id LIMIT 3)`);
  const ids = (sql: string) => new Set((db.prepare(sql).all() as { id: number }[]).map((r) => r.id));
  const cancelled = ids(`SELECT id FROM reports WHERE status = 'geannuleerd' AND closed_at < '${cancelBefore}'`);
  const old = ids(`SELECT id FROM reports WHERE status IN ${CLOSED} AND status <> 'geannuleerd' AND closed_at < '${deleteBefore}'`);
  // Only reports that hold a contact detail are erased (migration 0025); the others have nothing to erase and stay untouched.
  const erased = ids(`SELECT id FROM reports WHERE status IN ${CLOSED} AND closed_at < '${eraseBefore}' AND contact_erased_at IS NULL
    AND (reporter_name IS NOT NULL OR reporter_phone IS NOT NULL OR reporter_email IS NOT NULL OR police_officer IS NOT NULL OR police_phone IS NOT NULL OR police_email IS NOT NULL)`);
  for (const id of [...cancelled, ...old]) erased.delete(id);
  // A caller's details on an addition to one of them go too (migration 0026); the addition's text stays.
  const [calledAbout] = erased;
  const addition = Number(db.prepare("INSERT INTO report_additions (report_id, source, body, caller_name, caller_phone, created_at) VALUES (?, 'inwoner', 'tekst', 'naam', 'nummer', ?)").run(calledAbout, iso(at)).lastInsertRowid);
  const all = ids('SELECT id FROM reports');
  const untouched = (db.prepare('SELECT id, reporter_name, reporter_email, reporter_phone, status, updated_at FROM reports').all() as { id: number }[])
    .filter((r) => !cancelled.has(r.id) && !old.has(r.id) && !erased.has(r.id));
  const mergedIntoGone = ids(`SELECT id FROM reports WHERE merged_into IN (SELECT id FROM reports WHERE status = 'afgesloten' AND closed_at < '${deleteBefore}')`);
  const logBefore = (db.prepare('SELECT count(*) AS n FROM deletion_log').get() as { n: number }).n;
  const meetingsBefore = (db.prepare('SELECT count(*) AS n FROM meetings').get() as { n: number }).n;
  db.close();
  // Several batches of each kind: the catch-up is not one transaction.
  assert.ok(old.size > 1000, `${old.size} old reports`);
  assert.ok(erased.size > 100, `${erased.size} contacts to erase`);
  assert.ok(cancelled.size > 0 && mergedIntoGone.size === 3);

  const out = execFileSync(process.execPath, ['src/cli/retention.ts'], { env: env(clockDays), encoding: 'utf8' });
  assert.match(out, new RegExp(`contactgegevens gewist bij ${erased.size} meldingen en van 1 bellers; ${cancelled.size} geannuleerde, ${old.size} oude meldingen`));

  const after = new Database(FILE, { readonly: true });
  try {
    const left = new Set((after.prepare('SELECT id FROM reports').all() as { id: number }[]).map((r) => r.id));
    assert.equal(left.size, all.size - cancelled.size - old.size);
    for (const id of [...cancelled, ...old]) assert.ok(!left.has(id), `report ${id} was to be deleted`);
    // Erased: the three contact columns empty, the moment recorded.
    const contact = after.prepare('SELECT reporter_name, reporter_email, reporter_phone, contact_erased_at FROM reports WHERE id = ?');
    for (const id of erased) {
      const r = contact.get(id) as Record<string, string | null>;
      assert.deepEqual([r['reporter_name'], r['reporter_email'], r['reporter_phone']], [null, null, null], `report ${id}`);
      assert.ok(r['contact_erased_at'] && Math.abs(Date.parse(r['contact_erased_at']) - at) < 600_000, `report ${id} erased at ${r['contact_erased_at']}`);
    }
    // Everything else exactly as it was (merged reports came loose from a deleted one: that column only).
    const now = after.prepare('SELECT id, reporter_name, reporter_email, reporter_phone, status, updated_at FROM reports WHERE id = ?');
    for (const r of untouched) assert.deepEqual(now.get(r.id), r);
    for (const id of mergedIntoGone) assert.equal((after.prepare('SELECT merged_into FROM reports WHERE id = ?').get(id) as { merged_into: number | null }).merged_into, null);
    // Nothing hangs on a deleted report; one deletion-log row each, by its rule; one audit row for the run.
    for (const table of ['report_concerns', 'report_events', 'report_notes', 'case_reports', 'report_photos']) {
      const orphans = after.prepare(`SELECT count(*) AS n FROM ${table} t WHERE t.report_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = t.report_id)`).get() as { n: number };
      assert.equal(orphans.n, 0, table);
    }
    const rules = after.prepare('SELECT rule, count(*) AS n FROM deletion_log GROUP BY rule ORDER BY rule').all();
    assert.deepEqual(rules, [{ rule: 'bewaartermijn', n: old.size }, { rule: 'geannuleerd', n: cancelled.size }].filter((r) => r.n > 0));
    assert.equal((after.prepare('SELECT count(*) AS n FROM deletion_log').get() as { n: number }).n, logBefore + old.size + cancelled.size);
    // Casussen: those closed before the deletion date whose last report went, each with its log row; none left that should have gone.
    const casesGone = after.prepare('SELECT closed_at FROM case_deletion_log').all() as { closed_at: string }[];
    assert.ok(casesGone.length > 0);
    for (const c of casesGone) assert.ok(c.closed_at < deleteBefore, c.closed_at);
    const expiredLeft = after.prepare(`SELECT count(*) AS n FROM cases c WHERE c.status = 'afgesloten' AND c.closed_at < ? AND NOT EXISTS (SELECT 1 FROM case_reports cr WHERE cr.case_id = c.id)`).get(deleteBefore) as { n: number };
    assert.equal(expiredLeft.n, 0);
    // Overleggen: those past the deletion date with no casus left on their agenda.
    const meetingsGone = meetingsBefore - (after.prepare('SELECT count(*) AS n FROM meetings').get() as { n: number }).n;
    const expiredMeetingsLeft = after.prepare('SELECT count(*) AS n FROM meetings m WHERE m.held_on < ? AND NOT EXISTS (SELECT 1 FROM meeting_items i WHERE i.meeting_id = m.id)').get(deleteBefore.slice(0, 10)) as { n: number };
    assert.equal(expiredMeetingsLeft.n, 0);
    // The AVE-monitor's rollup (migration 0020) lost exactly the deleted reports: it is what the reports left contribute.
    const rollup = (sql: string) => after.prepare(sql).all();
    assert.deepEqual(
      rollup('SELECT day, dimension, value, n FROM monitor_daily WHERE n > 0 ORDER BY day, dimension, value'),
      rollup("SELECT day, dimension, value, count(*) AS n FROM monitor_contributions WHERE dimension <> 'triage_tenths' GROUP BY day, dimension, value ORDER BY day, dimension, value"),
    );
    assert.deepEqual(
      rollup('SELECT month, tenths, n FROM monitor_triage_monthly WHERE n > 0 ORDER BY month, tenths'),
      rollup("SELECT substr(day, 1, 7) AS month, value AS tenths, count(*) AS n FROM monitor_contributions WHERE dimension = 'triage_tenths' GROUP BY month, value ORDER BY month, tenths"),
    );
    assert.deepEqual(after.prepare('SELECT body, caller_name, caller_phone FROM report_additions WHERE id = ?').get(addition), { body: 'tekst', caller_name: null, caller_phone: null });
    const audited = after.prepare("SELECT detail FROM audit_log WHERE action = 'bewaartermijn_toegepast'").all() as { detail: string }[];
    assert.deepEqual(audited.map((a) => a.detail), [`contactgegevens gewist ${erased.size}, bellers gewist 1, geannuleerd verwijderd ${cancelled.size}, verwijderd ${old.size}, casussen verwijderd ${casesGone.length}, overleggen verwijderd ${meetingsGone}`]);
  } finally {
    after.close();
  }

  // A second run at the same moment changes nothing.
  const again = execFileSync(process.execPath, ['src/cli/retention.ts'], { env: env(clockDays), encoding: 'utf8' });
  assert.match(again, /contactgegevens gewist bij 0 meldingen en van 0 bellers; 0 geannuleerde, 0 oude meldingen en 0 afgesloten casussen verwijderd/);
  rmSync(DIR, { recursive: true, force: true });
});
