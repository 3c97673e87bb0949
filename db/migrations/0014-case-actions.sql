-- Actions of a casus (spec §5a): what, who, the date it is due, done or not. An open action past its
-- date is overdue. What and who are encrypted (spec §8). Written only by src/features/casus/casus.repo.server.ts;
-- they go with their casus (retention).
CREATE TABLE case_actions (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  what        TEXT    NOT NULL,                       -- encrypted
  who         TEXT    NOT NULL,                       -- encrypted
  due_on      TEXT    NOT NULL,                       -- a date (YYYY-MM-DD)
  created_at  TEXT    NOT NULL,
  created_by  INTEGER NOT NULL REFERENCES users (id),
  done_at     TEXT,
  done_by     INTEGER REFERENCES users (id)
) STRICT;

CREATE INDEX case_actions_by_case ON case_actions (case_id, due_on);
CREATE INDEX case_actions_open_by_due ON case_actions (due_on) WHERE done_at IS NULL;
