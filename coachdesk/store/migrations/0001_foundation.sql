-- 0001: local state, the op log, derived participant records, audit.

-- Local only: device id, coach, clock state, next op sequence number.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Local only: settings (JSON of coachdesk.config.Settings).
CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Every change to a synced record. Append-only; records are derived from it.
CREATE TABLE ops (
    op_id   TEXT PRIMARY KEY,          -- "<device>:<seq>"
    device  TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    hlc     TEXT NOT NULL,
    tbl     TEXT NOT NULL,
    row_id  TEXT NOT NULL,
    field   TEXT NOT NULL,
    value   TEXT NOT NULL,             -- JSON
    parents TEXT NOT NULL,             -- JSON list of op_ids this op supersedes
    author  TEXT NOT NULL,
    UNIQUE (device, seq)
);
CREATE INDEX ops_field ON ops (tbl, row_id, field);

CREATE TRIGGER ops_no_update BEFORE UPDATE ON ops
BEGIN SELECT RAISE(ABORT, 'ops are append-only'); END;
CREATE TRIGGER ops_no_delete BEFORE DELETE ON ops
BEGIN SELECT RAISE(ABORT, 'ops are append-only'); END;

-- Derived: the current heads of every field (ops no other op names as a parent).
CREATE TABLE field_head (
    tbl    TEXT NOT NULL,
    row_id TEXT NOT NULL,
    field  TEXT NOT NULL,
    op_id  TEXT NOT NULL,
    hlc    TEXT NOT NULL,
    PRIMARY KEY (tbl, row_id, field, op_id)
) WITHOUT ROWID;

-- Derived: fields with more than one head, waiting for a person to choose.
CREATE TABLE conflict (
    tbl    TEXT NOT NULL,
    row_id TEXT NOT NULL,
    field  TEXT NOT NULL,
    PRIMARY KEY (tbl, row_id, field)
) WITHOUT ROWID;

-- Derived record: participant.
CREATE TABLE participant (
    id              TEXT PRIMARY KEY,
    origin          TEXT NOT NULL,
    deleted         INTEGER NOT NULL DEFAULT 0,
    alias           TEXT NOT NULL DEFAULT '',
    pronouns        TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL DEFAULT 'person_in_recovery',
    adult_confirmed INTEGER NOT NULL DEFAULT 0,
    pathway         TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'active',
    intake_date     TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    safety_flags    TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX participant_status ON participant (status, alias COLLATE NOCASE);

-- Append-only, hash-chained record of who did what, and when.
CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    device    TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    tbl       TEXT NOT NULL DEFAULT '',
    row_id    TEXT NOT NULL DEFAULT '',
    detail    TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
