import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coachdesk import config, shipped
from coachdesk.demo import ensure_demo_vault
from coachdesk.errors import CoachdeskError
from coachdesk.store import notes, participants
from coachdesk.store.vault import Vault


def test_demo_vault_is_made_once_and_opens_with_demo(tmp_path: Path) -> None:
    directory = ensure_demo_vault(tmp_path)
    assert directory == config.demo_dir(tmp_path)
    vault = Vault.open(directory, config.DEMO_PASSPHRASE)
    count = participants.count(vault)
    assert count >= 8
    vault.close()
    ensure_demo_vault(tmp_path)
    vault = Vault.open(directory, config.DEMO_PASSPHRASE)
    assert participants.count(vault) == count
    vault.close()


def test_demo_vault_has_one_finished_overdose_checklist(tmp_path: Path) -> None:
    from coachdesk.store import crisis

    vault = Vault.open(ensure_demo_vault(tmp_path), config.DEMO_PASSPHRASE)
    [record] = crisis.history(vault)
    vault.close()
    assert record.event.protocol_id == "overdose" and record.ended
    assert record.outcome == "EMS arrived and took over"
    assert record.participant_id and len(record.steps) > 10
    assert [s.at for s in record.steps] == sorted(s.at for s in record.steps)


def test_demo_vault_has_notes_drafts_addenda_and_overdue_items(tmp_path: Path) -> None:
    import datetime as dt

    from coachdesk.store import action_items, notes, search

    vault = Vault.open(ensure_demo_vault(tmp_path), config.DEMO_PASSPHRASE)
    try:
        rosa = participants.find(vault, "Rosa Delgado")
        rosa_notes = notes.for_participant(vault, rosa.id)
        assert len(rosa_notes) == 2 and all(n.is_final for n in rosa_notes)
        assert notes.addenda(vault, rosa_notes[-1].id)
        assert len(notes.drafts(vault)) == 1
        assert sum(action_items.overdue_counts(vault, dt.date.today()).values()) >= 3
        assert search.search(vault, "bicycle")
    finally:
        vault.close()


def _assets_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped files that a test may damage; coachdesk reads it instead."""
    copy = tmp_path / "assets-copy"
    shutil.copytree(shipped.root(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(shipped, "root", lambda: copy)
    return copy


@pytest.mark.parametrize(("damaged", "message"), [
    ('[{"alias": "Rosa Del', "assets/demo/notes.json is damaged (not valid JSON"),
    ('{"alias": "Rosa Delgado"}', "the demo data shipped with coachdesk is damaged"),
    (None, "assets/demo/notes.json is missing: reinstall coachdesk"),
])
def test_a_demo_build_that_fails_midway_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damaged: str | None, message: str) -> None:
    copy = _assets_copy(tmp_path, monkeypatch)
    notes = copy / "demo" / "notes.json"  # read late: people, plans and crisis are in by then
    good = notes.read_text("utf-8")
    if damaged is None:
        notes.unlink()
    else:
        notes.write_text(damaged, "utf-8")
    base = tmp_path / "home"
    base.mkdir()
    with pytest.raises(CoachdeskError) as caught:
        ensure_demo_vault(base)
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)
    assert list(base.iterdir()) == []
    notes.write_text(good, "utf-8")
    vault = Vault.open(ensure_demo_vault(base), config.DEMO_PASSPHRASE)
    assert participants.count(vault) >= 8
    vault.close()
    assert [p.name for p in base.iterdir()] == ["demo"]


KILLED_MIDWAY = """
import os, sys
from pathlib import Path
import coachdesk.demo.notes
coachdesk.demo.notes.seed_notes = lambda vault: os.kill(os.getpid(), 9)
from coachdesk.demo import ensure_demo_vault
ensure_demo_vault(Path(sys.argv[1]))
"""


def test_kill_9_during_the_demo_build_leaves_no_demo_vault(tmp_path: Path) -> None:
    base = tmp_path / "home"
    base.mkdir()
    killed = subprocess.run([sys.executable, "-c", KILLED_MIDWAY, str(base)], timeout=120)
    assert killed.returncode == -9
    assert not config.demo_dir(base).exists()
    [abandoned] = base.iterdir()
    assert abandoned.name.startswith(".demo-building-")
    vault = Vault.open(ensure_demo_vault(base), config.DEMO_PASSPHRASE)
    assert len(notes.for_participant(vault, participants.find(vault, "Rosa Delgado").id)) == 2
    vault.close()
    assert [p.name for p in base.iterdir()] == ["demo"]
