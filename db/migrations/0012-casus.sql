-- The person over time (spec §5a): a casus groups the reports about one person or household and keeps
-- its AVE trajectory, its regie and its status as data. Written only by src/features/casus/casus.repo.server.ts.
-- Names and texts are encrypted (spec §8): cases.name and the regisseurs (name and organisation),
-- case_events.from_value/to_value of regie changes and every reason. Codes and dates stay plain: the
-- monitor counts them.

CREATE TABLE cases (
  id                      INTEGER PRIMARY KEY,             -- the casus nummer, shown as is
  name                    TEXT    NOT NULL,                -- encrypted
  ave_phase               TEXT    NOT NULL DEFAULT 'onbekend' CHECK (ave_phase IN ('ave1', 'ave2', 'ave3', 'ave4', 'onbekend')),
  case_director           TEXT,                            -- encrypted: name and organisation
  process_director        TEXT,                            -- encrypted
  treatment_director      TEXT,                            -- encrypted
  wvggz_started_on        TEXT,                            -- a date (YYYY-MM-DD)
  status                  TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'afgesloten')),
  created_at              TEXT    NOT NULL,
  created_by              INTEGER NOT NULL REFERENCES users (id),
  updated_at              TEXT    NOT NULL,
  closed_at               TEXT,
  CHECK ((status = 'afgesloten') = (closed_at IS NOT NULL))
) STRICT;

CREATE INDEX cases_by_status ON cases (status, ave_phase, updated_at DESC);
CREATE INDEX cases_by_closing ON cases (closed_at) WHERE closed_at IS NOT NULL;

-- A report belongs to at most one casus (the primary key). A merged report follows the report it was
-- merged into: the read models look it up through reports.merged_into.
CREATE TABLE case_reports (
  report_id   INTEGER PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
  case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  added_at    TEXT    NOT NULL,
  added_by    INTEGER NOT NULL REFERENCES users (id)
) STRICT;

CREATE INDEX case_reports_by_case ON case_reports (case_id, added_at);

-- The trajectory: every change of the casus, never overwritten.
CREATE TABLE case_events (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  actor_id    INTEGER REFERENCES users (id),
  at          TEXT    NOT NULL,
  kind        TEXT    NOT NULL CHECK (kind IN (
                'aangemaakt', 'melding_toegevoegd', 'melding_uitgehaald', 'opgeschaald', 'afgeschaald',
                'regie', 'wvggz', 'afgesloten', 'heropend', 'naam')),
  from_value  TEXT,                                        -- a code or reference; encrypted for regie
  to_value    TEXT,                                        -- idem
  reason      TEXT                                         -- encrypted
) STRICT;

CREATE INDEX case_events_by_case ON case_events (case_id, at);
CREATE INDEX case_events_by_kind ON case_events (kind, at);

-- Append-only as report_notes: the encryption pass (meldpunt_rekeying() = 1) may seal a value again;
-- deleting is for retention, with the casus.
CREATE TRIGGER case_events_append_only_update BEFORE UPDATE ON case_events
WHEN NEW.id IS NOT OLD.id OR NEW.case_id IS NOT OLD.case_id OR NEW.actor_id IS NOT OLD.actor_id
  OR NEW.at IS NOT OLD.at OR NEW.kind IS NOT OLD.kind OR meldpunt_rekeying() IS NOT 1
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;

CREATE TRIGGER case_events_append_only_delete BEFORE DELETE ON case_events
WHEN EXISTS (SELECT 1 FROM cases WHERE id = OLD.case_id)
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;

-- The audit log learns the casus as an object (`object_type` 'casus'), rebuilt the documented way with
-- its indexes and append-only triggers.
DROP TRIGGER audit_log_append_only_delete;
DROP TRIGGER audit_log_append_only_update;

CREATE TABLE new_audit_log (
  id               INTEGER PRIMARY KEY,
  at               TEXT    NOT NULL,
  actor_id         INTEGER,
  actor_role       TEXT    NOT NULL CHECK (actor_role IN ('inwoner', 'kcc', 'boa', 'coordinator', 'admin', 'systeem', 'onbekend')),
  action           TEXT    NOT NULL CHECK (length(action) <= 60),
  object_type      TEXT    CHECK (object_type IN ('melding', 'account', 'sessie', 'mail', 'export', 'casus')),
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
