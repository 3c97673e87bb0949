-- Staff accounts, their sessions, and the append-only audit log (NEN 7513 / BIO logging fields).

CREATE TABLE users (
  id               INTEGER PRIMARY KEY,
  email            TEXT    NOT NULL COLLATE NOCASE CHECK (length(email) BETWEEN 3 AND 254),
  name             TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  role             TEXT    NOT NULL CHECK (role IN ('kcc', 'boa', 'coordinator', 'admin')),
  -- A BOA's service number (dienstnummer), printed on their reports.
  service_number   TEXT    CHECK (length(service_number) <= 50),
  password_hash    TEXT    NOT NULL,
  totp_secret      TEXT    NOT NULL,
  -- The last TOTP time step used: a code is accepted once.
  totp_last_step   INTEGER NOT NULL DEFAULT 0,
  disabled_at      TEXT,
  created_at       TEXT    NOT NULL,
  updated_at       TEXT    NOT NULL
) STRICT;

CREATE UNIQUE INDEX users_by_email ON users (email);

-- A login in progress (password checked, code not yet) or a full session. The cookie holds a random
-- 256-bit token; only its SHA-256 is stored.
CREATE TABLE sessions (
  token_hash       TEXT    PRIMARY KEY,
  user_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  stage            TEXT    NOT NULL CHECK (stage IN ('password', 'complete')),
  return_to        TEXT    CHECK (length(return_to) <= 300),
  created_at       TEXT    NOT NULL,
  last_seen_at     TEXT    NOT NULL,
  expires_at       TEXT    NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Who did what to which object, when, with what result. Never report content. Append-only: the
-- database itself refuses UPDATE and DELETE.
CREATE TABLE audit_log (
  id               INTEGER PRIMARY KEY,
  at               TEXT    NOT NULL,                    -- UTC
  actor_id         INTEGER,                             -- NULL: a resident, or an unknown login name
  actor_role       TEXT    NOT NULL CHECK (actor_role IN ('inwoner', 'kcc', 'boa', 'coordinator', 'admin', 'systeem', 'onbekend')),
  action           TEXT    NOT NULL CHECK (length(action) <= 60),
  object_type      TEXT    CHECK (object_type IN ('melding', 'account', 'sessie', 'mail', 'export')),
  object_id        TEXT    CHECK (length(object_id) <= 60),
  result           TEXT    NOT NULL CHECK (result IN ('gelukt', 'mislukt', 'geweigerd')),
  on_behalf_of     TEXT    CHECK (on_behalf_of IN ('beller')),
  client_ip        TEXT    CHECK (length(client_ip) <= 64),
  detail           TEXT    CHECK (length(detail) <= 300)
) STRICT;

CREATE INDEX audit_log_by_time ON audit_log (at);
CREATE INDEX audit_log_by_object ON audit_log (object_type, object_id, at);
CREATE INDEX audit_log_by_actor ON audit_log (actor_id, at);

CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE INDEX reports_by_entered_by ON reports (entered_by, created_at) WHERE entered_by IS NOT NULL;
