import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/**
 * HEIC photos (HEVC inside HEIF, an iPhone's default) decoded to pixels, for the BOA form's photos (spec §4:
 * JPEG, PNG, HEIC/HEIF or WebP). sharp's prebuilt libvips reads HEIF but has no HEVC decoder; libheif compiled
 * to WebAssembly (`heic-decode`) has one. Decoding a 12-megapixel photo takes 0.3–0.7 s of one CPU and runs
 * synchronously, so it runs in a worker thread of its own: the server's thread only posts the file and
 * receives the pixels (their buffer moved, not copied), and every other request goes on meanwhile.
 *
 * The worker is this very module, loaded again by `new Worker(import.meta.url)` (as the monitor's reader):
 * after `astro build` it is part of a chunk under dist/server/, so no separate file has to be found. It starts
 * on the first HEIC, waits unref'd while idle and stops after a minute without work (its memory with it); one
 * that died or stopped is started again for the next photo.
 */

const ROLE = 'meldpunt-heic-decoder';
/** Longer than any photo within the pixel limit takes; a decoder that hangs is stopped and started again. */
const DECODE_TIMEOUT_MS = 30_000;

/** A decoded image: RGBA, 8 bits a channel, row by row. */
export interface DecodedImage {
  width: number;
  height: number;
  data: Uint8Array;
}

interface Ask {
  id: number;
  file: Uint8Array;
}
type Answer = { id: number; width: number; height: number; data: Uint8Array } | { id: number; error: string };

// ---------------------------------------------------------------------------------------------
// In the worker.

if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE && parentPort) {
  const port = parentPort;
  // Loaded here only: the WebAssembly module never weighs on the server's thread.
  const decoding = import('heic-decode').then((m) => m.default);
  port.on('message', (ask: Ask) => {
    decoding.then((decode) => decode({ buffer: ask.file })).then(
      ({ width, height, data }) => {
        const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
        port.postMessage({ id: ask.id, width, height, data: pixels } satisfies Answer, [pixels.buffer as ArrayBuffer]);
      },
      (error: unknown) => port.postMessage({ id: ask.id, error: error instanceof Error ? error.message : String(error) } satisfies Answer),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// In the server.

interface Pending {
  resolve: (image: DecodedImage) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** An idle decoder stops after this long: its WebAssembly memory (a photo's pixels and more) goes with it. */
const IDLE_MS = 60_000;

interface Decoder {
  worker: Worker;
  pending: Map<number, Pending>;
  idle: NodeJS.Timeout | undefined;
}

let decoder: Decoder | undefined;
let nextId = 1;

function decoderThread(): Decoder {
  if (decoder) {
    clearTimeout(decoder.idle);
    return decoder;
  }
  const worker = new Worker(new URL(import.meta.url), { workerData: { role: ROLE } });
  const current: Decoder = { worker, pending: new Map<number, Pending>(), idle: undefined };
  const fail = (error: Error) => {
    if (decoder === current) decoder = undefined;
    for (const p of current.pending.values()) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    current.pending.clear();
  };
  worker.on('message', (answer: Answer) => {
    const p = current.pending.get(answer.id);
    if (!p) return;
    current.pending.delete(answer.id);
    clearTimeout(p.timer);
    if ('error' in answer) p.reject(new Error(`heic: ${answer.error}`));
    else p.resolve({ width: answer.width, height: answer.height, data: answer.data });
    if (current.pending.size === 0) {
      worker.unref();
      current.idle = setTimeout(() => {
        if (decoder === current && current.pending.size === 0) {
          decoder = undefined;
          void worker.terminate();
        }
      }, IDLE_MS);
      current.idle.unref();
    }
  });
  worker.on('error', (error) => fail(error));
  worker.on('exit', (code) => fail(new Error(`heic: the decoder thread stopped (exit ${code})`)));
  worker.unref();
  decoder = current;
  return current;
}

/**
 * The pixels of a HEIC file, decoded in the decoder thread. Check the image's size from its header first
 * (sharp's metadata): the decoder allocates width × height × 4 bytes. Rejects when the file does not decode.
 */
export function decodeHeic(file: Uint8Array): Promise<DecodedImage> {
  const d = decoderThread();
  const id = nextId++;
  return new Promise<DecodedImage>((resolve, reject) => {
    const timer = setTimeout(() => {
      d.pending.delete(id);
      reject(new Error('heic: no answer in time'));
      // A decoder that hangs on a file helps nobody: stop it; the next photo starts a new one.
      void d.worker.terminate();
    }, DECODE_TIMEOUT_MS);
    timer.unref();
    d.pending.set(id, { resolve, reject, timer });
    d.worker.ref();
    // A copy goes over: the caller keeps its bytes (the form may need them again).
    d.worker.postMessage({ id, file } satisfies Ask);
  });
}

/** Stops the decoder thread (tests, shutdown); the next HEIC starts it again. */
export async function stopHeicDecoder(): Promise<void> {
  const d = decoder;
  decoder = undefined;
  if (d) await d.worker.terminate();
}
