import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Readable } from 'node:stream';
import { BODY_LIMIT_BYTES, bodyLimitFor, limitedBody } from './refusal.ts';
import { PHOTO_FORM_LIMIT_BYTES } from '#features/photos/photos.schema.ts';

test('only the BOA form reads five photos; every other route keeps the small limit', () => {
  assert.equal(bodyLimitFor('/intern/boa/melding'), PHOTO_FORM_LIMIT_BYTES);
  assert.ok(PHOTO_FORM_LIMIT_BYTES >= 5 * 15 * 1024 * 1024);
  for (const path of ['/intern/kcc/melding', '/intern/inloggen', '/melden/persoon', '/intern/boa/melding/', '/intern/triage/MB-ABCDEFGH']) {
    assert.equal(bodyLimitFor(path), BODY_LIMIT_BYTES, path);
  }
});

test('a streamed body stops with the adapter\'s error past its limit', async () => {
  async function* chunks() {
    for (let i = 0; i < 5; i++) yield new Uint8Array(400);
  }
  const read = async (limit: number) => {
    let n = 0;
    const source = Readable.from(chunks());
    for await (const c of limitedBody(source, limit).body) n += typeof c === 'string' ? c.length : c.byteLength;
    return n;
  };
  assert.equal(await read(2000), 2000);
  await assert.rejects(read(1999), /Body size limit exceeded/);
});

test('past the limit the request is read to its end and thrown away, not destroyed (the 413 must reach the client)', async () => {
  async function* chunks() {
    for (let i = 0; i < 50; i++) yield Buffer.alloc(1000);
  }
  const source = Readable.from(chunks());
  const { body } = limitedBody(source, 1500);
  await assert.rejects(async () => {
    for await (const _ of body) {
      /* read */
    }
  }, /Body size limit exceeded/);
  if (!source.readableEnded) await new Promise((resolve) => source.once('end', resolve));
  assert.equal(source.readableEnded, true, 'read to its end');
});
