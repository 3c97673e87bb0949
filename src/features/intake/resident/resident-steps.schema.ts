import type { z } from 'astro/zod';
import { type FieldDef } from '#lib/forms.ts';
import { acuteFields, acuteSchema, concernFields, concernSchema, personFields, personSchema, reporterFields, reporterSchema } from './report.schema.ts';

/** The question steps of the resident form `/melden`, in order. Step 5 is the check page. */
export interface StepDef {
  id: 'gevaar' | 'persoon' | 'zorgen' | 'over-u';
  path: string;
  number: number;
  title: string;
  intro?: string;
  fields: readonly FieldDef[];
  schema: z.ZodType;
}

export const TOTAL_STEPS = 5;

export const STEPS: readonly StepDef[] = [
  {
    id: 'gevaar',
    path: '/melden',
    number: 1,
    title: 'Direct gevaar',
    fields: acuteFields,
    schema: acuteSchema,
  },
  {
    id: 'persoon',
    path: '/melden/persoon',
    number: 2,
    title: 'Over de persoon',
    intro: 'Vertel ons over wie u zich zorgen maakt. Weet u iets niet? Dan mag u het leeg laten, behalve als er staat dat het nodig is.',
    fields: personFields,
    schema: personSchema,
  },
  {
    id: 'zorgen',
    path: '/melden/zorgen',
    number: 3,
    title: 'Uw zorgen',
    intro: 'Vertel wat u ziet of hoort. Dan kunnen wij beter inschatten welke hulp nodig is.',
    fields: concernFields,
    schema: concernSchema,
  },
  {
    id: 'over-u',
    path: '/melden/over-u',
    number: 4,
    title: 'Over u',
    intro: 'Wij willen u soms iets vragen over uw melding. U mag ook anoniem melden.',
    fields: reporterFields,
    schema: reporterSchema,
  },
];

export const CHECK_PATH = '/melden/controleren';
export const THANKS_PATH = '/melden/bedankt';
export const CALL_112_PATH = '/melden/bel-112';

export function stepById(id: string): StepDef | undefined {
  return STEPS.find((s) => s.id === id);
}

/** The step whose page is at `slug` under /melden (`undefined` for the first step). */
export function stepBySlug(slug: string | undefined): StepDef | undefined {
  return STEPS.find((s) => s.path === (slug ? `/melden/${slug}` : '/melden'));
}
