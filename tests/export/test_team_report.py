"""The team report from real vaults: per coach and team, small cells suppressed, as csv
and parquet through the real CLI."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path

import duckdb

from coachdesk.export import team_report
from coachdesk.export.suppression import is_small
from tests.cli.test_cli import assert_user_error, run
from tests.export.teamutil import MONTH, team_hub


def check_nothing_small_can_be_worked_out(rows: list[dict[str, str]]) -> None:
    """Every group (measure): no shown figure from 1 to 10; with the total shown, at least
    two parts withheld and the total minus the shown parts not a small count."""
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        groups[row["measure"]].append(row)
    for measure, group in groups.items():
        shown = [int(r["value"]) for r in group if r["value"] != ""]
        assert not any(is_small(n) for n in shown), measure
        for r in group:
            assert (r["value"] == "") == (r["suppressed"] == "true"), r
        total = next(r for r in group if r["coach"] == team_report.ALL)
        parts = [r for r in group if r["coach"] != team_report.ALL]
        hidden = [r for r in parts if r["value"] == ""]
        if total["value"] != "" and hidden:
            assert len(hidden) >= 2, measure
            left = int(total["value"]) - sum(int(r["value"]) for r in parts if r["value"] != "")
            assert not is_small(left), measure


def test_team_report_csv_and_parquet_from_real_vaults(tmp_path: Path) -> None:
    # Ana: 3 people (the small cell), Ben: 12, so the team has 15.
    hub = team_hub(tmp_path, "hub", {"ana": (3, 30, 0), "ben": (12, 20, 12)})
    hub.close()
    home = tmp_path / "hub"
    secret = {"COACHDESK_PASSPHRASE": "passphrase hub"}
    out = tmp_path / "out"
    out.mkdir()
    made = run(home, "report", "--team", "--month", MONTH, "--out", str(out / "harbor.csv"), **secret)
    assert made.returncode == 0, made.stderr
    text = (out / "harbor.csv").read_text()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == team_report.COLUMNS
    assert {r["format_version"] for r in rows} == {"1"}
    assert {r["team"] for r in rows} == {"Harbor team"}
    assert {r["coach"] for r in rows} == {"Ana", "Ben", "Hub", "all"}
    check_nothing_small_can_be_worked_out(rows)
    got = {(r["coach"], r["measure"]): r["value"] for r in rows}
    # No figure gives the 3 away: not the 3, nor the 12 (or the hub's 0) next to the total 15.
    assert got["Ana", "people_served"] == got["Ben", "people_served"] == ""
    assert got["all", "people_served"] == "15" and got["Hub", "people_served"] == ""
    assert "3" not in {v for (_, m), v in got.items() if m == "people_served"}
    assert got["all", "contacts"] == "15"
    assert got["Ana", "contact_minutes"] == got["Ben", "contact_minutes"] == ""  # as contacts
    assert got["all", "contact_minutes"] == str(3 * 30 + 12 * 20)
    assert got["Ben", "referrals"] == "12" and got["all", "referrals"] == "12"
    assert got["all", "crisis_events"] == "0"
    assert "person" not in text  # counts only: no alias ever

    printed = run(home, "report", "--team", "--month", MONTH, **secret)  # csv to the terminal
    assert printed.returncode == 0 and printed.stdout == text, printed.stderr

    made = run(home, "report", "--team", "--format", "parquet", "--month", MONTH,
               "--out", str(out / "harbor.parquet"), **secret)
    assert made.returncode == 0, made.stderr
    assert not list(out.glob(".*"))  # no temp file left
    con = duckdb.connect()
    names = [d[0] for d in con.execute("DESCRIBE SELECT * FROM read_parquet(?)",
                                       [str(out / "harbor.parquet")]).fetchall()]
    assert tuple(names) == team_report.COLUMNS
    from_parquet = con.execute(
        "SELECT coach, measure, coalesce(CAST(value AS VARCHAR), ''), suppressed "
        "FROM read_parquet(?)", [str(out / "harbor.parquet")]).fetchall()
    assert {(c, m): v for c, m, v, _ in from_parquet} == got
    assert all(s == (v == "") for _, _, v, s in from_parquet)

    # Bad input: one line each, nothing written.
    assert_user_error(run(home, "report", "--team", "--format", "md", **secret), "csv or parquet")
    assert_user_error(run(home, "report", "--team", "--format", "parquet", **secret), "--out FILE")
    assert_user_error(run(home, "report", "--format", "parquet", **secret), "add --team")
    assert_user_error(run(home, "report", "--team", "--out", str(out / "harbor.csv"), **secret),
                      "exists")


def test_only_a_supervisor_hub_makes_the_team_report(tmp_path: Path) -> None:
    home = tmp_path / "solo"
    assert run(home, "init", "--coach", "Solo", COACHDESK_PASSPHRASE="a long passphrase").returncode == 0
    assert_user_error(run(home, "report", "--team", COACHDESK_PASSPHRASE="a long passphrase"),
                      "in no team")


def test_without_the_agency_extra_parquet_and_agency_say_how_to_install(tmp_path: Path) -> None:
    """DuckDB made unimportable in the real CLI's process: one line naming the extra."""
    import subprocess
    import sys

    from tests.conftest import cli_env

    hide = "import sys; sys.modules['duckdb'] = None; from coachdesk.cli import main; sys.exit(main())"
    for args in (["report", "--team", "--format", "parquet", "--out", str(tmp_path / "r.parquet")],
                 ["agency", str(tmp_path)]):
        result = subprocess.run([sys.executable, "-c", hide, *args], capture_output=True, text=True,
                                env=cli_env(tmp_path / "home"), stdin=subprocess.DEVNULL, timeout=60)
        assert_user_error(result, "needs the agency extra: pip install 'coachdesk[agency]'")
    assert not (tmp_path / "r.parquet").exists() and not (tmp_path / "home").exists()
