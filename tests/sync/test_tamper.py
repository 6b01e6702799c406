"""Damaged bundles are refused with one line, and the vault stays as it was.

The header's own fields are tampered with in test_envelope.py."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from coachdesk.errors import CoachdeskError
from coachdesk.store import participants
from coachdesk.store.vault import Vault
from coachdesk.sync import envelope, merge, service
from tests.conftest import person
from tests.sync.syncutil import everything, make_vault, make_vaults

PAGE = 4096


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory):
    """A sender with enough changes for a multi-page bundle, two exports, and a receiver."""
    root = tmp_path_factory.mktemp("tamper")
    sender, receiver, other = make_vaults(root, "sender", "receiver", "other")
    for i in range(60):
        participants.create(sender, person(f"Tamper Person {i:02d}", phone=f"555 01{i:02d}",
                                           pathway="mutual aid, then a clinical path"))
    older = service.export_bundle(sender, root / "older.cdbundle", full=True).path
    participants.create(sender, person("One More"))
    good = service.export_bundle(sender, root / "good.cdbundle", full=True).path
    participants.create(receiver, person("Already Here"))
    yield root, good.read_bytes(), older.read_bytes(), receiver, other
    for vault in (sender, receiver, other):
        vault.close()


def payload_at(data: bytes) -> int:
    """Where the payload (the SQLCipher pages) starts in a bundle's bytes."""
    return len(envelope.MAGIC) + 4 + int.from_bytes(data[len(envelope.MAGIC):len(envelope.MAGIC) + 4], "big")


def refused(receiver: Vault, path: Path) -> str:
    before = everything(receiver)
    with pytest.raises(CoachdeskError) as caught:
        merge.import_bundle(receiver, path)
    message = str(caught.value)
    assert "\n" not in message and message
    assert everything(receiver) == before, "a refused bundle changed the vault"
    assert "bundle" not in [r[1] for r in receiver.conn.execute("PRAGMA database_list")]
    return message


def test_the_untouched_bundle_is_accepted_but_not_by_an_outsider(setup) -> None:
    root, good, _, receiver, other = setup
    assert len(good) - payload_at(good) >= 6 * PAGE and (len(good) - payload_at(good)) % PAGE == 0
    path = root / "copy.cdbundle"
    path.write_bytes(good)
    outsider = make_vault(root, "outsider")
    assert "not addressed to this vault" in refused(outsider, path)
    outsider.close()
    assert merge.import_bundle(other, path).new_records == 61 * 2  # people + caseloads


def test_flipped_bytes_anywhere_are_refused(setup) -> None:
    root, good, _, receiver, _ = setup
    rng = random.Random(6)
    start = payload_at(good)
    offsets = [0, 9, 12, 40, 100, start - 1, start, start + 16, start + PAGE, len(good) - 1]
    offsets += rng.sample(range(len(good)), 7)
    for offset in offsets:
        data = bytearray(good)
        data[offset] ^= 1 << rng.randrange(8)
        path = root / f"flip-{offset}.cdbundle"
        path.write_bytes(bytes(data))
        refused(receiver, path)


@pytest.mark.parametrize("cut", ["mid_page", "page_boundary", "first_page_only", "header"])
def test_truncated_bundles_are_refused(setup, cut: str) -> None:
    root, good, _, receiver, _ = setup
    size = {"mid_page": len(good) - PAGE // 2, "page_boundary": len(good) - PAGE,
            "first_page_only": payload_at(good) + PAGE, "header": 100}[cut]
    path = root / f"cut-{cut}.cdbundle"
    path.write_bytes(good[:size])
    assert any(word in refused(receiver, path) for word in ("truncated", "do not match"))


def test_swapped_pages_are_refused(setup) -> None:
    root, good, _, receiver, _ = setup
    start = payload_at(good)
    pages = [good[i:i + PAGE] for i in range(start, len(good), PAGE)]
    pages[2], pages[4] = pages[4], pages[2]
    path = root / "swapped.cdbundle"
    path.write_bytes(good[:start] + b"".join(pages))
    assert "do not match its header" in refused(receiver, path)


def test_a_page_rolled_back_to_an_older_export_is_refused(setup) -> None:
    root, good, older, receiver, _ = setup
    new, old = payload_at(good), payload_at(older)
    for index in (1, 3):
        data = bytearray(good)
        data[new + index * PAGE:new + (index + 1) * PAGE] = older[old + index * PAGE:old + (index + 1) * PAGE]
        path = root / f"rollback-{index}.cdbundle"
        path.write_bytes(bytes(data))
        refused(receiver, path)


def test_empty_plaintext_and_other_files_are_refused(setup) -> None:
    root, _, _, receiver, _ = setup
    empty = root / "empty.cdbundle"
    empty.write_bytes(b"")
    assert "empty file" in refused(receiver, empty)
    plain = root / "plain.cdbundle"
    conn = sqlite3.connect(plain)
    conn.execute("CREATE TABLE ops (x)")
    conn.commit()
    conn.close()
    assert "unencrypted" in refused(receiver, plain)
    text = root / "letter.cdbundle"
    text.write_text("Dear team, here is the bundle.\n" * 300)
    assert "not a coachdesk bundle" in refused(receiver, text)
    assert "no such file" in refused(receiver, root / "missing.cdbundle")
    assert "not a file" in refused(receiver, root)


def test_a_vault_or_key_slot_is_not_a_bundle(setup) -> None:
    root, _, _, receiver, _ = setup
    assert "not a coachdesk bundle" in refused(receiver, root / "sender" / "coachdesk.vault")
