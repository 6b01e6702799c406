-- Two records of one person, merged (issue 22). `person_merge` is synced, append-only and
-- team-wide (ids only, like the caseload): every vault knows every merge. `merged_person`
-- is local and derived from it (store/people.py): each merged-away id and the person it
-- now is, worked out the same way on every vault, so reads of a person take both
-- histories and the roster shows one row.
CREATE TABLE person_merge (
    id        TEXT PRIMARY KEY,
    origin    TEXT NOT NULL,
    deleted   INTEGER NOT NULL DEFAULT 0,
    merged_id TEXT NOT NULL DEFAULT '',
    into_id   TEXT NOT NULL DEFAULT '',
    reason    TEXT NOT NULL DEFAULT '',
    at        TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER person_merge_no_update BEFORE UPDATE ON person_merge
WHEN NOT EXISTS (SELECT 1 FROM deriving)
BEGIN SELECT RAISE(ABORT, 'merges are append-only'); END;
CREATE TRIGGER person_merge_no_delete BEFORE DELETE ON person_merge
WHEN NOT EXISTS (SELECT 1 FROM purging)
BEGIN SELECT RAISE(ABORT, 'merges are never deleted'); END;

CREATE TABLE merged_person (
    id     TEXT PRIMARY KEY,
    person TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX merged_person_by_person ON merged_person (person);

-- The roster's view shows people, not merged-away records.
DROP VIEW participant_card;
CREATE VIEW participant_card AS
SELECT p.*, coalesce(c.primary_coach, '') AS primary_coach,
       coalesce(c.secondary_coach, '') AS secondary_coach
FROM participant p LEFT JOIN caseload c ON c.id = p.id AND c.deleted = 0
WHERE p.id NOT IN (SELECT id FROM merged_person);
