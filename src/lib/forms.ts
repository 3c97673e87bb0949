/**
 * Forms without I/O: how a field is drawn (FieldDef), how answers are read from a posted form, the
 * Zod building blocks every form schema uses (text, choice…), and Dutch messages per field.
 * Safe for islands and schemas: no `node:` imports, no server code.
 */
import { z } from 'astro/zod';

/** An option list: stored code → exact Dutch label. */
export type OptionMap = Readonly<Record<string, string>>;

/** The codes of an option map, typed for `z.enum`. */
export function codes<T extends OptionMap>(options: T): [keyof T & string, ...(keyof T & string)[]] {
  return Object.keys(options) as [keyof T & string, ...(keyof T & string)[]];
}

/** How a field is drawn. Labels are exact (spec §2); tests find fields by them. */
export interface FieldDef {
  name: string;
  label: string;
  kind: 'text' | 'email' | 'tel' | 'password' | 'textarea' | 'radio' | 'checkboxes' | 'datetime' | 'checkbox';
  options?: OptionMap;
  hint?: string;
  maxLength?: number;
  autocomplete?: string;
  inputMode?: 'numeric' | 'text' | 'tel' | 'email';
  /** A width class from the Utrecht textbox (postal code, house number…). */
  size?: 'postcode' | 'house-number' | 'house-addition';
  /** Shown as optional ("(niet verplicht)") after the label. */
  optional?: boolean;
}

/** Raw form answers as they arrive: a string per field, a list for checkboxes. */

/** Raw form answers as they arrive: a string per field, a list for checkboxes. */
export type RawAnswers = Record<string, string | string[]>;

// ---------------------------------------------------------------------------------------------
// Building blocks. Every value arrives as a (possibly empty) string; the schemas trim, normalise
// and turn empty optional answers into `undefined`.

export const text = (max: number, tooLong: string) => z.string().trim().max(max, { error: tooLong });

export const optionalText = (max: number, tooLong: string) =>
  text(max, tooLong).transform((v) => (v === '' ? undefined : v));

export const choice = <T extends OptionMap>(options: T, missing: string) => z.enum(codes(options), { error: missing });

export const optionalChoice = <T extends OptionMap>(options: T, invalid: string) =>
  z.union([z.literal('').transform(() => undefined), z.enum(codes(options), { error: invalid })], { error: invalid });

export const choices = <T extends OptionMap>(options: T, invalid: string) =>
  z.array(z.enum(codes(options), { error: invalid }), { error: invalid }).transform((list) => [...new Set(list)]);

export const tooLong = (n: number) => `Gebruik maximaal ${n} tekens`;

/**
 * Zod 4 skips a refinement when any field failed; these rules must run anyway, so that a resident
 * hears about every problem on the page at once. (The fields they read are strings whatever happens.)
 */
export const ALWAYS = { when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null } as const;

// ---------------------------------------------------------------------------------------------
// Reading answers from a form and errors from a schema.

/** Strips control characters (NUL and friends) but keeps tabs and line breaks. */
export function cleanText(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '').replace(/\r\n?/g, '\n');
}

/**
 * Reads the named fields from a posted form: checkbox groups as a list, the rest as one string.
 * Anything that is not text (a file upload) counts as empty. Unknown fields are ignored.
 */
export function readFields(form: FormData, fields: readonly FieldDef[]): RawAnswers {
  const answers: RawAnswers = {};
  for (const field of fields) {
    if (field.kind === 'checkboxes') {
      answers[field.name] = form.getAll(field.name).filter((v): v is string => typeof v === 'string').map(cleanText);
    } else if (field.kind === 'radio' && form.getAll(field.name).length > 1) {
      // A browser sends one value per radio group. Two ("nee" and "ja" for acute danger) is no answer:
      // joined, they match no option, so the step is refused with the field's own message.
      answers[field.name] = form.getAll(field.name).map((v) => (typeof v === 'string' ? cleanText(v) : '')).join(',');
    } else {
      const value = form.get(field.name);
      answers[field.name] = typeof value === 'string' ? cleanText(value) : '';
    }
  }
  return answers;
}

/** The first message per field, keyed by field name. */
export type FieldErrors = Record<string, string>;

export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '');
    if (key && !(key in errors)) errors[key] = issue.message;
  }
  return errors;
}

/** Parses raw answers with a step schema: the clean values, or the Dutch messages per field. */
export function parseStep<S extends z.ZodType>(
  schema: S,
  raw: RawAnswers,
): { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors } {
  const result = schema.safeParse(raw);
  return result.success ? { ok: true, data: result.data } : { ok: false, errors: fieldErrors(result.error) };
}
