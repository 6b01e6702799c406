-- 0005: session notes (per field), addenda (append-only), action items (per field),
-- local-only draft bodies, and a local-only full-text index (derived, rebuildable).

CREATE TABLE note (
    id             TEXT PRIMARY KEY,
    origin         TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    participant_id TEXT NOT NULL DEFAULT '',
    occurred_at    TEXT NOT NULL DEFAULT '',
    duration_min   INTEGER NOT NULL DEFAULT 0,
    setting        TEXT NOT NULL DEFAULT '',
    contact_type   TEXT NOT NULL DEFAULT '',
    read_back      INTEGER NOT NULL DEFAULT 0,
    template       TEXT NOT NULL DEFAULT '',
    body           TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'draft',
    finalized_at   TEXT NOT NULL DEFAULT '',
    author         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX note_participant ON note (participant_id, occurred_at);

-- A finalized note never changes: its content fields refuse any new value once set.
-- (Deleting it, a tombstone, stays possible; a value set from empty is the same note
-- arriving field by field from a peer's bundle.)
CREATE TRIGGER note_final_is_immutable BEFORE UPDATE ON note
WHEN OLD.status = 'final' AND (
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

CREATE TABLE addendum (
    id      TEXT PRIMARY KEY,
    origin  TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    note_id TEXT NOT NULL DEFAULT '',
    body    TEXT NOT NULL DEFAULT '',
    at      TEXT NOT NULL DEFAULT '',
    author  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX addendum_note ON addendum (note_id, at);
CREATE TRIGGER addendum_no_update BEFORE UPDATE ON addendum
BEGIN SELECT RAISE(ABORT, 'addenda are append-only'); END;
CREATE TRIGGER addendum_no_delete BEFORE DELETE ON addendum
BEGIN SELECT RAISE(ABORT, 'addenda are never deleted'); END;

CREATE TABLE action_item (
    id             TEXT PRIMARY KEY,
    origin         TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    participant_id TEXT NOT NULL DEFAULT '',
    note_id        TEXT NOT NULL DEFAULT '',
    text           TEXT NOT NULL DEFAULT '',
    owner          TEXT NOT NULL DEFAULT 'coach',
    due            TEXT NOT NULL DEFAULT '',
    done_at        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX action_item_due ON action_item (done_at, due);
CREATE INDEX action_item_participant ON action_item (participant_id);

-- Local only (never an op, never synced): the body of a draft as last autosaved.
CREATE TABLE note_draft (
    note_id  TEXT PRIMARY KEY,
    body     TEXT NOT NULL,
    saved_at TEXT NOT NULL
) WITHOUT ROWID;

-- Local only, derived: full-text index of finalized note bodies, addenda and plan text.
CREATE VIRTUAL TABLE search_text USING fts5 (
    text,
    kind UNINDEXED,
    row_id UNINDEXED,
    participant_id UNINDEXED,
    note_id UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
