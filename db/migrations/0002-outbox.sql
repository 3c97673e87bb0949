-- Outgoing e-mail, written in the same transaction as the report it belongs to and sent by a worker
-- (transactional outbox): a slow or absent mail server never loses or delays a report. Bodies carry
-- no report content. The recipient of a reporter's confirmation is erased once it has been sent.

CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY,
  kind             TEXT    NOT NULL CHECK (kind IN ('reporter_confirmation', 'coordinator_notification')),
  report_id        INTEGER REFERENCES reports (id) ON DELETE SET NULL,
  recipient        TEXT    NOT NULL CHECK (length(recipient) <= 254),
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

CREATE UNIQUE INDEX outbox_by_message_id ON outbox (message_id);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at) WHERE state = 'pending';
CREATE INDEX outbox_by_report ON outbox (report_id);
