import http from 'node:http';
import path from 'node:path';
import { closeDatabase } from './db.ts';
import { stopBackgroundJobs } from './jobs.ts';
import { ALLOWED_METHODS, bodyLimitFor, limitedBody, REFUSAL_HEADER, REFUSAL_PATH, REFUSAL_TOKEN, REFUSED_PATH_HEADER, safeBackPath, type RefusalStatus } from './refusal.ts';
import { dynamicSecurityHeaders, staticSecurityHeaders } from './security-headers.ts';
import { compressWhileWriting } from './compression.ts';
import { readStaticTree, serveStaticFile, staticEntry } from './static-files.ts';
import { laneTakes, runLane, type Lane } from './lanes.ts';
import { PHOTO_FORM_LIMIT_BYTES as LARGEST_BODY_LIMIT } from '#features/photos/photos.schema.ts';

/**
 * The portal's HTTP server, in front of Astro's request handler (app-handler.ts; @astrojs/node in
 * standalone mode builds the app): it serves the build's static files itself (static-files.ts, with the
 * security headers), refuses what no page should see (refusal.ts) with the Dutch page, compresses every
 * text answer (compression.ts), answers a folder with the 404 page (no directory redirect that could echo
 * a path), answers the form posts of its fast lanes (lanes.ts) when their answer is a redirect, and stops
 * gracefully.
 */

/** Astro's handler (app-handler.ts); `locals` become the page's `Astro.locals`. */
type Handler = (req: http.IncomingMessage, res: http.ServerResponse, locals?: App.Locals) => void;

/** What `guarded` needs besides Astro's handler. */
export interface GuardOptions {
  production: boolean;
  stopping: () => boolean;
  /** Form posts the server decides itself, by path (lanes.ts). */
  lanes?: ReadonlyMap<string, Lane>;
  /** Origins a lane's post may come from besides the request's own (PUBLIC_URL's, behind a proxy). */
  origins?: readonly string[];
}

/** Wraps Astro's handler: static files, refusals, lanes, no directory redirects, `Connection: close` while stopping. */
export function guarded(handler: Handler, clientDir: string, options: GuardOptions): Handler {
  const root = path.resolve(clientDir);
  // Read once: the build does not change under a running server; a page request costs no file-system call.
  const tree = readStaticTree(root);
  const headers = Object.entries(staticSecurityHeaders(options.production));
  const laneHeaders = dynamicSecurityHeaders(options.production);
  const laneOrigins = options.origins ?? [];
  return (req, res) => {
    if (options.stopping()) res.setHeader('Connection', 'close');
    // Every text answer compressed by Accept-Encoding (compression.ts); static files from their copies compressed at build.
    compressWhileWriting(req, res);
    delete req.headers[REFUSAL_HEADER];
    delete req.headers[REFUSED_PATH_HEADER];
    const refuse = (status: RefusalStatus, back?: string) => {
      req.method = 'GET';
      req.headers[REFUSAL_HEADER] = `${REFUSAL_TOKEN}:${status}`;
      const safe = safeBackPath(back);
      if (safe) req.headers[REFUSED_PATH_HEADER] = safe;
      req.url = REFUSAL_PATH;
      handler(req, res);
    };
    const raw = req.url ?? '/';
    const rawPath = raw.split(/[?#]/, 1)[0] ?? '/';
    let decoded: string;
    try {
      // The whole URL too (the query): Astro would fail on an undecodable one (@astrojs/node answered it with English text).
      if (decodeURI(raw) === '') return refuse(400);
      decoded = decodeURIComponent(rawPath);
    } catch {
      return refuse(400);
    }
    if (!(ALLOWED_METHODS as readonly string[]).includes(req.method ?? '')) return refuse(405, rawPath);
    // An encoded slash or backslash, or a folder of static files: no page is there (a directory redirect
    // would echo the path into Location).
    const found = decoded === '/' ? undefined : staticEntry(tree, root, decoded);
    const kind = found?.entry.kind;
    // Every route reads at most its own body limit (the adapter's is the largest of them): Astro's request
    // (astro/app/node) streams `req.body` when it is set, so the small limit holds for a chunked body too.
    const limit = bodyLimitFor(decoded);
    if (req.method === 'POST' && limit < LARGEST_BODY_LIMIT) {
      const limited = limitedBody(req, limit);
      Object.assign(req, { body: limited.body });
      res.once('finish', limited.release);
    }
    if (/%2f|%5c|\\/i.test(rawPath) || kind === 'directory') {
      req.url = '/404';
    } else if (found?.entry.kind === 'file' && (req.method === 'GET' || req.method === 'HEAD')) {
      for (const [name, value] of headers) res.setHeader(name, value);
      return serveStaticFile(req, res, tree, found.file, found.entry, decoded.startsWith('/_astro/'));
    } else if (req.method === 'POST') {
      const lane = options.lanes?.get(decoded);
      if (lane && laneTakes(req, limit, laneOrigins)) return runLane(lane, req, res, laneHeaders, (locals) => handler(req, res, locals));
    }
    handler(req, res);
  };
}

export interface ServeOptions {
  host: string;
  port: number;
  clientDir: string;
  production: boolean;
  shutdownTimeoutMs: number;
  lanes?: ReadonlyMap<string, Lane>;
  /** The portal's external origin (PUBLIC_URL's), where a browser posts from behind a proxy. */
  publicOrigin?: string;
}

/**
 * Listens, and on SIGTERM or SIGINT stops gracefully: no new connections, requests in flight may finish
 * within `shutdownTimeoutMs` (then their connections are cut), the mail worker releases its leases,
 * the WAL is checkpointed into the database file, the database closed, exit code 0.
 */
export function serve(handler: Handler, options: ServeOptions): http.Server {
  let stopping = false;
  const server = http.createServer(
    guarded(handler, options.clientDir, {
      production: options.production,
      stopping: () => stopping,
      ...(options.lanes ? { lanes: options.lanes } : {}),
      origins: options.publicOrigin ? [options.publicOrigin] : [],
    }),
  );
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    console.log(`server: ${signal}: stopping; requests in progress may finish within ${options.shutdownTimeoutMs} ms`);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive connections become idle when their answer is sent: close them then, not after 5 s.
    const sweeper = setInterval(() => server.closeIdleConnections(), 50);
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      closed.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), options.shutdownTimeoutMs))),
    ]);
    clearTimeout(timer);
    clearInterval(sweeper);
    if (timedOut) {
      console.error('server: requests still running after the time-out; their connections are closed');
      server.closeAllConnections();
    }
    let code = 0;
    try {
      await stopBackgroundJobs(Math.max(1000, options.shutdownTimeoutMs - (Date.now() - started)));
      closeDatabase();
    } catch (error) {
      console.error('server: stopping failed:', (error as Error).message);
      code = 1;
    }
    console.log('server: stopped');
    process.exit(code);
  };
  // `on`, not `once`: the signal may come twice — from systemd (which signals every process of the service)
  // and again from Litestream, which passes it on to the portal it runs — and a second one must not kill the
  // process half-way through stopping.
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  server.listen(options.port, options.host, () => {
    const address = server.address();
    const where = typeof address === 'object' && address ? `${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}` : String(address);
    console.log(`server: listening on http://${where}`);
  });
  return server;
}
