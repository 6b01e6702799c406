-- 0018: non-clinical supervision (issue 18). Synced records (derived from ops):
--   review_entry          append-only, under a finalized note (scope: the note's person)
--   supervision_session   one per coach and session            (scope: '@<coach device>')
--   supervision_item      what a session leaves the coach      (scope: '@<coach device>')
--   training_entry        the coach's ledger                   (scope: '@<coach device>')
--   selfcare_share        a self-care summary the coach shared (scope: '@<coach device>')
-- Local only (never an op, never in a bundle): selfcare_checkin.
CREATE TABLE review_entry (
    id      TEXT PRIMARY KEY,
    origin  TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    note_id TEXT NOT NULL DEFAULT '',
    kind    TEXT NOT NULL DEFAULT '',
    text    TEXT NOT NULL DEFAULT '',
    at      TEXT NOT NULL DEFAULT '',
    by      TEXT NOT NULL DEFAULT '',
    author  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX review_entry_note ON review_entry (note_id, at);
CREATE TRIGGER review_entry_no_update BEFORE UPDATE ON review_entry
WHEN NOT EXISTS (SELECT 1 FROM deriving)
BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;
CREATE TRIGGER review_entry_no_delete BEFORE DELETE ON review_entry
WHEN NOT EXISTS (SELECT 1 FROM purging)
BEGIN SELECT RAISE(ABORT, 'reviews are never deleted'); END;

CREATE TABLE supervision_session (
    id           TEXT PRIMARY KEY,
    origin       TEXT NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0,
    coach        TEXT NOT NULL DEFAULT '',
    held_on      TEXT NOT NULL DEFAULT '',
    minutes      INTEGER NOT NULL DEFAULT 0,
    format       TEXT NOT NULL DEFAULT 'individual',
    group_id     TEXT NOT NULL DEFAULT '',
    topics       TEXT NOT NULL DEFAULT '[]',
    private_note TEXT NOT NULL DEFAULT '',
    author       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX supervision_session_coach ON supervision_session (coach, held_on);

CREATE TABLE supervision_item (
    id         TEXT PRIMARY KEY,
    origin     TEXT NOT NULL,
    deleted    INTEGER NOT NULL DEFAULT 0,
    coach      TEXT NOT NULL DEFAULT '',
    session_id TEXT NOT NULL DEFAULT '',
    text       TEXT NOT NULL DEFAULT '',
    due        TEXT NOT NULL DEFAULT '',
    done_at    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX supervision_item_coach ON supervision_item (coach, done_at);

CREATE TABLE training_entry (
    id       TEXT PRIMARY KEY,
    origin   TEXT NOT NULL,
    deleted  INTEGER NOT NULL DEFAULT 0,
    coach    TEXT NOT NULL DEFAULT '',
    taken_on TEXT NOT NULL DEFAULT '',
    title    TEXT NOT NULL DEFAULT '',
    provider TEXT NOT NULL DEFAULT '',
    hours    REAL NOT NULL DEFAULT 0,
    domain   TEXT NOT NULL DEFAULT '',
    kind     TEXT NOT NULL DEFAULT 'training'
);
CREATE INDEX training_entry_coach ON training_entry (coach, taken_on);

CREATE TABLE selfcare_share (
    id         TEXT PRIMARY KEY,
    origin     TEXT NOT NULL,
    deleted    INTEGER NOT NULL DEFAULT 0,
    coach      TEXT NOT NULL DEFAULT '',
    session_id TEXT NOT NULL DEFAULT '',
    summary    TEXT NOT NULL DEFAULT '',
    shared_on  TEXT NOT NULL DEFAULT ''
);

-- Local only: the coach's own self-care check-ins (answers as JSON, a line of text).
CREATE TABLE IF NOT EXISTS selfcare_checkin (
    id       TEXT PRIMARY KEY,
    taken_at TEXT NOT NULL,
    answers  TEXT NOT NULL,
    note     TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
