-- 0002: sync by export bundles (local only, never synced).

-- What each peer device is known to hold: for every origin device, the highest seq
-- up to which the peer holds every op (learned from the sender_vv of its bundles).
CREATE TABLE peer_vv (
    peer   TEXT NOT NULL,
    origin TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    PRIMARY KEY (peer, origin)
) WITHOUT ROWID;

-- Peers learned from imported bundles: device id -> coach name (for `export --peer`).
CREATE TABLE peer (
    device      TEXT PRIMARY KEY,
    coach       TEXT NOT NULL,
    last_import TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
