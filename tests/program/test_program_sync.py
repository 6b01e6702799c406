"""Recovery-support fields sync field by field (issue 22, item 3): two laptops that each
set a different field of one person keep both, with no conflict; one field set on both is
a conflict like any other; episodes and interviews travel with the person."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from coachdesk.errors import CoachdeskError
from coachdesk.models.funder import funder
from coachdesk.models.program import recovery_lists
from coachdesk.store import participants, program
from coachdesk.sync import merge, service
from tests.conftest import person
from tests.sync.syncutil import (
    content,
    everything,
    forge,
    make_vaults,
    rebuilt_equals_live,
    sync_to,
)

LISTS = recovery_lists(None)
TODAY = dt.date.today()


def test_two_laptops_set_different_fields_and_converge(tmp_path: Path) -> None:
    ann, bob = make_vaults(tmp_path, "ann", "bob")
    pid = participants.create(ann, person(intake_date="2026-01-10"))
    sync_to(ann, bob, tmp_path / "b1")
    program.set_recovery(ann, pid, {"naloxone_given": 1, "pathways": ["peer"]}, LISTS, TODAY)
    program.set_recovery(bob, pid, {"ed_visits": 2, "living_situation": "shelter"}, LISTS, TODAY)
    program.record_interview(bob, funder(None), pid, dt.date(2026, 1, 10), "baseline", "done",
                             dt.date(2026, 1, 20))
    sync_to(ann, bob, tmp_path / "b2")
    sync_to(bob, ann, tmp_path / "b3")
    for vault in (ann, bob):
        got = program.recovery(vault.conn, pid)
        assert (got.naloxone_given, got.pathways, got.ed_visits, got.living_situation) == (
            1, ["peer"], 2, "shelter")
        assert vault.conn.execute("SELECT count(*) FROM conflict").fetchone()[0] == 0
        assert rebuilt_equals_live(vault)
    assert content(ann)["records"] == content(bob)["records"]
    windows = {w.spec.id: w.state(TODAY) for w in program.person_windows(ann, funder(None), pid)}
    assert windows["baseline"] == "reached"


def test_the_same_field_on_both_laptops_is_a_conflict_that_converges(tmp_path: Path) -> None:
    ann, bob = make_vaults(tmp_path, "ann", "bob")
    pid = participants.create(ann, person())
    program.set_recovery(ann, pid, {"supports": 3}, LISTS, TODAY)
    sync_to(ann, bob, tmp_path / "b1")
    program.set_recovery(ann, pid, {"supports": 4}, LISTS, TODAY)
    program.set_recovery(bob, pid, {"supports": 5}, LISTS, TODAY)
    sync_to(ann, bob, tmp_path / "b2")
    sync_to(bob, ann, tmp_path / "b3")
    assert program.recovery(ann.conn, pid).supports == program.recovery(bob.conn, pid).supports
    assert content(ann)["conflicts"] == content(bob)["conflicts"] == [
        ("recovery_support", pid, "supports")]


@pytest.mark.parametrize(("statement", "names"), [
    (("UPDATE ops SET value = ? WHERE field = 'pathways'", (json.dumps(["Bad Key!"]),)),
     "recovery_support.pathways"),
    (("UPDATE ops SET value = ? WHERE field = 'naloxone_given'", (json.dumps(-4),)),
     "recovery_support.naloxone_given"),
    (("UPDATE ops SET value = ? WHERE field = 'engagement_on'", (json.dumps("soon"),)),
     "recovery_support.engagement_on"),
    (("UPDATE ops SET scope = '' WHERE tbl = 'recovery_support'", ()), ""),
])
def test_a_forged_recovery_value_refuses_the_bundle(tmp_path: Path, statement: tuple,
                                                    names: str) -> None:
    ann, bob = make_vaults(tmp_path, "ann", "bob")
    pid = participants.create(ann, person())
    program.set_recovery(ann, pid, {"pathways": ["peer"], "naloxone_given": 1,
                                    "engagement": "engaged"}, LISTS, TODAY)
    path = tmp_path / "forged.cdbundle"
    shutil.copy(service.export_bundle(ann, tmp_path / "good.cdbundle", full=True).path, path)
    forge(path, statement)
    before = everything(bob)
    with pytest.raises(CoachdeskError) as caught:
        merge.import_bundle(bob, path)
    assert names in str(caught.value) and "\n" not in str(caught.value)
    assert everything(bob) == before


def test_program_data_follows_the_person_when_they_move_to_another_coach(tmp_path: Path) -> None:
    from coachdesk.sync import caseload

    sue, ann, bob = make_vaults(tmp_path, "sue", "ann", "bob", scoped=True)  # Sue supervises
    pid = participants.create(ann, person("Rae Moving", intake_date="2026-01-10"))
    program.set_recovery(ann, pid, {"supports": 2, "pathways": ["peer"]}, LISTS, TODAY)
    program.discharge(ann, pid, dt.date(2026, 3, 1))
    sync_to(ann, sue, tmp_path / "1.cdbundle")
    caseload.transfer(sue, "Rae", "bob", "Over to Bob.")
    sync_to(sue, bob, tmp_path / "2.cdbundle")
    sync_to(sue, ann, tmp_path / "3.cdbundle", full=True)
    assert program.recovery(bob.conn, pid).supports == 2
    assert program.episodes_of(bob.conn, pid)[pid].episodes[0].end == dt.date(2026, 3, 1)
    for table in ("recovery_support", "program_episode"):  # gone from Ann's vault, ops and all
        assert ann.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
        assert ann.conn.execute("SELECT count(*) FROM ops WHERE tbl = ?", (table,)).fetchone()[0] == 0
