-- The MDO (spec §5a): an overleg (meeting) with its date, kind and participants; the casussen on its
-- agenda with the question to the meeting and the agreements made there; an action made in an overleg
-- belongs to its casus (case_actions) and notes the overleg. Written only by src/features/mdo/mdo.repo.server.ts
-- (meetings, meeting_items) and src/features/casus/casus.repo.server.ts (case_actions).
-- Encrypted (spec §8): meetings.participants, meeting_items.question and meeting_items.agreements.

CREATE TABLE meetings (
  id            INTEGER PRIMARY KEY,                     -- the overleg nummer, shown as is
  held_on       TEXT    NOT NULL CHECK (held_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  kind          TEXT    NOT NULL CHECK (kind IN ('mdo', 'netwerkoverleg', 'casusoverleg', 'anders')),
  participants  TEXT    NOT NULL,                        -- encrypted
  created_at    TEXT    NOT NULL,
  created_by    INTEGER NOT NULL REFERENCES users (id)
) STRICT;

CREATE INDEX meetings_by_date ON meetings (held_on DESC, id DESC);

-- A casus on the agenda of an overleg: once per overleg.
CREATE TABLE meeting_items (
  id              INTEGER PRIMARY KEY,
  meeting_id      INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  case_id         INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  question        TEXT    NOT NULL,                      -- encrypted
  agreements      TEXT,                                  -- encrypted; NULL until recorded
  added_at        TEXT    NOT NULL,
  added_by        INTEGER NOT NULL REFERENCES users (id),
  discussed_at    TEXT,                                  -- when the agreements were last recorded
  discussed_by    INTEGER REFERENCES users (id),
  UNIQUE (meeting_id, case_id)
) STRICT;

CREATE INDEX meeting_items_by_case ON meeting_items (case_id, meeting_id);

-- An action agreed in an overleg notes it; deleting an overleg keeps the casus's actions.
ALTER TABLE case_actions ADD COLUMN meeting_id INTEGER REFERENCES meetings (id) ON DELETE SET NULL;
CREATE INDEX case_actions_by_meeting ON case_actions (meeting_id, case_id) WHERE meeting_id IS NOT NULL;
-- `Mijn acties`: the open actions a coordinator recorded.
CREATE INDEX case_actions_open_by_author ON case_actions (created_by, due_on) WHERE done_at IS NULL;

-- The audit log learns the overleg as an object (`object_type` 'overleg'), rebuilt as in 0012.
DROP TRIGGER audit_log_append_only_delete;
DROP TRIGGER audit_log_append_only_update;

CREATE TABLE new_audit_log (
  id               INTEGER PRIMARY KEY,
  at               TEXT    NOT NULL,
  actor_id         INTEGER,
  actor_role       TEXT    NOT NULL CHECK (actor_role IN ('inwoner', 'kcc', 'boa', 'coordinator', 'admin', 'systeem', 'onbekend')),
  action           TEXT    NOT NULL CHECK (length(action) <= 60),
  object_type      TEXT    CHECK (object_type IN ('melding', 'account', 'sessie', 'mail', 'export', 'casus', 'overleg')),
  object_id        TEXT    CHECK (length(object_id) <= 60),
  result           TEXT    NOT NULL CHECK (result IN ('gelukt', 'mislukt', 'geweigerd')),
  on_behalf_of     TEXT    CHECK (on_behalf_of IN ('beller')),
  client_ip        TEXT    CHECK (length(client_ip) <= 64),
  detail           TEXT    CHECK (length(detail) <= 300)
) STRICT;

INSERT INTO new_audit_log SELECT id, at, actor_id, actor_role, action, object_type, object_id, result, on_behalf_of, client_ip, detail FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE new_audit_log RENAME TO audit_log;
CREATE INDEX audit_log_by_actor ON audit_log (actor_id, at);
CREATE INDEX audit_log_by_object ON audit_log (object_type, object_id, at);
CREATE INDEX audit_log_by_time ON audit_log (at);

CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
