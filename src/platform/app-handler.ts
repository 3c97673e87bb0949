import { AsyncLocalStorage } from 'node:async_hooks';
import type http from 'node:http';
import { createApp } from 'astro/app/entrypoint';
import { createRequestFromNodeRequest, writeResponse } from 'astro/app/node';
import { setGetEnv } from 'astro/env/setup';
import * as adapterOptions from 'virtual:astro-node:config';

/**
 * Astro's request handler for the portal's HTTP server (server.ts): what @astrojs/node's standalone handler
 * does for a page, without its static-file step. That step looked every request up on disk first (an
 * `lstat`, then `send`'s `stat` of a file that is not there), on the server's one thread: about 8 % of the
 * thread's time for "Melding versturen" (issue 16). The portal's server serves the build's static files
 * itself, from a tree read at start (static-files.ts), so no request that reaches this handler is a file.
 *
 * The rest follows @astrojs/node's own (dist/serve-app.js in the version in package-lock.json): the same
 * app and options (the adapter's build configuration, `virtual:astro-node:config`), the same request
 * (body limit, allowed domains), the same answer, except that what Astro itself cannot answer gets a
 * short Dutch text instead of "Internal Server Error". The portal has no prerendered pages, so there is no
 * prerendered error page to read from disk. Check it again when @astrojs/node is upgraded.
 */

/** The adapter's settings from astro.config.mjs (host, port, body limit), as @astrojs/node's server entry has them. */
export const options = adapterOptions;

/** `locals`: what the portal's server decided already (a lane's outcome, lanes.ts), as the page's `Astro.locals`. */
type Handler = (req: http.IncomingMessage, res: http.ServerResponse, locals?: App.Locals) => void;

/**
 * The portal prerenders nothing, so there is no prerendered error page to read. Without this Astro would
 * fetch one over HTTP from the server itself (its default is the global `fetch`), should a page ever be
 * prerendered: never a request to itself.
 */
const noPrerenderedPage = async (): Promise<Response> => new Response(null, { status: 404 });

/** When Astro itself could not answer (its own errors show the 500 page): a short Dutch answer, never a stack. */
function failed(res: http.ServerResponse): void {
  res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('Er ging iets mis. Probeer het later opnieuw.');
}

/** The path of a request's URL, without its query (what the logs name; never a query's content). */
const pathOf = (url: string | undefined): string => (url ?? '').split('?', 1)[0] ?? '';

/** The handler, made once per process: it creates Astro's app. */
export function createAppHandler(): Handler {
  setGetEnv((key) => process.env[key]);
  const app = createApp({ streaming: !options.experimentalDisableStreaming });
  const logger = app.adapterLogger;
  const bodySizeLimit = options.bodySizeLimit === 0 || options.bodySizeLimit === Number.POSITIVE_INFINITY ? undefined : options.bodySizeLimit;
  // The same for every request: worked out once, not per request.
  const requestOptions = { allowedDomains: app.getAllowedDomains?.() ?? [], port: options.port, ...(bodySizeLimit === undefined ? {} : { bodySizeLimit }) };
  /** The URL of the request being rendered (path and query), for the log of a rejection nobody handled. */
  const requestUrl = new AsyncLocalStorage<string>();
  const aborted = new WeakSet<Error>();
  // As @astrojs/node: a rejection nobody handled while a page rendered is logged (by path), and the process goes on.
  process.on('unhandledRejection', (reason) => {
    const url = requestUrl.getStore();
    if (url === undefined || (reason instanceof Error && aborted.has(reason))) return;
    logger.error(`Unhandled rejection while rendering ${pathOf(url)}\n${reason instanceof Error ? reason.stack || reason.message : String(reason)}`);
  });

  return (req, res, locals) => {
    req.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET') aborted.add(error);
    });
    let request: Request;
    try {
      request = createRequestFromNodeRequest(req, requestOptions);
    } catch (error) {
      logger.error(`Could not render ${pathOf(req.url)}: ${(error as Error).message}`);
      failed(res);
      return;
    }
    void requestUrl.run(req.url ?? '', async () => {
      try {
        const routeData = app.match(request, true);
        // No route: Astro renders the 404 page.
        const response = await app.render(request, { addCookieHeader: true, prerenderedErrorPageFetch: noPrerenderedPage, ...(routeData ? { routeData } : {}), ...(locals ? { locals } : {}) });
        await writeResponse(response, res);
      } catch (error) {
        if (error instanceof Error && aborted.has(error)) return;
        logger.error(`Could not render ${pathOf(req.url)}\n${error instanceof Error ? error.stack || error.message : String(error)}`);
        if (!res.headersSent) {
          failed(res);
        } else {
          res.destroy();
        }
      }
    });
  };
}
