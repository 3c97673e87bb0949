-- The open work filtered by channel (issue 16: `?status=nieuw&kanaal=kcc` took 150 ms at 1,000,000 reports).
-- The queue walks the open work in the order of these partial indexes and counts the matches up to 5,001;
-- with the channel in the index, that filter is checked on the index instead of on each report's row (at
-- 1,000,000 reports the count of the overdue KCC reports read some 20,000 rows to find 4,742).
DROP INDEX reports_awaiting_by_due;
CREATE INDEX reports_awaiting_by_due ON reports (due_on, urgency_rank, created_at, channel) WHERE status = 'nieuw';
DROP INDEX reports_open_by_due;
CREATE INDEX reports_open_by_due ON reports (due_on, urgency_rank, created_at, status, channel)
  WHERE status IN ('nieuw', 'in_behandeling', 'wacht_op_info');
