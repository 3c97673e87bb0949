-- The current schema, generated from db/migrations by `npm run db:schema`. Do not edit: add a migration.
-- PRAGMA user_version = 31

CREATE TABLE account_links (
  token_hash   TEXT    PRIMARY KEY CHECK (length(token_hash) = 64),
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind         TEXT    NOT NULL CHECK (kind IN ('reset', 'invitation')),
  created_at   TEXT    NOT NULL,
  expires_at   TEXT    NOT NULL,
  used_at      TEXT,
  totp_secret  TEXT                                   -- encrypted
) STRICT, WITHOUT ROWID;

CREATE INDEX account_links_by_expiry ON account_links (expires_at);

CREATE INDEX account_links_by_user ON account_links (user_id, kind, created_at);

CREATE TABLE "audit_log" (
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

CREATE INDEX audit_log_by_actor ON audit_log (actor_id, at);

CREATE INDEX audit_log_by_object ON audit_log (object_type, object_id, at);

CREATE INDEX audit_log_by_time ON audit_log (at);

CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE case_actions (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  what        TEXT    NOT NULL,                       -- encrypted
  who         TEXT    NOT NULL,                       -- encrypted
  due_on      TEXT    NOT NULL,                       -- a date (YYYY-MM-DD)
  created_at  TEXT    NOT NULL,
  created_by  INTEGER NOT NULL REFERENCES users (id),
  done_at     TEXT,
  done_by     INTEGER REFERENCES users (id)
, meeting_id INTEGER REFERENCES meetings (id) ON DELETE SET NULL) STRICT;

CREATE INDEX case_actions_by_case ON case_actions (case_id, due_on);

CREATE INDEX case_actions_by_meeting ON case_actions (meeting_id, case_id) WHERE meeting_id IS NOT NULL;

CREATE INDEX case_actions_open_by_author ON case_actions (created_by, due_on) WHERE done_at IS NULL;

CREATE INDEX case_actions_open_by_due ON case_actions (due_on) WHERE done_at IS NULL;

CREATE TABLE case_deletion_log (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL,                -- the casus nummer
  ave_phase   TEXT    NOT NULL,
  created_at  TEXT    NOT NULL,
  closed_at   TEXT    NOT NULL,
  deleted_at  TEXT    NOT NULL
) STRICT;

CREATE INDEX case_deletion_log_by_time ON case_deletion_log (deleted_at);

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

CREATE INDEX case_events_phase ON case_events (case_id, at, id, to_value) WHERE kind IN ('aangemaakt', 'opgeschaald', 'afgeschaald');

CREATE TRIGGER case_events_append_only_delete BEFORE DELETE ON case_events
WHEN EXISTS (SELECT 1 FROM cases WHERE id = OLD.case_id)
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;

CREATE TRIGGER case_events_append_only_update BEFORE UPDATE ON case_events
WHEN NEW.id IS NOT OLD.id OR NEW.case_id IS NOT OLD.case_id OR NEW.actor_id IS NOT OLD.actor_id
  OR NEW.at IS NOT OLD.at OR NEW.kind IS NOT OLD.kind OR meldpunt_rekeying() IS NOT 1
BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;

CREATE VIEW case_latest_area AS
SELECT c.id AS case_id,
  (SELECT cr.woonplaats FROM case_reports cr WHERE cr.case_id = c.id AND cr.woonplaats IS NOT NULL
   ORDER BY cr.report_created_at DESC LIMIT 1) AS woonplaats,
  (SELECT cr.wijk_name FROM case_reports cr WHERE cr.case_id = c.id AND cr.wijk_name IS NOT NULL
   ORDER BY cr.report_created_at DESC LIMIT 1) AS wijk_name
FROM cases c;

CREATE TABLE case_reports (
  report_id   INTEGER PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
  case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  added_at    TEXT    NOT NULL,
  added_by    INTEGER NOT NULL REFERENCES users (id)
, report_created_at TEXT, woonplaats TEXT, wijk_name TEXT) STRICT;

CREATE INDEX case_reports_by_case ON case_reports (case_id, added_at);

CREATE INDEX case_reports_latest_village ON case_reports (case_id, report_created_at, woonplaats) WHERE woonplaats IS NOT NULL;

CREATE INDEX case_reports_latest_wijk ON case_reports (case_id, report_created_at, wijk_name) WHERE wijk_name IS NOT NULL;

CREATE TRIGGER case_area_changed AFTER UPDATE OF case_id, report_created_at, woonplaats, wijk_name ON case_reports
BEGIN
  UPDATE cases SET (woonplaats, wijk_name) = (SELECT woonplaats, wijk_name FROM case_latest_area WHERE case_id = cases.id)
  WHERE id IN (NEW.case_id, OLD.case_id);
END;

CREATE TRIGGER case_area_unlinked AFTER DELETE ON case_reports
BEGIN
  UPDATE cases SET (woonplaats, wijk_name) = (SELECT woonplaats, wijk_name FROM case_latest_area WHERE case_id = cases.id)
  WHERE id = OLD.case_id;
END;

CREATE TRIGGER case_report_area_linked AFTER INSERT ON case_reports
BEGIN
  UPDATE case_reports SET (report_created_at, woonplaats, wijk_name) = (SELECT created_at, woonplaats, wijk_name FROM reports WHERE id = NEW.report_id)
  WHERE report_id = NEW.report_id;
END;

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
  closed_at               TEXT, woonplaats TEXT, wijk_name TEXT,
  CHECK ((status = 'afgesloten') = (closed_at IS NOT NULL))
) STRICT;

