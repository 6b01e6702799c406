-- 0016: which handoff notes (0015) the coach has seen on this vault. Local: never an op,
-- never synced; a note to this coach not listed here is shown first when they open the
-- person's page.
CREATE TABLE IF NOT EXISTS handoff_seen (
    id      TEXT PRIMARY KEY,              -- the handoff note's id
    seen_at TEXT NOT NULL
) WITHOUT ROWID;
