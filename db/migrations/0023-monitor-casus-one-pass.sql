-- The AVE-monitor's casussen in one pass (issue 16). Each casus keeps the areas of its latest report with a
-- looked-up address (village and wijk), kept current by triggers on its links whenever a link comes or goes
-- or a linked report's receipt time or address changes (the copies migration 0020 keeps on case_reports).
-- One index then holds, in the order the monitor groups them, everything it counts of the open casussen:
-- phase, areas, whether each regie is set, and the dates that say a casus was open at the end of a period.
-- At 1,000,000 reports and 130,000 casussen: phase and regie (86 ms) and the areas (115 ms) in 29 ms.
ALTER TABLE cases ADD COLUMN woonplaats TEXT;
ALTER TABLE cases ADD COLUMN wijk_name TEXT;

-- The areas of each casus's latest report with a looked-up address (each one seek in the indexes of
-- migration 0022): what the columns above hold, defined once for the backfill and the triggers.
CREATE VIEW case_latest_area AS
SELECT c.id AS case_id,
  (SELECT cr.woonplaats FROM case_reports cr WHERE cr.case_id = c.id AND cr.woonplaats IS NOT NULL
   ORDER BY cr.report_created_at DESC LIMIT 1) AS woonplaats,
  (SELECT cr.wijk_name FROM case_reports cr WHERE cr.case_id = c.id AND cr.wijk_name IS NOT NULL
   ORDER BY cr.report_created_at DESC LIMIT 1) AS wijk_name
FROM cases c;

UPDATE cases SET (woonplaats, wijk_name) = (SELECT woonplaats, wijk_name FROM case_latest_area WHERE case_id = cases.id);

CREATE TRIGGER case_area_unlinked AFTER DELETE ON case_reports
BEGIN
  UPDATE cases SET (woonplaats, wijk_name) = (SELECT woonplaats, wijk_name FROM case_latest_area WHERE case_id = cases.id)
  WHERE id = OLD.case_id;
END;

-- A new link is covered here too: migration 0020's trigger fills in its copies right after the insert.
CREATE TRIGGER case_area_changed AFTER UPDATE OF case_id, report_created_at, woonplaats, wijk_name ON case_reports
BEGIN
  UPDATE cases SET (woonplaats, wijk_name) = (SELECT woonplaats, wijk_name FROM case_latest_area WHERE case_id = cases.id)
  WHERE id IN (NEW.case_id, OLD.case_id);
END;

-- Read whole, in this order, by monitor.queries.server.ts (INDEXED BY): the grouping needs no sort, and no
-- casus row (with its sealed name and regisseurs) is read. The regie is only whether one is set.
CREATE INDEX cases_for_monitor ON cases (ave_phase, woonplaats, wijk_name, closed_at, created_at,
  case_director IS NOT NULL, process_director IS NOT NULL, treatment_director IS NOT NULL);
