import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { CONFIG_FILE, execCommand, LITESTREAM_VERSION, listsGenerations, litestreamBinary } from './replica.ts';

describe('the Litestream binary', () => {
  test('LITESTREAM_BIN wins; otherwise the one npm installed for this platform, which is the release the config is for', () => {
    assert.equal(litestreamBinary({ LITESTREAM_BIN: '/usr/bin/litestream' }), '/usr/bin/litestream');
    const bundled = litestreamBinary();
    assert.ok(
      bundled && existsSync(bundled),
      `no Litestream binary: npm ci installs it on linux-x64; on ${process.platform}-${process.arch} set LITESTREAM_BIN to litestream ${LITESTREAM_VERSION}`,
    );
    assert.equal(execFileSync(bundled, ['version'], { encoding: 'utf8' }).trim(), LITESTREAM_VERSION);
    assert.ok(existsSync(CONFIG_FILE));
  });
});

describe('execCommand', () => {
  test('each word in single quotes, so a path with spaces stays one word', () => {
    assert.equal(execCommand(['/opt/node 24/bin/node', '/srv/meldpunt/src/cli/start.ts']), "'/opt/node 24/bin/node' '/srv/meldpunt/src/cli/start.ts'");
  });

  test('a path with an apostrophe is refused, in Dutch', () => {
    assert.throws(() => execCommand(["/srv/meldpunt's/start.ts"]), /bevat een apostrof/);
  });
});

describe('listsGenerations', () => {
  const header = 'name  generation        lag  start                 end';
  test('a generation line after the header', () => {
    assert.equal(listsGenerations(`${header}\nfile  36e3e53674d62c40  39s  2026-11-29T08:08:11Z  2026-11-29T08:08:15Z\n`), true);
  });

  test('only the header, or only log lines after it: no database in the replica', () => {
    assert.equal(listsGenerations(`${header}\n`), false);
    assert.equal(listsGenerations(''), false);
    assert.equal(listsGenerations(`${header}\ntime=2026-11-29T08:11:23.739Z level=ERROR msg="cannot list generations"\n`), false);
    assert.equal(listsGenerations(`2026/11/29 08:08:12 INFO something\n${header}\n`), false);
  });
});
