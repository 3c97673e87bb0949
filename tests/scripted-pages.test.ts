import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { JS_ON_SPECS, SCRIPTED } from './e2e/scripted-pages.ts';

/** Every component and page under `dir` (.astro, .tsx): where markup is written. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(astro|tsx)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

/** A component puts a script on a page: an island (`client:load`, `client:idle`, …) or a `<script>` element. */
const carriesScript = (text: string): boolean => /\bclient:[a-z]+/.test(text) || /<script\b/i.test(text);

test('the components that put a script on a page are exactly those whose specs also run with JavaScript on', () => {
  const found = sources('src')
    .filter((file) => carriesScript(readFileSync(file, 'utf8')))
    .sort();
  assert.deepEqual(found, Object.keys(SCRIPTED).sort(), 'a new script on a page: list its specs in tests/e2e/scripted-pages.ts');
});

test('every spec listed for the js-on project exists', () => {
  assert.ok(JS_ON_SPECS.length > 0);
  for (const spec of JS_ON_SPECS) assert.ok(existsSync(path.join('tests', 'e2e', spec)), spec);
});

test('a script is recognised in both forms, and plain markup is not taken for one', () => {
  assert.equal(carriesScript('<PhotoPreview client:idle inputId={id} />'), true);
  assert.equal(carriesScript('<script is:inline>x()</script>'), true);
  assert.equal(carriesScript('<p>description of the client: a person</p>'), false);
});
