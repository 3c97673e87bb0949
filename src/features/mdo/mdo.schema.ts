import { z } from 'astro/zod';
import { choice, text, tooLong, type FieldDef } from '#lib/forms.ts';
import { MEETING_KINDS } from './mdo.rules.ts';

/**
 * The MDO forms (spec §5a): FieldDefs with the exact Dutch labels (tests find the fields by them) and
 * a Zod schema per form with the exact Dutch messages. The actions of an agenda item are the casus's
 * actions (casus.schema.ts actionFields). Safe for islands: no server code.
 */

/** A calendar date as typed: YYYY-MM-DD. */
export const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

export const planFields = [
  { name: 'meetingDate', label: 'Datum', kind: 'text', hint: 'Bijvoorbeeld 2026-12-15' },
  { name: 'meetingKind', label: 'Soort overleg', kind: 'radio', options: MEETING_KINDS },
  { name: 'participants', label: 'Deelnemers', kind: 'textarea', optional: true, hint: 'De organisaties die meedoen, bijvoorbeeld: GGZ, wijkteam, woningcorporatie, politie' },
] as const satisfies readonly FieldDef[];
export const planSchema = z.object({
  meetingDate: z.string().trim().refine(isDate, { error: 'Vul een datum in als 2026-12-15' }),
  meetingKind: choice(MEETING_KINDS, 'Kies de soort overleg'),
  participants: text(1000, tooLong(1000)),
});

const question = text(1000, tooLong(1000)).min(1, { error: 'Vul de vraag aan het overleg in' });

/** On the casus page: `Op agenda zetten` of a planned overleg. */
export const agendaFromCaseFields = [
  { name: 'meeting', label: 'Overleg', kind: 'text' },
  { name: 'question', label: 'Vraag aan het overleg', kind: 'textarea', hint: 'Wat wilt u van de deelnemers weten of met hen afspreken?' },
] as const satisfies readonly FieldDef[];
export const agendaFromCaseSchema = (planned: readonly number[]) =>
  z.object({
    meeting: z
      .string()
      .transform((v) => Number(v.replace(/^overleg-/, '')))
      .refine((n) => planned.includes(n), { error: 'Kies een gepland overleg' }),
    question,
  });
/** The value of an overleg in a choice: `overleg-3` (the page keeps the order it is given). */
export const meetingChoiceValue = (nummer: number): string => `overleg-${nummer}`;

/** On the overleg page: a casus put on its agenda. */
export const agendaFromMeetingFields = [
  { name: 'agendaCase', label: 'Casus', kind: 'text' },
  { name: 'question', label: 'Vraag aan het overleg', kind: 'textarea', hint: 'Wat wilt u van de deelnemers weten of met hen afspreken?' },
] as const satisfies readonly FieldDef[];
export const agendaFromMeetingSchema = (open: readonly number[]) =>
  z.object({
    agendaCase: z
      .string()
      .transform((v) => Number(v.replace(/^casus-/, '')))
      .refine((n) => open.includes(n), { error: 'Kies een open casus' }),
    question,
  });

/** Per casus on the agenda: what was agreed. */
export const agreementFields = [{ name: 'agreements', label: 'Afspraken', kind: 'textarea', hint: 'Wat is afgesproken, en met wie?' }] as const satisfies readonly FieldDef[];
export const agreementSchema = z.object({ agreements: text(4000, tooLong(4000)).min(1, { error: 'Vul de afspraken in' }) });

/** The forms of the overleg page, by the `intent` each posts. */
export const MEETING_INTENTS = ['agenda', 'agreements', 'action', 'action_done'] as const;
export type MeetingIntent = (typeof MEETING_INTENTS)[number];
export const isMeetingIntent = (v: unknown): v is MeetingIntent => typeof v === 'string' && (MEETING_INTENTS as readonly string[]).includes(v);

export const MEETING_SAVED: Record<MeetingIntent, string> = {
  agenda: 'casus op de agenda gezet',
  agreements: 'afspraken',
  action: 'nieuwe actie',
  action_done: 'actie afgerond',
};

/** `Namen afkorten` on the print pages (in the URL: `afkorten=1`). */
export const SHORTEN_LABEL = 'Namen afkorten';
