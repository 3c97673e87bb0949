import { db } from '#platform/db.ts';
import { lazy } from '#lib/lazy.ts';
import { now } from '#platform/clock.ts';
import type { AuditResult, AuditRole } from './audit.schema.ts';

/**
 * The append-only audit log. Callers write the row in the same transaction as the change it records.
 * Never pass report content: only ids, references, codes.
 */
export type { AuditResult, AuditRole };
export type AuditObject = 'melding' | 'account' | 'sessie' | 'mail' | 'export' | 'casus' | 'overleg';

export interface AuditEntry {
  actorId?: number | undefined;
  actorRole: AuditRole;
  action: string;
  objectType?: AuditObject | undefined;
  objectId?: string | number | undefined;
  result: AuditResult;
  onBehalfOf?: 'beller' | undefined;
  clientIp?: string | undefined;
  detail?: string | undefined;
}

/** The staff member at work, as the audit log records them (`staffActor` in auth/login.server.ts makes one). */
export interface StaffActor {
  id: number;
  role: AuditRole;
  ip: string | undefined;
}

/** Who acts: the logged-in staff member, or a resident. */
export interface Actor {
  id?: number | undefined;
  role: AuditRole;
  ip?: string | undefined;
}

const statements = lazy(() => ({
  insert: db().prepare(`
    INSERT INTO audit_log (at, actor_id, actor_role, action, object_type, object_id, result, on_behalf_of, client_ip, detail)
    VALUES (@at, @actorId, @actorRole, @action, @objectType, @objectId, @result, @onBehalfOf, @clientIp, @detail)`),
}));

export function audit(entry: AuditEntry, at: Date = now()): void {
  statements().insert.run({
    at: at.toISOString(),
    actorId: entry.actorId ?? null,
    actorRole: entry.actorRole,
    action: entry.action,
    objectType: entry.objectType ?? null,
    objectId: entry.objectId === undefined ? null : String(entry.objectId),
    result: entry.result,
    onBehalfOf: entry.onBehalfOf ?? null,
    clientIp: entry.clientIp?.slice(0, 64) ?? null,
    detail: entry.detail?.slice(0, 300) ?? null,
  });
}
