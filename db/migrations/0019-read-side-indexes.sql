-- Indexes for reading at 1,000,000 reports (issue 16).
--
-- Retention in batches. Each batch asks "the next few hundred reports to delete" or "to erase the
-- reporter of"; these partial indexes hold exactly the candidates, so a batch reads only what it changes
-- and a catch-up is linear. A report leaves them when it is deleted or its contact erased. Closed reports
-- only: a report being sent never touches them.
DROP INDEX reports_closed;
CREATE INDEX reports_closed_by_status ON reports (status, closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX reports_contact_to_erase ON reports (closed_at) WHERE closed_at IS NOT NULL AND contact_erased_at IS NULL;

-- The open work by deadline, now with the status: a filter on the open work (`?zorg=zelfdoding`) counts
-- its matches from this index alone instead of reading every open report (100 ms at 100,000 reports, 10 ms now).
DROP INDEX reports_open_by_due;
CREATE INDEX reports_open_by_due ON reports (due_on, urgency_rank, created_at, status)
  WHERE status IN ('nieuw', 'in_behandeling', 'wacht_op_info');

-- The open work oldest first (`?volgorde=oud`): walked in order instead of sorting every open report.
CREATE INDEX reports_open_by_age ON reports (urgency_rank, created_at)
  WHERE status IN ('nieuw', 'in_behandeling', 'wacht_op_info');
