"""Reports a funder can compare month to month: every category listed, zeros included,
human labels, protocol and outcome in columns, the period and the time made; small-cell
suppression for reports that leave the program."""

from __future__ import annotations

import datetime as dt

from coachdesk.export import report
from coachdesk.store import crisis, notes, participants, referrals, resources
from coachdesk.store.vault import Vault
from tests.conftest import person


class _Protocol:
    id, version, title = "overdose", 1, "Opioid overdose response"


def shape(built: report.Report) -> list[tuple[str, list[str]]]:
    return [(s.title, [label for label, _ in s.rows]) for s in built.sections]


def busy_vault(vault: Vault, contacts: int = 3) -> None:
    pid = participants.create(vault, person("Busy Bee", intake_date="2026-03-02"))
    for day in range(contacts):
        note_id = notes.start(vault, pid, occurred_at=f"2026-03-{day + 3:02d} 10:00")
        notes.save_header(vault, note_id, {"setting": "court", "duration_min": 20,
                                           "contact_type": "check-in"})
        notes.finalize(vault, note_id, "text", today=dt.date(2026, 3, 20))
    rid = resources.create(vault, {"name": "Harbor", "kind": "harm_reduction"})
    referrals.add(vault, pid, rid, referred_on=dt.date(2026, 3, 5))
    event = crisis.start(vault, _Protocol(), pid, at="2026-03-04T10:00:00+00:00")
    crisis.record(vault, event, "end", "end", "Done", "EMS arrived and took over",
                  at="2026-03-04T10:05:00+00:00")


def test_rows_are_the_same_in_a_month_with_and_without_data(vault: Vault) -> None:
    busy_vault(vault)
    march, april = report.build(vault.conn, "2026-03"), report.build(vault.conn, "2026-04")
    assert shape(march) == shape(april)
    by_kind = dict(next(s for s in march.sections if s.title == "Referrals by kind of service").rows)
    assert by_kind["harm reduction"] == 1 and by_kind["housing"] == 0  # human labels, zeros
    assert "harm_reduction" not in report.to_markdown(march)


def test_markdown_has_period_time_made_and_table_headers(vault: Vault) -> None:
    busy_vault(vault)
    text = report.to_markdown(report.build(vault.conn, "2026-02"))
    assert "Period: 2026-02-01 to 2026-02-28" in text and "Made: " in text
    assert "| Protocol | Outcome | Count |" in text
    assert "| Opioid overdose response | EMS arrived and took over | 0 |" in text
    assert "| Setting | Count |" in text and "| Figure | Count |" in text
    march = report.to_markdown(report.build(vault.conn, "2026-03"))
    assert "| Opioid overdose response | EMS arrived and took over | 1 |" in march


def test_suppression_withholds_small_cells_and_what_reveals_them(vault: Vault) -> None:
    busy_vault(vault, contacts=3)
    built = report.suppressed(report.build(vault.conn, "2026-03"))
    got = {s.title: dict(s.rows) for s in built.sections}
    assert got["Contacts"] == {"contacts": None, "contact time (minutes)": None}  # tied
    assert set(got["Contacts by setting"].values()) == {None}  # every part, zeros too
    assert got["Participants"]["new participants"] is None
    assert got["Participants"]["closed participants"] == 0  # a zero alone reveals nothing
    text = report.to_markdown(built)
    assert "withheld" in text and "counts of 1 to 10" in text
    csv_text = report.to_csv(built)
    assert ",Contacts,contacts,\n" in csv_text


def test_suppression_keeps_large_counts(vault: Vault) -> None:
    busy_vault(vault, contacts=12)
    built = report.suppressed(report.build(vault.conn, "2026-03"))
    got = {s.title: dict(s.rows) for s in built.sections}
    assert got["Contacts"]["contacts"] == 12 and got["Contacts"]["contact time (minutes)"] == 240
    assert got["Contacts by setting"]["court"] == 12 and got["Contacts by setting"]["phone"] == 0


def test_the_report_says_how_far_it_is(vault: Vault) -> None:
    from coachdesk.export import program_report

    steps: list[tuple[float, str]] = []
    program_report.full(vault.conn, "2026-03", lambda done, what: steps.append((done, what)))
    fractions = [done for done, _ in steps]
    assert fractions == sorted(fractions) and fractions[0] == 0 and fractions[-1] < 1
    assert "counting contacts" in [what for _, what in steps]
    assert steps[-1][1] == "counting units and follow-ups"
