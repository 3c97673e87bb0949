-- What remains of a deleted report: metadata only (reference, dates, channel, outcome), no content.
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
) STRICT;
CREATE INDEX deletion_log_by_time ON deletion_log (deleted_at);

-- When the reporter's contact details were erased under the retention rules.
ALTER TABLE reports ADD COLUMN contact_erased_at TEXT;
CREATE INDEX reports_closed ON reports (closed_at) WHERE closed_at IS NOT NULL;
