"""`coachdesk agency FOLDER` through the real CLI: two teams' reports (csv and parquet), a
file of an older version, junk; totals by month and team, suppression kept."""

from __future__ import annotations

import os
from pathlib import Path

from coachdesk.export import team_report
from coachdesk.files import write_file
from coachdesk.store.vault import Vault
from tests.cli.test_cli import assert_user_error, run
from tests.export.teamutil import MONTH, team_hub

OLD_FORMAT = (  # an older version: no format_version, team_id or suppressed; fewer measures
    "month,team,coach,measure,value\n"
    f"{MONTH},Old Pier team,Dee,people_served,40\n"
    f"{MONTH},Old Pier team,all,people_served,40\n"
    f"{MONTH},Old Pier team,all,contacts,120\n"
    f"{MONTH},Old Pier team,all,crisis_events,7\n"  # a small count it did not suppress
    "2026-01,Old Pier team,all,people_served,25\n")
MEASURES = 7


def report_of(hub: Vault) -> list[team_report.Row]:
    from coachdesk.sync import team

    held = team.current(hub.conn)
    assert held is not None
    rows = team_report.build(hub.conn, MONTH, team_report.Team(
        held.team_id, held.name, {m.device: m.identity.name for m in held.members},
        tuple(m.device for m in held.active_members())))
    hub.close()
    return rows


def printed(stdout: str) -> dict[tuple[str, str], list[str]]:
    """(month, team) -> its cells (served new active contacts minutes referrals crises)."""
    found = {}
    for line in stdout.splitlines():
        cells = line.split()
        if cells and cells[0][:4].isdigit():
            found[cells[0], " ".join(cells[1:-MEASURES])] = cells[-MEASURES:]
    return found


def test_agency_totals_from_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "agency"
    folder.mkdir()
    harbor = report_of(team_hub(tmp_path / "a", "hub", {"ana": (3, 30, 0), "ben": (12, 20, 2)}))
    write_file(folder / "harbor.csv", team_report.to_csv(harbor))
    hill = report_of(team_hub(tmp_path / "b", "boss", {"cy": (11, 10, 0)}, team="Hill team"))
    write_file(folder / "hill.parquet", team_report.parquet_writer(hill))
    (folder / "old-pier.csv").write_text(OLD_FORMAT)
    (folder / "notes.txt").write_text("not a report\n")
    (folder / "junk.csv").write_text("a;b\n\x00\x01 nothing here\n")
    (folder / "broken.parquet").write_bytes(os.urandom(300))
    (folder / ".syncthing.harbor.csv.tmp").write_text("half a file")  # not there yet: ignored

    result = run(tmp_path / "nohome", "agency", str(folder))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    skipped = result.stderr.strip().splitlines()
    assert [line.split(":")[0] for line in skipped] == [
        "skipped broken.parquet", "skipped junk.csv", "skipped notes.txt"], skipped
    assert "from 3 team reports" in result.stdout
    got = printed(result.stdout)
    assert list(got) == [("2026-01", "Old Pier team"), ("2026-01", "all teams"),
                         (MONTH, "Harbor team"), (MONTH, "Hill team"), (MONTH, "Old Pier team"),
                         (MONTH, "all teams")]
    # Harbor: Ana's 3 and Ben's 12 are withheld at the source, the team's 15 is not;
    # its 2 referrals are withheld, and so is every total they are in.
    assert got[MONTH, "Harbor team"] == ["15", "15", "15", "15", "330", "*", "0"]
    assert got[MONTH, "Hill team"] == ["11", "11", "11", "11", "110", "0", "0"]
    assert got[MONTH, "Old Pier team"] == ["40", "-", "-", "120", "-", "-", "*"]  # the 7 withheld
    assert got[MONTH, "all teams"] == ["66", "-", "-", "146", "-", "-", "*"]
    assert got["2026-01", "all teams"] == ["25", "-", "-", "-", "-", "-", "-"]
    assert not any(c.isdigit() and 1 <= int(c) <= 10 for cells in got.values() for c in cells)

    # A newer report of the same team and month replaces the older one (newest file wins).
    again = folder / "harbor-again.csv"
    write_file(again, team_report.to_csv(harbor))
    os.utime(folder / "harbor.csv", (1_000_000_000, 1_000_000_000))
    second = run(tmp_path / "nohome", "agency", str(folder))
    assert second.returncode == 0, second.stderr
    assert "skipped harbor.csv: the same team and month as harbor-again.csv" in second.stderr
    assert printed(second.stdout) == got


def test_agency_bad_folders(tmp_path: Path) -> None:
    assert_user_error(run(tmp_path, "agency", str(tmp_path / "nowhere")), "does not exist")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("hello")
    assert_user_error(run(tmp_path, "agency", str(empty)), "no team reports in")
    assert_user_error(run(tmp_path, "agency", str(empty)), "(not one: notes.txt)")
    (empty / "notes.txt").unlink()
    assert_user_error(run(tmp_path, "agency", str(empty)), f"no team reports in {empty}")
    assert_user_error(run(tmp_path, "agency", str(empty / "x.csv")), "does not exist")
