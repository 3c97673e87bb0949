-- The queue is the open work (spec §5): `nieuw`, `in_behandeling` and `wacht_op_info`, overdue first,
-- then by deadline, then most urgent. Two partial indexes give that order without a sort: the overdue
-- part (awaiting triage, due before today) and the rest of the open work, each walked by due date,
-- urgency and age. They are small: only open reports are in them, a few hundred where the table holds
-- years of closed ones. The overdue index replaces reports_overdue (due_on alone, same condition): it
-- also serves the monitor's count of overdue reports.
DROP INDEX reports_overdue;
CREATE INDEX reports_awaiting_by_due ON reports (due_on, urgency_rank, created_at) WHERE status = 'nieuw';
CREATE INDEX reports_open_by_due ON reports (due_on, urgency_rank, created_at)
  WHERE status IN ('nieuw', 'in_behandeling', 'wacht_op_info');

-- Search by the person's name (the start of it, any case) and the area filter (the village from `place`,
-- until the address lookup brings real areas; its options are read from this index too).
CREATE INDEX reports_by_person_name ON reports (person_name COLLATE NOCASE) WHERE person_name IS NOT NULL;
CREATE INDEX reports_by_place ON reports (place COLLATE NOCASE) WHERE place IS NOT NULL;

-- The outcome filter (`Bespreken in MDO`) over all statuses, in the queue's urgency order.
CREATE INDEX reports_by_outcome ON reports (outcome, urgency_rank, created_at DESC) WHERE outcome IS NOT NULL;
