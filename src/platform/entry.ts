/**
 * The built server's entry (dist/server/entry.mjs), in place of @astrojs/node's own (astro.config.mjs):
 * however the portal is started — `npm start`, `node dist/server/entry.mjs` in a container or a
 * systemd unit, the tests' launcher — the configuration is checked, the database opened and
 * migrated, and the data key loaded (with the encryption pass after an upgrade) before the port is opened; a bad configuration stops the process with its message and
 * exit code 1. Then the portal's own HTTP server (server.ts) serves Astro's handler (app-handler.ts).
 *
 * Exports the names @astrojs/node's entry exports (`handler`, `options`, `startServer`), but `handler` is
 * Astro's page handler alone: static files and undecodable addresses are the portal's server's (server.ts).
 * ASTRO_NODE_AUTOSTART=disabled still means "import without listening".
 */
import { fileURLToPath } from 'node:url';
import { createAppHandler, options } from './app-handler.ts';
import { config } from './config.ts';
import { db } from './db.ts';
import { prepareEncryption } from '#features/encryption/encryption.server.ts';
import { CHECK_PATH } from '#features/intake/resident/resident-steps.schema.ts';
import { handleCheck } from '#features/intake/resident/resident.handler.server.ts';
import { startBackgroundJobs } from './jobs.ts';
import { publicOrigin } from './refusal.ts';
import { serve } from './server.ts';

export const handler = createAppHandler();
export { options };

/** Checks, opens the database, listens; exits with code 1 and the reason when the portal cannot run. */
export function startServer(): ReturnType<typeof serve> {
  let production: boolean;
  let shutdownTimeoutMs: number;
  try {
    ({ production, shutdownTimeoutMs } = config());
    db();
    prepareEncryption();
  } catch (error) {
    console.error(`start: ${(error as Error).message}`);
    process.exit(1);
  }
  const configuredHost = options.host;
  const host = process.env['HOST'] || (typeof configuredHost === 'string' ? configuredHost : configuredHost ? '0.0.0.0' : 'localhost');
  const port = process.env['PORT'] ? Number(process.env['PORT']) : options.port;
  const server = serve(handler, {
    host,
    port,
    clientDir: fileURLToPath(new URL('../client/', import.meta.url)),
    production,
    shutdownTimeoutMs,
    // "Melding versturen": answered by the server itself when it is a redirect (lanes.ts, issue 16).
    lanes: new Map([[CHECK_PATH, handleCheck]]),
    publicOrigin: publicOrigin(),
  });
  startBackgroundJobs();
  return server;
}

if (process.env['ASTRO_NODE_AUTOSTART'] !== 'disabled') startServer();
