-- The AVE-monitor's casussen by area (issue 16): the area of a casus is that of its latest report with a
-- looked-up address (the copies kept on case_reports by migration 0020). With these the lookup per casus is
-- one seek in an index that holds what it reads, instead of reading and sorting all of that casus's links
-- (at 1,000,000 reports and 130,000 casussen: 127 ms → 87 ms per view).
CREATE INDEX case_reports_latest_village ON case_reports (case_id, report_created_at, woonplaats) WHERE woonplaats IS NOT NULL;
CREATE INDEX case_reports_latest_wijk ON case_reports (case_id, report_created_at, wijk_name) WHERE wijk_name IS NOT NULL;
