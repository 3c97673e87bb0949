// `npm start`: serve the built portal, building it first when there is no build yet.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const entry = 'dist/server/entry.mjs';
if (!existsSync(entry)) {
  const build = spawnSync('npx', ['astro', 'build'], { stdio: 'inherit', env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
await import(new URL(`../../${entry}`, import.meta.url).href);
