"""The program's rules are data files (issue 22): the shipped ones load; an agency's own
file with the same id wins; a file with an unknown field, a window that ends before it
opens or a broken rule is one line naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachdesk import shipped
from coachdesk.errors import CoachdeskError
from coachdesk.models.billing import load_rules, rule
from coachdesk.models.datafile import BadDataFile
from coachdesk.models.funder import funder, load_funders
from coachdesk.models.program import recovery_lists

FUNDER = shipped.text("funders", "samhsa_suprt.toml")
BILLING = shipped.text("billing", "medicaid_peer_support.toml")


def agency(tmp_path: Path, folder: str, text: str, name: str = "ours.toml") -> Path:
    path = tmp_path / folder
    path.mkdir(exist_ok=True)
    (path / name).write_text(text, encoding="utf-8")
    return path


def one_line(exc: pytest.ExceptionInfo[CoachdeskError]) -> str:
    line = str(exc.value)
    assert "\n" not in line
    return line


def test_shipped_files_load() -> None:
    assert set(load_rules(None)) == {"medicaid_peer_support"}
    grant = funder(None)
    assert [s.id for s in grant.interview] == ["baseline", "reassessment", "discharge"]
    assert grant.target_rate == 0.8
    lists = recovery_lists(None)
    assert "harm_reduction" in lists.pathways and lists.code("engagement", "engaged") == "1"


def test_an_agency_file_with_the_same_id_wins(tmp_path: Path) -> None:
    folder = agency(tmp_path, "funders", FUNDER.replace("target_rate = 0.80", "target_rate = 0.9"))
    assert funder(folder).target_rate == 0.9
    other = agency(tmp_path, "funders", FUNDER.replace('id = "samhsa_suprt"', 'id = "state_grant"'),
                   "state.toml")
    assert set(load_funders(other)) == {"samhsa_suprt", "state_grant"}
    with pytest.raises(CoachdeskError) as caught:
        funder(other)
    assert "several funders" in one_line(caught)


@pytest.mark.parametrize(("folder", "text", "message"), [
    ("funders", FUNDER.replace('name = "SAMHSA', 'colour = "red"\nname = "SAMHSA'),
     "unknown field 'colour'"),
    ("funders", FUNDER.replace("closes_days = 30\n", "closes_days = -31\n", 1),
     "ends before it opens"),
    ("funders", FUNDER.replace("follow_up = false", "follow_up = false\nwindow = 3"),
     "unknown field 'interview.0.window'"),
    ("funders", FUNDER.replace('status = "Conducted"', 'shoe_size = "X"'),
     "unknown field 'extract.shoe_size'"),
    ("funders", FUNDER + "\n[[", "does not parse"),
    ("billing", BILLING.replace("unit_minutes = 15", "unit_minutes = 15\nrounding = 'up'"),
     "unknown field 'rounding'"),
    ("billing", BILLING.replace("partial_unit_from = 8", "partial_unit_from = 20"),
     "longer than a unit"),
    ("billing", BILLING.replace('"check-in" = "H0038"', '"yoga" = "H0038"'),
     "unknown contact type 'yoga'"),
    ("billing", BILLING.replace("unit_minutes = 15", "unit_minutes = -15"), "unit minutes"),
])
def test_a_bad_agency_file_is_one_line_naming_it(tmp_path: Path, folder: str, text: str,
                                                 message: str) -> None:
    path = agency(tmp_path, folder, text)
    load = load_funders if folder == "funders" else load_rules
    with pytest.raises(BadDataFile) as caught:
        load(path)
    line = one_line(caught)
    assert message in line and "ours.toml" in line


def test_a_rule_by_id_or_one_line(tmp_path: Path) -> None:
    assert rule(None, "medicaid_peer_support").unit_minutes == 15
    with pytest.raises(CoachdeskError) as caught:
        rule(None, "nope")
    assert one_line(caught) == "no billing rule 'nope' (known: medicaid_peer_support)"
