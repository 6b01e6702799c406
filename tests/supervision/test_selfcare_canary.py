"""The coach's self-care check-in never leaves the laptop unless shared: a canary written in
a check-in is in no bundle (each payload opened and every value of every table read), until
the coach shares a summary for one session with the line of text in it."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import Any

import pytest

from coachdesk.errors import CoachdeskError
from coachdesk.store import selfcare
from coachdesk.store.vault import Vault
from coachdesk.sync import envelope, merge, service
from coachdesk.sync import supervision as sessions
from tests.sync.syncutil import KEYS, everything, make_vaults


def payload_text(path: Path, tmp: Path) -> str:
    """Every value of every table in a bundle's payload, opened as its reader would."""
    from coachdesk.store.db import open_keyed, raw_key

    header = envelope.read(path)
    reader = next(d for d in header.recipients if d in KEYS)
    file_key = header.open_key(KEYS[reader], reader, path)
    payload = tmp / (path.name + f".{secrets.token_hex(3)}.payload")
    header.copy_payload(path, payload)
    conn = open_keyed(payload, raw_key(file_key.hex()))
    try:
        values: list[Any] = []
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in conn.execute(f"SELECT * FROM {table}"):
                values.extend(row)
        return "\n".join(v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
                         for v in values)
    finally:
        conn.close()
        payload.unlink()


@pytest.fixture
def pair(tmp_path: Path):
    robin, ann = make_vaults(tmp_path, "robin", "ann", scoped=True)
    yield robin, ann
    robin.close()
    ann.close()


def bundles(sender: Vault, folder: Path) -> list[Path]:
    folder.mkdir()
    return list(service.export_bundle(sender, folder, full=True).paths)


def test_the_check_in_is_in_no_bundle_unless_shared(pair, tmp_path: Path) -> None:
    robin, ann = pair
    canary = "Canary" + secrets.token_hex(8)
    (session,) = sessions.log_session(robin, ["ann"], held_on=dt.date(2026, 11, 3), minutes=45,
                                      topics=["selfcare"])
    merge.import_bundle(ann, service.export_bundle(robin, tmp_path / "s.cdbundle",
                                                   peer=ann.device).path)
    checkin = selfcare.record(ann, [2, 3, 4, 3, 5], f"tired this week {canary}")
    assert selfcare.checkins(ann)[0].note.endswith(canary)
    for path in bundles(ann, tmp_path / "before"):
        assert canary not in payload_text(path, tmp_path)
        assert canary.encode() not in path.read_bytes()

    selfcare.share(ann, checkin, session)  # the scales only
    for path in bundles(ann, tmp_path / "scales"):
        text = payload_text(path, tmp_path)
        assert canary not in text and "rest 2/5" in text

    selfcare.share(ann, checkin, session, with_note=True)
    shared = bundles(ann, tmp_path / "shared")
    assert any(canary in payload_text(path, tmp_path) for path in shared)
    for path in shared:
        merge.import_bundle(robin, path)
    assert any(canary in s for s in selfcare.shared_for(robin, session))


def test_bad_check_ins_and_shares_change_nothing(pair) -> None:
    robin, ann = pair
    checkin = selfcare.record(ann, [3, 3, 3, 3, 3])
    before = everything(ann) | {"local": ann.conn.execute("SELECT * FROM selfcare_checkin").fetchall()}
    for call, message in [
        (lambda: selfcare.record(ann, [3, 3]), "5 needed"),
        (lambda: selfcare.record(ann, [3, 3, 3, 3, 9]), "answer 1 to 5"),
        (lambda: selfcare.record(ann, [3, 3, 3, 3, 3], "two\nlines"), "one line"),
        (lambda: selfcare.share(ann, checkin, "not-a-session"), "your own supervision sessions"),
        (lambda: selfcare.share(ann, "nope", "x"), "no self-care check-in"),
    ]:
        with pytest.raises(CoachdeskError, match=message):
            call()
    assert everything(ann) | {"local": ann.conn.execute(
        "SELECT * FROM selfcare_checkin").fetchall()} == before
