// Starts the built portal (dist/server/entry.mjs) for the end-to-end tests, on a fresh SQLite file.
// Usage: node tests/support/serve.ts <name> <port> [KEY=VALUE ...]
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { warmUp } from '#cli/warm-up.ts';

const [name, port, ...settings] = process.argv.slice(2);
if (!name || !port) throw new Error('usage: serve.ts <name> <port> [KEY=VALUE ...]');
const dir = path.resolve('data/test', name);
// KEEP_DATA=1: a restart of the same portal keeps its database (crash and restart tests).
if (!process.env['KEEP_DATA']) rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
process.env['DATABASE_PATH'] = path.join(dir, 'meldpunt.db');
process.env['MAIL_DIR'] = path.join(dir, 'mail');
process.env['HOST'] = '127.0.0.1';
process.env['PORT'] = port;
process.env['PUBLIC_URL'] = `http://localhost:${port}`;
for (const setting of settings) {
  const at = setting.indexOf('=');
  process.env[setting.slice(0, at)] = setting.slice(at + 1);
}
// PORTAL_DIST: another build folder (a developer testing beside a running suite).
await import(path.resolve(process.env['PORTAL_DIST'] || 'dist', 'server/entry.mjs'));
await warmUp();
