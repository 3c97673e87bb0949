-- reports gains the foreign keys entered_by → users and assigned_to → users, and a CHECK on outcome.
-- SQLite adds constraints only by rebuilding the table, the documented way
-- (https://www.sqlite.org/lang_altertable.html#otheralter): create new_reports, copy, drop reports,
-- rename new_reports to reports, recreate its indexes (it has no triggers or views). migrate() runs
-- this with foreign keys off (with them on, DROP TABLE would delete report_concerns, report_notes,
-- report_events and report_links by cascade and empty outbox.report_id) and refuses to commit unless
-- PRAGMA foreign_key_check is empty. The children name "reports" in their REFERENCES and keep pointing
-- at it: with legacy_alter_table off, renaming new_reports rewrites references to new_reports only.
-- Everything else is the definition of 0001, 0004 and 0005, column for column.

PRAGMA legacy_alter_table = OFF;

CREATE TABLE new_reports (
  id                   INTEGER PRIMARY KEY,
  reference            TEXT    NOT NULL,
  channel              TEXT    NOT NULL CHECK (channel IN ('inwoner', 'kcc', 'boa')),
  status               TEXT    NOT NULL DEFAULT 'nieuw' CHECK (status IN (
                         'nieuw', 'in_behandeling', 'wacht_op_info', 'uitgezet', 'afgesloten',
                         'samengevoegd', 'doorgestuurd', 'geannuleerd', 'acuut_doorgezet')),
  created_at           TEXT    NOT NULL,            -- ISO 8601, UTC
  updated_at           TEXT    NOT NULL,
  -- Staff member who typed it (KCC, BOA); NULL for the public form.
  entered_by           INTEGER REFERENCES users (id),
  acute_danger         INTEGER NOT NULL CHECK (acute_danger IN (0, 1)),

  -- Over de persoon
  person_name          TEXT    CHECK (length(person_name) <= 200),
  person_age           TEXT    CHECK (person_age IN ('jonger_dan_16', '16_17', '18_plus', 'onbekend')),
  location_kind        TEXT    CHECK (location_kind IN ('adres', 'geen_vast_adres')),
  postcode             TEXT    CHECK (postcode GLOB '[1-9][0-9][0-9][0-9][A-Z][A-Z]'),
  house_number         TEXT    CHECK (house_number GLOB '[0-9]*' AND length(house_number) BETWEEN 1 AND 5),
  house_addition       TEXT    CHECK (length(house_addition) <= 6),
  street               TEXT    CHECK (length(street) <= 200),
  place                TEXT    CHECK (length(place) <= 200),
  location_description TEXT    CHECK (length(location_description) <= 1000),
  children_in_home     TEXT    CHECK (children_in_home IN ('ja', 'nee', 'weet_niet')),

  -- Uw zorgen (the categories live in report_concerns)
  description          TEXT    CHECK (length(description) <= 4000),
  concern_since        TEXT    CHECK (concern_since IN ('minder_dan_week', 'paar_weken', 'paar_maanden', 'langer_dan_jaar')),
  danger_to_self       TEXT    CHECK (danger_to_self IN ('ja', 'nee', 'weet_niet')),
  danger_to_others     TEXT    CHECK (danger_to_others IN ('ja', 'nee', 'weet_niet')),
  person_aware         TEXT    CHECK (person_aware IN ('ja', 'nee', 'weet_niet')),
  involved             TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(involved) AND json_type(involved) = 'array'),

  -- Over u (the reporter, or the caller for KCC)
  reporter_relation    TEXT    CHECK (reporter_relation IN ('buren', 'familie', 'vriend', 'professional', 'anders')),
  anonymous            INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
  reporter_name        TEXT    CHECK (length(reporter_name) <= 200),
  reporter_phone       TEXT    CHECK (length(reporter_phone) <= 40),
  reporter_email       TEXT    CHECK (length(reporter_email) <= 254),

  -- KCC: how the report came in
  intake_method        TEXT    CHECK (intake_method IN ('telefoon', 'telefoon_0800', 'balie', 'email_brief')),
  -- BOA: the observation
  observed_at          TEXT,
  police_present       INTEGER CHECK (police_present IN (0, 1)),
  police_reference     TEXT    CHECK (length(police_reference) <= 50),

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
  case_director        TEXT    CHECK (length(case_director) <= 200),
  process_director     TEXT    CHECK (length(process_director) <= 200),
  treatment_director   TEXT    CHECK (length(treatment_director) <= 200),
  wvggz_started_on     TEXT,
  forwarded_to         TEXT    CHECK (length(forwarded_to) <= 200),
  merged_into          INTEGER REFERENCES reports (id),
  triaged_at           TEXT,
  closed_at            TEXT,
  -- Repeat-report keys (0004) and the retention erasure (0005), in the order those migrations added them.
  address_key          TEXT,
  person_key           TEXT,
  contact_erased_at    TEXT,

  CONSTRAINT reports_reference_format CHECK (reference GLOB 'MB-[A-HJKMNP-Z2-9][A-HJKMNP-Z2-9][A-HJKMNP-Z2-9][A-HJKMNP-Z2-9][A-HJKMNP-Z2-9][A-HJKMNP-Z2-9][A-HJKMNP-Z2-9][A-HJKMNP-Z2-9]'),
  CONSTRAINT reports_address_complete CHECK (location_kind IS NOT 'adres' OR (postcode IS NOT NULL AND house_number IS NOT NULL)),
  CONSTRAINT reports_acute_minimal CHECK (status <> 'acuut_doorgezet' OR acute_danger = 1)
) STRICT;

