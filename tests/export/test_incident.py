"""The incident summary (Markdown) and the session-note text, and where files may go."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from coachdesk import config
from coachdesk.errors import CoachdeskError
from coachdesk.export.incident import (
    export_incident,
    incident_markdown,
    incident_note_text,
    zone_name,
)
from coachdesk.models import CrisisRecord
from coachdesk.protocols import load_file
from coachdesk.store import crisis, participants
from coachdesk.store.vault import Vault
from tests.conftest import person

OVERDOSE = load_file(config.assets_dir() / "protocols" / "overdose.toml")


def finished(vault: Vault) -> CrisisRecord:
    pid = participants.create(vault, person("Nadia | Pipe"))
    event_id = crisis.start(vault, OVERDOSE)
    crisis.record(vault, event_id, "signs", "yesno", "Is this an overdose?", "yes")
    crisis.back(vault, event_id, "call-911", "Call 911 now", "Is this an overdose?")
    crisis.record(vault, event_id, "signs", "yesno", "Is this an overdose?", "no")
    crisis.attach(vault, event_id, pid)
    crisis.record(vault, event_id, "watch", "instruction", "Keep watching", "done")
    crisis.record(vault, event_id, "end-no-signs", "end", "Checklist complete",
                  "No signs of overdose")
    return crisis.get(vault, event_id)


def test_markdown_has_outcome_person_and_every_row(vault: Vault) -> None:
    record = finished(vault)
    text = incident_markdown(record, person="Nadia | Pipe", coach="Sam Coach")
    assert text.startswith("# Incident summary: Opioid overdose response")
    assert "**Outcome**: No signs of overdose" in text
    assert "**Participant**: Nadia | Pipe" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and ":" in line[:12]]
    assert len(rows) == 1 + len(record.steps)  # the start, then every recorded row
    assert "| Went back one step | from Call 911 now to Is this an overdose? |" in text
    assert "Nadia \\| Pipe" in text  # a pipe in a name cannot break the table
    assert "42 CFR Part 2" in text


def test_note_text_has_the_timeline_and_no_name(vault: Vault) -> None:
    record = finished(vault)
    text = incident_note_text(record)
    assert "Opioid overdose response" in text and "Outcome: No signs of overdose." in text
    assert "Is this an overdose?: yes" in text and "Is this an overdose?: no" in text
    assert "Nadia" not in text and record.participant_id not in text


def test_written_only_to_a_new_file_readable_by_the_owner(vault: Vault, tmp_path: Path) -> None:
    record = finished(vault)
    target = export_incident(vault, record, "md", tmp_path / "incident.md", person="Nadia")
    first = target.read_text(encoding="utf-8")
    assert first.startswith("# Incident summary") and stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(CoachdeskError, match="already exists"):
        export_incident(vault, record, "html", target)
    assert target.read_text(encoding="utf-8") == first
    with pytest.raises(CoachdeskError, match="does not exist"):
        export_incident(vault, record, "md", tmp_path / "missing" / "x.md")
    with pytest.raises(CoachdeskError, match="is a folder"):
        export_incident(vault, record, "md", tmp_path)
    with pytest.raises(CoachdeskError, match="unknown format"):
        export_incident(vault, record, "pdf", tmp_path / "x.pdf")
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["incident.md"]
    exported = vault.conn.execute(
        "SELECT count(*) FROM audit WHERE action = 'incident exported'").fetchone()[0]
    assert exported == 1
    export_incident(vault, record, "html", target, force=True)
    page = target.read_text(encoding="utf-8")
    assert "<table>" in page and "Time zone" in page and "No signs of overdose" in page


def test_times_name_their_zone() -> None:
    import datetime as dt

    eastern = dt.datetime(2026, 1, 5, 10, tzinfo=dt.timezone(dt.timedelta(hours=-5), "EST"))
    assert zone_name(eastern) == "EST (UTC-05:00)"
    assert zone_name(dt.datetime(2026, 1, 5, tzinfo=dt.UTC)) == "UTC+00:00"
