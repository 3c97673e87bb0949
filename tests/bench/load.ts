// Load for "Melding versturen": autocannon on loopback, a fixed number of POSTs at a fixed number of
// connections, each request with its own draft cookie. A 303 to /melden/bedankt is a success; any
// other answer, a socket error or a timeout is an error. Latencies are kept per response (autocannon's
// own histogram rounds to whole milliseconds).
import autocannon from 'autocannon';
import { CHECK_PATH, DRAFT_COOKIE, SEND_BODY, THANKS_PATH } from './form-flow.ts';

export interface LoadResult {
  requests: number;
  ok: number;
  errors: number;
  /** Answers that were not a 303 to /melden/bedankt, by status ("303 /melden" and so on). */
  wrongAnswers: Record<string, number>;
  seconds: number;
  /** Every answer, right or wrong, per second. */
  requestsPerSecond: number;
  /** Successful sends (303 to /melden/bedankt) per second. */
  okPerSecond: number;
  latencyMs: { p50: number; p99: number; mean: number; max: number };
  /** A run hit its time limit before all its requests were sent. */
  cutShort: boolean;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** What one load run saw, before it is summed up. */
export interface RawRun {
  ok: number;
  socketErrors: number;
  wrongAnswers: Record<string, number>;
  latencies: number[];
  seconds: number;
  /** The run hit its time limit before `amount` requests. */
  cutShort: boolean;
}

/** Figures of one or more runs against the same server (a split baseline is summed). */
export function summarize(runs: RawRun[]): LoadResult {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const ok = runs.reduce((n, r) => n + r.ok, 0);
  const socketErrors = runs.reduce((n, r) => n + r.socketErrors, 0);
  const seconds = runs.reduce((n, r) => n + r.seconds, 0);
  const wrongAnswers: Record<string, number> = {};
  for (const r of runs) for (const [k, n] of Object.entries(r.wrongAnswers)) wrongAnswers[k] = (wrongAnswers[k] ?? 0) + n;
  const responses = latencies.length;
  return {
    requests: responses + socketErrors,
    ok,
    errors: responses - ok + socketErrors,
    wrongAnswers,
    seconds,
    requestsPerSecond: responses / seconds,
    okPerSecond: ok / seconds,
    latencyMs: {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      mean: latencies.reduce((a, b) => a + b, 0) / (responses || 1),
      max: latencies.at(-1) ?? Number.NaN,
    },
    cutShort: runs.some((r) => r.cutShort),
  };
}

/**
 * `amount` final POSTs to `origin`, `connections` at a time, stopped after `maxSeconds`. `tokens`
 * must hold at least `amount + connections` draft tokens (or be empty for the baseline, which needs
 * no draft).
 */
export async function sendReports(origin: string, amount: number, connections: number, tokens: string[], maxSeconds: number): Promise<RawRun> {
  let nextToken = 0;
  let ok = 0;
  const wrongAnswers: Record<string, number> = {};
  const latencies: number[] = [];
  const headers = {
    origin,
    'content-type': 'application/x-www-form-urlencoded',
  };
  const started = performance.now();
  const instance = autocannon({
    url: origin,
    connections: Math.min(connections, amount),
    pipelining: 1,
    amount,
    timeout: 20,
    // autocannon ends a run at its next sample tick; short ticks waste less time at the end. The
    // duration below is timed here, up to the last response, not taken from autocannon.
    sampleInt: 50,
    requests: [
      {
        method: 'POST',
        path: CHECK_PATH,
        headers,
        body: SEND_BODY,
        setupRequest: (request) => {
          const token = tokens[nextToken++];
          return { ...request, headers: token ? { ...headers, cookie: `${DRAFT_COOKIE}=${token}` } : headers };
        },
        onResponse: (status, _body, _context, responseHeaders) => {
          const location = Object.entries(responseHeaders).find(([name]) => name.toLowerCase() === 'location')?.[1];
          const where = Array.isArray(location) ? location[0] : location;
          if (status === 303 && where === THANKS_PATH) ok++;
          else {
            const key = `${status}${where ? ` ${where}` : ''}`;
            wrongAnswers[key] = (wrongAnswers[key] ?? 0) + 1;
          }
        },
      },
    ],
  });
  let lastResponseAt = 0;
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    lastResponseAt = performance.now();
  });
  let cutShort = false;
  const limit = setTimeout(() => {
    cutShort = true;
    instance.stop();
  }, maxSeconds * 1000);
  const result = await instance;
  const seconds = ((lastResponseAt || performance.now()) - started) / 1000;
  clearTimeout(limit);
  return { ok, socketErrors: result.errors, wrongAnswers, latencies, seconds, cutShort };
}
