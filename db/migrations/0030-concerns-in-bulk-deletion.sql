-- Retention at 1,000,000 reports (issue 16): a concern deleted together with its report in a bulk deletion
-- (retention; deleteCountedInBulk in monitor.repo.server.ts) leaves the AVE-monitor's rollup alone, as the
-- report's own trigger does: the bulk deletion takes the whole batch's counts, concerns included, out of the
-- rollup in one statement. The trigger found nothing to subtract then (its report was gone already), but
-- looked for it per concern: 1.5 s of the catch-up's deletions, 0.7 s now.
DROP TRIGGER monitor_concern_deleting;
CREATE TRIGGER monitor_concern_deleting BEFORE DELETE ON report_concerns
WHEN NOT EXISTS (SELECT 1 FROM monitor_bulk_delete)
BEGIN
  UPDATE monitor_daily SET n = n - 1
  FROM (SELECT day, dimension, value FROM monitor_contributions WHERE id = OLD.report_id AND dimension = 'concern' AND value = OLD.concern) AS gone
  WHERE monitor_daily.day = gone.day AND monitor_daily.dimension = gone.dimension AND monitor_daily.value = gone.value;
END;
