-- 0004: wellness plan revisions (append-only), consents (per field), assessments (append-only).

CREATE TABLE plan_revision (
    id             TEXT PRIMARY KEY,
    origin         TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    participant_id TEXT NOT NULL DEFAULT '',
    parent_id      TEXT NOT NULL DEFAULT '',
    superseded     TEXT NOT NULL DEFAULT '[]',
    plan           TEXT NOT NULL DEFAULT '{}',
    created_at     TEXT NOT NULL DEFAULT '',
    author         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_revision_participant ON plan_revision (participant_id, created_at);
CREATE TRIGGER plan_revision_no_update BEFORE UPDATE ON plan_revision
BEGIN SELECT RAISE(ABORT, 'plan revisions are append-only'); END;
CREATE TRIGGER plan_revision_no_delete BEFORE DELETE ON plan_revision
BEGIN SELECT RAISE(ABORT, 'plan revisions are append-only'); END;

CREATE TABLE consent (
    id             TEXT PRIMARY KEY,
    origin         TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    participant_id TEXT NOT NULL DEFAULT '',
    recipient      TEXT NOT NULL DEFAULT '',
    purpose        TEXT NOT NULL DEFAULT '',
    information    TEXT NOT NULL DEFAULT '',
    signed_on      TEXT NOT NULL DEFAULT '',
    expires_on     TEXT NOT NULL DEFAULT '',
    expiry_event   TEXT NOT NULL DEFAULT '',
    revoked_on     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX consent_participant ON consent (participant_id);

CREATE TABLE assessment (
    id             TEXT PRIMARY KEY,
    origin         TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    participant_id TEXT NOT NULL DEFAULT '',
    instrument     TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 0,
    answers        TEXT NOT NULL DEFAULT '[]',
    total          INTEGER NOT NULL DEFAULT 0,
    taken_on       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX assessment_participant ON assessment (participant_id, instrument, taken_on);
CREATE TRIGGER assessment_no_update BEFORE UPDATE ON assessment
BEGIN SELECT RAISE(ABORT, 'assessments are append-only'); END;
CREATE TRIGGER assessment_no_delete BEFORE DELETE ON assessment
BEGIN SELECT RAISE(ABORT, 'assessments are append-only'); END;
