"""Program data in a real vault (issue 22): recovery-support fields written field by field
(a bad value: one line, nothing written), episodes and re-enrolment, interviews recorded
done or missed with their date and reason."""

from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.errors import CoachdeskError
from coachdesk.models.funder import funder
from coachdesk.models.program import recovery_lists
from coachdesk.store import closing, participants, program
from coachdesk.store.vault import Vault
from tests.conftest import person
from tests.sync.syncutil import content

D = dt.date
TODAY = D(2026, 12, 3)
LISTS = recovery_lists(None)
GRANT = funder(None)


def ops_count(vault: Vault, tbl: str) -> int:
    return vault.conn.execute("SELECT count(*) FROM ops WHERE tbl = ?", (tbl,)).fetchone()[0]


def test_recovery_fields_are_written_field_by_field(vault: Vault) -> None:
    pid = participants.create(vault, person())
    assert program.recovery(vault.conn, pid).pathways == []
    changed = program.set_recovery(vault, pid, {"pathways": ["peer", "harm_reduction", "peer"],
                                                "naloxone_given": 2}, LISTS, TODAY)
    assert changed == ["naloxone_given", "pathways"]
    assert ops_count(vault, "recovery_support") == 2
    got = program.recovery(vault.conn, pid)
    assert got.pathways == ["harm_reduction", "peer"] and got.naloxone_given == 2
    assert program.set_recovery(vault, pid, {"engagement": "not_engaged",
                                             "engagement_reason": "moved"}, LISTS, TODAY) == [
        "engagement", "engagement_on", "engagement_reason"]
    assert program.recovery(vault.conn, pid).engagement_on == "2026-12-03"
    assert program.set_recovery(vault, pid, {"naloxone_given": 2}, LISTS, TODAY) == []
    scope = vault.conn.execute("SELECT DISTINCT scope FROM ops WHERE tbl = 'recovery_support'"
                               ).fetchall()
    assert scope == [(pid,)]  # the person's


@pytest.mark.parametrize(("changes", "message"), [
    ({"living_situation": "castle"}, "not on the list"),
    ({"pathways": ["astrology"]}, "pathway 'astrology' is not on the list"),
    ({"no_shows": -1}, "no shows"),
    ({"ed_visits": 10**9}, "ed visits"),
    ({"engagement": "sometimes"}, "engagement"),
    ({"engagement_on": "2027-05-01", "engagement": "engaged"}, "in the future"),
    ({"colour": "red"}, "unknown field 'colour'"),
])
def test_a_bad_recovery_value_is_one_line_and_changes_nothing(vault: Vault, changes: dict,
                                                              message: str) -> None:
    pid = participants.create(vault, person())
    before = content(vault)
    with pytest.raises(CoachdeskError) as caught:
        program.set_recovery(vault, pid, changes, LISTS, TODAY)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert content(vault) == before


def test_episodes_discharge_and_reenrolment(vault: Vault) -> None:
    pid = participants.create(vault, person(intake_date="2026-01-10"))
    [first] = program.episodes_of(vault.conn, pid)[pid].episodes
    assert (first.start, first.end) == (D(2026, 1, 10), None)
    with pytest.raises(CoachdeskError, match="still enrolled since 2026-01-10"):
        program.enrol(vault, pid, D(2026, 6, 1), TODAY)
    with pytest.raises(CoachdeskError, match="before the episode began"):
        program.discharge(vault, pid, D(2025, 12, 1), TODAY)
    with pytest.raises(CoachdeskError, match="in the future"):
        program.discharge(vault, pid, D(2027, 1, 1), TODAY)
    assert program.discharge(vault, pid, D(2026, 2, 28), TODAY) == 1
    with pytest.raises(CoachdeskError, match="after the last one ended"):
        program.enrol(vault, pid, D(2026, 2, 28), TODAY)
    assert program.enrol(vault, pid, D(2026, 6, 1), TODAY) == 2
    episodes = program.episodes_of(vault.conn, pid)[pid].episodes
    assert [(e.number, e.start, e.end) for e in episodes] == [
        (1, D(2026, 1, 10), D(2026, 2, 28)), (2, D(2026, 6, 1), None)]
    found = {(w.episode.number, w.spec.id) for w in program.person_windows(vault, GRANT, pid)}
    assert {(1, "baseline"), (1, "discharge"), (2, "baseline"), (2, "reassessment")} <= found


def test_closing_a_person_ends_the_worked_out_episode_and_reenrolment_reopens(vault: Vault) -> None:
    pid = participants.create(vault, person(intake_date="2026-01-10"))
    closing.update(vault, pid, {"status": "closed"})
    [episode] = program.episodes_of(vault.conn, pid)[pid].episodes
    assert episode.end == dt.date.today()
    program.enrol(vault, pid, dt.date.today() + dt.timedelta(days=1), dt.date.today() + dt.timedelta(days=2))
    assert participants.get(vault, pid, audited=False).status == "active"
    assert len(program.episodes_of(vault.conn, pid)[pid].episodes) == 2


def test_interviews_done_or_missed_with_date_and_reason(vault: Vault) -> None:
    pid = participants.create(vault, person(intake_date="2026-01-10"))
    start = D(2026, 1, 10)
    program.record_interview(vault, GRANT, pid, start, "baseline", "done", D(2026, 1, 20), today=TODAY)
    program.record_interview(vault, GRANT, pid, start, "reassessment", "missed", D(2026, 7, 20),
                             "unreachable", today=TODAY)
    states = {w.spec.id: w.state(TODAY) for w in program.person_windows(vault, GRANT, pid)}
    assert states == {"baseline": "reached", "reassessment": "missed"}
    # recorded again: replaces the first record, no second row
    program.record_interview(vault, GRANT, pid, start, "reassessment", "done", D(2026, 7, 21),
                             today=TODAY)
    assert vault.conn.execute("SELECT count(*) FROM funder_interview").fetchone()[0] == 2
    states = {w.spec.id: w.state(TODAY) for w in program.person_windows(vault, GRANT, pid)}
    assert states["reassessment"] == "reached"
    before = content(vault)
    for args, message in [
        (("followup9", "done", D(2026, 7, 1), ""), "no interview 'followup9'"),
        (("reassessment", "missed", D(2026, 7, 1), ""), "say why it was missed"),
        (("reassessment", "missed", D(2026, 7, 1), "bored"), "say why it was missed"),
        (("reassessment", "done", D(2026, 7, 1), "moved"), "a reason is for a missed"),
        (("reassessment", "done", D(2027, 7, 1), ""), "in the future"),
        (("discharge", "done", D(2026, 7, 1), ""), "opens when the episode ends"),
        (("baseline", "done", D(2025, 7, 1), ""), "before the episode began"),
    ]:
        with pytest.raises(CoachdeskError, match=message):
            program.record_interview(vault, GRANT, pid, start, *args, today=TODAY)
    with pytest.raises(CoachdeskError, match="no episode starting"):
        program.record_interview(vault, GRANT, pid, D(2026, 1, 11), "baseline", "done",
                                 D(2026, 1, 20), today=TODAY)
    assert content(vault) == before
