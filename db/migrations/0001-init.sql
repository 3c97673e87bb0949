-- Reports from every channel (resident web form, KCC agent, BOA officer) in one table, with the
-- triage fields the OGGz-coördinator works with. Codes are stored; the Dutch labels live in the code.

CREATE TABLE reports (
  id                   INTEGER PRIMARY KEY,
  reference            TEXT    NOT NULL,
  channel              TEXT    NOT NULL CHECK (channel IN ('inwoner', 'kcc', 'boa')),
  status               TEXT    NOT NULL DEFAULT 'nieuw' CHECK (status IN (
                         'nieuw', 'in_behandeling', 'wacht_op_info', 'uitgezet', 'afgesloten',
                         'samengevoegd', 'doorgestuurd', 'geannuleerd', 'acuut_doorgezet')),
  created_at           TEXT    NOT NULL,            -- ISO 8601, UTC
  updated_at           TEXT    NOT NULL,
  -- Staff member who typed it (KCC, BOA); NULL for the public form. Users arrive in a later migration.
  entered_by           INTEGER,
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
  assigned_to          INTEGER,
  outcome              TEXT,
  case_director        TEXT    CHECK (length(case_director) <= 200),
  process_director     TEXT    CHECK (length(process_director) <= 200),
  treatment_director   TEXT    CHECK (length(treatment_director) <= 200),
  wvggz_started_on     TEXT,
  forwarded_to         TEXT    CHECK (length(forwarded_to) <= 200),
  merged_into          INTEGER REFERENCES reports (id),
  triaged_at           TEXT,
  closed_at            TEXT,

  CONSTRAINT reports_reference_format CHECK (reference GLOB 'MB-[A-HJKMNP-Z2-9][A-HJKMNP-Z2-9][A-HJKMNP-Z2-9][A-HJKMNP-Z2-9][A-HJKMNP-Z2-9][A-HJKMNP-Z2-9][A-HJKMNP-Z2-9][A-HJKMNP-Z2-9]'),
  CONSTRAINT reports_address_complete CHECK (location_kind IS NOT 'adres' OR (postcode IS NOT NULL AND house_number IS NOT NULL)),
  CONSTRAINT reports_acute_minimal CHECK (status <> 'acuut_doorgezet' OR acute_danger = 1)
) STRICT;

CREATE UNIQUE INDEX reports_by_reference ON reports (reference);
-- The queue: most urgent first, newest first within an urgency (the index runs in that order).
CREATE INDEX reports_queue_by_urgency_and_age ON reports (urgency_rank, created_at DESC);
CREATE INDEX reports_by_status ON reports (status, urgency_rank, created_at DESC);
CREATE INDEX reports_by_created_at ON reports (created_at);
CREATE INDEX reports_by_address ON reports (postcode, house_number) WHERE postcode IS NOT NULL;

-- The concern categories of a report ("Waar maakt u zich zorgen over?"), one row each, so that the
-- queue and the monitor can filter and count by category.
CREATE TABLE report_concerns (
  report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  concern   TEXT    NOT NULL CHECK (concern IN (
              'verward_gedrag', 'vervuiling', 'verwaarlozing', 'eenzaamheid', 'verslaving', 'overlast_agressie',
              'dreigen_geweld', 'zelfdoding', 'geldproblemen', 'dementie', 'anders')),
  PRIMARY KEY (report_id, concern)
) STRICT, WITHOUT ROWID;

CREATE INDEX report_concerns_by_concern ON report_concerns (concern, report_id);

-- Unfinished resident reports, kept server-side so no answer ever travels in a URL. The browser holds
-- only a random token; the row stores its SHA-256. Deleted after at most 24 hours.
CREATE TABLE drafts (
  token_hash           TEXT    PRIMARY KEY,
  answers              TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(answers)),
  created_at           TEXT    NOT NULL,
  updated_at           TEXT    NOT NULL,
  expires_at           TEXT    NOT NULL,
  submitted_reference  TEXT
) STRICT, WITHOUT ROWID;

CREATE INDEX drafts_by_expiry ON drafts (expires_at);
