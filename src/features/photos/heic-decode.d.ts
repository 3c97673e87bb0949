// heic-decode (libheif compiled to WebAssembly) ships no types: the one function the decoder thread uses.
declare module 'heic-decode' {
  /** The primary image of a HEIC file: RGBA pixels, 8 bits a channel. Rejects for a file that is not HEIC. */
  export default function decode(input: { buffer: Uint8Array | ArrayBuffer }): Promise<{ width: number; height: number; data: Uint8ClampedArray }>;
}
