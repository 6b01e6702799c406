"""A sync folder shared by a coach and the hub (issue 19): bundles go both ways with
unique names, arrive once however often they are copied, and leave once acknowledged;
what sync engines leave behind is ignored."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coachdesk.errors import CoachdeskError
from coachdesk.store import notes, participants
from coachdesk.store.vault import Vault
from coachdesk.sync import folder
from tests.conftest import person
from tests.sync.syncutil import make_vaults


@pytest.fixture
def star(tmp_path: Path):
    hub, ann, bob = make_vaults(tmp_path, "hub", "ann", "bob", scoped=True)
    shared = tmp_path / "ann-hub"
    shared.mkdir()
    yield hub, ann, bob, shared
    for v in (hub, ann, bob):
        v.close()


def bundles(path: Path) -> list[str]:
    return sorted(p.name for p in path.iterdir() if p.name.endswith(".cdbundle"))


def run(vault: Vault, path: Path) -> tuple[folder.Pass, list[str]]:
    lines: list[str] = []
    return folder.sync_once(vault, path, lines.append), lines


def test_a_coach_and_the_hub_meet_in_a_folder_and_it_empties(star) -> None:
    hub, ann, _bob, shared = star
    kit = participants.create(ann, person("Kit Folder"))
    notes.finalize(ann, notes.start(ann, kit, "x"), "Met Kit at the library")
    done, lines = run(ann, shared)
    assert len(done.written) == 1 and bundles(shared) == done.written
    name = done.written[0]
    assert name.startswith("cd-" + ann.device[:12]) and "Kit" not in name
    assert lines and "Kit" not in "".join(lines)
    done, lines = run(hub, shared)
    assert len(done.imported) == 1 and len(done.written) == 1
    assert [r[0] for r in hub.conn.execute("SELECT alias FROM participant")] == ["Kit Folder"]
    done, _ = run(ann, shared)  # the hub's answer (its acknowledgement) arrives
    assert len(done.imported) == 1 and not done.written
    # Ann's bundle stays while it is her newest (it carries her acknowledgement); her next
    # one replaces it, as the hub has acknowledged what it carried.
    notes.finalize(ann, notes.start(ann, kit, "y"), "Kit starts work on Monday")
    done, _ = run(ann, shared)
    assert len(done.written) == 1 and name not in bundles(shared)
    for _ in range(3):  # a few rounds: one bundle per writer stays, nothing twice
        run(hub, shared)
        run(ann, shared)
    assert len(bundles(shared)) == 2
    done, _ = run(ann, shared)
    assert not done.written and not done.imported  # nothing new: nothing written
    assert hub.conn.execute("SELECT count(*) FROM note").fetchone()[0] == 2


def test_copies_conflicts_partial_files_and_junk_are_handled(star, tmp_path: Path) -> None:
    hub, ann, _bob, shared = star
    participants.create(ann, person("Rae Folder"))
    done, _ = run(ann, shared)
    real = shared / done.written[0]
    data = real.read_bytes()
    # What sync engines and people leave behind.
    shutil.copy(real, shared / (real.stem + ".sync-conflict-20261203-101010-ABCDEF.cdbundle"))
    shutil.copy(real, shared / "copy-of-it.cdbundle")  # the same bundle twice
    (shared / ".syncthing.cd-x.cdbundle.tmp").write_bytes(data[:100])
    (shared / "notes.txt").write_text("not ours")
    (shared / "junk.cdbundle").write_bytes(b"not a bundle at all" * 10)
    growing = shared / "cd-growing.cdbundle"
    real.rename(tmp_path / "held-back.cdbundle")  # the original is still being copied
    growing.write_bytes(data[: len(data) // 2])
    done, lines = run(hub, shared)
    assert len(done.imported) == 1  # the copy: the same bundle, imported once
    assert [line for line in lines if line.startswith("skipped")] == [
        "skipped junk.cdbundle: not a coachdesk bundle"]
    assert growing.exists() and participants.count(hub) == 1
    growing.write_bytes(data)  # the copy finished: known already, nothing imported twice
    done, _ = run(hub, shared)
    assert not done.imported
    assert (shared / (real.stem + ".sync-conflict-20261203-101010-ABCDEF.cdbundle")).exists()


def test_bundles_for_others_are_left_alone_and_bad_folders_are_one_line(star, tmp_path) -> None:
    hub, ann, bob, shared = star
    participants.create(bob, person("Bob's Person"))
    bob_folder = tmp_path / "bob-hub"
    bob_folder.mkdir()
    done, _ = run(bob, bob_folder)
    stray = shared / done.written[0]
    shutil.copy(bob_folder / done.written[0], stray)  # in the wrong folder
    done, lines = run(ann, shared)
    assert not done.imported and not done.refused  # not addressed to Ann: left alone
    assert not [line for line in lines if line.startswith(("skipped", "refused"))]
    assert stray.exists()
    with pytest.raises(CoachdeskError, match="does not exist"):
        folder.sync_once(ann, tmp_path / "missing", print)
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(CoachdeskError, match="does not exist"):
        folder.sync_once(ann, tmp_path / "a-file", print)


def test_two_hubs_in_one_folder_lose_nothing(tmp_path: Path) -> None:
    from coachdesk.sync import team
    from tests.sync.syncutil import content, make_vault

    hub, ann = make_vaults(tmp_path, "hub", "ann", scoped=True)
    other = make_vault(tmp_path, "other")
    try:
        with hub.transaction() as conn:  # a second supervisor: another hub on the folder
            newer = team.add_member(conn, hub.keys, hub.identity(), other.identity(), "supervisor")
        for vault in (ann, other):
            with vault.transaction() as conn:
                team.accept(conn, newer, device=vault.device, coach=vault.coach,
                            own=vault.identity())
        shared = tmp_path / "shared"
        shared.mkdir()
        kit = participants.create(ann, person("Kit Two Hubs"))
        for _ in range(4):
            for vault in (ann, hub, other):
                run(vault, shared)
            notes.finalize(ann, notes.start(ann, kit, "x"), f"note {_}")
        for _ in range(3):
            for vault in (ann, hub, other):
                run(vault, shared)
        assert content(hub)["ops"] == content(other)["ops"]
        finals = "SELECT count(*) FROM note WHERE status = 'final'"
        assert hub.conn.execute(finals).fetchone()[0] == 4
        assert ann.conn.execute(finals).fetchone()[0] == 4
        assert hub.check() == [] and other.check() == []
    finally:
        for vault in (hub, ann, other):
            vault.close()
