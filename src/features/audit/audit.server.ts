import { db } from '#platform/db.ts';
import { auditActions, auditPage, type AuditFilter, type AuditRow } from './audit.queries.server.ts';
import { audit, type Actor } from './audit.repo.server.ts';

/** Reading the audit log, which is itself logged ("logboek_bekeken"), in one transaction. */

export interface AuditLogView {
  /** The actions that occur in the log, for the filter. */
  actions: string[];
  /** The filter as applied: an action that does not occur in the log is left out. */
  filter: AuditFilter;
  page: number;
  rows: AuditRow[];
  hasMore: boolean;
}

/** A page of the log for an admin; the view is logged after the page was read (so it is not on it). */
export function viewAuditLog(requested: AuditFilter, page: number, viewer: Actor, at: Date): AuditLogView {
  return db().transaction((): AuditLogView => {
    const actions = auditActions();
    const filter = { ...requested, action: requested.action && actions.includes(requested.action) ? requested.action : undefined };
    const { rows, hasMore } = auditPage(filter, page);
    audit({ actorId: viewer.id, actorRole: viewer.role, action: 'logboek_bekeken', result: 'gelukt', clientIp: viewer.ip }, at);
    return { actions, filter, page, rows, hasMore };
  }).immediate();
}

/** A staff member opened a page their role may not open (the middleware refuses it). */
export function recordRefusedAccess(actor: Actor, routePattern: string, at: Date): void {
  audit({ actorId: actor.id, actorRole: actor.role, action: 'toegang', result: 'geweigerd', clientIp: actor.ip, detail: routePattern }, at);
}
