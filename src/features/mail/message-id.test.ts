// Message-IDs begin with the moment a mail was queued (issue 16): the unique index on outbox.message_id then
// grows at its end instead of taking a random leaf page per mail. The random UUID keeps every ID unique.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useTempDatabase } from '#tests/support/unit-db.ts';
import { residentReport } from '#tests/support/intake.ts';

useTempDatabase('message-id');
const { messageIdFor } = await import('./outbox.repo.server.ts');
const { recordReport } = await import('#features/intake/intake.server.ts');
const { db } = await import('#platform/db.ts');

test('a Message-ID is the moment, a random UUID and the host; later mail sorts after earlier mail', () => {
  const at = new Date('2026-11-30T10:00:00.000Z');
  const id = messageIdFor('https://meldpunt.gemeente.example/', at);
  assert.match(id, /^<1796032800000\.[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}@meldpunt\.gemeente\.example>$/);
  // Two in the same millisecond differ.
  assert.notEqual(messageIdFor('https://meldpunt.gemeente.example/', at), id);
  // Fixed width: a moment with fewer digits (before 2001-09-09) is padded, so text order is time order.
  const times = [new Date(999_999_999_999), at, new Date(at.getTime() + 1), new Date('2286-11-20T17:46:39.999Z')];
  const ids = times.map((t) => messageIdFor('http://localhost:4321', t));
  assert.deepEqual([...ids].sort(), ids);
  assert.ok(ids.every((i) => /^<\d{13}\./.test(i) && i.endsWith('@localhost>')));
});

test('mail of a later report has Message-IDs that sort after those of the report before', () => {
  const base = Date.parse('2026-11-30T10:00:00.000Z');
  for (let i = 0; i < 5; i++) recordReport(residentReport({ reporterEmail: `melder${i}@example.nl` }), { now: new Date(base + i * 1000) });
  const rows = db().prepare('SELECT message_id AS messageId FROM outbox ORDER BY id').all() as { messageId: string }[];
  assert.equal(rows.length, 10, 'two mails per report: the notification and the confirmation');
  const ids = rows.map((r) => r.messageId);
  // A report's two mails share their moment (their order between them is the UUIDs'); each report's sort after the one before.
  const moments = ids.map((i) => i.slice(1, 14));
  assert.deepEqual(moments, [0, 0, 1, 1, 2, 2, 3, 3, 4, 4].map((s) => String(base + s * 1000)));
  for (let i = 2; i < ids.length; i++) assert.ok(ids[i - 2]! < ids[i]!, `${ids[i - 2]} before ${ids[i]}`);
  assert.equal(new Set(ids).size, ids.length);
});
