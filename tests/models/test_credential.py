"""Credential progress from known hours: toward the credential, then per renewal period;
a credential file that does not parse is one line with its line number, the others load."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coachdesk.models.credential import BadCredentialFile, CoachHours, load_all, parse, progress


def test_progress_toward_the_credential_from_known_hours() -> None:
    credential = load_all(None).get(None)
    hours = CoachHours(experience=512.5, supervision=20.0,
                       training={"ethics": 16.0, "advocacy": 12.0, "mentoring": 4.0, "": 2.0},
                       continuing=[])
    found = progress(credential, hours, None, dt.date(2026, 12, 3))
    by = {line.what: (line.done, line.missing) for line in found.lines}
    assert by["experience"] == (512.5, 0.0)
    assert by["supervision"] == (20.0, 5.0)
    assert by["training"] == (34.0, 12.0)
    assert by["training: Ethical responsibility"] == (16.0, 0.0)
    assert by["training: Advocacy"] == (12.0, 0.0)
    assert by["training: Mentoring and education"] == (4.0, 6.0)
    assert by["training: Recovery and wellness support"] == (0.0, 10.0)
    assert not found.complete and found.renewal_due is None


def test_renewal_counts_only_this_period_and_says_when_it_is_due() -> None:
    credential = load_all(None).get("icrc_peer_recovery")
    continuing = [(dt.date(2024, 5, 1), "ethics", 6.0),       # the period before
                  (dt.date(2025, 3, 1), "ethics", 4.0),
                  (dt.date(2026, 1, 15), "advocacy", 16.0)]
    hours = CoachHours(0, 0, {}, continuing)
    found = progress(credential, hours, dt.date(2022, 6, 30), dt.date(2026, 12, 3))
    assert (found.period_start, found.renewal_due) == (dt.date(2026, 6, 30), dt.date(2028, 6, 30))
    found = progress(credential, hours, dt.date(2023, 2, 1), dt.date(2026, 1, 20))
    assert (found.period_start, found.renewal_due) == (dt.date(2025, 2, 1), dt.date(2027, 2, 1))
    by = {line.what: (line.done, line.missing) for line in found.lines}
    assert by["continuing education"] == (20.0, 0.0)
    assert by["continuing education: Ethical responsibility"] == (4.0, 2.0)


def test_a_file_that_does_not_parse_is_listed_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "a_broken.toml").write_text('id = "a"\nname = "A"\nrenewal_years = = 2\n')
    (tmp_path / "b_wrong.toml").write_text('id = "b"\nname = "B"\nrenewal_years = 0\n')
    (tmp_path / "c_fine.toml").write_text('id = "c_state"\nname = "C"\nrenewal_years = 3\n')
    catalog = load_all(tmp_path)
    assert set(catalog.credentials) == {"icrc_peer_recovery", "c_state"}
    assert len(catalog.problems) == 2
    assert "a_broken.toml does not parse" in catalog.problems[0] and "line 3" in catalog.problems[0]
    assert "b_wrong.toml is not a credential: renewal years" in catalog.problems[1]
    with pytest.raises(BadCredentialFile, match="domain 'x' is not under"):
        parse('id = "d"\nname = "D"\nrenewal_years = 1\n[first.training_by_domain]\nx = 1\n', "d")
