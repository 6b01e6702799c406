-- 0015: caseloads (issue 17). Each person's primary and secondary coach are team members'
-- device ids ('' primary = whoever added the person, the record's origin); a person's
-- matching preferences; each coach's profile of lived experience and skills; handoff
-- notes written when a supervisor transfers a person. All synced (derived from ops).
ALTER TABLE participant ADD COLUMN primary_coach TEXT NOT NULL DEFAULT '';
ALTER TABLE participant ADD COLUMN secondary_coach TEXT NOT NULL DEFAULT '';
ALTER TABLE participant ADD COLUMN preferences TEXT NOT NULL DEFAULT '[]';
-- Should the op log already hold such fields (ops from a newer peer), derive them here.
UPDATE participant SET
    primary_coach = coalesce((SELECT json_extract(o.value, '$') FROM field_head h
        JOIN ops o ON o.op_id = h.op_id WHERE h.tbl = 'participant' AND h.row_id = participant.id
        AND h.field = 'primary_coach' ORDER BY h.hlc DESC, h.op_id DESC LIMIT 1), ''),
    secondary_coach = coalesce((SELECT json_extract(o.value, '$') FROM field_head h
        JOIN ops o ON o.op_id = h.op_id WHERE h.tbl = 'participant' AND h.row_id = participant.id
        AND h.field = 'secondary_coach' ORDER BY h.hlc DESC, h.op_id DESC LIMIT 1), ''),
    preferences = coalesce((SELECT o.value FROM field_head h
        JOIN ops o ON o.op_id = h.op_id WHERE h.tbl = 'participant' AND h.row_id = participant.id
        AND h.field = 'preferences' ORDER BY h.hlc DESC, h.op_id DESC LIMIT 1), '[]');

CREATE TABLE coach_profile (
    id      TEXT PRIMARY KEY,              -- the coach's device id
    origin  TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    tags    TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE handoff (
    id             TEXT PRIMARY KEY,
    origin         TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    participant_id TEXT NOT NULL DEFAULT '',
    from_coach     TEXT NOT NULL DEFAULT '',
    to_coach       TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    at             TEXT NOT NULL DEFAULT ''
);
CREATE INDEX handoff_participant ON handoff (participant_id, at);
CREATE TRIGGER handoff_no_update BEFORE UPDATE ON handoff
WHEN NOT EXISTS (SELECT 1 FROM deriving)
BEGIN SELECT RAISE(ABORT, 'handoff notes are append-only'); END;
CREATE TRIGGER handoff_no_delete BEFORE DELETE ON handoff
BEGIN SELECT RAISE(ABORT, 'handoff notes are never deleted'); END;
