import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Readable } from 'node:stream';
import { BODY_LIMIT_BYTES, bodyLimitFor, isCrossOriginPost, limitedBody } from './refusal.ts';
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

test('a form post is from this site when its Origin is the one it was made to or the external one (PUBLIC_URL, behind a proxy)', () => {
  const post = (origin: string | undefined, type = 'application/x-www-form-urlencoded') =>
    new Request('http://meldpunt.example/melden/persoon', { method: 'POST', body: 'a=1', headers: { 'content-type': type, ...(origin ? { origin } : {}) } });
  // A proxy that ends TLS: the request arrives over http, the browser names the https origin.
  const origins = ['http://meldpunt.example', 'https://meldpunt.example'];
  assert.equal(isCrossOriginPost(post('https://meldpunt.example'), origins), false);
  assert.equal(isCrossOriginPost(post('http://meldpunt.example'), origins), false);
  assert.equal(isCrossOriginPost(post('https://meldpunt.example'), ['http://meldpunt.example']), true, 'without the external origin it is refused');
  assert.equal(isCrossOriginPost(post('https://elders.example'), origins), true);
  assert.equal(isCrossOriginPost(post('null'), origins), true);
  assert.equal(isCrossOriginPost(post(undefined), origins), true, 'no Origin on a form post');
  assert.equal(isCrossOriginPost(post('https://elders.example', 'application/json'), origins), false, 'not a form: CORS stops it');
  assert.equal(isCrossOriginPost(new Request('http://meldpunt.example/melden'), origins), false, 'a GET');
});