CREATE INDEX cases_by_closing ON cases (closed_at) WHERE closed_at IS NOT NULL;

CREATE INDEX cases_by_status ON cases (status, ave_phase, updated_at DESC);

CREATE INDEX cases_for_monitor ON cases (ave_phase, woonplaats, wijk_name, closed_at, created_at,
  case_director IS NOT NULL, process_director IS NOT NULL, treatment_director IS NOT NULL);

CREATE TABLE deletion_log (
  id           INTEGER PRIMARY KEY,
  reference    TEXT    NOT NULL,
  channel      TEXT    NOT NULL,
  created_at   TEXT    NOT NULL,
  closed_at    TEXT,
  status       TEXT    NOT NULL,
  outcome      TEXT,
  deleted_at   TEXT    NOT NULL,
  rule         TEXT    NOT NULL CHECK (rule IN ('geannuleerd', 'bewaartermijn'))
, address_key TEXT, bag_key TEXT, person_key TEXT, report_id INTEGER) STRICT;

CREATE INDEX deletion_log_by_address_key ON deletion_log (address_key) WHERE address_key IS NOT NULL;

CREATE INDEX deletion_log_by_bag_key ON deletion_log (bag_key) WHERE bag_key IS NOT NULL;

CREATE INDEX deletion_log_by_person_key ON deletion_log (person_key) WHERE person_key IS NOT NULL;

CREATE INDEX deletion_log_by_report ON deletion_log (report_id) WHERE report_id IS NOT NULL;

CREATE INDEX deletion_log_by_time ON deletion_log (deleted_at);

CREATE TABLE "drafts" (
  token_hash           TEXT    PRIMARY KEY NOT NULL,
  answers              TEXT    NOT NULL,            -- encrypted JSON
  created_at           TEXT    NOT NULL,
  updated_at           TEXT    NOT NULL,
  expires_at           TEXT    NOT NULL,
  submitted_reference  TEXT
) STRICT;

CREATE INDEX drafts_by_expiry ON drafts (expires_at);

CREATE TABLE encryption_state (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  key_id        TEXT    NOT NULL,
  completed_at  TEXT    NOT NULL
) STRICT;

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

