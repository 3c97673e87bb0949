-- The AVE-monitor from rollups (issue 16): counts per Amsterdam calendar day and dimension, kept current in
-- the very transaction that changes a report, so the monitor of a year reads some tens of thousands of small
-- rows instead of counting a million reports.
--
-- monitor_daily holds, per day (YYYY-MM-DD in Amsterdam, of reports.created_at), how many reports
-- contribute to a dimension's value. What a report contributes is monitor_contributions (below), one
-- definition used by the triggers, the backfill and retention's batches. A NULL value (no woonplaats, no
-- outcome) is stored as '' (a key column cannot be NULL) and read back as NULL; an empty name counts as
-- none. Rows may reach n = 0 and stay; the monitor reads only n > 0.
CREATE TABLE monitor_daily (
  day        TEXT    NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  dimension  TEXT    NOT NULL CHECK (dimension IN (
               'total', 'apart', 'channel', 'ave_phase', 'woonplaats', 'wijk', 'status', 'outcome', 'regie',
               'concern', 'within_norm')),
  value      TEXT    NOT NULL,
  n          INTEGER NOT NULL CHECK (n >= 0),
  PRIMARY KEY (day, dimension, value)
) STRICT, WITHOUT ROWID;

-- The hours from receipt to triage as a histogram in tenths of an hour, per Amsterdam day and per month
-- (YYYY-MM) of receipt: a period reads its whole months from the second table and only the days at its
-- edges from the first, so a year is some ten thousand rows however many reports were triaged in it.
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

-- Retention deletes thousands of reports at a time: it subtracts a batch's contributions in one grouped
-- statement (monitor.repo.server.ts) and, for that transaction only, sets this flag so the per-row delete
-- triggers stand aside. Set and cleared inside one write transaction: no other connection ever sees it set.
CREATE TABLE monitor_bulk_delete (
  id  INTEGER PRIMARY KEY CHECK (id = 1)
) STRICT;

-- The Amsterdam day of a UTC instant `created_at` (ISO 8601, '…Z'): the UTC date, or the next one from
-- 23:00 UTC (CET, +1) or from 22:00 UTC in summer time (CEST, +2: from the last Sunday of March, 01:00 UTC,
-- to the last Sunday of October, 01:00 UTC; at 22:00 UTC on those Sundays the change is past). Only the
-- evening hours need date arithmetic: the rest is a substring. Tested against amsterdamDate() hour by hour.
--
-- What one report contributes, by dimension (monitor.queries.server.ts reads them back):
--   counted reports (every status but samengevoegd and acuut_doorgezet):
--     total ''; channel; ave_phase; woonplaats; wijk (wijk_name); status; outcome; regie 'case' | 'process' |
--     'treatment' per director present; concern per report_concerns row; triaged ones: triage_tenths (into
--     monitor_triage and monitor_triage_monthly, not monitor_daily), the hours from receipt to triage in
--     tenths rounded as the monitor rounds them (Math.round(hours * 10), from whole milliseconds, exactly as
--     JavaScript computes it), and within_norm '' when triaged on or before due_on (the UTC day of triaged_at);
--   the others: apart <status>.
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

-- Kept current by every writer of reports and report_concerns, in its own transaction.
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

-- An update that changes what the report contributes: its old contributions out before, the new ones in
-- after. Only the columns the monitor counts, and only when a contribution changes: the encryption pass
-- sealing the directors again (same presence, new ciphertext) or a change of another column writes
-- nothing here.
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

-- Before the delete, while the report and its concerns are still there (its concerns go by ON DELETE
-- CASCADE, when the report is gone already: their own trigger then finds no report and does nothing).
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

CREATE TRIGGER monitor_concern_inserted AFTER INSERT ON report_concerns
BEGIN
  INSERT INTO monitor_daily (day, dimension, value, n)
  SELECT day, dimension, value, 1 FROM monitor_contributions WHERE id = NEW.report_id AND dimension = 'concern' AND value = NEW.concern
  ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER monitor_concern_deleting BEFORE DELETE ON report_concerns
