"""Damaged and forged bundles are refused with one line, and the vault stays as it was."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from coachdesk.errors import CoachdeskError
from coachdesk.store import participants
from coachdesk.store.vault import Vault
from coachdesk.sync import merge, service
from tests.conftest import person
from tests.sync.syncutil import KEY, everything, make_vault

PAGE = 4096


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory):
    """A sender with enough changes for a multi-page bundle, two exports, and a receiver."""
    root = tmp_path_factory.mktemp("tamper")
    sender = make_vault(root, "sender")
    for i in range(60):
        participants.create(sender, person(f"Tamper Person {i:02d}", phone=f"555 01{i:02d}",
                                           pathway="mutual aid, then a clinical path"))
    older = service.export_bundle(sender, root / "older.cdbundle", KEY, full=True).path
    participants.create(sender, person("One More"))
    good = service.export_bundle(sender, root / "good.cdbundle", KEY, full=True).path
    receiver = make_vault(root, "receiver")
    participants.create(receiver, person("Already Here"))
    yield root, good.read_bytes(), older.read_bytes(), receiver
    sender.close()
    receiver.close()


def refused(receiver: Vault, path: Path, key: str = KEY) -> str:
    before = everything(receiver)
    with pytest.raises(CoachdeskError) as caught:
        merge.import_bundle(receiver, path, key)
    message = str(caught.value)
    assert "\n" not in message and message
    assert everything(receiver) == before, "a refused bundle changed the vault"
    assert "bundle" not in [r[1] for r in receiver.conn.execute("PRAGMA database_list")]
    return message


def test_the_untouched_bundle_is_accepted_but_not_with_a_wrong_key(setup) -> None:
    root, good, _, receiver = setup
    assert len(good) >= 6 * PAGE and len(good) % PAGE == 0
    path = root / "copy.cdbundle"
    path.write_bytes(good)
    assert "wrong sync key" in refused(receiver, path, key="wrong key here")
    other = make_vault(root, "other")
    assert merge.import_bundle(other, path, KEY).new_records == 61
    other.close()


def test_flipped_bytes_anywhere_are_refused(setup) -> None:
    root, good, _, receiver = setup
    rng = random.Random(6)
    offsets = [0, 15, 16, 40, 100, PAGE - 1, PAGE, PAGE + 17, len(good) - 1]
    offsets += rng.sample(range(len(good)), 7)
    for offset in offsets:
        data = bytearray(good)
        data[offset] ^= 1 << rng.randrange(8)
        path = root / f"flip-{offset}.cdbundle"
        path.write_bytes(bytes(data))
        refused(receiver, path)


@pytest.mark.parametrize("cut", ["mid_page", "page_boundary", "first_page_only"])
def test_truncated_bundles_are_refused(setup, cut: str) -> None:
    root, good, _, receiver = setup
    size = {"mid_page": len(good) - PAGE // 2, "page_boundary": len(good) - PAGE,
            "first_page_only": PAGE}[cut]
    path = root / f"cut-{cut}.cdbundle"
    path.write_bytes(good[:size])
    assert "damaged" in refused(receiver, path)


def test_swapped_pages_are_refused(setup) -> None:
    root, good, _, receiver = setup
    pages = [good[i:i + PAGE] for i in range(0, len(good), PAGE)]
    pages[2], pages[4] = pages[4], pages[2]
    path = root / "swapped.cdbundle"
    path.write_bytes(b"".join(pages))
    assert "damaged" in refused(receiver, path)


def test_a_page_rolled_back_to_an_older_export_is_refused(setup) -> None:
    root, good, older, receiver = setup
    for index in (1, 3):
        data = bytearray(good)
        data[index * PAGE:(index + 1) * PAGE] = older[index * PAGE:(index + 1) * PAGE]
        path = root / f"rollback-{index}.cdbundle"
        path.write_bytes(bytes(data))
        refused(receiver, path)


def test_empty_plaintext_and_other_files_are_refused(setup) -> None:
    root, _, _, receiver = setup
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
    root, _, _, receiver = setup
    assert "not a coachdesk bundle" in refused(receiver, root / "sender" / "coachdesk.vault")
