-- Photos on the BOA form (spec §4). Each photo is re-encoded on upload (no metadata survives) and stored
-- encrypted (spec §8) as a BLOB by src/features/photos/photos.repo.server.ts: the full view (a JPEG of at
-- most 2048 px on the long side) and a thumbnail. A photo of a refused form waits here without a report
-- (`report_id` NULL), found by the hash of a random token the form carries and the officer who uploaded
-- it, until `expires_at`; saving the report attaches it. A report's photos go with it (ON DELETE CASCADE:
-- retention deletes reports through reports.repo.server.ts; secure_delete overwrites the pages).

CREATE TABLE report_photos (
  id           TEXT    PRIMARY KEY CHECK (length(id) = 22),           -- random, opaque: the photo's URL
  report_id    INTEGER REFERENCES reports (id) ON DELETE CASCADE,    -- NULL while waiting for the form
  upload_key   TEXT,                                                   -- SHA-256 of the form's token, while waiting
  uploaded_by  INTEGER NOT NULL REFERENCES users (id),
  position     INTEGER NOT NULL CHECK (position BETWEEN 1 AND 5),
  width        INTEGER NOT NULL CHECK (width BETWEEN 1 AND 2048),
  height       INTEGER NOT NULL CHECK (height BETWEEN 1 AND 2048),
  image        BLOB    NOT NULL,                                       -- encrypted JPEG
  thumbnail    BLOB    NOT NULL,                                       -- encrypted JPEG
  created_at   TEXT    NOT NULL,
  expires_at   TEXT,                                                   -- while waiting only
  CHECK ((report_id IS NULL) = (upload_key IS NOT NULL) AND (report_id IS NULL) = (expires_at IS NOT NULL))
) STRICT;

CREATE INDEX report_photos_report ON report_photos (report_id, position) WHERE report_id IS NOT NULL;
CREATE INDEX report_photos_waiting ON report_photos (upload_key) WHERE upload_key IS NOT NULL;
CREATE INDEX report_photos_expiry ON report_photos (expires_at) WHERE expires_at IS NOT NULL;
