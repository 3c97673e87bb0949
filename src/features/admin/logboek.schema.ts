import { z } from 'astro/zod';
import { codes, type FieldDef } from '#lib/forms.ts';
import { AUDIT_RESULTS, AUDIT_ROLES } from '#features/audit/audit.schema.ts';

/** The labels the log view shows (pages do not import #features/audit/ themselves). */
export { AUDIT_OBJECTS, AUDIT_ON_BEHALF_OF, AUDIT_RESULTS, AUDIT_ROLES, auditActionLabel } from '#features/audit/audit.schema.ts';

/** The filters of the admin's view of the audit log (/intern/beheer/logboek). */

/** The filter fields, by their names in the URL (a GET form: filters can be bookmarked). Exact labels. */
export const auditFilterFields = [
  { name: 'rol', label: 'Rol', kind: 'radio', options: AUDIT_ROLES },
  { name: 'resultaat', label: 'Resultaat', kind: 'radio', options: AUDIT_RESULTS },
  { name: 'actie', label: 'Handeling', kind: 'text' },
  { name: 'object', label: 'Object (referentienummer of account)', kind: 'text' },
  { name: 'van', label: 'Vanaf datum', kind: 'text' },
  { name: 'tot', label: 'Tot en met datum', kind: 'text' },
] as const satisfies readonly FieldDef[];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A filter that does not fit is left out, never refused: the log shows everything it would show
 * without it (no messages, so none in Dutch either).
 */
export const auditFilterSchema = z
  .object({
    /** The actor's role. */
    rol: z.enum(codes(AUDIT_ROLES)).optional().catch(undefined),
    /** What came of it. */
    resultaat: z.enum(codes(AUDIT_RESULTS)).optional().catch(undefined),
    /** An action code; only one that occurs in the log counts (the service checks). */
    actie: z.string().optional().catch(undefined),
    /** A report's reference or an account's number. */
    object: z.string().regex(/^[A-Za-z0-9-]{1,20}$/).optional().catch(undefined),
    /** First day, YYYY-MM-DD, inclusive (UTC). */
    van: z.string().regex(DATE).optional().catch(undefined),
    /** Last day, YYYY-MM-DD, inclusive (UTC). */
    tot: z.string().regex(DATE).optional().catch(undefined),
    /** Page number, from 1; anything else is page 1. */
    pagina: z
      .string()
      .optional()
      .catch(undefined)
      .transform((v) => Math.max(1, Number.parseInt(v ?? '1', 10) || 1)),
  })
  .transform((q) => ({
    filter: { role: q.rol, result: q.resultaat, action: q.actie, objectId: q.object, from: q.van, to: q.tot },
    page: q.pagina,
  }));

export type AuditQuery = z.output<typeof auditFilterSchema>;

/** The query parameters of the log view (the first value of each, as a browser sends one). */
export function readAuditQuery(params: URLSearchParams): AuditQuery {
  const raw: Record<string, string | undefined> = {};
  for (const name of [...auditFilterFields.map((f) => f.name), 'pagina']) raw[name] = params.get(name) ?? undefined;
  return auditFilterSchema.parse(raw);
}
