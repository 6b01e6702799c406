"""The resource directory: CSV import (good and bad files), no duplicates, export."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachdesk.errors import ValidationFailed
from coachdesk.store import resources
from coachdesk.store.vault import Vault

HEADER = "name,kind,address,phone,hours,eligibility,languages,last_verified\n"
GOOD = HEADER + (
    'Harbor Syringe Services,harm_reduction,"12 Pier St, Bayview",555-0100,Mon-Fri 9-5,'
    "anyone,English; Spanish,2026-10-01\n"
    "Hilltop Detox,detox,400 Ridge Rd,555-0101,24/7,Medicaid accepted,English,\n"
)


def write(tmp_path: Path, text: str, name: str = "dir.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_then_import_again_adds_nothing(vault: Vault, tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    assert resources.import_csv(vault, path) == (2, 0)
    ops = vault.conn.execute("SELECT count(*) FROM ops").fetchone()[0]
    assert resources.import_csv(vault, path) == (0, 0)
    assert vault.conn.execute("SELECT count(*) FROM ops").fetchone()[0] == ops
    assert [r.name for r in resources.all_resources(vault)] == ["Harbor Syringe Services",
                                                                "Hilltop Detox"]


def test_search_takes_percent_and_underscore_literally(vault: Vault, tmp_path: Path) -> None:
    resources.import_csv(vault, write(tmp_path, GOOD + "Open_Door 100% free,housing,,,,,,\n"))
    assert [r.name for r in resources.all_resources(vault, "_")] == ["Open_Door 100% free"]
    assert [r.name for r in resources.all_resources(vault, "%")] == ["Open_Door 100% free"]
    assert [r.name for r in resources.all_resources(vault, "hill")] == ["Hilltop Detox"]


def test_a_changed_row_updates_the_same_service(vault: Vault, tmp_path: Path) -> None:
    resources.import_csv(vault, write(tmp_path, GOOD))
    changed = GOOD.replace("24/7", "Mon-Sat 8-8")
    assert resources.import_csv(vault, write(tmp_path, changed, "v2.csv")) == (0, 1)
    detox = [r for r in resources.all_resources(vault) if r.kind == "detox"][0]
    assert detox.hours == "Mon-Sat 8-8"


@pytest.mark.parametrize(("text", "problem"), [
    ("", "empty"),
    ("name,kind\nx,detox\n", "line 1: the header"),
    (GOOD + "Nowhere,spaceship,,,,,,\n", "line 4: kind"),
    (GOOD + "Late,housing,,,,,,2026-02-30\n", "line 4: last verified"),
    (GOOD + ",housing,,,,,,\n", "line 4: name"),
    (GOOD + "Short,housing\n", "line 4: 2 columns"),
])
def test_a_bad_file_imports_nothing(vault: Vault, tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(ValidationFailed, match=problem):
        resources.import_csv(vault, write(tmp_path, text))
    assert resources.all_resources(vault) == []


def test_export_round_trips(vault: Vault, tmp_path: Path) -> None:
    resources.import_csv(vault, write(tmp_path, GOOD))
    out = tmp_path / "out.csv"
    assert resources.export_csv(vault, out) == 2
    assert out.read_text().splitlines()[0] == HEADER.strip()
    assert resources.import_csv(vault, out) == (0, 0)
