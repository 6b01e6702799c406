-- 0006: the offline resource directory (synced, per field).
CREATE TABLE resource (
    id            TEXT PRIMARY KEY,
    origin        TEXT NOT NULL,
    deleted       INTEGER NOT NULL DEFAULT 0,
    name          TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL DEFAULT 'other',
    address       TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    hours         TEXT NOT NULL DEFAULT '',
    eligibility   TEXT NOT NULL DEFAULT '',
    languages     TEXT NOT NULL DEFAULT '',
    last_verified TEXT NOT NULL DEFAULT ''
);
CREATE INDEX resource_kind_name ON resource (kind, name COLLATE NOCASE);
