import { statfsSync } from 'node:fs';
import path from 'node:path';
import type { DB } from '#platform/db.ts';
import { readMigrations } from '#platform/migrate.ts';
import { outboxHealth } from '#features/mail/outbox.repo.server.ts';
import { lazy } from '#lib/lazy.ts';

/**
 * What /health reports, for monitoring (README "Monitoring"). Counts and words only, never content:
 * - `unavailable` (503): the database cannot be written (a write inside a transaction that is rolled
 *   back fails), the disk under the database has less free space than the threshold, or the database's
 *   schema is not the one this code expects;
 * - `degraded` (200: reports are still stored): the mail outbox has dead letters, or mail that waits longer than an hour;
 * - `ok` (200).
 */

export const MAIL_LATE_MS = 3_600_000;

export type Check = 'ok' | 'fout';
export interface Health {
  status: 'ok' | 'degraded' | 'unavailable';
  database: { writable: Check; disk: Check; migrations: Check };
  mail?: { dead: number; late: number };
}

/**
 * A write the database must accept, inside a transaction that is always rolled back: the schema's version
 * number written back as it is (a read-only database or handle refuses it). Not a change of the schema (the
 * probe created a table before): a schema change, even one rolled back, makes the connection prepare every
 * statement again at its next use, about 0.15 ms each, which the requests after every call of /health paid.
 */
export function databaseWritable(d: DB): boolean {
  try {
    d.exec('SAVEPOINT health_probe');
    try {
      const version = Number(d.pragma('user_version', { simple: true }));
      d.pragma(`user_version = ${version}`);
    } finally {
      d.exec('ROLLBACK TO health_probe; RELEASE health_probe');
    }
    return true;
  } catch {
    return false;
  }
}

/** Free space (bytes available to this process) on the filesystem that holds `file`. */
export function freeBytes(file: string): number {
  const stats = statfsSync(path.dirname(path.resolve(file)));
  return Number(stats.bavail) * Number(stats.bsize);
}

const expectedVersion = lazy(() => readMigrations().length);

export function migrationsCurrent(d: DB, expected = expectedVersion()): boolean {
  return (d.pragma('user_version', { simple: true }) as number) === expected;
}

export interface HealthSettings {
  databasePath: string;
  minFreeBytes: number;
  now: Date;
}

/** The portal's health now. Never throws: a check that cannot run counts as failed. */
export function checkHealth(d: DB | undefined, settings: HealthSettings): Health {
  const attempt = (check: () => boolean): Check => {
    try {
      return check() ? 'ok' : 'fout';
    } catch {
      return 'fout';
    }
  };
  const database = {
    writable: attempt(() => d !== undefined && databaseWritable(d)),
    disk: attempt(() => freeBytes(settings.databasePath) >= settings.minFreeBytes),
    migrations: attempt(() => d !== undefined && migrationsCurrent(d)),
  };
  if (Object.values(database).some((c) => c !== 'ok')) return { status: 'unavailable', database };
  let mail: { dead: number; late: number };
  try {
    mail = outboxHealth(new Date(settings.now.getTime() - MAIL_LATE_MS));
  } catch {
    return { status: 'unavailable', database: { ...database, writable: 'fout' } };
  }
  return { status: mail.dead > 0 || mail.late > 0 ? 'degraded' : 'ok', database, mail };
}
