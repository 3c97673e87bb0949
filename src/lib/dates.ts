import { amsterdamToUtc, utcToAmsterdam } from '#features/intake/staff/staff-report.schema.ts';

/** Midnight in Amsterdam of the day `at` falls on, as a UTC instant. */
export function startOfAmsterdamDay(at: Date): Date {
  return amsterdamToUtc(`${utcToAmsterdam(at).slice(0, 10)}T00:00`) ?? at;
}
