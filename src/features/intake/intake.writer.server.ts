import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { config } from '#platform/config.ts';
import { commitTogether } from '#platform/group-commit.ts';
import { REFERENCE_ATTEMPTS, ReferenceClash } from '#features/reports/reports.repo.server.ts';
import { DraftAlreadySent, markDraftSubmitted } from './drafts.repo.server.ts';
import { prepareWrite, writePrepared, type IntakeReport, type PreparedWrite } from './intake.server.ts';
import type { RawAnswers } from '#lib/forms.ts';

/**
 * A resident's report stored by a thread of its own (issue 16, "Melding versturen" at 0.8× a bare server).
 * On the server's one JavaScript thread a send spent more than half of its time in SQLite: the INSERT into
 * a table with some thirty indexes, the audit row, the e-mails queued, and above all the commit, which
 * waits for the disk (synchronous=FULL). Here a worker thread with a connection of its own does all of
 * that, in group commits (#platform/group-commit.ts): the sends that reach it while it waits for the disk
 * share the next commit. The server's thread only reads the draft, checks the answers and posts them.
 *
 * - The same writes as every other channel (`writePrepared`), with the draft's "sent" mark in the same
 *   transaction: a draft is sent at most once, whichever thread or connection sends it.
 * - What needs no database (encryption, blind indexes, the due date: `prepareWrite`) is done by the
 *   server's thread before posting: the writer thread is the one all sends queue for, so it only writes.
 *   Should the prepared reference be taken, the send is prepared again with a new one.
 * - A send is answered only after the commit that holds it: only then does the resident hear it arrived.
 * - The worker is this very module, loaded again by `new Worker(import.meta.url)`. The background jobs
 *   start it with the server (jobs.ts) and intake.server.ts imports it when needed, both by a dynamic
 *   import, so the build gives it a chunk of its own (as the checkpoint thread, checkpointer.ts).
 * - A send that cannot be copied to the thread is refused at once, and a thread that is stopped while idle
 *   starts again with the next send.
 * - An in-memory database cannot be opened from another thread, and a thread that does not start (or
 *   stops) is no reason to refuse a report: then the send is stored on the server's thread, as before.
 */

const ROLE = 'meldpunt-intake-writer';

/** What a resident's send asks to store: the report, its moment, and the draft to mark as sent. */
export interface ResidentSend {
  report: IntakeReport;
  now: Date;
  /** The draft's key (hashed) and what it keeps after sending (no content: whether it was anonymous, ...). */
  draftTokenHash: string;
  kept: Record<string, RawAnswers>;
}

/** A send as the writer thread takes it: prepared (`prepareWrite`) by the server's thread. */
interface PreparedSend extends Omit<ResidentSend, 'report'> {
  prepared: PreparedWrite;
}

/** The writes of one resident's send, in a transaction the caller holds. */
function writeResidentSend(send: PreparedSend): { id: number; reference: string } {
  return writePrepared(send.prepared, {
    now: send.now,
    alsoInTransaction: (stored) =>
      markDraftSubmitted({ tokenHash: send.draftTokenHash }, stored.reference, send.now, send.kept),
  });
}

interface Ask {
  id: number;
  send: PreparedSend;
}
type Answer = { id: number; stored: { id: number; reference: string } } | { id: number; error: string; alreadySent: boolean; clash: boolean };

// ---------------------------------------------------------------------------------------------
// In the worker.

