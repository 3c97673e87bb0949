// Starting and stopping the servers the benchmark measures: the built portal (through
// tests/support/serve.ts) and the bare node:http + better-sqlite3 baseline. Loopback only.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';

export interface RunningServer {
  name: string;
  /** http://127.0.0.1:<port> */
  origin: string;
  port: number;
  /** The SQLite file the server writes. */
  databasePath: string;
  /** The server's process id (for /proc/<pid>/io and its memory). */
  pid: number | undefined;
  stop(): Promise<void>;
}

/** A port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (!address || typeof address === 'string') throw new Error('could not get a free port');
  return address.port;
}

/** Keeps the last lines a child wrote, to show when it fails to start. */
function tail(child: ChildProcess): () => string {
  let text = '';
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text;
}

async function waitForHealth(origin: string, child: ChildProcess, output: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output()}`);
    }
    try {
      const response = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server at ${origin} was not ready within ${timeoutMs / 1000} s:\n${output()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

const started = new Set<ChildProcess>();

/** Kills every server this process started (by its own handle); for an abort. */
export function killAllStarted(): void {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

async function launch(name: string, port: number, databasePath: string, args: string[]): Promise<RunningServer> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  started.add(child);
  const output = tail(child);
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(origin, child, output);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return {
    name,
    origin,
    port,
    databasePath,
    pid: child.pid,
    stop: async () => {
      await stopChild(child);
      started.delete(child);
    },
  };
}

/**
 * The built portal (dist/server/entry.mjs) via tests/support/serve.ts, with its database and mail
 * directory in `dir`, no address lookup, and the given extra settings.
 */
export async function startPortal(name: string, dir: string, settings: string[]): Promise<RunningServer> {
  const port = await freePort();
  const databasePath = path.join(dir, `${name}.db`);
  return launch(name, port, databasePath, [
    'tests/support/serve.ts',
    name,
    String(port),
    `DATABASE_PATH=${databasePath}`,
    `MAIL_DIR=${path.join(dir, `${name}-mail`)}`,
    // The national address register is out of reach here: unset, every address step would wait for the
    // network to fail (the drafts for the throughput rounds came at 25 step posts a second).
    'PDOK_LOCATIESERVER_URL=off',
    ...settings,
  ]);
}

/** The bare baseline server (tests/bench/baseline-server.ts) on a fresh database in `dir`. */
export async function startBaseline(dir: string): Promise<RunningServer> {
  const port = await freePort();
  const databasePath = path.join(dir, 'baseline.db');
  return launch('baseline', port, databasePath, ['tests/bench/baseline-server.ts', String(port), databasePath]);
}
