-- The keys reports are looked up by, in a table of their own (issue 16, retention at 1,000,000 reports):
-- the reference, the postcode, and the blind indexes of address, person, name, street and police
-- registration number.
-- As indexes on `reports`, each of them a random value, deleting one report wrote a page of every one of
-- those nine indexes: 5.5 of the 12 pages the WAL took per deletion at 1,000,000 reports. Here a deleted
-- report's keys stay a little while (those the deletion log keeps, for good): its BEFORE DELETE trigger lists the others in `report_keys_gone`
-- (appended, so one page per batch), and retention sweeps that list at the end of its run, per kind in
-- key order, so neighbouring keys share their pages (retention.server.ts). Every lookup joins `reports`,
-- so a key whose report is gone finds nothing in the meantime. The triggers keep the keys in step with
-- the columns on every insert, change (the encryption pass) and deletion, whoever writes.
CREATE TABLE report_keys (
  kind       TEXT    NOT NULL CHECK (kind IN ('reference', 'postcode', 'address', 'address_number', 'bag', 'name',
                                              'person', 'police_reference', 'street', 'street_number')),
  key        TEXT    NOT NULL,
  report_id  INTEGER NOT NULL,           -- no foreign key: a deletion leaves its keys to the sweep
  PRIMARY KEY (kind, key, report_id)
) STRICT, WITHOUT ROWID;

-- The keys of deleted reports, waiting for retention's sweep (in the order they were deleted). Not the
-- reference, nor the keys of address, BAG object and person: the deletion log keeps them (it shows the
-- reference; recurrence survives deletion, spec §8), here, found through `deletion_log.report_id`, instead of
-- in an index of its own that every deletion wrote a random page of (a deleted report's reference is never
-- given again). Rows logged before this migration keep their keys in their own columns and partial indexes.
ALTER TABLE deletion_log ADD COLUMN report_id INTEGER;
CREATE INDEX deletion_log_by_report ON deletion_log (report_id) WHERE report_id IS NOT NULL;

CREATE TABLE report_keys_gone (
  id         INTEGER PRIMARY KEY,
  kind       TEXT    NOT NULL,
  key        TEXT    NOT NULL,
  report_id  INTEGER NOT NULL
) STRICT;

INSERT INTO report_keys (kind, key, report_id)
SELECT kind, key, report_id FROM (
  SELECT 'reference' AS kind, reference AS key, id AS report_id FROM reports
  UNION ALL SELECT 'postcode', postcode, id FROM reports WHERE postcode IS NOT NULL
  UNION ALL SELECT 'address', address_key, id FROM reports WHERE address_key IS NOT NULL
  UNION ALL SELECT 'address_number', address_number_key, id FROM reports WHERE address_number_key IS NOT NULL
  UNION ALL SELECT 'bag', bag_key, id FROM reports WHERE bag_key IS NOT NULL
  UNION ALL SELECT 'name', name_key, id FROM reports WHERE name_key IS NOT NULL
  UNION ALL SELECT 'person', person_key, id FROM reports WHERE person_key IS NOT NULL
  UNION ALL SELECT 'police_reference', police_reference_key, id FROM reports WHERE police_reference_key IS NOT NULL
  UNION ALL SELECT 'street', street_key, id FROM reports WHERE street_key IS NOT NULL
  UNION ALL SELECT 'street_number', street_number_key, id FROM reports WHERE street_number_key IS NOT NULL)
ORDER BY kind, key, report_id;

DROP INDEX reports_by_reference;
DROP INDEX reports_by_postcode;
DROP INDEX reports_by_address_key;
DROP INDEX reports_by_address_number_key;
DROP INDEX reports_by_bag_key;
DROP INDEX reports_by_name_key;
DROP INDEX reports_by_person_key;
DROP INDEX reports_by_police_reference_key;
DROP INDEX reports_by_street_key;
DROP INDEX reports_by_street_number_key;

-- A reference is unique among the reports and the deleted ones not swept yet (the unique index did this before).
CREATE TRIGGER report_reference_unique BEFORE INSERT ON reports
WHEN EXISTS (SELECT 1 FROM report_keys WHERE kind = 'reference' AND key = NEW.reference)
BEGIN
  SELECT RAISE(ABORT, 'UNIQUE constraint failed: reports.reference');
END;

CREATE TRIGGER report_keys_inserted AFTER INSERT ON reports
BEGIN
  INSERT INTO report_keys (kind, key, report_id)
  SELECT kind, key, NEW.id FROM (
    SELECT 'reference' AS kind, NEW.reference AS key
    UNION ALL SELECT 'postcode', NEW.postcode
    UNION ALL SELECT 'address', NEW.address_key
    UNION ALL SELECT 'address_number', NEW.address_number_key
    UNION ALL SELECT 'bag', NEW.bag_key
    UNION ALL SELECT 'name', NEW.name_key
    UNION ALL SELECT 'person', NEW.person_key
    UNION ALL SELECT 'police_reference', NEW.police_reference_key
    UNION ALL SELECT 'street', NEW.street_key
    UNION ALL SELECT 'street_number', NEW.street_number_key)
  WHERE key IS NOT NULL;
END;

CREATE TRIGGER report_keys_changed AFTER UPDATE OF reference, postcode, address_key, address_number_key, bag_key, name_key,
  person_key, police_reference_key, street_key, street_number_key ON reports
BEGIN
  DELETE FROM report_keys WHERE (kind, key, report_id) IN (
    SELECT kind, key, OLD.id FROM (
      SELECT 'reference' AS kind, OLD.reference AS key
      UNION ALL SELECT 'postcode', OLD.postcode
      UNION ALL SELECT 'address', OLD.address_key
      UNION ALL SELECT 'address_number', OLD.address_number_key
      UNION ALL SELECT 'bag', OLD.bag_key
      UNION ALL SELECT 'name', OLD.name_key
      UNION ALL SELECT 'person', OLD.person_key
      UNION ALL SELECT 'police_reference', OLD.police_reference_key
      UNION ALL SELECT 'street', OLD.street_key
      UNION ALL SELECT 'street_number', OLD.street_number_key)
    WHERE key IS NOT NULL);
  INSERT INTO report_keys (kind, key, report_id)
  SELECT kind, key, NEW.id FROM (
    SELECT 'reference' AS kind, NEW.reference AS key
    UNION ALL SELECT 'postcode', NEW.postcode
    UNION ALL SELECT 'address', NEW.address_key
    UNION ALL SELECT 'address_number', NEW.address_number_key
    UNION ALL SELECT 'bag', NEW.bag_key
    UNION ALL SELECT 'name', NEW.name_key
    UNION ALL SELECT 'person', NEW.person_key
    UNION ALL SELECT 'police_reference', NEW.police_reference_key
    UNION ALL SELECT 'street', NEW.street_key
    UNION ALL SELECT 'street_number', NEW.street_number_key)
  WHERE key IS NOT NULL;
END;

-- The reference, address, BAG object and person stay for the deletion log (above).
CREATE TRIGGER report_keys_deleting BEFORE DELETE ON reports
BEGIN
  INSERT INTO report_keys_gone (kind, key, report_id)
  SELECT kind, key, OLD.id FROM (
    SELECT 'postcode' AS kind, OLD.postcode AS key
    UNION ALL SELECT 'address_number', OLD.address_number_key
    UNION ALL SELECT 'name', OLD.name_key
    UNION ALL SELECT 'police_reference', OLD.police_reference_key
    UNION ALL SELECT 'street', OLD.street_key
    UNION ALL SELECT 'street_number', OLD.street_number_key)
  WHERE key IS NOT NULL;
END;
