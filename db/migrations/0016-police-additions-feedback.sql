-- The police channel (E33, spec §4a), additions (spec §2 "Aanvullen", §3a) and feedback without content
-- (spec §7). The reports table is rebuilt to widen its channel CHECK with `politie` and to take the police
-- fields, the blind index of the registration number and the per-report switch `Geen terugkoppeling
-- sturen`; the outbox is rebuilt for the feedback mails' kinds. The rebuild is the documented one (see
-- 0006, 0010): foreign keys off (migrate()), create, copy, drop, rename, every index and trigger again.

PRAGMA legacy_alter_table = OFF;

-- The notes' triggers name reports; they are made again below.
DROP TRIGGER report_notes_append_only_delete;
DROP TRIGGER report_notes_append_only_update;

CREATE TABLE new_reports (
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

INSERT INTO new_reports (id, reference, channel, status, created_at, updated_at, entered_by, acute_danger, person_name, person_age, location_kind, postcode, house_number, house_addition, street, place, location_description, children_in_home, description, concern_since, danger_to_self, danger_to_others, person_aware, involved, reporter_relation, anonymous, reporter_name, reporter_phone, reporter_email, intake_method, observed_at, police_present, police_reference, captcha_status, suggested_urgency, urgency, due_on, ave_phase, assigned_to, outcome, case_director, process_director, treatment_director, wvggz_started_on, forwarded_to, merged_into, triaged_at, closed_at, address_key, person_key, contact_erased_at, address_check, address_checked_on, bag_address_id, bag_object_id, woonplaats, municipality_code, municipality_name, other_municipality, wijk_code, wijk_name, buurt_code, buurt_name, address_number_key, bag_key, street_key, street_number_key, name_key)
  SELECT id, reference, channel, status, created_at, updated_at, entered_by, acute_danger, person_name, person_age, location_kind, postcode, house_number, house_addition, street, place, location_description, children_in_home, description, concern_since, danger_to_self, danger_to_others, person_aware, involved, reporter_relation, anonymous, reporter_name, reporter_phone, reporter_email, intake_method, observed_at, police_present, police_reference, captcha_status, suggested_urgency, urgency, due_on, ave_phase, assigned_to, outcome, case_director, process_director, treatment_director, wvggz_started_on, forwarded_to, merged_into, triaged_at, closed_at, address_key, person_key, contact_erased_at, address_check, address_checked_on, bag_address_id, bag_object_id, woonplaats, municipality_code, municipality_name, other_municipality, wijk_code, wijk_name, buurt_code, buurt_name, address_number_key, bag_key, street_key, street_number_key, name_key FROM reports;

DROP TABLE reports;
ALTER TABLE new_reports RENAME TO reports;
CREATE INDEX reports_awaiting_by_due ON reports (due_on, urgency_rank, created_at) WHERE status = 'nieuw';
CREATE INDEX reports_by_address_key ON reports (address_key) WHERE address_key IS NOT NULL;
CREATE INDEX reports_by_address_number_key ON reports (address_number_key) WHERE address_number_key IS NOT NULL;
CREATE INDEX reports_by_assignee ON reports (assigned_to, urgency_rank, created_at DESC) WHERE assigned_to IS NOT NULL;
CREATE INDEX reports_by_ave_phase ON reports (ave_phase, urgency_rank, created_at DESC);
CREATE INDEX reports_by_bag_key ON reports (bag_key) WHERE bag_key IS NOT NULL;
CREATE INDEX reports_by_channel ON reports (channel, urgency_rank, created_at DESC);
CREATE INDEX reports_by_created_at ON reports (created_at);
CREATE INDEX reports_by_entered_by ON reports (entered_by, created_at) WHERE entered_by IS NOT NULL;
CREATE INDEX reports_by_merged_into ON reports (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX reports_by_name_key ON reports (name_key) WHERE name_key IS NOT NULL;
CREATE INDEX reports_by_outcome ON reports (outcome, urgency_rank, created_at DESC) WHERE outcome IS NOT NULL;
CREATE INDEX reports_by_person_key ON reports (person_key) WHERE person_key IS NOT NULL;
CREATE INDEX reports_by_postcode ON reports (postcode) WHERE postcode IS NOT NULL;
CREATE UNIQUE INDEX reports_by_reference ON reports (reference);
CREATE INDEX reports_by_status ON reports (status, urgency_rank, created_at DESC);
CREATE INDEX reports_by_status_and_ave_phase ON reports (status, ave_phase, urgency_rank, created_at DESC);
CREATE INDEX reports_by_status_and_channel ON reports (status, channel, urgency_rank, created_at DESC);
CREATE INDEX reports_by_street_key ON reports (street_key) WHERE street_key IS NOT NULL;
CREATE INDEX reports_by_street_number_key ON reports (street_number_key) WHERE street_number_key IS NOT NULL;
CREATE INDEX reports_by_woonplaats ON reports (woonplaats) WHERE woonplaats IS NOT NULL;
CREATE INDEX reports_closed ON reports (closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX reports_open_by_due ON reports (due_on, urgency_rank, created_at)
  WHERE status IN ('nieuw', 'in_behandeling', 'wacht_op_info');
CREATE INDEX reports_queue_by_urgency_and_age ON reports (urgency_rank, created_at DESC);
CREATE INDEX reports_by_police_reference_key ON reports (police_reference_key) WHERE police_reference_key IS NOT NULL;

CREATE TRIGGER report_notes_append_only_delete BEFORE DELETE ON report_notes
WHEN EXISTS (SELECT 1 FROM reports WHERE id = OLD.report_id)
BEGIN SELECT RAISE(ABORT, 'report_notes is append-only'); END;

CREATE TRIGGER report_notes_append_only_update BEFORE UPDATE ON report_notes
WHEN NEW.id IS NOT OLD.id OR NEW.report_id IS NOT OLD.report_id OR NEW.author_id IS NOT OLD.author_id
  OR NEW.created_at IS NOT OLD.created_at OR meldpunt_rekeying() IS NOT 1
BEGIN SELECT RAISE(ABORT, 'report_notes is append-only'); END;

-- What a resident (/melden/aanvullen) or a caller through the KCC (/intern/kcc/opzoeken) adds to a report
-- later. The text and the caller's name and phone are encrypted (spec §8); they go with their report.
-- seen_at: when a coordinator first opened the report after it came (the queue's `Nieuwe aanvulling`).
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


-- The outbox, rebuilt for the feedback mails' kinds (spec §7): to a reporter, and to a police contact who
-- asked for it, when the report is taken in hand and when it is handled. Fixed texts and the reference only.
CREATE TABLE new_outbox (
  id               INTEGER PRIMARY KEY,
  kind             TEXT    NOT NULL CHECK (kind IN ('reporter_confirmation', 'coordinator_notification', 'reporter_feedback', 'police_feedback')),
  report_id        INTEGER REFERENCES reports (id) ON DELETE SET NULL,
  recipient        TEXT    NOT NULL,            -- encrypted (kept for dead letters),
  subject          TEXT    NOT NULL,
  text_body        TEXT    NOT NULL,
  html_body        TEXT    NOT NULL,
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
  sent_at          TEXT
) STRICT;

INSERT INTO new_outbox (id, kind, report_id, recipient, subject, text_body, html_body, message_id, state, attempts, next_attempt_at, leased_until, last_error, created_at, sent_at)
  SELECT id, kind, report_id, recipient, subject, text_body, html_body, message_id, state, attempts, next_attempt_at, leased_until, last_error, created_at, sent_at FROM outbox;

DROP TABLE outbox;
ALTER TABLE new_outbox RENAME TO outbox;
CREATE UNIQUE INDEX outbox_by_message_id ON outbox (message_id);
CREATE INDEX outbox_by_report ON outbox (report_id);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at) WHERE state = 'pending';
