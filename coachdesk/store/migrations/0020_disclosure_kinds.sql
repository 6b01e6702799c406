-- 0020: what a disclosure carries (issue 20).
-- A consent names the kinds of information it covers (assets/consent/kinds.toml), as a
-- JSON list of ids; a consent saved before this covers none until the coach picks them.
ALTER TABLE consent ADD COLUMN kinds TEXT NOT NULL DEFAULT '[]';
-- A referral carries what its warm-handoff packet says: why, and how the person likes to
-- be reached (whether a message may be left, the best time).
ALTER TABLE referral ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE referral ADD COLUMN message_ok TEXT NOT NULL DEFAULT '';
ALTER TABLE referral ADD COLUMN best_time TEXT NOT NULL DEFAULT '';
