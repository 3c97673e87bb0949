import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { copyDemoDatabase } from '#tests/support/demo-cache.ts';
import { useTempDatabase } from '#tests/support/unit-db.ts';

/**
 * The queue at scale (issue 16): on 100,000 reports from the demo-data command, after ANALYZE, the
 * filters and searches that used to read or sort a large part of the table run on an index — the open
 * work by concern (`?zorg=`), the open work oldest first, a postcode area, a whole street (a blind index),
 * oldest first over every status — and the page of a broad search (more than COUNT_CAP matches) walks the
 * index of the queue's order instead of sorting every match, with the same rows as the sorted query.
 */

const file = useTempDatabase('triage-plan-scale');
const COUNT = 100_000;
const { COUNT_CAP, queueSql, queuePage } = await import('./triage.queries.server.ts');
const { db } = await import('#platform/db.ts');
const { findReportByReference } = await import('#features/reports/reports.repo.server.ts');
type QueueFilter = import('./triage.queries.server.ts').QueueFilter;

const TODAY = new Date().toISOString().slice(0, 10);

function plan(sql: string, params: (string | number)[]): string[] {
  return (db().prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail);
}
/** Plan lines that read the reports table row by row without an index. */
const fullScans = (lines: string[]): string[] => lines.filter((l) => /^SCAN (reports|r)\b/.test(l) && !/USING (COVERING )?INDEX/.test(l));
const sorts = (lines: string[]): string[] => lines.filter((l) => /TEMP B-TREE/.test(l));

let street = '';
let houseNumber = '';
let postcode = '';

before(() => {
  copyDemoDatabase(COUNT, file);
  db().exec('ANALYZE');
  const reference = db().prepare("SELECT reference FROM reports WHERE street IS NOT NULL AND postcode LIKE '9351%' LIMIT 1").pluck().get() as string;
  const r = findReportByReference(reference)!;
  street = r.street!;
  houseNumber = r.houseNumber!;
  postcode = r.postcode!;
});

const filters = (): [string, QueueFilter][] => [
  ['the open work by concern (?zorg=zelfdoding)', { concern: 'zelfdoding' }],
  ['the open work oldest first', { order: 'oud' }],
  ['an open status oldest first', { status: 'in_behandeling', order: 'oud' }],
  ['a postcode area', { search: postcode.slice(0, 4) }],
  ['a postcode area oldest first', { search: postcode.slice(0, 4), order: 'oud' }],
  ['a whole postcode', { search: postcode }],
  ['a street (blind index)', { search: street }],
  ['a street oldest first', { search: street, order: 'oud' }],
  ['a street in a closed status', { search: street, status: 'afgesloten' }],
  ['a street in a closed status oldest first', { search: street, status: 'afgesloten', order: 'oud' }],
  ['a street and house number', { search: `${street} ${houseNumber}` }],
];