BEGIN
  UPDATE monitor_daily SET n = n - 1
  FROM (SELECT day, dimension, value FROM monitor_contributions WHERE id = OLD.report_id AND dimension = 'concern' AND value = OLD.concern) AS gone
  WHERE monitor_daily.day = gone.day AND monitor_daily.dimension = gone.dimension AND monitor_daily.value = gone.value;
END;

CREATE TRIGGER monitor_concern_changing BEFORE UPDATE ON report_concerns
BEGIN
  UPDATE monitor_daily SET n = n - 1
  FROM (SELECT day, dimension, value FROM monitor_contributions WHERE id = OLD.report_id AND dimension = 'concern' AND value = OLD.concern) AS gone
  WHERE monitor_daily.day = gone.day AND monitor_daily.dimension = gone.dimension AND monitor_daily.value = gone.value;
END;

CREATE TRIGGER monitor_concern_changed AFTER UPDATE ON report_concerns
BEGIN
  INSERT INTO monitor_daily (day, dimension, value, n)
  SELECT day, dimension, value, 1 FROM monitor_contributions WHERE id = NEW.report_id AND dimension = 'concern' AND value = NEW.concern
  ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

-- The casussen of the monitor are counted directly (there are far fewer than reports), each with its AVE
-- phase at the end of the period: the last phase event before it. This index holds exactly those events,
-- with what the count reads, so each casus costs one seek and no table row (half the time at 13,000 casussen).
CREATE INDEX case_events_phase ON case_events (case_id, at, id, to_value) WHERE kind IN ('aangemaakt', 'opgeschaald', 'afgeschaald');

-- The area of a casus in the monitor is that of its latest report with a looked-up address. Read from each
-- report's row that is a page per casus; kept beside the link instead (filled and followed by triggers: a
-- report's receipt time and areas), the monitor reads only the narrow rows of case_reports.
ALTER TABLE case_reports ADD COLUMN report_created_at TEXT;
ALTER TABLE case_reports ADD COLUMN woonplaats TEXT;
ALTER TABLE case_reports ADD COLUMN wijk_name TEXT;
UPDATE case_reports SET (report_created_at, woonplaats, wijk_name) = (SELECT created_at, woonplaats, wijk_name FROM reports WHERE id = case_reports.report_id);

CREATE TRIGGER case_report_area_linked AFTER INSERT ON case_reports
BEGIN
  UPDATE case_reports SET (report_created_at, woonplaats, wijk_name) = (SELECT created_at, woonplaats, wijk_name FROM reports WHERE id = NEW.report_id)
  WHERE report_id = NEW.report_id;
END;

CREATE TRIGGER case_report_area_changed AFTER UPDATE OF created_at, woonplaats, wijk_name ON reports
WHEN NEW.created_at IS NOT OLD.created_at OR NEW.woonplaats IS NOT OLD.woonplaats OR NEW.wijk_name IS NOT OLD.wijk_name
BEGIN
  UPDATE case_reports SET (report_created_at, woonplaats, wijk_name) = (NEW.created_at, NEW.woonplaats, NEW.wijk_name) WHERE report_id = NEW.id;
END;

-- The reports there are now.
INSERT INTO monitor_daily (day, dimension, value, n)
SELECT day, dimension, value, count(*) FROM monitor_contributions WHERE dimension <> 'triage_tenths' GROUP BY day, dimension, value;
INSERT INTO monitor_triage (day, tenths, n)
SELECT day, value, count(*) FROM monitor_contributions WHERE dimension = 'triage_tenths' GROUP BY day, value;
INSERT INTO monitor_triage_monthly (month, tenths, n)
SELECT substr(day, 1, 7), tenths, sum(n) FROM monitor_triage GROUP BY substr(day, 1, 7), tenths;
