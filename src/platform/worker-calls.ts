import { isMainThread, parentPort, Worker, workerData, type Transferable } from 'node:worker_threads';

/**
 * Work that would stall the server's thread (better-sqlite3 and WebAssembly are synchronous) done in a worker
 * thread of its own, asked and answered by messages: the AVE-monitor's queries (monitor.reader.server.ts), the
 * HEIC decoder (heic.decoder.server.ts). The worker is the calling module itself, loaded again by
 * `new Worker(import.meta.url)`: after `astro build` it is part of a chunk under dist/server/, so no separate
 * file has to be found or bundled. In the worker the module sees its `role` in `workerData` and answers.
 *
 * The thread starts on the first call; it holds the process only while a call waits for it (a shutdown waits
 * for that answer), may stop after a while without work, and one that died or stopped is started again for the
 * next call. A call can have a time limit: a thread that does not answer in time is stopped.
 */

interface Call<A> {
  id: number;
  ask: A;
}
type Reply<R> = { id: number; result: R } | { id: number; error: string };

/**
 * In the worker: when this thread was started for `role`, answers every call with `answer`. The transferables
 * of a result (`transfer`) move to the server's thread instead of being copied. Returns whether it serves.
 */
export function serveCalls<A, R>(role: string, answer: (ask: A, data: Record<string, unknown>) => R | Promise<R>, transfer: (result: R) => Transferable[] = () => []): boolean {
  const data = workerData as Record<string, unknown> | null;
  if (isMainThread || data?.['role'] !== role || !parentPort) return false;
  const port = parentPort;
  port.on('message', (call: Call<A>) => {
    Promise.resolve()
      .then(() => answer(call.ask, data))
      .then(
        (result) => port.postMessage({ id: call.id, result } satisfies Reply<R>, transfer(result)),
        (error: unknown) => port.postMessage({ id: call.id, error: error instanceof Error ? error.message : String(error) } satisfies Reply<R>),
      );
  });
  return true;
}

export interface WorkerCalls<A, R> {
  /** Asks the worker; rejects with `name: …` when it fails, stops, or (with a time limit) does not answer in time. */
  call(ask: A): Promise<R>;
  /** Stops the worker (at shutdown, between tests); the next call starts it again. */
  stop(): Promise<void>;
}

interface Pending<R> {
  resolve: (result: R) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

interface Running<R> {
  worker: Worker;
  pending: Map<number, Pending<R>>;
  idle: NodeJS.Timeout | undefined;
}

/**
 * In the server: calls into the worker `url` (the calling module's `import.meta.url`) started with `data`
 * (which holds its `role`). `name` prefixes the errors. `timeoutMs`: how long one call may take; `idleMs`: how
 * long the thread waits for work before it stops (never, when not given).
 */
export function workerCalls<A, R>(url: URL, data: { role: string } & Record<string, unknown>, name: string, options: { timeoutMs?: number; idleMs?: number } = {}): WorkerCalls<A, R> {
  let running: Running<R> | undefined;
  let nextId = 1;
  const thread = (): Running<R> => {
    if (running) {
      clearTimeout(running.idle);
      return running;
    }
    const worker = new Worker(url, { workerData: data });
    const current: Running<R> = { worker, pending: new Map(), idle: undefined };
    const fail = (error: Error) => {
      if (running === current) running = undefined;
      for (const p of current.pending.values()) {
        clearTimeout(p.timer);
        p.reject(error);
      }
      current.pending.clear();
    };
    worker.on('message', (reply: Reply<R>) => {
      const p = current.pending.get(reply.id);
      if (!p) return;
      current.pending.delete(reply.id);
      clearTimeout(p.timer);
      if ('error' in reply) p.reject(new Error(`${name}: ${reply.error}`));
      else p.resolve(reply.result);
      if (current.pending.size > 0) return;
      // Idle: the process may exit without waiting for it; after `idleMs` it stops.
      worker.unref();
      if (options.idleMs === undefined) return;
      current.idle = setTimeout(() => {
        if (running !== current || current.pending.size > 0) return;
        running = undefined;
        void worker.terminate();
      }, options.idleMs);
      current.idle.unref();
    });
    worker.on('error', (error) => fail(error));
    worker.on('exit', (code) => fail(new Error(`${name}: the thread stopped (exit ${code})`)));
    worker.unref();
    running = current;
    return current;
  };
  return {
    call(ask: A): Promise<R> {
      const t = thread();
      const id = nextId++;
      return new Promise<R>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        if (options.timeoutMs !== undefined) {
          timer = setTimeout(() => {
            t.pending.delete(id);
            reject(new Error(`${name}: no answer in time`));
            // A thread that hangs helps nobody: stop it; the next call starts a new one.
            void t.worker.terminate();
          }, options.timeoutMs);
          timer.unref();
        }
        t.pending.set(id, { resolve, reject, timer });
        // Busy: a call waits for it, so it holds the process.
        t.worker.ref();
        t.worker.postMessage({ id, ask } satisfies Call<A>);
      });
    },
    async stop(): Promise<void> {
      const r = running;
      running = undefined;
      if (r) await r.worker.terminate();
    },
  };
}
