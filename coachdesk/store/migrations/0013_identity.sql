-- 0013: team identities. Both tables are local: never ops, never in a bundle's op log.

-- This vault's private keys (X25519 for what is addressed to it, Ed25519 for what it
-- signs), one row per device id: a copied vault that takes a new device id gets new keys.
-- Inside the encrypted vault only, never in another file.
CREATE TABLE IF NOT EXISTS device_key (
    device      TEXT PRIMARY KEY,
    enc_private BLOB NOT NULL,
    sign_private BLOB NOT NULL,
    created     TEXT NOT NULL
) WITHOUT ROWID;

-- Every valid team file this vault accepted, newest version = the team now.
-- body: the canonical JSON that was signed; signature: Ed25519 by `signer` (hex).
CREATE TABLE IF NOT EXISTS team_file (
    team_id   TEXT NOT NULL,
    version   INTEGER NOT NULL,
    body      TEXT NOT NULL,
    signer    TEXT NOT NULL,
    signature TEXT NOT NULL,
    accepted  TEXT NOT NULL,
    PRIMARY KEY (team_id, version)
) WITHOUT ROWID;
