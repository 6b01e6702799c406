-- 0017: caseload scope (issue 17). Each op has a scope (store/scope.py): a person's id, '' for
-- team-wide records, '@<device>' for a record about no person. A vault holds only the scopes
-- it may (a coach: its own people), so each device's ops form one hash chain PER SCOPE:
--   sseq  = the op's number among its device's ops of that scope (1, 2, 3, ...)
--   prev  = the chain of the same device's op of the same scope at sseq - 1
--   chain = SHA-256("coachdesk op chain v2\n" || prev || canonical(op incl. scope, sseq))
-- Version vectors count per (origin device, scope). Nothing with the v1 chain was released:
-- chains are computed again at the next unlock (store/chain.backfill) and heads re-signed.

DROP TRIGGER IF EXISTS ops_no_update;
DROP TRIGGER IF EXISTS ops_no_delete;
ALTER TABLE ops ADD COLUMN scope TEXT NOT NULL DEFAULT '';
ALTER TABLE ops ADD COLUMN sseq INTEGER NOT NULL DEFAULT 0;

-- Who coaches whom moves out of the person's record into a team-wide one: every member
-- holds it (ids only), so each vault works out the same scopes.
CREATE TABLE caseload (
    id              TEXT PRIMARY KEY,      -- the participant's id
    origin          TEXT NOT NULL,
    deleted         INTEGER NOT NULL DEFAULT 0,
    primary_coach   TEXT NOT NULL DEFAULT '',
    secondary_coach TEXT NOT NULL DEFAULT ''
);
UPDATE ops SET tbl = 'caseload' WHERE tbl = 'participant' AND field IN ('primary_coach', 'secondary_coach');
UPDATE field_head SET tbl = 'caseload' WHERE tbl = 'participant' AND field IN ('primary_coach', 'secondary_coach');
UPDATE conflict SET tbl = 'caseload' WHERE tbl = 'participant' AND field IN ('primary_coach', 'secondary_coach');
INSERT INTO caseload (id, origin, primary_coach, secondary_coach)
SELECT p.id, (SELECT device FROM ops WHERE tbl = 'caseload' AND row_id = p.id ORDER BY hlc, op_id LIMIT 1),
       p.primary_coach, p.secondary_coach
FROM participant p WHERE EXISTS (SELECT 1 FROM ops WHERE tbl = 'caseload' AND row_id = p.id);
ALTER TABLE participant DROP COLUMN primary_coach;
ALTER TABLE participant DROP COLUMN secondary_coach;

-- Each op's scope, from the records it belongs to.
UPDATE ops SET scope = row_id WHERE tbl = 'participant';
UPDATE ops SET scope = coalesce((SELECT CASE WHEN r.participant_id != '' THEN r.participant_id
    ELSE '@' || r.origin END FROM plan_revision r WHERE r.id = ops.row_id), '@' || ops.device) WHERE tbl = 'plan_revision';
UPDATE ops SET scope = coalesce((SELECT CASE WHEN r.participant_id != '' THEN r.participant_id
    ELSE '@' || r.origin END FROM consent r WHERE r.id = ops.row_id), '@' || ops.device) WHERE tbl = 'consent';
UPDATE ops SET scope = coalesce((SELECT CASE WHEN r.participant_id != '' THEN r.participant_id
    ELSE '@' || r.origin END FROM assessment r WHERE r.id = ops.row_id), '@' || ops.device) WHERE tbl = 'assessment';
UPDATE ops SET scope = coalesce((SELECT CASE WHEN r.participant_id != '' THEN r.participant_id
    ELSE '@' || r.origin END FROM crisis_event r WHERE r.id = ops.row_id), '@' || ops.device) WHERE tbl = 'crisis_event';
UPDATE ops SET scope = coalesce((SELECT CASE WHEN r.participant_id != '' THEN r.participant_id
    ELSE '@' || r.origin END FROM referral r WHERE r.id = ops.row_id), '@' || ops.device) WHERE tbl = 'referral';
UPDATE ops SET scope = coalesce((SELECT CASE WHEN r.participant_id != '' THEN r.participant_id
    ELSE '@' || r.origin END FROM disclosure r WHERE r.id = ops.row_id), '@' || ops.device) WHERE tbl = 'disclosure';
UPDATE ops SET scope = coalesce((SELECT CASE WHEN r.participant_id != '' THEN r.participant_id
    ELSE '@' || r.origin END FROM note r WHERE r.id = ops.row_id), '@' || ops.device) WHERE tbl = 'note';
UPDATE ops SET scope = coalesce((SELECT CASE WHEN r.participant_id != '' THEN r.participant_id
    ELSE '@' || r.origin END FROM action_item r WHERE r.id = ops.row_id), '@' || ops.device) WHERE tbl = 'action_item';
