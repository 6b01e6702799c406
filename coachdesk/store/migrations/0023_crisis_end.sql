-- Which crisis events have ended, found by an index (issue 23): unlocking asks for the
-- events started here that have no end yet, and without it read every step of every event.
CREATE INDEX crisis_step_end ON crisis_step (event_id) WHERE kind = 'end';
