-- Retention for every closed report (spec §8: reporter contact erased 1 year after closing, the report deleted 5
-- years after closing). `uitgezet` (handed to a partner; spec §7 tells the reporter it is handled) and
-- `acuut_doorgezet` (closed by nature, spec §5) had no `closed_at`, so retention never reached them. A report
-- that is `uitgezet` now is closed at the moment it became so (its history), else at its last change; an
-- acute record at its creation. The partial indexes reports_closed_by_status and reports_contact_to_erase
-- take them in; the monitor's rollups do not count `closed_at`.
UPDATE reports SET closed_at = coalesce(
  (SELECT max(e.at) FROM report_events e WHERE e.report_id = reports.id AND e.kind = 'status' AND e.to_value = 'uitgezet'),
  updated_at)
WHERE status = 'uitgezet' AND closed_at IS NULL;

UPDATE reports SET closed_at = created_at WHERE status = 'acuut_doorgezet' AND closed_at IS NULL;
