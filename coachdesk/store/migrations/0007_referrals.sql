-- 0007: referrals (synced, per field) and the disclosure log (synced, append-only).
CREATE TABLE referral (
    id             TEXT PRIMARY KEY,
    origin         TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    participant_id TEXT NOT NULL DEFAULT '',
    resource_id    TEXT NOT NULL DEFAULT '',
    referred_on    TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'suggested',
    follow_up_on   TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX referral_participant ON referral (participant_id, referred_on);
CREATE INDEX referral_follow_up ON referral (follow_up_on);

CREATE TABLE disclosure (
    id             TEXT PRIMARY KEY,
    origin         TEXT NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0,
    participant_id TEXT NOT NULL DEFAULT '',
    consent_id     TEXT NOT NULL DEFAULT '',
    what           TEXT NOT NULL DEFAULT '',
    recipient      TEXT NOT NULL DEFAULT '',
    purpose        TEXT NOT NULL DEFAULT '',
    disclosed_on   TEXT NOT NULL DEFAULT '',
    author         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX disclosure_participant ON disclosure (participant_id, disclosed_on);
CREATE TRIGGER disclosure_no_update BEFORE UPDATE ON disclosure
BEGIN SELECT RAISE(ABORT, 'the disclosure log is append-only'); END;
CREATE TRIGGER disclosure_no_delete BEFORE DELETE ON disclosure
BEGIN SELECT RAISE(ABORT, 'the disclosure log is append-only'); END;
