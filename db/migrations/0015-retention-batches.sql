-- Retention in batches (issue 16). Each batch asks "the next few hundred reports to delete" or "to erase
-- the reporter of"; these partial indexes hold exactly the candidates, so a batch reads only what it
-- changes and a catch-up over 1,000,000 reports is linear. A report leaves them when it is deleted or its
-- contact erased. Closed reports only: a report being sent or triaged never touches them.
DROP INDEX reports_closed;
CREATE INDEX reports_closed_by_status ON reports (status, closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX reports_contact_to_erase ON reports (closed_at) WHERE closed_at IS NOT NULL AND contact_erased_at IS NULL;
