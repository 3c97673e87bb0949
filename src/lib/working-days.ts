/** Working days: Monday to Friday, minus the configured holidays (YYYY-MM-DD). */

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function isWorkingDay(date: Date, holidays: ReadonlySet<string>): boolean {
  const day = date.getUTCDay();
  return day !== 0 && day !== 6 && !holidays.has(isoDate(date));
}

/**
 * The date `days` working days after `from` (a UTC timestamp), as YYYY-MM-DD. Zero days means the
 * same day when that is a working day, else the next working day.
 */
export function addWorkingDays(from: Date, days: number, holidays: readonly string[]): string {
  const set = new Set(holidays);
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  while (!isWorkingDay(d, set)) d.setUTCDate(d.getUTCDate() + 1);
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (isWorkingDay(d, set)) left--;
  }
  return isoDate(d);
}
