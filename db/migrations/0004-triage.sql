-- Triage: repeat-report keys, notes, history, links between reports, and the indexes of the queue.

ALTER TABLE reports ADD COLUMN address_key TEXT;
ALTER TABLE reports ADD COLUMN person_key TEXT;

UPDATE reports SET address_key = postcode || '|' || ltrim(house_number, '0') || '|' || lower(coalesce(house_addition, ''))
WHERE postcode IS NOT NULL AND house_number IS NOT NULL;

CREATE INDEX reports_by_address_key ON reports (address_key) WHERE address_key IS NOT NULL;
CREATE INDEX reports_by_person_key ON reports (person_key) WHERE person_key IS NOT NULL;
-- Each filter of the queue has an index in queue order, so a page stops after 50 rows.
CREATE INDEX reports_by_channel ON reports (channel, urgency_rank, created_at DESC);
CREATE INDEX reports_by_status_and_channel ON reports (status, channel, urgency_rank, created_at DESC);
CREATE INDEX reports_by_ave_phase ON reports (ave_phase, urgency_rank, created_at DESC);
CREATE INDEX reports_by_status_and_ave_phase ON reports (status, ave_phase, urgency_rank, created_at DESC);
CREATE INDEX reports_by_assignee ON reports (assigned_to, urgency_rank, created_at DESC) WHERE assigned_to IS NOT NULL;
CREATE INDEX reports_overdue ON reports (due_on) WHERE status = 'nieuw';
CREATE INDEX reports_by_street ON reports (street COLLATE NOCASE) WHERE street IS NOT NULL;

-- Notes by the coordinator: append-only.
CREATE TABLE report_notes (
  id          INTEGER PRIMARY KEY,
  report_id   INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  author_id   INTEGER NOT NULL REFERENCES users (id),
  created_at  TEXT    NOT NULL,
  body        TEXT    NOT NULL CHECK (length(body) BETWEEN 1 AND 4000)
) STRICT;
CREATE INDEX report_notes_by_report ON report_notes (report_id, id);
CREATE TRIGGER report_notes_append_only_update BEFORE UPDATE ON report_notes
BEGIN SELECT RAISE(ABORT, 'report_notes is append-only'); END;

-- What changed on a report, when and by whom, with the reason where one is required.
CREATE TABLE report_events (
  id          INTEGER PRIMARY KEY,
  report_id   INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  actor_id    INTEGER REFERENCES users (id),
  at          TEXT    NOT NULL,
  kind        TEXT    NOT NULL CHECK (kind IN ('status', 'urgentie', 'ave_fase', 'regie', 'uitkomst', 'toewijzing', 'wvggz', 'koppeling', 'samengevoegd')),
  from_value  TEXT    CHECK (length(from_value) <= 200),
  to_value    TEXT    CHECK (length(to_value) <= 200),
  reason      TEXT    CHECK (length(reason) <= 1000)
) STRICT;
CREATE INDEX report_events_by_report ON report_events (report_id, id);
CREATE INDEX report_events_by_kind_time ON report_events (kind, at);

-- Reports about the same person or address, linked by the coordinator (each pair once, low id first).
CREATE TABLE report_links (
  report_id   INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  linked_id   INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  created_at  TEXT    NOT NULL,
  created_by  INTEGER REFERENCES users (id),
  PRIMARY KEY (report_id, linked_id),
  CHECK (report_id < linked_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX report_links_by_linked ON report_links (linked_id, report_id);
