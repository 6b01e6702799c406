"""Plan revisions: append-only (also at the SQL level), parents, diffs, divergence."""

from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.errors import CoachdeskError, ValidationFailed
from coachdesk.models.plan import Contact, Goal, Plan, Step, Who
from coachdesk.models.plan_diff import diff_plans
from coachdesk.store import participants, plans
from coachdesk.store.db import DatabaseError
from coachdesk.store.plans import NothingChanged
from coachdesk.store.vault import Vault
from tests.conftest import PASSPHRASE, person


def first_plan() -> Plan:
    return Plan(health=[Goal(text="Walk every day", steps=[
        Step(what="buy shoes", who=Who.PARTICIPANT, by=dt.date(2026, 3, 1)),
        Step(what="find a walking group", who=Who.COACH)])],
        strengths=["patient"], supports=[Contact(name="Aunt May", reach="555-0101")])


def test_save_appends_revisions_with_parents_and_lists_them_newest_first(vault: Vault) -> None:
    pid = participants.create(vault, person())
    first = plans.save(vault, pid, first_plan())
    second_plan = first_plan().model_copy(update={"strengths": ["patient", "funny"]})
    second = plans.save(vault, pid, second_plan, first)
    state = plans.state(vault, pid)
    assert [r.id for r in state.revisions] == [second, first]
    assert state.current is not None and state.current.id == second
    assert state.by_id(second).parent_id == first
    assert state.current.plan == second_plan and not state.diverged
    assert vault.conn.execute("SELECT count(*) FROM audit WHERE action = 'plan revised'"
                              ).fetchone()[0] == 2


def test_revisions_refuse_update_and_delete_at_the_sql_level(vault: Vault) -> None:
    pid = participants.create(vault, person())
    rev = plans.save(vault, pid, first_plan())
    with pytest.raises(DatabaseError, match="append-only"):
        vault.conn.execute("UPDATE plan_revision SET plan = '{}' WHERE id = ?", (rev,))
    with pytest.raises(DatabaseError, match="append-only"):
        vault.conn.execute("DELETE FROM plan_revision WHERE id = ?", (rev,))
    with pytest.raises(ValueError, match="append-only"), vault.transaction():
        vault.ops.write("plan_revision", rev, {"author": "someone else"})
    assert plans.state(vault, pid).current.plan == first_plan()


def test_revisions_survive_reopening_and_replay_from_ops(vault: Vault, vault_dir) -> None:
    pid = participants.create(vault, person())
    rev = plans.save(vault, pid, first_plan())
    vault.close()
    again = Vault.open(vault_dir, PASSPHRASE)
    assert plans.state(again, pid).by_id(rev).plan == first_plan()
    again.close()


def test_bad_saves_change_nothing(vault: Vault) -> None:
    pid = participants.create(vault, person())
    with pytest.raises(ValidationFailed, match="empty"):
        plans.save(vault, pid, Plan())
    with pytest.raises(ValidationFailed):
        plans.save(vault, pid, {"health": [{"text": "   "}]})
    first = plans.save(vault, pid, first_plan())
    with pytest.raises(NothingChanged):
        plans.save(vault, pid, first_plan(), first)
    with pytest.raises(CoachdeskError, match="not in the vault"):
        plans.save(vault, pid, Plan(strengths=["x"]), "no-such-revision")
    with pytest.raises(CoachdeskError, match="already has a plan"):
        plans.save(vault, pid, Plan(strengths=["x"]))
    assert len(plans.state(vault, pid).revisions) == 1


def test_two_revisions_from_one_parent_are_diverged_until_someone_chooses(vault: Vault) -> None:
    pid = participants.create(vault, person())
    base = plans.save(vault, pid, first_plan())
    laptop_a = plans.save(vault, pid, first_plan().model_copy(update={"triggers": ["payday"]}),
                          base, at="2026-01-02T10:00:00.000+00:00")
    laptop_b = plans.save(vault, pid, first_plan().model_copy(update={"reasons": ["my kids"]}),
                          base, at="2026-01-03T10:00:00.000+00:00")
    state = plans.state(vault, pid)
    assert state.diverged and {h.id for h in state.heads} == {laptop_a, laptop_b}
    assert state.current.id == laptop_b  # the newest head shows; the other is kept
    assert state.by_id(laptop_a).plan.triggers == ["payday"]
    # editing the shown version records that the other was seen and replaced
    chosen = plans.save(vault, pid, state.current.plan.model_copy(
        update={"triggers": ["payday"]}), laptop_b)
    state = plans.state(vault, pid)
    assert not state.diverged and state.current.id == chosen
    assert state.current.superseded == [laptop_a]
    assert len(state.revisions) == 4


def test_editing_an_older_revision_diverges(vault: Vault) -> None:
    pid = participants.create(vault, person())
    base = plans.save(vault, pid, first_plan())
    plans.save(vault, pid, first_plan().model_copy(update={"triggers": ["a"]}), base)
    plans.save(vault, pid, first_plan().model_copy(update={"triggers": ["b"]}), base)
    assert plans.state(vault, pid).diverged


def test_changes_of_a_revision_against_its_parent(vault: Vault) -> None:
    pid = participants.create(vault, person())
    base = plans.save(vault, pid, first_plan())
    edited = first_plan()
    edited.health[0].steps[0] = Step(what="buy shoes", who=Who.OTHER, by=dt.date(2026, 4, 1))
    edited.health[0].steps.pop(1)
    edited.home.append(Goal(text="Find a room", steps=[Step(what="call the shelter")]))
    edited.supports[0] = Contact(name="Aunt May", reach="text only")
    edited.strengths = ["kind"]
    rev = plans.save(vault, pid, edited, base)
    lines = [str(c) for c in plans.changes(plans.state(vault, pid), rev)]
    assert "~ Health: step 'buy shoes': who participant -> other" in lines
    assert "~ Health: step 'buy shoes': by 2026-03-01 -> 2026-04-01" in lines
    assert "- Health: step of 'Walk every day': find a walking group (coach)" in lines
    assert "+ Home: goal 'Find a room'" in lines
    assert "+ Home: step of 'Find a room': call the shelter (participant)" in lines
    assert "- Strengths: patient" in lines and "+ Strengths: kind" in lines
    assert "~ Supports: how to reach Aunt May: '555-0101' -> 'text only'" in lines
    first = [str(c) for c in plans.changes(plans.state(vault, pid), base)]
    assert "+ Health: goal 'Walk every day'" in first and len(first) == 5


def test_diff_of_identical_plans_is_empty_and_safety_changes_show() -> None:
    assert diff_plans(first_plan(), first_plan()) == []
    safer = first_plan()
    safer.safety.warning_signs.append("I stop eating")
    safer.safety.kept_where = "wallet"
    assert [str(c) for c in diff_plans(first_plan(), safer)] == [
        "+ Safety 1. Warning signs: I stop eating",
        "~ Safety plan: kept: '' -> 'wallet'",
    ]
