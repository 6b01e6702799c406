-- 0009: where each text sits in the full-text index (local, derived). FTS5 cannot find
-- rows by an UNINDEXED column without reading every row, so replacing a plan's text or
-- forgetting a note scanned the whole index; this table finds them by an index.
CREATE TABLE search_entry (
    fts_rowid      INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL,
    row_id         TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    note_id        TEXT NOT NULL
);
CREATE INDEX search_entry_row ON search_entry (kind, row_id);
CREATE INDEX search_entry_participant ON search_entry (kind, participant_id);
CREATE INDEX search_entry_note ON search_entry (note_id);
INSERT INTO search_entry (fts_rowid, kind, row_id, participant_id, note_id)
    SELECT rowid, kind, row_id, participant_id, note_id FROM search_text;
