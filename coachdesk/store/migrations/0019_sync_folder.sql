-- 0019: sync folders (issue 19). Local only, never an op.
-- The bundles this vault imported from a sync folder, by their manifest digest (a bundle
-- that arrives twice, or late, is recognised without opening it again).
CREATE TABLE folder_in (
    bundle TEXT PRIMARY KEY,    -- the header's manifest_sha256
    at     TEXT NOT NULL
) WITHOUT ROWID;
-- The bundles this vault wrote into a sync folder, until every reader acknowledged them.
CREATE TABLE folder_out (
    folder  TEXT NOT NULL,      -- the folder's absolute path
    name    TEXT NOT NULL,      -- cd-<device>-<number>.cdbundle: never a person's name
    readers TEXT NOT NULL,      -- JSON list of device ids
    tops    TEXT NOT NULL,      -- JSON [[origin, scope, sseq], ...]: what acknowledges it
    at      TEXT NOT NULL,
    PRIMARY KEY (folder, name)
) WITHOUT ROWID;
-- Who has written into each folder (their bundles were found there): a folder gets bundles
-- only for them (a star: each coach's folder holds the coach and the hub); a coach writes
-- for the supervisors into a folder where no one wrote yet.
CREATE TABLE folder_peer (
    folder TEXT NOT NULL,
    device TEXT NOT NULL,
    PRIMARY KEY (folder, device)
) WITHOUT ROWID;
