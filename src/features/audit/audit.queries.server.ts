import { db } from '#platform/db.ts';

/** The admin's view of the audit log: metadata only (who, role, what, which object, when, result). */

export interface AuditRow {
  id: number;
  at: string;
  actor: string | null;
  actorRole: string;
  action: string;
  objectType: string | null;
  objectId: string | null;
  /** The account's holder when the row is about an account (`account 6` reads as a person). */
  objectName: string | null;
  result: string;
  onBehalfOf: string | null;
  clientIp: string | null;
}

export interface AuditFilter {
  role?: string | undefined;
  result?: string | undefined;
  action?: string | undefined;
  objectId?: string | undefined;
  /** YYYY-MM-DD, inclusive, UTC. */
  from?: string | undefined;
  to?: string | undefined;
}

export const AUDIT_PAGE_SIZE = 100;

export function auditPage(filter: AuditFilter, page: number): { rows: AuditRow[]; hasMore: boolean } {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  if (filter.role) (clauses.push('a.actor_role = ?'), params.push(filter.role));
  if (filter.result) (clauses.push('a.result = ?'), params.push(filter.result));
  if (filter.action) (clauses.push('a.action = ?'), params.push(filter.action));
  if (filter.objectId) (clauses.push('a.object_id = ?'), params.push(filter.objectId));
  if (filter.from) (clauses.push('a.at >= ?'), params.push(`${filter.from}T00:00:00`));
  if (filter.to) (clauses.push('a.at < ?'), params.push(`${filter.to}T24:00:00`));
  const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
  const rows = db()
    .prepare(
      `SELECT a.id, a.at, u.name AS actor, a.actor_role AS actorRole, a.action, a.object_type AS objectType,
         a.object_id AS objectId, t.name AS objectName, a.result, a.on_behalf_of AS onBehalfOf, a.client_ip AS clientIp
       FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
         LEFT JOIN users t ON a.object_type = 'account' AND t.id = CAST(a.object_id AS INTEGER) ${where}
       ORDER BY a.id DESC LIMIT ? OFFSET ?`,
    )
    .all([...params, AUDIT_PAGE_SIZE + 1, (page - 1) * AUDIT_PAGE_SIZE]) as AuditRow[];
  return { rows: rows.slice(0, AUDIT_PAGE_SIZE), hasMore: rows.length > AUDIT_PAGE_SIZE };
}

/** The actions that occur in the log, for the filter. */
export function auditActions(): string[] {
  return (db().prepare('SELECT DISTINCT action FROM audit_log ORDER BY action').all() as { action: string }[]).map((r) => r.action);
}
