import { createReadStream, readdirSync, statSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { negotiateEncoding, PRECOMPRESSED_TYPES, varyOnEncoding, type Encoding } from './compression.ts';

/**
 * The build's static files (dist/client: stylesheets, scripts, the favicon), served by the portal's HTTP
 * server itself (server.ts). The folder is read once at start — a build does not change under a running
 * server — so the portal looks nothing up on disk for a page request (`POST /melden`); its own `stat` per
 * request was a measurable part of every page request. (@astrojs/node's standalone handler, behind it,
 * still checks the disk once before it renders a page.)
 *
 * A file is sent as it is, or its copy compressed at build (`name.br`, `name.gz`: compression.ts) when the
 * browser accepts it; with a validator (ETag, Last-Modified; `If-None-Match` gives a 304), and cached for a
 * year under /_astro/ (hashed names), revalidated elsewhere — as @astrojs/node did.
 */

interface StaticFile {
  kind: 'file';
  size: number;
  mtime: Date;
}
export type StaticEntry = StaticFile | { kind: 'directory' };

/** Every file and folder under `dir`, by absolute path (the folder itself included); symbolic links followed. */
export function readStaticTree(dir: string): Map<string, StaticEntry> {
  const root = path.resolve(dir);
  const tree = new Map<string, StaticEntry>();
  const walk = (folder: string): void => {
    tree.set(folder, { kind: 'directory' });
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      return;
    }
    for (const name of names) {
      const full = path.join(folder, name);
      try {
        const stats = statSync(full);
        if (stats.isDirectory()) walk(full);
        else if (stats.isFile()) tree.set(full, { kind: 'file', size: stats.size, mtime: stats.mtime });
      } catch {
        // Gone while reading: not there.
      }
    }
  };
  walk(root);
  return tree;
}

/** What a decoded request path is under the static folder: a file, a folder, or nothing (a page). No file-system call. */
export function staticEntry(tree: ReadonlyMap<string, StaticEntry>, root: string, decodedPath: string): { file: string; entry: StaticEntry } | undefined {
  const full = path.resolve(root, `.${decodedPath}`);
  if (full !== root && !full.startsWith(root + path.sep)) return undefined;
  const entry = tree.get(full);
  return entry && { file: full, entry };
}

/** Types of the static files that are not text (text types: PRECOMPRESSED_TYPES). */
const OTHER_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

const SUFFIX: Record<Encoding, string> = { br: '.br', gzip: '.gz' };

/**
 * Answers a GET or HEAD for a static file: its compressed copy when the browser accepts one and the build
 * made one (text files of 512 bytes and more), else the file itself.
 */
export function serveStaticFile(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  tree: ReadonlyMap<string, StaticEntry>,
  file: string,
  stats: StaticFile,
  immutable: boolean,
): void {
  const ext = path.extname(file).toLowerCase();
  const textType = PRECOMPRESSED_TYPES[ext];
  let body = { file, stats, encoding: undefined as Encoding | undefined };
  if (textType) {
    varyOnEncoding(res);
    const encoding = negotiateEncoding(req.headers['accept-encoding']);
    const copy = encoding && tree.get(file + SUFFIX[encoding]);
    if (encoding && copy?.kind === 'file') body = { file: file + SUFFIX[encoding], stats: copy, encoding };
  }
  const etag = `W/"${body.stats.size.toString(16)}-${body.stats.mtime.getTime().toString(16)}${body.encoding ? `-${body.encoding}` : ''}"`;
  res.setHeader('Content-Type', textType ?? OTHER_TYPES[ext] ?? 'application/octet-stream');
  if (body.encoding) res.setHeader('Content-Encoding', body.encoding);
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', body.stats.mtime.toUTCString());
  res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=0');
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = 200;
  res.setHeader('Content-Length', body.stats.size);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(body.file);
  stream.on('error', (error) => res.destroy(error));
  stream.pipe(res);
}