CREATE TABLE meetings (
  id            INTEGER PRIMARY KEY,                     -- the overleg nummer, shown as is
  held_on       TEXT    NOT NULL CHECK (held_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  kind          TEXT    NOT NULL CHECK (kind IN ('mdo', 'netwerkoverleg', 'casusoverleg', 'anders')),
  participants  TEXT    NOT NULL,                        -- encrypted
  created_at    TEXT    NOT NULL,
  created_by    INTEGER NOT NULL REFERENCES users (id)
) STRICT;

CREATE INDEX meetings_by_date ON meetings (held_on DESC, id DESC);

CREATE TABLE monitor_bulk_delete (
  id  INTEGER PRIMARY KEY CHECK (id = 1)
) STRICT;

CREATE VIEW monitor_contributions AS
SELECT id, CASE WHEN substr(created_at, 12, 2) < '22' THEN substr(created_at, 1, 10)
                WHEN substr(created_at, 12, 2) >= '23' OR substr(created_at, 6, 2) BETWEEN '04' AND '09'
                  OR (substr(created_at, 6, 2) = '03' AND substr(created_at, 1, 10) >= date(substr(created_at, 1, 4) || '-03-25', 'weekday 0'))
                  OR (substr(created_at, 6, 2) = '10' AND substr(created_at, 1, 10) < date(substr(created_at, 1, 4) || '-10-25', 'weekday 0'))
                THEN date(substr(created_at, 1, 10), '+1 day')
                ELSE substr(created_at, 1, 10) END AS day,
       dimension, value
FROM (
  SELECT id, created_at, 'total' AS dimension, '' AS value FROM reports WHERE status NOT IN ('samengevoegd', 'acuut_doorgezet')
  UNION ALL SELECT id, created_at, 'apart', status FROM reports WHERE status IN ('samengevoegd', 'acuut_doorgezet')
  UNION ALL SELECT id, created_at, 'channel', channel FROM reports WHERE status NOT IN ('samengevoegd', 'acuut_doorgezet')
  UNION ALL SELECT id, created_at, 'ave_phase', ave_phase FROM reports WHERE status NOT IN ('samengevoegd', 'acuut_doorgezet')
  UNION ALL SELECT id, created_at, 'woonplaats', coalesce(woonplaats, '') FROM reports WHERE status NOT IN ('samengevoegd', 'acuut_doorgezet')
  UNION ALL SELECT id, created_at, 'wijk', coalesce(wijk_name, '') FROM reports WHERE status NOT IN ('samengevoegd', 'acuut_doorgezet')
  UNION ALL SELECT id, created_at, 'status', status FROM reports WHERE status NOT IN ('samengevoegd', 'acuut_doorgezet')
  UNION ALL SELECT id, created_at, 'outcome', coalesce(outcome, '') FROM reports WHERE status NOT IN ('samengevoegd', 'acuut_doorgezet')
  UNION ALL SELECT id, created_at, 'regie', 'case' FROM reports WHERE status NOT IN ('samengevoegd', 'acuut_doorgezet') AND case_director IS NOT NULL
  UNION ALL SELECT id, created_at, 'regie', 'process' FROM reports WHERE status NOT IN ('samengevoegd', 'acuut_doorgezet') AND process_director IS NOT NULL
  UNION ALL SELECT id, created_at, 'regie', 'treatment' FROM reports WHERE status NOT IN ('samengevoegd', 'acuut_doorgezet') AND treatment_director IS NOT NULL
  UNION ALL SELECT r.id, r.created_at, 'concern', c.concern FROM reports r JOIN report_concerns c ON c.report_id = r.id
            WHERE r.status NOT IN ('samengevoegd', 'acuut_doorgezet')
  UNION ALL SELECT id, created_at, 'triage_tenths', CAST(floor(x) AS INTEGER) + (x - floor(x) >= 0.5)
            FROM (SELECT id, created_at, (round((julianday(triaged_at) - julianday(created_at)) * 86400000.0) / 3600000.0) * 10 AS x
                  FROM reports WHERE status NOT IN ('samengevoegd', 'acuut_doorgezet') AND triaged_at IS NOT NULL)
  UNION ALL SELECT id, created_at, 'within_norm', '' FROM reports
            WHERE status NOT IN ('samengevoegd', 'acuut_doorgezet') AND triaged_at IS NOT NULL AND substr(triaged_at, 1, 10) <= due_on
);

CREATE TABLE monitor_daily (
  day        TEXT    NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  dimension  TEXT    NOT NULL CHECK (dimension IN (
               'total', 'apart', 'channel', 'ave_phase', 'woonplaats', 'wijk', 'status', 'outcome', 'regie',
               'concern', 'within_norm')),
  value      TEXT    NOT NULL,
  n          INTEGER NOT NULL CHECK (n >= 0),
  PRIMARY KEY (day, dimension, value)
) STRICT, WITHOUT ROWID;

CREATE TABLE monitor_triage (
  day     TEXT    NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  tenths  INTEGER NOT NULL,
  n       INTEGER NOT NULL CHECK (n >= 0),
  PRIMARY KEY (day, tenths)
) STRICT, WITHOUT ROWID;

CREATE TABLE monitor_triage_monthly (
  month   TEXT    NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
  tenths  INTEGER NOT NULL,
  n       INTEGER NOT NULL CHECK (n >= 0),
  PRIMARY KEY (month, tenths)
) STRICT, WITHOUT ROWID;

CREATE TABLE oidc_logins (
  binding_hash   TEXT    PRIMARY KEY CHECK (length(binding_hash) = 64),
  state          TEXT    NOT NULL CHECK (length(state) <= 100),
  nonce          TEXT    NOT NULL CHECK (length(nonce) <= 100),
  code_verifier  TEXT    NOT NULL CHECK (length(code_verifier) <= 200),
  return_to      TEXT    CHECK (length(return_to) <= 300),
  expires_at     TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX oidc_logins_by_expiry ON oidc_logins (expires_at);

CREATE TABLE "outbox" (
  id               INTEGER PRIMARY KEY,
  kind             TEXT    NOT NULL CHECK (kind IN ('reporter_confirmation', 'coordinator_notification', 'reporter_feedback', 'police_feedback', 'password_reset', 'invitation', 'role_notice')),
  report_id        INTEGER REFERENCES reports (id) ON DELETE SET NULL,
  recipient        TEXT    NOT NULL,            -- encrypted (kept for dead letters),
  params           TEXT,                        -- JSON; encrypted for password_reset, invitation and police_feedback
  -- Only mail queued before 0021, rendered then; NULL for later mail.
  subject          TEXT,
  text_body        TEXT,                        -- encrypted for password_reset and invitation
  html_body        TEXT,                        -- encrypted for password_reset and invitation
  message_id       TEXT    NOT NULL,
  state            TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
  attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- When the worker may (re)try, after a temporary failure with backoff.
  next_attempt_at  TEXT    NOT NULL,
  -- A worker claims a row for sending by leasing it. A crash mid-send leaves the lease to run out (or
  -- a restarted server releases it): a retry, never a lost mail. The stable Message-ID lets mail
  -- servers recognise the rare double.
  leased_until     TEXT,
  last_error       TEXT    CHECK (length(last_error) <= 500),
  created_at       TEXT    NOT NULL,
  sent_at          TEXT,
  -- Every row can be sent: rendered from its parameters, or with the bodies it was queued with.
  CHECK (params IS NOT NULL OR (subject IS NOT NULL AND text_body IS NOT NULL AND html_body IS NOT NULL))
) STRICT;

CREATE UNIQUE INDEX outbox_by_message_id ON outbox (message_id);

CREATE INDEX outbox_by_report ON outbox (report_id);

CREATE INDEX outbox_due ON outbox (state, next_attempt_at) WHERE state = 'pending';

CREATE TABLE report_additions (
  id            INTEGER PRIMARY KEY,
  report_id     INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  source        TEXT    NOT NULL CHECK (source IN ('inwoner', 'kcc')),
  body          TEXT    NOT NULL,                   -- encrypted
  caller_name   TEXT,                               -- encrypted
  caller_phone  TEXT,                               -- encrypted
  entered_by    INTEGER REFERENCES users (id),
  created_at    TEXT    NOT NULL,
  seen_at       TEXT,
  CHECK ((source = 'kcc') = (entered_by IS NOT NULL))
) STRICT;

CREATE INDEX report_additions_by_report ON report_additions (report_id, id);

CREATE INDEX report_additions_unseen ON report_additions (report_id) WHERE seen_at IS NULL;

CREATE INDEX report_additions_with_caller ON report_additions (report_id)
  WHERE caller_name IS NOT NULL OR caller_phone IS NOT NULL;

CREATE TABLE report_concerns (
  report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  concern   TEXT    NOT NULL CHECK (concern IN (
              'verward_gedrag', 'vervuiling', 'verwaarlozing', 'eenzaamheid', 'verslaving', 'overlast_agressie',
              'dreigen_geweld', 'zelfdoding', 'geldproblemen', 'dementie', 'anders')),
  PRIMARY KEY (report_id, concern)
) STRICT, WITHOUT ROWID;

CREATE INDEX report_concerns_by_concern ON report_concerns (concern, report_id);

CREATE TRIGGER monitor_concern_changed AFTER UPDATE ON report_concerns
BEGIN
  INSERT INTO monitor_daily (day, dimension, value, n)
  SELECT day, dimension, value, 1 FROM monitor_contributions WHERE id = NEW.report_id AND dimension = 'concern' AND value = NEW.concern
  ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER monitor_concern_changing BEFORE UPDATE ON report_concerns
BEGIN
  UPDATE monitor_daily SET n = n - 1
  FROM (SELECT day, dimension, value FROM monitor_contributions WHERE id = OLD.report_id AND dimension = 'concern' AND value = OLD.concern) AS gone
  WHERE monitor_daily.day = gone.day AND monitor_daily.dimension = gone.dimension AND monitor_daily.value = gone.value;
END;

CREATE TRIGGER monitor_concern_deleting BEFORE DELETE ON report_concerns
WHEN NOT EXISTS (SELECT 1 FROM monitor_bulk_delete)
BEGIN
  UPDATE monitor_daily SET n = n - 1
  FROM (SELECT day, dimension, value FROM monitor_contributions WHERE id = OLD.report_id AND dimension = 'concern' AND value = OLD.concern) AS gone
  WHERE monitor_daily.day = gone.day AND monitor_daily.dimension = gone.dimension AND monitor_daily.value = gone.value;
END;

CREATE TRIGGER monitor_concern_inserted AFTER INSERT ON report_concerns
BEGIN
  INSERT INTO monitor_daily (day, dimension, value, n)
  SELECT day, dimension, value, 1 FROM monitor_contributions WHERE id = NEW.report_id AND dimension = 'concern' AND value = NEW.concern
  ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

CREATE TABLE "report_events" (
  id          INTEGER PRIMARY KEY,
  report_id   INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  actor_id    INTEGER REFERENCES users (id),
  at          TEXT    NOT NULL,
  kind        TEXT    NOT NULL CHECK (kind IN ('status', 'urgentie', 'ave_fase', 'regie', 'uitkomst', 'toewijzing', 'wvggz', 'koppeling', 'samengevoegd')),
  from_value  TEXT,                -- encrypted for kind 'regie' (a name),
  to_value    TEXT,                -- encrypted for kind 'regie',
  reason      TEXT                 -- encrypted
) STRICT;

CREATE INDEX report_events_by_kind_time ON report_events (kind, at);

CREATE INDEX report_events_by_report ON report_events (report_id, id);

CREATE TABLE report_keys (
  kind       TEXT    NOT NULL CHECK (kind IN ('reference', 'postcode', 'address', 'address_number', 'bag', 'name',
                                              'person', 'police_reference', 'street', 'street_number')),
  key        TEXT    NOT NULL,
  report_id  INTEGER NOT NULL,           -- no foreign key: a deletion leaves its keys to the sweep
  PRIMARY KEY (kind, key, report_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE report_keys_gone (
  id         INTEGER PRIMARY KEY,
  kind       TEXT    NOT NULL,
  key        TEXT    NOT NULL,
  report_id  INTEGER NOT NULL
) STRICT;

CREATE TABLE report_links (
  report_id   INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  linked_id   INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  created_at  TEXT    NOT NULL,
  created_by  INTEGER REFERENCES users (id),
  PRIMARY KEY (report_id, linked_id),
  CHECK (report_id < linked_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX report_links_by_linked ON report_links (linked_id, report_id);

CREATE TABLE "report_notes" (
  id          INTEGER PRIMARY KEY,
  report_id   INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  author_id   INTEGER NOT NULL REFERENCES users (id),
  created_at  TEXT    NOT NULL,
  body        TEXT    NOT NULL CHECK (length(body) >= 1)  -- encrypted
) STRICT;

CREATE INDEX report_notes_by_report ON report_notes (report_id, id);

CREATE TRIGGER report_notes_append_only_delete BEFORE DELETE ON report_notes
WHEN EXISTS (SELECT 1 FROM reports WHERE id = OLD.report_id)
BEGIN SELECT RAISE(ABORT, 'report_notes is append-only'); END;

CREATE TRIGGER report_notes_append_only_update BEFORE UPDATE ON report_notes
WHEN NEW.id IS NOT OLD.id OR NEW.report_id IS NOT OLD.report_id OR NEW.author_id IS NOT OLD.author_id
  OR NEW.created_at IS NOT OLD.created_at OR meldpunt_rekeying() IS NOT 1
BEGIN SELECT RAISE(ABORT, 'report_notes is append-only'); END;

CREATE TABLE report_photos (
  id           TEXT    PRIMARY KEY CHECK (length(id) = 22),           -- random, opaque: the photo's URL
  report_id    INTEGER REFERENCES reports (id) ON DELETE CASCADE,    -- NULL while waiting for the form
  upload_key   TEXT,                                                   -- SHA-256 of the form's token, while waiting
  uploaded_by  INTEGER NOT NULL REFERENCES users (id),
  position     INTEGER NOT NULL CHECK (position BETWEEN 1 AND 5),
  width        INTEGER NOT NULL CHECK (width BETWEEN 1 AND 2048),
  height       INTEGER NOT NULL CHECK (height BETWEEN 1 AND 2048),
  image        BLOB    NOT NULL,                                       -- encrypted JPEG
  thumbnail    BLOB    NOT NULL,                                       -- encrypted JPEG
  created_at   TEXT    NOT NULL,
  expires_at   TEXT,                                                   -- while waiting only
  CHECK ((report_id IS NULL) = (upload_key IS NOT NULL) AND (report_id IS NULL) = (expires_at IS NOT NULL))
) STRICT;

CREATE INDEX report_photos_expiry ON report_photos (expires_at) WHERE expires_at IS NOT NULL;

CREATE INDEX report_photos_report ON report_photos (report_id, position) WHERE report_id IS NOT NULL;

CREATE INDEX report_photos_waiting ON report_photos (upload_key) WHERE upload_key IS NOT NULL;

CREATE TABLE "reports" (
  id                   INTEGER PRIMARY KEY,
  reference            TEXT    NOT NULL,
  channel              TEXT    NOT NULL CHECK (channel IN ('inwoner', 'kcc', 'boa', 'politie')),
  status               TEXT    NOT NULL DEFAULT 'nieuw' CHECK (status IN (
                         'nieuw', 'in_behandeling', 'wacht_op_info', 'uitgezet', 'afgesloten',
                         'samengevoegd', 'doorgestuurd', 'geannuleerd', 'acuut_doorgezet')),
  created_at           TEXT    NOT NULL,            -- ISO 8601, UTC
  updated_at           TEXT    NOT NULL,
  -- Staff member who typed it (KCC, BOA); NULL for the public form.
  entered_by           INTEGER REFERENCES users (id),
  acute_danger         INTEGER NOT NULL CHECK (acute_danger IN (0, 1)),

  -- Over de persoon
  person_name          TEXT,                        -- encrypted (every such column: spec §8),
  person_age           TEXT    CHECK (person_age IN ('jonger_dan_16', '16_17', '18_plus', 'onbekend')),
  location_kind        TEXT    CHECK (location_kind IN ('adres', 'geen_vast_adres')),
  postcode             TEXT    CHECK (postcode GLOB '[1-9][0-9][0-9][0-9][A-Z][A-Z]'),
  house_number         TEXT,                        -- encrypted,
  house_addition       TEXT,                        -- encrypted,
  street               TEXT,                        -- encrypted,
  place                TEXT    CHECK (length(place) <= 200),
  location_description TEXT,                        -- encrypted,
  children_in_home     TEXT    CHECK (children_in_home IN ('ja', 'nee', 'weet_niet')),

  -- Uw zorgen (the categories live in report_concerns)
  description          TEXT,                        -- encrypted,
  concern_since        TEXT    CHECK (concern_since IN ('minder_dan_week', 'paar_weken', 'paar_maanden', 'langer_dan_jaar')),
  danger_to_self       TEXT    CHECK (danger_to_self IN ('ja', 'nee', 'weet_niet')),
  danger_to_others     TEXT    CHECK (danger_to_others IN ('ja', 'nee', 'weet_niet')),
  person_aware         TEXT    CHECK (person_aware IN ('ja', 'nee', 'weet_niet')),
  involved             TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(involved) AND json_type(involved) = 'array'),

  -- Over u (the reporter, or the caller for KCC)
  reporter_relation    TEXT    CHECK (reporter_relation IN ('buren', 'familie', 'vriend', 'professional', 'anders')),
  anonymous            INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
  reporter_name        TEXT,                        -- encrypted,
  reporter_phone       TEXT,                        -- encrypted,
  reporter_email       TEXT,                        -- encrypted,

  -- KCC: how the report came in
  intake_method        TEXT    CHECK (intake_method IN ('telefoon', 'telefoon_0800', 'balie', 'email_brief')),
  -- BOA: the observation
  observed_at          TEXT,
  police_present       INTEGER CHECK (police_present IN (0, 1)),
  police_reference     TEXT,                        -- encrypted,

  captcha_status       TEXT    NOT NULL DEFAULT 'niet_van_toepassing'
                         CHECK (captcha_status IN ('geslaagd', 'niet_gecontroleerd', 'niet_van_toepassing')),

  -- Triage
  suggested_urgency    TEXT    NOT NULL CHECK (suggested_urgency IN ('direct', 'hoog', 'normaal', 'laag')),
  urgency              TEXT    NOT NULL CHECK (urgency IN ('direct', 'hoog', 'normaal', 'laag')),
  -- Sorts the queue most urgent first with an index.
  urgency_rank         INTEGER GENERATED ALWAYS AS (
                         CASE urgency WHEN 'direct' THEN 0 WHEN 'hoog' THEN 1 WHEN 'normaal' THEN 2 ELSE 3 END) VIRTUAL,
  due_on               TEXT    NOT NULL,            -- date the screening is due, from the urgency norm
  ave_phase            TEXT    NOT NULL DEFAULT 'onbekend' CHECK (ave_phase IN ('ave1', 'ave2', 'ave3', 'ave4', 'onbekend')),
  assigned_to          INTEGER REFERENCES users (id),
  -- The outcome codes of spec §5 (OUTCOMES in src/features/triage/triage.rules.ts).
  outcome              TEXT    CHECK (outcome IN (
                         'geen_actie', 'buurtbemiddeling', 'sociaal_team', 'ggd_in_de_buurt', 'bemoeizorg', 'veilig_thuis',
                         'zorg_en_veiligheidshuis', 'politie_oov', 'woningcorporatie', 'wvggz_verkennend_onderzoek', 'bespreken_in_mdo')),
  case_director        TEXT,                        -- encrypted,
  process_director     TEXT,                        -- encrypted,
  treatment_director   TEXT,                        -- encrypted,
  wvggz_started_on     TEXT,
  forwarded_to         TEXT,                        -- encrypted,
  merged_into          INTEGER REFERENCES reports (id),
  triaged_at           TEXT,
  closed_at            TEXT,
  -- Blind indexes (HMAC-SHA-256 under per-purpose keys, src/platform/crypto): repeat reports and search
  -- find equal values without the values. address: postcode + number + addition; person: name + place.
  address_key          TEXT,
  person_key           TEXT,
  contact_erased_at    TEXT,
  -- The address lookup (0009); the BAG identifiers point at one dwelling: encrypted, found by bag_key.
  address_check        TEXT    CHECK (address_check IN ('gevonden', 'niet_gevonden', 'niet_gecontroleerd', 'ander_adres')),
  address_checked_on   TEXT,
  bag_address_id       TEXT,                        -- encrypted
  bag_object_id        TEXT,                        -- encrypted
  woonplaats           TEXT    CHECK (length(woonplaats) <= 100),
  municipality_code    TEXT    CHECK (length(municipality_code) <= 10),
  municipality_name    TEXT    CHECK (length(municipality_name) <= 100),
  other_municipality   INTEGER NOT NULL DEFAULT 0 CHECK (other_municipality IN (0, 1)),
  wijk_code            TEXT    CHECK (length(wijk_code) <= 20),
  wijk_name            TEXT    CHECK (length(wijk_name) <= 100),
  buurt_code           TEXT    CHECK (length(buurt_code) <= 20),
  buurt_name           TEXT    CHECK (length(buurt_name) <= 100),
  -- More blind indexes: postcode + number (search), the BAG address id, the street, the street with a
  -- number, the person's name (search, exact).
  address_number_key   TEXT,
  bag_key              TEXT,
  street_key           TEXT,
  street_number_key    TEXT,
  name_key             TEXT,
  -- Police reports (E33, spec §4a), the fields of the draft national JZV-Melding message. The registration
  -- number is police_reference (above, also the BOA's); found exactly by police_reference_key.
  incident_at          TEXT,                        -- ISO 8601, UTC
  incident_place       TEXT,                        -- encrypted
  police_request       TEXT,                        -- encrypted
  police_feedback      INTEGER CHECK (police_feedback IN (0, 1)),
  police_officer       TEXT,                        -- encrypted
  police_team          TEXT,                        -- encrypted
  police_phone         TEXT,                        -- encrypted
  police_email         TEXT,                        -- encrypted
  police_reference_key TEXT,
  -- `Geen terugkoppeling sturen` (spec §7): no feedback mail goes out for this report.
  feedback_off         INTEGER NOT NULL DEFAULT 0 CHECK (feedback_off IN (0, 1)),

  CONSTRAINT reports_reference_format CHECK (reference GLOB 'MB-[A-HJKMNP-Z2-9][A-HJKMNP-Z2-9][A-HJKMNP-Z2-9][A-HJKMNP-Z2-9][A-HJKMNP-Z2-9][A-HJKMNP-Z2-9][A-HJKMNP-Z2-9][A-HJKMNP-Z2-9]'),
  CONSTRAINT reports_address_complete CHECK (location_kind IS NOT 'adres' OR (postcode IS NOT NULL AND house_number IS NOT NULL)),
  CONSTRAINT reports_acute_minimal CHECK (status <> 'acuut_doorgezet' OR acute_danger = 1)
) STRICT;

CREATE INDEX reports_awaiting_by_due ON reports (due_on, urgency_rank, created_at, channel) WHERE status = 'nieuw';

CREATE INDEX reports_by_assignee ON reports (assigned_to, urgency_rank, created_at DESC) WHERE assigned_to IS NOT NULL;

CREATE INDEX reports_by_created_at ON reports (created_at);

CREATE INDEX reports_by_entered_by ON reports (entered_by, created_at) WHERE entered_by IS NOT NULL;

CREATE INDEX reports_by_merged_into ON reports (merged_into) WHERE merged_into IS NOT NULL;

CREATE INDEX reports_by_status ON reports (status, urgency_rank, created_at DESC, channel, ave_phase, outcome);

CREATE INDEX reports_by_woonplaats ON reports (woonplaats) WHERE woonplaats IS NOT NULL;

CREATE INDEX reports_closed_by_status ON reports (status, closed_at) WHERE closed_at IS NOT NULL;

CREATE INDEX reports_contact_to_erase ON reports (closed_at)
  WHERE closed_at IS NOT NULL AND contact_erased_at IS NULL
    AND (reporter_name IS NOT NULL OR reporter_phone IS NOT NULL OR reporter_email IS NOT NULL
         OR police_officer IS NOT NULL OR police_phone IS NOT NULL OR police_email IS NOT NULL);

CREATE INDEX reports_open_by_age ON reports (urgency_rank, created_at)
  WHERE status IN ('nieuw', 'in_behandeling', 'wacht_op_info');

CREATE INDEX reports_open_by_due ON reports (due_on, urgency_rank, created_at, status, channel)
  WHERE status IN ('nieuw', 'in_behandeling', 'wacht_op_info');

CREATE INDEX reports_queue_by_urgency_and_age ON reports (urgency_rank, created_at DESC, status, channel, ave_phase, outcome);

CREATE TRIGGER case_report_area_changed AFTER UPDATE OF created_at, woonplaats, wijk_name ON reports
WHEN NEW.created_at IS NOT OLD.created_at OR NEW.woonplaats IS NOT OLD.woonplaats OR NEW.wijk_name IS NOT OLD.wijk_name
BEGIN
  UPDATE case_reports SET (report_created_at, woonplaats, wijk_name) = (NEW.created_at, NEW.woonplaats, NEW.wijk_name) WHERE report_id = NEW.id;
END;

CREATE TRIGGER monitor_report_changed AFTER UPDATE OF
  created_at, status, channel, ave_phase, woonplaats, wijk_name, outcome, case_director, process_director,
  treatment_director, triaged_at, due_on ON reports
WHEN NEW.created_at IS NOT OLD.created_at OR NEW.status IS NOT OLD.status OR NEW.channel IS NOT OLD.channel
  OR NEW.ave_phase IS NOT OLD.ave_phase OR NEW.woonplaats IS NOT OLD.woonplaats OR NEW.wijk_name IS NOT OLD.wijk_name
  OR NEW.outcome IS NOT OLD.outcome OR (NEW.case_director IS NULL) <> (OLD.case_director IS NULL)
  OR (NEW.process_director IS NULL) <> (OLD.process_director IS NULL)
  OR (NEW.treatment_director IS NULL) <> (OLD.treatment_director IS NULL)
  OR NEW.triaged_at IS NOT OLD.triaged_at OR NEW.due_on IS NOT OLD.due_on
BEGIN
  INSERT INTO monitor_daily (day, dimension, value, n)
  SELECT day, dimension, value, 1 FROM monitor_contributions WHERE id = NEW.id AND dimension <> 'triage_tenths'
  ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO monitor_triage (day, tenths, n)
  SELECT day, value, 1 FROM monitor_contributions WHERE id = NEW.id AND dimension = 'triage_tenths'
  ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO monitor_triage_monthly (month, tenths, n)
  SELECT substr(day, 1, 7), value, 1 FROM monitor_contributions WHERE id = NEW.id AND dimension = 'triage_tenths'
  ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER monitor_report_changing BEFORE UPDATE OF
  created_at, status, channel, ave_phase, woonplaats, wijk_name, outcome, case_director, process_director,
  treatment_director, triaged_at, due_on ON reports
WHEN NEW.created_at IS NOT OLD.created_at OR NEW.status IS NOT OLD.status OR NEW.channel IS NOT OLD.channel
  OR NEW.ave_phase IS NOT OLD.ave_phase OR NEW.woonplaats IS NOT OLD.woonplaats OR NEW.wijk_name IS NOT OLD.wijk_name
  OR NEW.outcome IS NOT OLD.outcome OR (NEW.case_director IS NULL) <> (OLD.case_director IS NULL)
  OR (NEW.process_director IS NULL) <> (OLD.process_director IS NULL)
  OR (NEW.treatment_director IS NULL) <> (OLD.treatment_director IS NULL)
  OR NEW.triaged_at IS NOT OLD.triaged_at OR NEW.due_on IS NOT OLD.due_on
BEGIN
  UPDATE monitor_daily SET n = n - 1
  FROM (SELECT day, dimension, value FROM monitor_contributions WHERE id = OLD.id AND dimension <> 'triage_tenths') AS gone
  WHERE monitor_daily.day = gone.day AND monitor_daily.dimension = gone.dimension AND monitor_daily.value = gone.value;
  UPDATE monitor_triage SET n = n - 1
  FROM (SELECT day, value FROM monitor_contributions WHERE id = OLD.id AND dimension = 'triage_tenths') AS gone
  WHERE monitor_triage.day = gone.day AND monitor_triage.tenths = gone.value;
  UPDATE monitor_triage_monthly SET n = n - 1
  FROM (SELECT substr(day, 1, 7) AS month, value FROM monitor_contributions WHERE id = OLD.id AND dimension = 'triage_tenths') AS gone
  WHERE monitor_triage_monthly.month = gone.month AND monitor_triage_monthly.tenths = gone.value;
END;

CREATE TRIGGER monitor_report_deleting BEFORE DELETE ON reports
WHEN NOT EXISTS (SELECT 1 FROM monitor_bulk_delete)
BEGIN
  UPDATE monitor_daily SET n = n - 1
  FROM (SELECT day, dimension, value FROM monitor_contributions WHERE id = OLD.id AND dimension <> 'triage_tenths') AS gone
  WHERE monitor_daily.day = gone.day AND monitor_daily.dimension = gone.dimension AND monitor_daily.value = gone.value;
  UPDATE monitor_triage SET n = n - 1
  FROM (SELECT day, value FROM monitor_contributions WHERE id = OLD.id AND dimension = 'triage_tenths') AS gone
  WHERE monitor_triage.day = gone.day AND monitor_triage.tenths = gone.value;
  UPDATE monitor_triage_monthly SET n = n - 1
  FROM (SELECT substr(day, 1, 7) AS month, value FROM monitor_contributions WHERE id = OLD.id AND dimension = 'triage_tenths') AS gone
  WHERE monitor_triage_monthly.month = gone.month AND monitor_triage_monthly.tenths = gone.value;
END;

CREATE TRIGGER monitor_report_inserted AFTER INSERT ON reports
BEGIN
  INSERT INTO monitor_daily (day, dimension, value, n)
  SELECT day, dimension, value, 1 FROM monitor_contributions WHERE id = NEW.id AND dimension <> 'triage_tenths'
  ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO monitor_triage (day, tenths, n)
  SELECT day, value, 1 FROM monitor_contributions WHERE id = NEW.id AND dimension = 'triage_tenths'
  ON CONFLICT DO UPDATE SET n = n + excluded.n;
  INSERT INTO monitor_triage_monthly (month, tenths, n)
  SELECT substr(day, 1, 7), value, 1 FROM monitor_contributions WHERE id = NEW.id AND dimension = 'triage_tenths'
  ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER report_keys_changed AFTER UPDATE OF reference, postcode, address_key, address_number_key, bag_key, name_key,
  person_key, police_reference_key, street_key, street_number_key ON reports
BEGIN
  DELETE FROM report_keys WHERE (kind, key, report_id) IN (
    SELECT kind, key, OLD.id FROM (
      SELECT 'reference' AS kind, OLD.reference AS key
      UNION ALL SELECT 'postcode', OLD.postcode
      UNION ALL SELECT 'address', OLD.address_key
      UNION ALL SELECT 'address_number', OLD.address_number_key
      UNION ALL SELECT 'bag', OLD.bag_key
      UNION ALL SELECT 'name', OLD.name_key
      UNION ALL SELECT 'person', OLD.person_key
      UNION ALL SELECT 'police_reference', OLD.police_reference_key
      UNION ALL SELECT 'street', OLD.street_key
      UNION ALL SELECT 'street_number', OLD.street_number_key)
    WHERE key IS NOT NULL);
  INSERT INTO report_keys (kind, key, report_id)
  SELECT kind, key, NEW.id FROM (
    SELECT 'reference' AS kind, NEW.reference AS key
    UNION ALL SELECT 'postcode', NEW.postcode
    UNION ALL SELECT 'address', NEW.address_key
    UNION ALL SELECT 'address_number', NEW.address_number_key
    UNION ALL SELECT 'bag', NEW.bag_key
    UNION ALL SELECT 'name', NEW.name_key
    UNION ALL SELECT 'person', NEW.person_key
    UNION ALL SELECT 'police_reference', NEW.police_reference_key
    UNION ALL SELECT 'street', NEW.street_key
    UNION ALL SELECT 'street_number', NEW.street_number_key)
  WHERE key IS NOT NULL;
END;

CREATE TRIGGER report_keys_deleting BEFORE DELETE ON reports
BEGIN
  INSERT INTO report_keys_gone (kind, key, report_id)
  SELECT kind, key, OLD.id FROM (
    SELECT 'postcode' AS kind, OLD.postcode AS key
    UNION ALL SELECT 'address_number', OLD.address_number_key
    UNION ALL SELECT 'name', OLD.name_key
    UNION ALL SELECT 'police_reference', OLD.police_reference_key
    UNION ALL SELECT 'street', OLD.street_key
    UNION ALL SELECT 'street_number', OLD.street_number_key)
  WHERE key IS NOT NULL;
END;

CREATE TRIGGER report_keys_inserted AFTER INSERT ON reports
BEGIN
  INSERT INTO report_keys (kind, key, report_id)
  SELECT kind, key, NEW.id FROM (
    SELECT 'reference' AS kind, NEW.reference AS key
    UNION ALL SELECT 'postcode', NEW.postcode
    UNION ALL SELECT 'address', NEW.address_key
    UNION ALL SELECT 'address_number', NEW.address_number_key
    UNION ALL SELECT 'bag', NEW.bag_key
    UNION ALL SELECT 'name', NEW.name_key
    UNION ALL SELECT 'person', NEW.person_key
    UNION ALL SELECT 'police_reference', NEW.police_reference_key
    UNION ALL SELECT 'street', NEW.street_key
    UNION ALL SELECT 'street_number', NEW.street_number_key)
  WHERE key IS NOT NULL;
END;

CREATE TRIGGER report_reference_unique BEFORE INSERT ON reports
WHEN EXISTS (SELECT 1 FROM report_keys WHERE kind = 'reference' AND key = NEW.reference)
BEGIN
  SELECT RAISE(ABORT, 'UNIQUE constraint failed: reports.reference');
END;

CREATE TABLE sessions (
  token_hash       TEXT    PRIMARY KEY,
  user_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  stage            TEXT    NOT NULL CHECK (stage IN ('password', 'complete')),
  return_to        TEXT    CHECK (length(return_to) <= 300),
  created_at       TEXT    NOT NULL,
  last_seen_at     TEXT    NOT NULL,
  expires_at       TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE users (
  id               INTEGER PRIMARY KEY,
  email            TEXT    NOT NULL COLLATE NOCASE CHECK (length(email) BETWEEN 3 AND 254),
  name             TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  role             TEXT    NOT NULL CHECK (role IN ('kcc', 'boa', 'coordinator', 'admin')),
  -- A BOA's service number (dienstnummer), printed on their reports.
  service_number   TEXT    CHECK (length(service_number) <= 50),
  password_hash    TEXT    NOT NULL,
  totp_secret      TEXT    NOT NULL,
  -- The last TOTP time step used: a code is accepted once.
  totp_last_step   INTEGER NOT NULL DEFAULT 0,
  disabled_at      TEXT,
  created_at       TEXT    NOT NULL,
  updated_at       TEXT    NOT NULL
, oidc_issuer TEXT CHECK (length(oidc_issuer) BETWEEN 1 AND 500), oidc_subject TEXT CHECK (length(oidc_subject) BETWEEN 1 AND 255)) STRICT;

CREATE UNIQUE INDEX users_by_email ON users (email) WHERE oidc_subject IS NULL;

CREATE UNIQUE INDEX users_by_oidc ON users (oidc_issuer, oidc_subject) WHERE oidc_subject IS NOT NULL;
