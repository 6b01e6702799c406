"""The agency reader on files it must refuse (one reason each) or read as an older version."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from coachdesk.export import agency

HEADER = "month,team,coach,measure,value\n"


@pytest.mark.parametrize(("body", "why"), [
    ("2026-11,T,all,contacts,-3\n", "not a count"),
    ("2026-11,T,all,contacts,\u00b2\n", "not a count"),
    ("2026-11,T,all,contacts,many\n", "not a count"),
    ("2026-13,T,all,contacts,40\n", "not a month"),
    ("2026-11,T,all,contacts,40\n2026-11,T,all,contacts,41\n", "twice"),
    ("2026-11,T,Ann,contacts,40\n", "no team figures"),
])
def test_a_file_that_is_no_report_says_why(tmp_path: Path, body: str, why: str) -> None:
    path = tmp_path / "r.csv"
    path.write_text(HEADER + body)
    with pytest.raises(agency.NotAReport, match=why):
        agency.read_file(duckdb.connect(), path)


def test_an_older_file_without_coach_or_flag_reads_and_stays_suppressed(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_text("Month,Team,Measure,Value\n2026-11,T,contacts,40\n2026-11,T,referrals,4\n"
                    "2026-11,T,crisis_events,\n")
    rows = agency.read_file(duckdb.connect(), path)
    assert [(r[3], r[4].value) for r in rows] == [("contacts", 40), ("referrals", None),
                                                  ("crisis_events", None)]
