-- 0014: authorship. Each device's ops form a hash chain (store/chain.py):
--   chain = SHA-256("coachdesk op chain v1\n" || prev || canonical(op)), prev = the chain of the
--   same device's op seq-1 (32 zero bytes for seq 1), both kept as lowercase hex.
-- The device signs its chain head; a relayed op is checked against its origin's signature.
ALTER TABLE ops ADD COLUMN prev TEXT NOT NULL DEFAULT '';
ALTER TABLE ops ADD COLUMN chain TEXT NOT NULL DEFAULT '';

-- Ops written before this migration have no chain yet: store/chain.backfill computes it at
-- the next unlock (and again where a gap in a device's ops has since been filled). That is
-- the only update an op ever takes: prev and chain, once, while chain is still ''.
DROP TRIGGER IF EXISTS ops_no_update;
CREATE TRIGGER ops_no_update BEFORE UPDATE ON ops
WHEN old.chain != ''
  OR (new.op_id, new.device, new.seq, new.hlc, new.tbl, new.row_id, new.field, new.value,
      new.parents, new.author) IS NOT
     (old.op_id, old.device, old.seq, old.hlc, old.tbl, old.row_id, old.field, old.value,
      old.parents, old.author)
BEGIN SELECT RAISE(ABORT, 'ops are append-only'); END;

-- The ops still without a chain (none, once backfilled): found without a scan.
CREATE INDEX ops_unchained ON ops (device, seq) WHERE chain = '';

-- Signed chain heads, this device's own and those received: device signed (seq, chain)
-- with its Ed25519 key. Local; a bundle carries the ones its reader needs.
CREATE TABLE chain_head (
    device    TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    chain     TEXT NOT NULL,
    signature TEXT NOT NULL,   -- hex
    PRIMARY KEY (device, seq)
) WITHOUT ROWID;