UPDATE ops SET scope = coalesce((SELECT CASE WHEN r.participant_id != '' THEN r.participant_id
    ELSE '@' || r.origin END FROM checkin_schedule r WHERE r.id = ops.row_id), '@' || ops.device) WHERE tbl = 'checkin_schedule';
UPDATE ops SET scope = coalesce((SELECT CASE WHEN r.participant_id != '' THEN r.participant_id
    ELSE '@' || r.origin END FROM checkin_attempt r WHERE r.id = ops.row_id), '@' || ops.device) WHERE tbl = 'checkin_attempt';
UPDATE ops SET scope = coalesce((SELECT CASE WHEN r.participant_id != '' THEN r.participant_id
    ELSE '@' || r.origin END FROM handoff r WHERE r.id = ops.row_id), '@' || ops.device) WHERE tbl = 'handoff';
UPDATE ops SET scope = coalesce((SELECT CASE WHEN p.participant_id != '' THEN p.participant_id
    ELSE '@' || p.origin END FROM addendum r JOIN note p ON p.id = r.note_id WHERE r.id = ops.row_id),
    (SELECT '@' || r.origin FROM addendum r WHERE r.id = ops.row_id), '@' || ops.device) WHERE tbl = 'addendum';
UPDATE ops SET scope = coalesce((SELECT CASE WHEN p.participant_id != '' THEN p.participant_id
    ELSE '@' || p.origin END FROM crisis_step r JOIN crisis_event p ON p.id = r.event_id WHERE r.id = ops.row_id),
    (SELECT '@' || r.origin FROM crisis_step r WHERE r.id = ops.row_id), '@' || ops.device) WHERE tbl = 'crisis_step';

