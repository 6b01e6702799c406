"""The bundle's op digest is the same bytes for every Python (and SQLite) version."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3
from hypothesis import given, settings
from hypothesis import strategies as st

from coachdesk.errors import CoachdeskError
from coachdesk.store import participants
from coachdesk.store.db import open_keyed, passphrase_key
from coachdesk.sync import bundle, merge, service
from tests.conftest import person
from tests.sync.syncutil import everything, forge, make_vaults

SHAKING = "\U0001fae8"  # SHAKING FACE, Unicode 15: Python 3.11 repr() escapes it, 3.12 does not
# Rows in Op.COLUMNS order: op_id, device, seq, hlc, tbl, row_id, field, value, parents, author,
# scope, sseq.
VECTOR = [
    ("d\U0001f600:1", "d\U0001f600", 1, "0000001767225600.000000" + SHAKING, "participant\U00010348",
     "row\U0001f331", "alias", json.dumps(f"Jo {SHAKING}", ensure_ascii=False), "[]",
     f"Coach {SHAKING}", "row\U0001f331", 1),
    ("d\U0001f600:2", "d\U0001f600", 2, "0000001767225601.000000", "participant", "row\U0001f331",
     "coach\U0001d11e", json.dumps(f"Sam {SHAKING} \U0001f9d1\u200d\U0001f33e", ensure_ascii=False),
     json.dumps(["d\U0001f600:1"], ensure_ascii=False), f"Sam {SHAKING}", "row\U0001f331", 2),
    ("e:9223372036854775807", "e", 9223372036854775807, "0", "", "", "", "null", "[]", "",
     "@e", 9223372036854775807),
]
VECTOR_SHA256 = "8a4f9a1d5bd4ba3fd64f11e7daf97f5809062ca3613fa3f6c5919798120362ab"


def canonical(row: tuple[object, ...]) -> bytes:
    """The format, written out: N = NULL, I<decimal>; = integer, S<bytes>:<UTF-8> = text."""
    out = b""
    for value in row:
        if value is None:
            out += b"N"
        elif isinstance(value, int):
            out += b"I%d;" % value
        else:
            data = str(value).encode("utf-8")
            out += b"S%d:" % len(data) + data
    return out


@pytest.fixture
def conn() -> Iterator[sqlcipher3.Connection]:
    conn = sqlcipher3.connect(":memory:")
    conn.execute("ATTACH DATABASE ':memory:' AS bundle")
    for ddl in bundle._TABLES:
        conn.execute(ddl)
    yield conn
    conn.close()


def digest_of(conn: sqlcipher3.Connection, rows: list[tuple[object, ...]]) -> tuple[int, str]:
    conn.execute("DELETE FROM bundle.ops")
    conn.executemany(f"INSERT INTO bundle.ops ({bundle.Op.COLUMNS}, prev, chain) "
                     f"VALUES ({', '.join('?' * 12)}, '', '')", rows)
    return bundle._digest_ops(conn)


def test_the_fixed_vector_has_its_fixed_digest(conn: sqlcipher3.Connection) -> None:
    assert digest_of(conn, VECTOR) == (3, VECTOR_SHA256)
    ordered = sorted(VECTOR)  # op_id order
    assert hashlib.sha256(b"".join(map(canonical, ordered))).hexdigest() == VECTOR_SHA256


def test_null_integer_and_text_never_collide(conn: sqlcipher3.Connection) -> None:
    conn.execute("DROP TABLE bundle.ops")  # no NOT NULL: the format still says what NULL is
    conn.execute(f"CREATE TABLE bundle.ops ({bundle.Op.WIRE_COLUMNS})")
    base = list(VECTOR[2])
    digests = set()
    for author in (None, 7, "7", "", "N", "I7;"):
        digests.add(digest_of(conn, [(*base[:9], author, *base[10:])])[1])
    assert len(digests) == 6


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(text, text, st.integers(-2**63, 2**63 - 1), text, text, text, text,
                          text, text, text, text, st.integers(1, 2**63 - 1)), max_size=5,
                unique_by=lambda r: r[0]))
def test_sql_encoding_matches_the_written_format(rows: list[tuple[object, ...]]) -> None:
    conn = sqlcipher3.connect(":memory:")
    try:
        conn.execute("ATTACH DATABASE ':memory:' AS bundle")
        for ddl in bundle._TABLES:
            conn.execute(ddl)
        ordered = sorted(rows, key=lambda r: str(r[0]).encode("utf-8"))  # SQLite's BINARY order
        expected = hashlib.sha256(b"".join(map(canonical, ordered))).hexdigest()
        assert digest_of(conn, rows) == (len(rows), expected)
    finally:
        conn.close()


def test_a_bundle_of_the_older_format_is_refused_with_one_line(tmp_path: Path) -> None:
    a, b = make_vaults(tmp_path, "ann", "bob")
    try:
        participants.create(a, person(f"Jo {SHAKING}"))
        path = service.export_bundle(a, tmp_path / "old.cdbundle").path
        forge(path, "PRAGMA user_version = 1", manifest=False)
        before = everything(b)
        with pytest.raises(CoachdeskError, match="written by an older coachdesk .bundle format 1.: "
                                                 "the sender should update coachdesk"):
            merge.import_bundle(b, path)
        assert everything(b) == before
        # A bundle made with the shared team sync key (before identities): one clear line.
        shared_key = tmp_path / "shared-key.cdbundle"
        raw = open_keyed(shared_key, passphrase_key("team sync key 1"))
        raw.execute("CREATE TABLE manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        raw.close()
        with pytest.raises(CoachdeskError, match="old format .made with a shared team sync key."):
            merge.import_bundle(b, shared_key)
        assert everything(b) == before
        fresh = service.export_bundle(a, tmp_path / "new.cdbundle").path
        assert merge.import_bundle(b, fresh).new_ops > 0
    finally:
        a.close()
        b.close()


def test_a_full_export_takes_the_fixed_digest_while_it_copies(conn: sqlcipher3.Connection) -> None:
    """bundle._sweep (a bundle of everything) copies the log in op_id order and takes the
    digest on the way: the same bytes as reading the bundle again, in fewer reads."""
    conn.execute("CREATE TABLE main.ops (op_id TEXT PRIMARY KEY, device, seq, hlc, tbl, row_id, "
                 "field, value, parents, author, scope, sseq, prev, chain)")
    conn.executemany(f"INSERT INTO main.ops ({bundle.Op.WIRE_COLUMNS}) "
                     f"VALUES ({', '.join('?' * 14)})", [(*row, "", "") for row in VECTOR])
    for ddl in bundle._WANT_DDL:
        conn.execute(ddl)
    conn.execute("INSERT INTO temp.want (device, scope, lo, hi) SELECT device, scope, 0, "
                 "max(sseq) FROM main.ops GROUP BY device, scope")
    conn.execute("DROP INDEX bundle.ops_scope")  # the sweep keeps it up as it copies
    columns = ", ".join(f"o.{c}" for c in bundle.chain.WIRE_COLUMNS)
    taken = bundle._sweep(conn, columns)
    assert taken.whole and taken.result() == (3, VECTOR_SHA256) == bundle._digest_ops(conn)
    assert conn.execute("SELECT count(*) FROM bundle.ops").fetchone()[0] == 3


def test_a_digest_fed_out_of_order_is_not_taken() -> None:
    """Rows that reach the digest out of op_id order (a plan that sorts after reading):
    not whole, so the writer reads the bundle again instead (bundle.write)."""
    taken = bundle._Digest()
    for op_id in ("a:1", "a:3", "a:2"):
        taken.add(op_id, b"x")
    taken.copied = 3
    assert not taken.whole
    again = bundle._Digest()
    again.add("a:1", b"x")
    again.copied = 2  # a row copied that the digest did not see
    assert not again.whole
