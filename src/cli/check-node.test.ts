// `npm start` and `npm test` on a Node that is too old: a message in Dutch and English, not a stack trace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const run = (...args: string[]) => spawnSync(process.execPath, ['src/cli/check-node.mjs', ...args], { encoding: 'utf8' });

test('a Node older than .nvmrc: exit 1 with what is needed and how to get it, in Dutch and English', () => {
  const result = run('--node-version', '20.20.2');
  assert.equal(result.status, 1);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /Meldpunt Bezorgd heeft Node\.js 24 of nieuwer nodig\. Op deze computer staat Node\.js 20\.20\.2\./);
  assert.match(result.stderr, /Meldpunt Bezorgd needs Node\.js 24 or newer\. This computer has Node\.js 20\.20\.2\./);
  assert.match(result.stderr, /nvm install 24/);
  assert.match(result.stderr, /https:\/\/nodejs\.org\//);
  assert.doesNotMatch(result.stderr, /\bat \S+:\d+|ERR_/);
});

test('this Node (24) and newer pass silently', () => {
  for (const args of [[], ['--node-version', '24.0.0'], ['--node-version', 'v26.1.0']]) {
    const result = run(...args);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '');
  }
});

test('both README commands run the check first (npm runs prestart before start, pretest before test)', () => {
  const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
  assert.equal(scripts['prestart'], 'node src/cli/check-node.mjs');
  assert.equal(scripts['pretest'], 'node src/cli/check-node.mjs');
});
