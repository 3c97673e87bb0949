// Shared set-up for the unit tests. Not a test file itself (no `.test.ts`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A fresh temporary directory, removed when the test process exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `mb-unit-${prefix}-`));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Points this test process at its own empty database and the demo municipality, outside production.
 * Call before the first (dynamic) import of a module that uses `config()` or `db()`: both are read once.
 */
export function useTempDatabase(prefix: string): string {
  const dir = tempDir(prefix);
  const file = path.join(dir, 'meldpunt.db');
  process.env['DATABASE_PATH'] = file;
  // Mail written by the outbox worker goes to this test's own directory, never to data/mail.
  process.env['MAIL_DIR'] = path.join(dir, 'mail');
  for (const key of [
    'NODE_ENV',
    'MUNICIPALITY_CONFIG',
    'HCAPTCHA_SITEKEY',
    'HCAPTCHA_SECRET',
    'HCAPTCHA_VERIFY_URL',
    'PUBLIC_URL',
    'SMTP_URL',
    'MAIL_FROM',
    'COORDINATOR_EMAIL',
    'TEST_CLOCK_FILE',
    'PDOK_TIMEOUT_MS',
    // Its own data key beside its database (created on first use), never the developer's.
    'DATA_KEY_FILE',
    'CREDENTIALS_DIRECTORY',
  ]) {
    delete process.env[key];
  }
  // No national address service from unit tests; a test that wants one sets its stub's URL.
  process.env['PDOK_LOCATIESERVER_URL'] = 'off';
  return file;
}

/** The SQLite error code of a thrown error, for `assert.throws`. */
export function sqliteCode(code: string): (error: unknown) => boolean {
  return (error: unknown) => error instanceof Error && 'code' in error && (error as { code: unknown }).code === code;
}
