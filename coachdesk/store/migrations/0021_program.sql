-- 0021: program and funder data (issue 22). Synced records (derived from ops), each the
-- person's (scope: the participant's id):
--   recovery_support   one a person (its id is the person's), synced field by field
--   program_episode    an enrolment: intake or re-enrolment to discharge
--   funder_interview   a funder interview recorded done or missed, with its date and reason
CREATE TABLE recovery_support (
    id                TEXT PRIMARY KEY,
    origin            TEXT NOT NULL,
    deleted           INTEGER NOT NULL DEFAULT 0,
    pathways          TEXT NOT NULL DEFAULT '[]',
    referral_reason   TEXT NOT NULL DEFAULT '',
    engagement        TEXT NOT NULL DEFAULT '',
    engagement_on     TEXT NOT NULL DEFAULT '',
    engagement_reason TEXT NOT NULL DEFAULT '',
    no_shows          INTEGER NOT NULL DEFAULT 0,
    naloxone_given    INTEGER NOT NULL DEFAULT 0,
    ed_visits         INTEGER NOT NULL DEFAULT 0,
    living_situation  TEXT NOT NULL DEFAULT '',
    supports          INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE program_episode (
    id             TEXT PRIMARY KEY,
    origin         TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    participant_id TEXT NOT NULL DEFAULT '',
    started_on     TEXT NOT NULL DEFAULT '',
    ended_on       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX program_episode_person ON program_episode (participant_id, started_on);

CREATE TABLE funder_interview (
    id             TEXT PRIMARY KEY,
    origin         TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    participant_id TEXT NOT NULL DEFAULT '',
    funder         TEXT NOT NULL DEFAULT '',
    episode_start  TEXT NOT NULL DEFAULT '',
    interview      TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT '',
    on_date        TEXT NOT NULL DEFAULT '',
    reason         TEXT NOT NULL DEFAULT '',
    recorded_at    TEXT NOT NULL DEFAULT '',
    author         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX funder_interview_person ON funder_interview (participant_id, episode_start);
