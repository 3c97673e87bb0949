-- Mail is rendered when it is sent, not when it is queued: an outbox row keeps what the worker renders
-- it from (`params`: the reference and the kind's small settings as JSON, never what was reported; see
-- MAIL_PARAMS in src/features/mail/outbox.schema.ts) instead of a subject and two bodies — about 60 bytes
-- instead of 2 to 3 KB per mail, written in the transaction of every report.
--
-- The parameters of a reset link, an invitation and a police feedback mail (a one-time link; the police's
-- registration number) are sealed, and emptied once sent.
--
-- Mail queued before this migration keeps its rendered subject and bodies (params NULL) and is sent as it
-- is: nothing queued is lost across the upgrade.
CREATE TABLE new_outbox (
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

INSERT INTO new_outbox (id, kind, report_id, recipient, params, subject, text_body, html_body, message_id, state, attempts, next_attempt_at, leased_until, last_error, created_at, sent_at)
  SELECT id, kind, report_id, recipient, NULL, subject, text_body, html_body, message_id, state, attempts, next_attempt_at, leased_until, last_error, created_at, sent_at
  FROM outbox;
DROP TABLE outbox;
ALTER TABLE new_outbox RENAME TO outbox;
CREATE UNIQUE INDEX outbox_by_message_id ON outbox (message_id);
CREATE INDEX outbox_by_report ON outbox (report_id);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at) WHERE state = 'pending';
