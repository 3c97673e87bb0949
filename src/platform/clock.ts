import { readFileSync } from 'node:fs';

/**
 * The server's "now". Tests of time-outs move it forward through a file named by TEST_CLOCK_FILE
 * (milliseconds to add); production refuses to start with that variable set (config.ts).
 */
export function now(): Date {
  const file = process.env['TEST_CLOCK_FILE'];
  if (!file) return new Date();
  let offset = 0;
  try {
    offset = Number(readFileSync(file, 'utf8').trim()) || 0;
  } catch {
    offset = 0;
  }
  return new Date(Date.now() + offset);
}
