-- 0011: records are a pure function of the op log, whatever order the ops arrive in.
-- Derivation (store/oplog.py) may have to correct an immutable record when its history
-- arrives late (a finalized note whose earlier header change comes in a later bundle).
-- While it does, it holds the one row of `deriving` (local, inside its transaction);
-- the immutability triggers let only that through. Everything else is refused as before.

CREATE TABLE deriving (flag INTEGER PRIMARY KEY CHECK (flag = 1));

DROP TRIGGER note_final_is_immutable;
CREATE TRIGGER note_final_is_immutable BEFORE UPDATE ON note
WHEN OLD.status = 'final' AND NOT EXISTS (SELECT 1 FROM deriving) AND (
       (NEW.participant_id IS NOT OLD.participant_id AND OLD.participant_id != '')
    OR (NEW.occurred_at IS NOT OLD.occurred_at AND OLD.occurred_at != '')
    OR (NEW.duration_min IS NOT OLD.duration_min AND OLD.duration_min != 0)
    OR (NEW.setting IS NOT OLD.setting AND OLD.setting != '')
    OR (NEW.contact_type IS NOT OLD.contact_type AND OLD.contact_type != '')
    OR (NEW.read_back IS NOT OLD.read_back AND OLD.read_back != 0)
    OR (NEW.template IS NOT OLD.template AND OLD.template != '')
    OR (NEW.body IS NOT OLD.body AND OLD.body != '')
    OR NEW.status IS NOT OLD.status
    OR (NEW.finalized_at IS NOT OLD.finalized_at AND OLD.finalized_at != '')
    OR (NEW.author IS NOT OLD.author AND OLD.author != ''))
BEGIN SELECT RAISE(ABORT, 'a finalized note cannot be changed: add an addendum'); END;

DROP TRIGGER plan_revision_no_update;
CREATE TRIGGER plan_revision_no_update BEFORE UPDATE ON plan_revision
WHEN NOT EXISTS (SELECT 1 FROM deriving)
BEGIN SELECT RAISE(ABORT, 'plan revisions are append-only'); END;

DROP TRIGGER assessment_no_update;
CREATE TRIGGER assessment_no_update BEFORE UPDATE ON assessment
WHEN NOT EXISTS (SELECT 1 FROM deriving)
BEGIN SELECT RAISE(ABORT, 'assessments are append-only'); END;

DROP TRIGGER crisis_event_no_update;
CREATE TRIGGER crisis_event_no_update BEFORE UPDATE ON crisis_event
WHEN NOT EXISTS (SELECT 1 FROM deriving)
BEGIN SELECT RAISE(ABORT, 'crisis events are append-only'); END;

DROP TRIGGER crisis_step_no_update;
CREATE TRIGGER crisis_step_no_update BEFORE UPDATE ON crisis_step
WHEN NOT EXISTS (SELECT 1 FROM deriving)
BEGIN SELECT RAISE(ABORT, 'crisis steps are append-only'); END;

DROP TRIGGER addendum_no_update;
CREATE TRIGGER addendum_no_update BEFORE UPDATE ON addendum
WHEN NOT EXISTS (SELECT 1 FROM deriving)
BEGIN SELECT RAISE(ABORT, 'addenda are append-only'); END;

DROP TRIGGER disclosure_no_update;
CREATE TRIGGER disclosure_no_update BEFORE UPDATE ON disclosure
WHEN NOT EXISTS (SELECT 1 FROM deriving)
BEGIN SELECT RAISE(ABORT, 'the disclosure log is append-only'); END;

DROP TRIGGER checkin_attempt_no_update;
CREATE TRIGGER checkin_attempt_no_update BEFORE UPDATE ON checkin_attempt
WHEN NOT EXISTS (SELECT 1 FROM deriving)
BEGIN SELECT RAISE(ABORT, 'outreach attempts are append-only'); END;