if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE && parentPort) {
  const port = parentPort;
  port.on('message', (ask: Ask) => {
    // Every send that arrives in one turn of this thread's event loop joins the same commit.
    commitTogether(() => writeResidentSend(ask.send)).then(
      (stored) => port.postMessage({ id: ask.id, stored } satisfies Answer),
      (error: unknown) =>
        port.postMessage({
          id: ask.id,
          error: error instanceof Error ? error.message : String(error),
          alreadySent: error instanceof DraftAlreadySent,
          clash: error instanceof ReferenceClash,
        } satisfies Answer),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// In the server.

interface Pending {
  send: PreparedSend;
  resolve: (stored: { id: number; reference: string }) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
}

let thread: Thread | undefined;
let nextId = 1;
/** Whether a thread could not be started or stopped unexpectedly: then sends stay on the server's thread. */
let unavailable = false;

/** A send stored on the server's own thread, in its group commit: when there is no writer thread. */
function onThisThread(send: PreparedSend): Promise<{ id: number; reference: string }> {
  return commitTogether(() => writeResidentSend(send));
}

function writerThread(): Thread | undefined {
  if (thread) return thread;
  if (unavailable || config().databasePath === ':memory:') return undefined;
  let worker: Worker;
  try {
    worker = new Worker(new URL(import.meta.url), { workerData: { role: ROLE } });
  } catch (error) {
    unavailable = true;
    console.error(`intake: no writer thread, reports are stored on the server's thread: ${(error as Error).message}`);
    return undefined;
  }
  const current: Thread = { worker, pending: new Map() };
  const stopped = (why: string) => {
    if (thread === current) thread = undefined;
    if (current.pending.size === 0) return;
    unavailable = true;
    console.error(`intake: the writer thread stopped (${why}); reports are stored on the server's thread`);
    // Sent again here: one the thread did commit finds its draft sent (DraftAlreadySent), so none is stored twice.
    for (const p of current.pending.values()) onThisThread(p.send).then(p.resolve, p.reject);
    current.pending.clear();
  };
  worker.on('message', (answer: Answer) => {
    const p = current.pending.get(answer.id);
    if (!p) return;
    current.pending.delete(answer.id);
    if ('stored' in answer) p.resolve(answer.stored);
    else p.reject(answer.alreadySent ? new DraftAlreadySent() : answer.clash ? new ReferenceClash() : new Error(`intake: ${answer.error}`));
    if (current.pending.size === 0) worker.unref();
  });
  worker.on('error', (error) => stopped(error.message));
  worker.on('exit', (code) => stopped(`exit ${code}`));
  worker.unref();
  thread = current;
  return current;
}

/**
 * Stores a resident's send in the writer thread; resolves once its commit is on disk. Rejects with
 * DraftAlreadySent when another send of the same draft came first (nothing stored), with another error
 * when nothing could be stored. Without a thread it is stored on the server's own thread.
 */
export async function sendInWriter(send: ResidentSend): Promise<{ id: number; reference: string }> {
  const { report, ...rest } = send;
  // As withFreshReference (reports.repo.server.ts), across the thread: the clash comes back as an answer.
  for (let n = 1; ; n++) {
    try {
      return await sendPrepared({ ...rest, prepared: prepareWrite(report, send.now) });
    } catch (error) {
      if (!(error instanceof ReferenceClash) || n >= REFERENCE_ATTEMPTS) throw error;
    }
  }
}

function sendPrepared(send: PreparedSend): Promise<{ id: number; reference: string }> {
  const t = writerThread();
  if (!t) return onThisThread(send);
  const id = nextId++;
  return new Promise((resolve, reject) => {
    try {
      // Copied to the thread (structured clone): a value that cannot be copied fails here, before it is pending.
      t.worker.postMessage({ id, send } satisfies Ask);
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    t.pending.set(id, { send, resolve, reject });
    // Busy: a resident waits for it, so it holds the process.
    t.worker.ref();
  });
}

/**
 * Starts the thread ahead of the first send (the background jobs at the server's start), so that no
 * resident waits for it to load. Returns whether it runs.
 */
export function startIntakeWriter(): boolean {
  return writerThread() !== undefined;
}

/** Whether sends go to the thread (for tests and the bench). */
export function intakeWriterState(): { running: boolean; threadId: number | undefined; pending: number } {
  return { running: thread !== undefined, threadId: thread?.worker.threadId, pending: thread?.pending.size ?? 0 };
}

/**
 * Stops the thread at shutdown, after the sends it holds are answered (the server has stopped taking
 * requests by then), or after `waitMs`.
 */
export async function stopIntakeWriter(waitMs = 5000): Promise<void> {
  const t = thread;
  if (!t) return;
  const until = Date.now() + waitMs;
  while (t.pending.size > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
  thread = undefined;
  await t.worker.terminate();
}
