// How staff pages write dates and codes: one home for the formatters the report, casus and MDO pages share.

const dateTime = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'long', timeStyle: 'short' });
const day = new Intl.DateTimeFormat('nl-NL', { timeZone: 'UTC', dateStyle: 'long' });

/** A moment (ISO, UTC) as Dutch date and time in Amsterdam: `3 maart 2026 om 10:00`. */
export const fmtDateTime = (iso: string): string => dateTime.format(new Date(iso));

/** A calendar date (`2026-03-03`) in words: `3 maart 2026`. */
export const fmtDay = (date: string): string => day.format(new Date(`${date}T00:00:00Z`));

/** The Dutch label of a code, or the code itself when the list does not know it. */
export const label = (options: Readonly<Record<string, string>>, code: string): string => options[code] ?? code;
