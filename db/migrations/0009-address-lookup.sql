-- The address lookup in the national address register (BAG, through PDOK Locatieserver; spec §2):
-- what it said, the address's BAG identifiers, and the areas it lies in. Areas in the queue and the
-- monitor come from here, never from the free-text `place`. Codes without `GM`, `WK` and `BU` kept as
-- CBS writes them (`WK196900`); CBS codes may contain letters.
ALTER TABLE reports ADD COLUMN address_check TEXT
  CHECK (address_check IN ('gevonden', 'niet_gevonden', 'niet_gecontroleerd', 'ander_adres'));
ALTER TABLE reports ADD COLUMN address_checked_on TEXT;
ALTER TABLE reports ADD COLUMN bag_address_id TEXT CHECK (length(bag_address_id) <= 20);
ALTER TABLE reports ADD COLUMN bag_object_id TEXT CHECK (length(bag_object_id) <= 20);
ALTER TABLE reports ADD COLUMN woonplaats TEXT CHECK (length(woonplaats) <= 100);
ALTER TABLE reports ADD COLUMN municipality_code TEXT CHECK (length(municipality_code) <= 10);
ALTER TABLE reports ADD COLUMN municipality_name TEXT CHECK (length(municipality_name) <= 100);
-- 1: the address lies in another municipality (by the register's code, or by the postcode list when
-- the register could not be asked).
ALTER TABLE reports ADD COLUMN other_municipality INTEGER NOT NULL DEFAULT 0 CHECK (other_municipality IN (0, 1));
ALTER TABLE reports ADD COLUMN wijk_code TEXT CHECK (length(wijk_code) <= 20);
ALTER TABLE reports ADD COLUMN wijk_name TEXT CHECK (length(wijk_name) <= 100);
ALTER TABLE reports ADD COLUMN buurt_code TEXT CHECK (length(buurt_code) <= 20);
ALTER TABLE reports ADD COLUMN buurt_name TEXT CHECK (length(buurt_name) <= 100);

-- Repeat reports by BAG identifier (spec §5: where both reports have one).
CREATE INDEX reports_by_bag_address ON reports (bag_address_id) WHERE bag_address_id IS NOT NULL;
-- The queue's area filter and the monitor's areas: the village, and the wijk.
DROP INDEX reports_by_place;
CREATE INDEX reports_by_woonplaats ON reports (woonplaats) WHERE woonplaats IS NOT NULL;
CREATE INDEX reports_by_wijk ON reports (wijk_code) WHERE wijk_code IS NOT NULL;