CREATE TEMP TABLE scope_number (op_id TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO temp.scope_number SELECT op_id, row_number() OVER (PARTITION BY device, scope ORDER BY seq) FROM ops;
UPDATE ops SET sseq = (SELECT n FROM temp.scope_number s WHERE s.op_id = ops.op_id), prev = '', chain = '';
DROP TABLE temp.scope_number;
DROP TABLE chain_head;
CREATE TABLE chain_head (
    device    TEXT NOT NULL,
    scope     TEXT NOT NULL,
    sseq      INTEGER NOT NULL,
    seq       INTEGER NOT NULL,
    chain     TEXT NOT NULL,
    signature TEXT NOT NULL,   -- hex
    PRIMARY KEY (device, scope, sseq)
) WITHOUT ROWID;
DELETE FROM meta WHERE key IN ('chain_head', 'held_prefix');
CREATE UNIQUE INDEX ops_scope ON ops (scope, device, sseq);
DROP INDEX IF EXISTS ops_unchained;
CREATE INDEX ops_unchained ON ops (device, scope, sseq) WHERE chain = '';

CREATE TRIGGER ops_no_update BEFORE UPDATE ON ops
WHEN old.chain != ''
  OR (new.op_id, new.device, new.seq, new.hlc, new.tbl, new.row_id, new.field, new.value,
      new.parents, new.author, new.scope, new.sseq) IS NOT
     (old.op_id, old.device, old.seq, old.hlc, old.tbl, old.row_id, old.field, old.value,
      old.parents, old.author, old.scope, old.sseq)
BEGIN SELECT RAISE(ABORT, 'ops are append-only'); END;

-- A person who leaves this vault's scope is removed from it (sync/scope_purge.py): only
-- then, with this flag set in that transaction, may ops and append-only rows be deleted.
CREATE TABLE purging (flag INTEGER PRIMARY KEY);
CREATE TRIGGER ops_no_delete BEFORE DELETE ON ops
WHEN NOT EXISTS (SELECT 1 FROM purging)
BEGIN SELECT RAISE(ABORT, 'ops are append-only'); END;
DROP TRIGGER IF EXISTS plan_revision_no_delete;
CREATE TRIGGER plan_revision_no_delete BEFORE DELETE ON plan_revision
WHEN NOT EXISTS (SELECT 1 FROM purging)
BEGIN SELECT RAISE(ABORT, 'plan revisions are append-only'); END;
DROP TRIGGER IF EXISTS assessment_no_delete;
CREATE TRIGGER assessment_no_delete BEFORE DELETE ON assessment
WHEN NOT EXISTS (SELECT 1 FROM purging)
BEGIN SELECT RAISE(ABORT, 'assessments are append-only'); END;
DROP TRIGGER IF EXISTS crisis_event_no_delete;
CREATE TRIGGER crisis_event_no_delete BEFORE DELETE ON crisis_event
WHEN NOT EXISTS (SELECT 1 FROM purging)
BEGIN SELECT RAISE(ABORT, 'crisis events are never deleted'); END;
DROP TRIGGER IF EXISTS crisis_step_no_delete;
CREATE TRIGGER crisis_step_no_delete BEFORE DELETE ON crisis_step
WHEN NOT EXISTS (SELECT 1 FROM purging)
BEGIN SELECT RAISE(ABORT, 'crisis steps are never deleted'); END;
DROP TRIGGER IF EXISTS disclosure_no_delete;
CREATE TRIGGER disclosure_no_delete BEFORE DELETE ON disclosure
WHEN NOT EXISTS (SELECT 1 FROM purging)
BEGIN SELECT RAISE(ABORT, 'the disclosure log is append-only'); END;
DROP TRIGGER IF EXISTS addendum_no_delete;
CREATE TRIGGER addendum_no_delete BEFORE DELETE ON addendum
WHEN NOT EXISTS (SELECT 1 FROM purging)
BEGIN SELECT RAISE(ABORT, 'addenda are never deleted'); END;
DROP TRIGGER IF EXISTS checkin_attempt_no_delete;
CREATE TRIGGER checkin_attempt_no_delete BEFORE DELETE ON checkin_attempt
WHEN NOT EXISTS (SELECT 1 FROM purging)
BEGIN SELECT RAISE(ABORT, 'outreach attempts are never deleted'); END;
DROP TRIGGER IF EXISTS handoff_no_delete;
CREATE TRIGGER handoff_no_delete BEFORE DELETE ON handoff
WHEN NOT EXISTS (SELECT 1 FROM purging)
BEGIN SELECT RAISE(ABORT, 'handoff notes are never deleted'); END;

-- This vault's own ops that are about a person no longer in its scope and that no
-- supervisor holds yet: kept (never shown, never searched) until a supervisor has them.
CREATE TABLE ops_outbox (
    op_id   TEXT PRIMARY KEY,
    device  TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    hlc     TEXT NOT NULL,
    tbl     TEXT NOT NULL,
    row_id  TEXT NOT NULL,
    field   TEXT NOT NULL,
    value   TEXT NOT NULL,
    parents TEXT NOT NULL,
    author  TEXT NOT NULL,
    prev    TEXT NOT NULL,
    chain   TEXT NOT NULL,
    scope   TEXT NOT NULL,
    sseq    INTEGER NOT NULL
);
CREATE INDEX ops_outbox_scope ON ops_outbox (scope, device, sseq);

-- Local, derived: per (origin device, scope) the highest sseq up to which this vault
-- holds every op (a prefix, kept up to date by writes and imports).
CREATE TABLE held (
    device TEXT NOT NULL,
    scope  TEXT NOT NULL,
    sseq   INTEGER NOT NULL,
    PRIMARY KEY (device, scope)
) WITHOUT ROWID;
INSERT INTO held SELECT device, scope, max(sseq) FROM ops GROUP BY device, scope;

-- Local: this device's newest op per scope (kept when a person's ops are removed, so
-- its numbering and chain go on where they were).
CREATE TABLE own_scope (
    scope TEXT PRIMARY KEY,
    sseq  INTEGER NOT NULL,
    seq   INTEGER NOT NULL,
    chain TEXT NOT NULL        -- '' until store/chain.backfill has run
) WITHOUT ROWID;
INSERT INTO own_scope SELECT scope, max(sseq), max(seq), '' FROM ops
WHERE device = (SELECT value FROM meta WHERE key = 'device') GROUP BY scope;

-- What each peer is known to hold, per (origin, scope).
DROP TABLE peer_vv;
CREATE TABLE peer_vv (
    peer   TEXT NOT NULL,
    origin TEXT NOT NULL,
    scope  TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    PRIMARY KEY (peer, origin, scope)
) WITHOUT ROWID;

-- Local: the scopes this vault last sent each coach's vault. A scope that enters a coach's
-- reach goes to it in full (it may have removed that person earlier); one that leaves is
-- forgotten from what the coach is known to hold.
CREATE TABLE peer_reach (
    peer  TEXT NOT NULL,
    scope TEXT NOT NULL,
    PRIMARY KEY (peer, scope)
) WITHOUT ROWID;

-- A person's card with their coaches ('' primary: whoever added them).
CREATE VIEW participant_card AS
SELECT p.*, coalesce(c.primary_coach, '') AS primary_coach,
       coalesce(c.secondary_coach, '') AS secondary_coach
FROM participant p LEFT JOIN caseload c ON c.id = p.id AND c.deleted = 0;