INSERT INTO new_reports (
  id, reference, channel, status, created_at, updated_at, entered_by, acute_danger, person_name, person_age,
  location_kind, postcode, house_number, house_addition, street, place, location_description,
  children_in_home, description, concern_since, danger_to_self, danger_to_others, person_aware, involved,
  reporter_relation, anonymous, reporter_name, reporter_phone, reporter_email, intake_method, observed_at,
  police_present, police_reference, captcha_status, suggested_urgency, urgency, due_on, ave_phase,
  assigned_to, outcome, case_director, process_director, treatment_director, wvggz_started_on, forwarded_to,
  merged_into, triaged_at, closed_at, address_key, person_key, contact_erased_at)
SELECT
  id, reference, channel, status, created_at, updated_at, entered_by, acute_danger, person_name, person_age,
  location_kind, postcode, house_number, house_addition, street, place, location_description,
  children_in_home, description, concern_since, danger_to_self, danger_to_others, person_aware, involved,
  reporter_relation, anonymous, reporter_name, reporter_phone, reporter_email, intake_method, observed_at,
  police_present, police_reference, captcha_status, suggested_urgency, urgency, due_on, ave_phase,
  assigned_to, outcome, case_director, process_director, treatment_director, wvggz_started_on, forwarded_to,
  merged_into, triaged_at, closed_at, address_key, person_key, contact_erased_at
FROM reports;

DROP TABLE reports;
ALTER TABLE new_reports RENAME TO reports;

CREATE UNIQUE INDEX reports_by_reference ON reports (reference);
CREATE INDEX reports_queue_by_urgency_and_age ON reports (urgency_rank, created_at DESC);
CREATE INDEX reports_by_status ON reports (status, urgency_rank, created_at DESC);
CREATE INDEX reports_by_created_at ON reports (created_at);
CREATE INDEX reports_by_address ON reports (postcode, house_number) WHERE postcode IS NOT NULL;
CREATE INDEX reports_by_entered_by ON reports (entered_by, created_at) WHERE entered_by IS NOT NULL;
CREATE INDEX reports_by_address_key ON reports (address_key) WHERE address_key IS NOT NULL;
CREATE INDEX reports_by_person_key ON reports (person_key) WHERE person_key IS NOT NULL;
CREATE INDEX reports_by_channel ON reports (channel, urgency_rank, created_at DESC);
CREATE INDEX reports_by_status_and_channel ON reports (status, channel, urgency_rank, created_at DESC);
CREATE INDEX reports_by_ave_phase ON reports (ave_phase, urgency_rank, created_at DESC);
CREATE INDEX reports_by_status_and_ave_phase ON reports (status, ave_phase, urgency_rank, created_at DESC);
CREATE INDEX reports_by_assignee ON reports (assigned_to, urgency_rank, created_at DESC) WHERE assigned_to IS NOT NULL;
CREATE INDEX reports_overdue ON reports (due_on) WHERE status = 'nieuw';
CREATE INDEX reports_by_street ON reports (street COLLATE NOCASE) WHERE street IS NOT NULL;
CREATE INDEX reports_closed ON reports (closed_at) WHERE closed_at IS NOT NULL;
