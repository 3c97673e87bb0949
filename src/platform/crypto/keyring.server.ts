import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { config } from '#platform/config.ts';
import { keyringOf, type Keyring } from './field-crypto.ts';

/**
 * The process's keyring, from the data key file (config().dataKey): one base64 256-bit key per line,
 * oldest first, the last one current. The key never lives in the database or its backups.
 *
 * Outside production a missing file is created with one fresh key (mode 0600) and the console says so.
 * The file is looked at again at most every two seconds, so a key added by `npm run keys:rotate`
 * is used by the running portal for new values within seconds.
 */

const RECHECK_MS = 2000;

/** Reads a key file's keys; throws a Dutch message naming the file when it is not a key file. */
export function readKeyFile(file: string): Buffer[] {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const keys = lines.map((line) => Buffer.from(line, 'base64'));
  if (keys.length === 0 || keys.some((k, i) => k.length !== 32 || !/^[A-Za-z0-9+/]{43}=$/.test(lines[i]!))) {
    throw new Error(`${file} is geen sleutelbestand: elke regel moet een sleutel van 256 bits zijn, in base64 (44 tekens).`);
  }
  return keys;
}

/** A fresh key as a key-file line. */
export function newKeyLine(): string {
  return randomBytes(32).toString('base64');
}

/** Writes a key file atomically (a reader sees the old or the new file, never half), mode 0600. */
export function writeKeyFile(file: string, lines: readonly string[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${lines.join('\n')}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, file);
}

let cached: { ring: Keyring; file: string; stamp: string; checkedAt: number } | undefined;

const stampOf = (file: string): string => {
  const st = statSync(file);
  return `${st.mtimeMs}:${st.size}:${st.ino}`;
};

/** The keyring; creates the embedded default key outside production on first use. */
export function keyring(): Keyring {
  const now = Date.now();
  if (cached && now - cached.checkedAt < RECHECK_MS) return cached.ring;
  const { file } = config().dataKey;
  if (cached) {
    cached.checkedAt = now;
    try {
      const stamp = stampOf(file);
      if (stamp !== cached.stamp) cached = { ring: keyringOf(readKeyFile(file)), file, stamp, checkedAt: now };
    } catch (error) {
      // A key file being replaced or unreadable for a moment: keep the keys already loaded.
      console.error(`sleutels: ${(error as Error).message}; de geladen sleutels blijven in gebruik.`);
    }
    return cached.ring;
  }
  if (!existsSync(file)) {
    if (config().production) throw new Error(`Refusing to start in production: no data key at ${file}`);
    writeKeyFile(file, [newKeyLine()]);
    console.log(`sleutels: nieuwe gegevenssleutel gemaakt in ${file}. Bewaar een kopie buiten deze machine: zonder sleutel is een back-up onleesbaar.`);
  }
  cached = { ring: keyringOf(readKeyFile(file)), file, stamp: stampOf(file), checkedAt: now };
  return cached.ring;
}

/** For tests: forget the loaded keys. */
export function resetKeyring(): void {
  cached = undefined;
}
