import type { FieldDef } from './forms.ts';

/** The id an error summary link points at: the input itself, or a group's first option. */
export function fieldId(field: FieldDef): string {
  if (field.kind === 'radio' || field.kind === 'checkboxes') {
    const first = Object.keys(field.options ?? {})[0] ?? '';
    return optionId(field, first);
  }
  return `f-${field.name}`;
}

export function optionId(field: FieldDef, code: string): string {
  return `f-${field.name}-${code.replace(/[^a-zA-Z0-9_-]/g, '')}`;
}
