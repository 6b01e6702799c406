"""Participants through the op log: validation, edits, roster search."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coachdesk.errors import ValidationFailed
from coachdesk.models import Status
from coachdesk.store import participants
from coachdesk.store.vault import Vault
from tests.conftest import person


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"alias": "  "}, "alias"),
        ({"adult_confirmed": False}, "adults only"),
        ({"intake_date": "2026-13-40"}, "intake date"),
        ({"intake_date": (dt.date.today() + dt.timedelta(days=30)).isoformat()}, "future"),
        ({"phone": "call me maybe"}, "phone"),
        ({"kind": "stranger"}, "kind"),
        ({"safety_flags": ["vampire"]}, "unknown safety flag"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(vault: Vault, changes, problem) -> None:
    ops_before = vault.conn.execute("SELECT count(*) FROM ops").fetchone()[0]
    with pytest.raises(ValidationFailed, match=problem):
        participants.create(vault, person(**changes))
    assert vault.conn.execute("SELECT count(*) FROM ops").fetchone()[0] == ops_before
    assert participants.count(vault) == 0


def test_update_writes_only_changed_fields(vault: Vault) -> None:
    pid = participants.create(vault, person("Lee Update"))
    assert participants.update(vault, pid, {"pronouns": "he/him", "alias": "Lee Update"}) == [
        "pronouns"
    ]
    assert participants.update(vault, pid, {"pronouns": "he/him"}) == []
    with pytest.raises(ValidationFailed):
        participants.update(vault, pid, {"phone": "???"})
    assert participants.get(vault, pid).pronouns == "he/him"


def test_roster_search_and_status_filter(vault: Vault) -> None:
    a = participants.create(vault, person("Alma Rivera", phone="555 0101"))
    participants.create(vault, person("Bo Rivers"))
    participants.create(vault, person("Cy Long"))
    participants.update(vault, a, {"status": "closed"})
    assert [p.alias for p in participants.roster(vault, "riv")] == ["Bo Rivers"]
    assert [p.alias for p in participants.roster(vault, "riv", None)] == ["Alma Rivera",
                                                                          "Bo Rivers"]
    assert [p.alias for p in participants.roster(vault, "0101", Status.CLOSED)] == ["Alma Rivera"]
    assert participants.roster(vault, "100%_") == []


def test_roster_words_in_any_order_and_one_typo(vault: Vault) -> None:
    participants.create(vault, person("Rosa Delgado", phone="555 0199"))
    participants.create(vault, person("Rosalind Park"))
    participants.create(vault, person("Dell Gadot"))
    assert [p.alias for p in participants.roster(vault, "delgado rosa")] == ["Rosa Delgado"]
    assert [p.alias for p in participants.roster(vault, "rosa 0199")] == ["Rosa Delgado"]
    for typo in ("delgdo", "dlegado", "delgadoo", "rosa delgafo"):
        assert [p.alias for p in participants.roster(vault, typo)] == ["Rosa Delgado"], typo
    assert [p.alias for p in participants.roster(vault, "ros")] == ["Rosa Delgado", "Rosalind Park"]
    assert participants.roster(vault, "dxlgxdo") == []  # two typos: no match
    assert participants.roster(vault, "_") == []  # `_` is a letter, not "any letter"


def test_delete_hides_the_participant(vault: Vault) -> None:
    pid = participants.create(vault, person("Del Gone"))
    participants.delete(vault, pid)
    assert participants.roster(vault, "Del") == []


def test_initials_for_discreet_mode(vault: Vault) -> None:
    pid = participants.create(vault, person("maria de la cruz"))
    row = participants.get(vault, pid)
    assert row.shown_name(discreet=True) == "MDL"
    assert row.shown_name(discreet=False) == "maria de la cruz"


def test_registry_matches_the_models() -> None:
    from coachdesk.models import SYNCED_RECORDS
    from coachdesk.models.synced import SYNCED_MODELS

    for tbl, model in SYNCED_MODELS.items():
        assert SYNCED_RECORDS[tbl] == tuple(model.model_fields), tbl
    assert set(SYNCED_RECORDS) == set(SYNCED_MODELS)


def test_look_alikes_by_name_in_any_order_or_by_phone(tmp_path: Path) -> None:
    from tests.vaults import created

    with created(tmp_path / "v") as vault:
        rosa = participants.create(vault, person("Rosa Delgado", phone="555 010 0199"))
        closed = participants.create(vault, person("Marcus Webb", status="closed"))
        participants.create(vault, person("Rita Diaz"))
        assert [p.id for p in participants.look_alikes(vault, "delgado rosa")] == [rosa]
        assert [p.id for p in participants.look_alikes(vault, "Rosa Delgato")] == [rosa]
        assert [p.id for p in participants.look_alikes(vault, "Someone Else",
                                                       "+1 (555) 010-0199")] == [rosa]
        assert [p.id for p in participants.look_alikes(vault, "Webb Marcus")] == [closed]
        assert participants.look_alikes(vault, "Rosa Delgado", except_id=rosa) == []
        assert participants.look_alikes(vault, "Nobody Here", "555 999 0000") == []
