-- 0011: local drafts of a wellness plan and of an addendum, as note_draft (0005) is for
-- note bodies: the text as last autosaved, inside the encrypted vault, never an op and
-- never synced. Saving (a plan revision, an addendum) or discarding removes the draft.

-- One a participant: the plan text being edited from revision parent_id ('' = a first plan).
CREATE TABLE IF NOT EXISTS plan_draft (
    participant_id TEXT PRIMARY KEY,
    parent_id      TEXT NOT NULL DEFAULT '',
    body           TEXT NOT NULL,
    saved_at       TEXT NOT NULL
) WITHOUT ROWID;

-- One a finalized note: the addendum being written for it.
CREATE TABLE IF NOT EXISTS addendum_draft (
    note_id  TEXT PRIMARY KEY,
    body     TEXT NOT NULL,
    saved_at TEXT NOT NULL
) WITHOUT ROWID;
