// `npm start`: serve the built portal (dist/server/entry.mjs), building it first when there is no build.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { warmUp } from './warm-up.ts';

const entry = 'dist/server/entry.mjs';
if (!existsSync(entry)) {
  console.log('start: no build yet, building first');
  const build = spawnSync('npx', ['astro', 'build'], { stdio: 'inherit', env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
await import(new URL(`../../${entry}`, import.meta.url).href);
await warmUp();
