-- Retention of a closed casus (spec §8): deleted 5 years after closing, never while a report of it
-- remains; what is left is this metadata row (no name, no text). Written only by
-- src/features/retention/retention.repo.server.ts.
CREATE TABLE case_deletion_log (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL,                -- the casus nummer
  ave_phase   TEXT    NOT NULL,
  created_at  TEXT    NOT NULL,
  closed_at   TEXT    NOT NULL,
  deleted_at  TEXT    NOT NULL
) STRICT;

CREATE INDEX case_deletion_log_by_time ON case_deletion_log (deleted_at);
