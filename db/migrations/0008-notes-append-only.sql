-- Notes on a report are append-only for real: the database refuses to delete one, as it already refuses
-- to change one (0004). The only way a note goes is with its report, when retention deletes the report:
-- SQLite runs the ON DELETE CASCADE after the report row is gone, so the trigger lets that through.
CREATE TRIGGER report_notes_append_only_delete BEFORE DELETE ON report_notes
WHEN EXISTS (SELECT 1 FROM reports WHERE id = OLD.report_id)
BEGIN SELECT RAISE(ABORT, 'report_notes is append-only'); END;
