-- Staff identity (spec §6a): single sign-on accounts, invitations and password-reset links, and the mails
-- that carry them.

-- An account that comes through the municipality's single sign-on is recognised by its issuer and the
-- provider's `sub`, never by e-mail: it has no password and no TOTP secret (both ''), and its e-mail
-- address need not be unique among password accounts. An invited account has neither until the person
-- enrols ('' too): nobody can log in with it before then.
ALTER TABLE users ADD COLUMN oidc_issuer TEXT CHECK (length(oidc_issuer) BETWEEN 1 AND 500);
ALTER TABLE users ADD COLUMN oidc_subject TEXT CHECK (length(oidc_subject) BETWEEN 1 AND 255);

DROP INDEX users_by_email;
CREATE UNIQUE INDEX users_by_email ON users (email) WHERE oidc_subject IS NULL;
CREATE UNIQUE INDEX users_by_oidc ON users (oidc_issuer, oidc_subject) WHERE oidc_subject IS NOT NULL;

-- One-time links: a password reset (1 hour) or an invitation to choose a password and enrol the second
-- factor (72 hours). The link holds a random 256-bit token; only its SHA-256 is stored. Used once.
-- `totp_secret`: the secret the invitation page showed, sealed, until the person confirms it with a code.
CREATE TABLE account_links (
  token_hash   TEXT    PRIMARY KEY CHECK (length(token_hash) = 64),
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind         TEXT    NOT NULL CHECK (kind IN ('reset', 'invitation')),
  created_at   TEXT    NOT NULL,
  expires_at   TEXT    NOT NULL,
  used_at      TEXT,
  totp_secret  TEXT                                   -- encrypted
) STRICT, WITHOUT ROWID;

CREATE INDEX account_links_by_user ON account_links (user_id, kind, created_at);
CREATE INDEX account_links_by_expiry ON account_links (expires_at);

-- A single sign-on in progress: the browser holds a random token in a cookie (only its SHA-256 here);
-- the state, nonce and PKCE verifier the callback must match. Ten minutes, used once.
CREATE TABLE oidc_logins (
  binding_hash   TEXT    PRIMARY KEY CHECK (length(binding_hash) = 64),
  state          TEXT    NOT NULL CHECK (length(state) <= 100),
  nonce          TEXT    NOT NULL CHECK (length(nonce) <= 100),
  code_verifier  TEXT    NOT NULL CHECK (length(code_verifier) <= 200),
  return_to      TEXT    CHECK (length(return_to) <= 300),
  expires_at     TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX oidc_logins_by_expiry ON oidc_logins (expires_at);

-- The outbox gets the staff mails: a reset link, an invitation, and the coordinators' notice that an
-- account got the coordinator role. The bodies of the first two carry a one-time link: sealed, and
-- emptied once sent.
CREATE TABLE new_outbox (
  id               INTEGER PRIMARY KEY,
  kind             TEXT    NOT NULL CHECK (kind IN ('reporter_confirmation', 'coordinator_notification', 'reporter_feedback', 'police_feedback', 'password_reset', 'invitation', 'role_notice')),
  report_id        INTEGER REFERENCES reports (id) ON DELETE SET NULL,
  recipient        TEXT    NOT NULL,            -- encrypted (kept for dead letters),
  subject          TEXT    NOT NULL,
  text_body        TEXT    NOT NULL,            -- encrypted for password_reset and invitation
  html_body        TEXT    NOT NULL,            -- encrypted for password_reset and invitation
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
