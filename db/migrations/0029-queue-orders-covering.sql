-- The queue's orders over all reports, seven indexes, as two that carry the filter columns (issue 16,
-- retention at 1,000,000 reports). Each deletion by retention took an entry out of all seven, 1.7 of the
-- pages it wrote to the WAL; each new report put one in all seven. Now:
-- - a chosen status walks `reports_by_status` in the queue's order (urgency, newest first) and checks
--   kanaal, AVE-fase and uitkomst on the index itself, without reading a report;
-- - every status ("alle", and a search) walks `reports_queue_by_urgency_and_age` the same way.
-- A page stops after its rows; a count stops at 5,001 matches and reads only the index. The open work
-- keeps its own partial indexes (reports_open_by_due, reports_awaiting_by_due, reports_open_by_age).
DROP INDEX reports_by_channel;
DROP INDEX reports_by_ave_phase;
DROP INDEX reports_by_outcome;
DROP INDEX reports_by_status_and_channel;
DROP INDEX reports_by_status_and_ave_phase;
DROP INDEX reports_by_status;
DROP INDEX reports_queue_by_urgency_and_age;
CREATE INDEX reports_by_status ON reports (status, urgency_rank, created_at DESC, channel, ave_phase, outcome);
CREATE INDEX reports_queue_by_urgency_and_age ON reports (urgency_rank, created_at DESC, status, channel, ave_phase, outcome);
