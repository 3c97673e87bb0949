import { serveCalls, workerCalls } from '#platform/worker-calls.ts';

/**
 * HEIC photos (HEVC inside HEIF, an iPhone's default) decoded to pixels, for the BOA form's photos (spec §4:
 * JPEG, PNG, HEIC/HEIF or WebP). sharp's prebuilt libvips reads HEIF but has no HEVC decoder; libheif compiled
 * to WebAssembly (`heic-decode`) has one. Decoding a 12-megapixel photo takes 0.3–0.7 s of one CPU and runs
 * synchronously, so it runs in a worker thread of its own (#platform/worker-calls.ts): the server's thread
 * only posts the file and receives the pixels (their buffer moved, not copied), and every other request goes
 * on meanwhile. The thread stops after a minute without work, its WebAssembly memory with it.
 */

const ROLE = 'meldpunt-heic-decoder';

/** A decoded image: RGBA, 8 bits a channel, row by row. */
export interface DecodedImage {
  width: number;
  height: number;
  data: Uint8Array;
}

// In the worker: the WebAssembly module is loaded there only, never on the server's thread.
serveCalls<Uint8Array, DecodedImage>(
  ROLE,
  async (file) => {
    const { default: decode } = await import('heic-decode');
    const { width, height, data } = await decode({ buffer: file });
    return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  },
  (image) => [image.data.buffer as ArrayBuffer],
);

// In the server. The time limit is far above any photo within the pixel limit: a decoder that hangs is stopped.
const decoder = workerCalls<Uint8Array, DecodedImage>(new URL(import.meta.url), { role: ROLE }, 'heic', { timeoutMs: 30_000, idleMs: 60_000 });

/**
 * The pixels of a HEIC file, decoded in the decoder thread. Check the image's size from its header first
 * (sharp's metadata): the decoder allocates width × height × 4 bytes. Rejects when the file does not decode.
 * The file is copied to the thread; the caller keeps its bytes.
 */
export function decodeHeic(file: Uint8Array): Promise<DecodedImage> {
  return decoder.call(file);
}

/** Stops the decoder thread (tests, shutdown); the next HEIC starts it again. */
export function stopHeicDecoder(): Promise<void> {
  return decoder.stop();
}
