import { db } from '#platform/db.ts';
import { lazy } from '#lib/lazy.ts';

/** The only module that writes `encryption_state`: which key the last complete encryption pass sealed everything under. */

const statements = lazy(() => ({
  get: db().prepare('SELECT key_id AS keyId, completed_at AS completedAt FROM encryption_state WHERE id = 1'),
  set: db().prepare(`
    INSERT INTO encryption_state (id, key_id, completed_at) VALUES (1, ?, ?)
    ON CONFLICT (id) DO UPDATE SET key_id = excluded.key_id, completed_at = excluded.completed_at`),
}));

export function completedPass(): { keyId: string; completedAt: string } | undefined {
  return statements().get.get() as { keyId: string; completedAt: string } | undefined;
}

export function recordCompletedPass(keyId: string, at: Date): void {
  statements().set.run(keyId, at.toISOString());
}