describe(`queue at scale: EXPLAIN QUERY PLAN on ${COUNT.toLocaleString('en')} demo reports`, () => {
  test('the database holds the generated reports and statistics', () => {
    assert.ok((db().prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n >= COUNT);
    assert.ok((db().prepare('SELECT count(*) AS n FROM sqlite_stat1').get() as { n: number }).n > 0);
  });

  test('every filter and search: no full scan of reports; the page of the open work (and of a broad search) without a sort', () => {
    for (const [name, filter] of filters()) {
      for (const part of queueSql(filter, TODAY)) {
        const list = plan(part.list, [...part.params, 50, 0]);
        const count = plan(part.count, [...part.params, COUNT_CAP + 1]);
        assert.deepEqual(fullScans(list), [], `${name}, page:\n${list.join('\n')}`);
        assert.deepEqual(fullScans(count), [], `${name}, count:\n${count.join('\n')}`);
        if (!filter.search) assert.deepEqual(sorts(list), [], `${name}, page sorts:\n${list.join('\n')}`);
        if (part.wide) {
          const wide = plan(part.wide.list, [...part.wide.params, 50, 0]);
          assert.deepEqual(fullScans(wide), [], `${name}, broad page:\n${wide.join('\n')}`);
          assert.deepEqual(sorts(wide), [], `${name}, broad page sorts:\n${wide.join('\n')}`);
        }
      }
    }
  });

  test('a search by a blind index alone is estimated in the table of keys (no report is read): at least as many as counting reports, the reading that matches most', () => {
    const [part] = queueSql({ search: street }, TODAY);
    assert.ok(part?.estimate, 'a street search has an estimate');
    const estimate = plan(part.estimate, part.params);
    assert.ok(estimate.every((l) => !/\breports\b/.test(l)) && estimate.some((l) => /report_keys USING PRIMARY KEY/.test(l)), estimate.join('\n'));
    const estimated = (db().prepare(part.estimate).get(part.params) as { n: number }).n;
    const counted = (db().prepare(part.count).get([...part.params, COUNT_CAP + 1]) as { n: number }).n;
    // The term reads as a street and as a name: each reading counted on its own, the larger one.
    assert.ok(estimated > 0 && estimated <= Math.min(counted, COUNT_CAP + 1), `estimated ${estimated}, counted ${counted}`);
    assert.equal(estimated, Math.min(counted, COUNT_CAP + 1), `no demo report is found by street and by name both: ${estimated} against ${counted}`);
    // With another filter the reports are counted (the estimate would not know the filter).
    assert.equal(queueSql({ search: street, channel: 'kcc' }, TODAY)[0]?.estimate, undefined);
  });

  test('the open work by concern counts from the index alone (no report is read to count)', () => {
    for (const part of queueSql({ concern: 'zelfdoding' }, TODAY)) {
      const count = plan(part.count, [...part.params, COUNT_CAP + 1]);
      assert.ok(count.some((l) => /USING COVERING INDEX reports_(awaiting|open)_by_due/.test(l)), count.join('\n'));
    }
  });

  test('the parts of the queue are counted together up to COUNT_CAP + 1: a part stops at what those before it leave, and the last page is the same', () => {
    let multiPart = 0;
    for (const filter of [{}, { concern: 'zelfdoding' }, { concern: 'vervuiling' }, { channel: 'kcc' }, { status: 'nieuw' }, { order: 'oud' }] as QueueFilter[]) {
      const parts = queueSql(filter, TODAY);
      if (parts.length > 1) multiPart++;
      // Each part counted on its own to the cap, and the pages as they were before the shared limit.
      const full = parts.map((p) => (db().prepare(p.count).get([...p.params, COUNT_CAP + 1]) as { n: number }).n);
      const { total } = queuePage(filter, TODAY, 50, 0);
      assert.equal(total, Math.min(full.reduce((a, b) => a + b, 0), COUNT_CAP + 1), JSON.stringify(filter));
      const offset = Math.max(0, Math.min(total, COUNT_CAP) - 50);
      const expected: string[] = [];
      let skip = offset;
      for (const [i, p] of parts.entries()) {
        const want = 50 - expected.length;
        if (want > 0 && skip < full[i]!) expected.push(...(db().prepare(p.list).all([...p.params, want, skip]) as { reference: string }[]).map((r) => r.reference));
        skip = Math.max(0, skip - full[i]!);
      }
      assert.deepEqual(queuePage(filter, TODAY, 50, offset).rows.map((r) => r.reference), expected, JSON.stringify(filter));
    }
    assert.ok(multiPart >= 3, 'the open work is counted in two parts (overdue first)');
  });

  test('a broad search walks the order: the same pages as the sorted query, every row a match', () => {
    const broad = filters().filter(([, f]) => f.search !== undefined);
    let walked = 0;
    for (const [name, filter] of broad) {
      const [part] = queueSql(filter, TODAY);
      const n = (db().prepare(part!.count).get([...part!.params, COUNT_CAP + 1]) as { n: number }).n;
      if (!part!.wide || n <= COUNT_CAP) continue;
      walked++;
      for (const offset of [0, 50, 1000]) {
        const sorted = db().prepare(part!.list).all([...part!.params, 50, offset]) as { reference: string; urgency: string; createdAt: string }[];
        const page = queuePage(filter, TODAY, 50, offset).rows;
        // Reports of the same urgency and minute may come in either order: compare the ordering keys, and the matches.
        assert.deepEqual(page.map((r) => `${r.urgency} ${r.createdAt}`), sorted.map((r) => `${r.urgency} ${r.createdAt}`), `${name} at ${offset}`);
        assert.equal(page.length, 50, `${name} at ${offset}`);
      }
    }
    assert.ok(walked >= 3, 'the postcode area and the street are broad searches at this size');
    // A search by street finds only that street's reports.
    const found = queuePage({ search: street }, TODAY, 50, 0).rows;
    for (const r of found) assert.equal(findReportByReference(r.reference)?.street, street);
  });
});
