-- Drafts as an ordinary (rowid) table, their token hash in a unique index. A draft's sealed answers are
-- about a kilobyte: in a WITHOUT ROWID table, which SQLite advises only for rows far smaller than a page, a
-- row that size spills to an overflow page and a leaf holds three of them, so reading one draft by its
-- token took 37 µs where a rowid table takes 10 (measured with 5,000 drafts). "Melding versturen" reads
-- the draft on the server's one thread, before anything else (issue 16).
CREATE TABLE new_drafts (
  token_hash           TEXT    PRIMARY KEY NOT NULL,
  answers              TEXT    NOT NULL,            -- encrypted JSON
  created_at           TEXT    NOT NULL,
  updated_at           TEXT    NOT NULL,
  expires_at           TEXT    NOT NULL,
  submitted_reference  TEXT
) STRICT;

INSERT INTO new_drafts (token_hash, answers, created_at, updated_at, expires_at, submitted_reference)
  SELECT token_hash, answers, created_at, updated_at, expires_at, submitted_reference FROM drafts;
DROP TABLE drafts;
ALTER TABLE new_drafts RENAME TO drafts;
CREATE INDEX drafts_by_expiry ON drafts (expires_at);
