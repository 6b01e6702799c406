-- 0003: crisis checklists. Both tables are append-only records derived from ops:
-- a crisis event is never deleted and a recorded step is never edited.

CREATE TABLE crisis_event (
    id               TEXT PRIMARY KEY,
    origin           TEXT NOT NULL,
    deleted          INTEGER NOT NULL DEFAULT 0,
    protocol_id      TEXT NOT NULL DEFAULT '',
    protocol_version INTEGER NOT NULL DEFAULT 0,
    protocol_title   TEXT NOT NULL DEFAULT '',
    participant_id   TEXT NOT NULL DEFAULT '',
    started_at       TEXT NOT NULL DEFAULT '',
    started_by       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX crisis_event_started ON crisis_event (started_at);

CREATE TABLE crisis_step (
    id       TEXT PRIMARY KEY,
    origin   TEXT NOT NULL,
    deleted  INTEGER NOT NULL DEFAULT 0,
    event_id TEXT NOT NULL DEFAULT '',
    seq      INTEGER NOT NULL DEFAULT 0,
    step_id  TEXT NOT NULL DEFAULT '',
    kind     TEXT NOT NULL DEFAULT '',
    label    TEXT NOT NULL DEFAULT '',
    answer   TEXT NOT NULL DEFAULT '',
    at       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX crisis_step_event ON crisis_step (event_id, seq);

CREATE TRIGGER crisis_event_no_update BEFORE UPDATE ON crisis_event
BEGIN SELECT RAISE(ABORT, 'crisis events are append-only'); END;
CREATE TRIGGER crisis_event_no_delete BEFORE DELETE ON crisis_event
BEGIN SELECT RAISE(ABORT, 'crisis events are never deleted'); END;
CREATE TRIGGER crisis_step_no_update BEFORE UPDATE ON crisis_step
BEGIN SELECT RAISE(ABORT, 'crisis steps are append-only'); END;
CREATE TRIGGER crisis_step_no_delete BEFORE DELETE ON crisis_step
BEGIN SELECT RAISE(ABORT, 'crisis steps are never deleted'); END;
