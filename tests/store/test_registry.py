"""registry.py is generated from the models (coachdesk.models.synced) and must match them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coachdesk import registry
from coachdesk.models import synced


def test_registry_py_is_what_the_models_say() -> None:
    assert synced.REGISTRY_PATH.read_text(encoding="utf-8") == synced.registry_source()


def test_registry_lists_each_models_fields_in_order() -> None:
    assert list(registry.SYNCED_RECORDS) == list(synced.SYNCED_MODELS)
    for table, model in synced.SYNCED_MODELS.items():
        assert registry.SYNCED_RECORDS[table] == tuple(model.model_fields), table
    assert frozenset(synced.APPEND_ONLY_TABLES) == registry.APPEND_ONLY


def test_the_check_command_passes_on_the_tree() -> None:
    done = subprocess.run([sys.executable, "-m", "coachdesk.models.synced", "--check"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_a_new_model_field_makes_the_check_fail_until_regenerated(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pydantic import create_model

    from coachdesk.models.participant import Participant

    copy = tmp_path / "registry.py"
    copy.write_text(synced.REGISTRY_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(synced, "REGISTRY_PATH", copy)
    grown = create_model("Grown", __base__=Participant, preferred_name=(str, ""))
    monkeypatch.setitem(synced.SYNCED_MODELS, "participant", grown)
    assert synced.main(["--check"]) == 1
    assert capsys.readouterr().err.startswith("error: coachdesk/registry.py is out of date")
    assert synced.main([]) == 0
    namespace: dict[str, object] = {}
    exec(copy.read_text(encoding="utf-8"), namespace)
    fields = namespace["SYNCED_RECORDS"]["participant"]  # type: ignore[index]
    assert fields[-1] == "preferred_name"
    assert synced.main(["--check"]) == 0


def test_an_append_only_table_without_a_model_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(synced, "APPEND_ONLY_TABLES", (*synced.APPEND_ONLY_TABLES, "ghost"))
    with pytest.raises(ValueError, match="ghost"):
        synced.registry_source()
