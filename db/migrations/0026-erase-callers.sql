-- A caller who phones the KCC with more about a report leaves a name and a phone number on the addition
-- (report_additions.caller_name, caller_phone): contact data of the reporter's side, erased by retention
-- a year after the report closed, with the reporter's own (spec §8). The candidates are the additions that
-- hold a caller detail; an erased one leaves the index.
CREATE INDEX report_additions_with_caller ON report_additions (report_id)
  WHERE caller_name IS NOT NULL OR caller_phone IS NOT NULL;
