-- 0008: follow-ups. Check-in schedules are synced per field; outreach attempts are
-- synced, append-only: an attempt, once logged, is never edited or deleted.
CREATE TABLE checkin_schedule (
    id             TEXT PRIMARY KEY,
    origin         TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    participant_id TEXT NOT NULL DEFAULT '',
    label          TEXT NOT NULL DEFAULT '',
    starts_on      TEXT NOT NULL DEFAULT '',
    every          INTEGER NOT NULL DEFAULT 1,
    unit           TEXT NOT NULL DEFAULT 'weeks',
    times          TEXT NOT NULL DEFAULT '',
    until          TEXT NOT NULL DEFAULT '',
    active         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX checkin_schedule_participant ON checkin_schedule (participant_id);

CREATE TABLE checkin_attempt (
    id             TEXT PRIMARY KEY,
    origin         TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    participant_id TEXT NOT NULL DEFAULT '',
    schedule_id    TEXT NOT NULL DEFAULT '',
    due_on         TEXT NOT NULL DEFAULT '',
    at             TEXT NOT NULL DEFAULT '',
    outcome        TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    note_id        TEXT NOT NULL DEFAULT '',
    author         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX checkin_attempt_participant ON checkin_attempt (participant_id, at);
CREATE INDEX checkin_attempt_at ON checkin_attempt (at);
CREATE TRIGGER checkin_attempt_no_update BEFORE UPDATE ON checkin_attempt
BEGIN SELECT RAISE(ABORT, 'outreach attempts are append-only'); END;
CREATE TRIGGER checkin_attempt_no_delete BEFORE DELETE ON checkin_attempt
BEGIN SELECT RAISE(ABORT, 'outreach attempts are never deleted'); END;
