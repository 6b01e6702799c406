"""The agency roll-up: every team report in a folder, totals by month and team
(`coachdesk agency FOLDER`). Reads with DuckDB (the agency extra); needs no vault.

    read_folder(folder)   the teams' figures and the agency's, and what was skipped
    to_text(rollup)       the table printed

A file is read by its column names, not their order, so other versions read too: only
month, team, measure and value are needed (coach, when present, picks the team's own
"all" rows; team_id, when present, tells apart two teams of one name). A measure a file
does not have is "not reported". A file that is no team report (another format, other
columns, a value that is not a count, a month that is not one) is skipped with one line.
Two files for one team and month: the newer file is used, the other skipped.

Suppression stays: a withheld figure is withheld in the totals too (an agency total is
shown only when every team's figure for it is), and a small count from a file that did not
suppress it (a hand-made or older file) is withheld here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from coachdesk.errors import CoachdeskError
from coachdesk.export.suppression import is_small
from coachdesk.export.team_report import ALL, MEASURES

if TYPE_CHECKING:
    import duckdb

MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
COUNT = re.compile(r"^[0-9]{1,15}$")
READERS = {".csv": "read_csv(?, header = true, all_varchar = true)", ".parquet": "read_parquet(?)"}
NEEDED = ("month", "team", "measure", "value")
LABELS = {"people_served": "served", "new_participants": "new", "active_participants": "active",
          "contacts": "contacts", "contact_minutes": "minutes", "referrals": "referrals",
          "crisis_events": "crises"}
WITHHELD, NOT_REPORTED = "*", "-"
AGENCY = "all teams"
TRUE = frozenset({"true", "1", "yes", "t", "y"})

Key = tuple[str, str]
"""(month, team key): the team key is its team_id, or its name in a file without one."""


class NotAReport(Exception):
    """Why a file is skipped (one line)."""


@dataclass(frozen=True)
class Figure:
    value: int | None
    """None: withheld."""


@dataclass
class Rollup:
    folder: Path
    read: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    teams: dict[Key, tuple[str, dict[str, Figure]]] = field(default_factory=dict)
    """(month, team key) -> (team name, measure -> figure); a measure absent: not reported."""
    agency: dict[str, dict[str, Figure | None]] = field(default_factory=dict)
    """month -> measure -> the agency's figure (None: not reported by every team)."""


FileRow = tuple[str, str, str, str, Figure]
"""(month, team key, team name, measure, figure)."""


def _columns(con: duckdb.DuckDBPyConnection, reader: str, path: Path) -> dict[str, str]:
    described = con.execute(f"DESCRIBE SELECT * FROM {reader}", [str(path)]).fetchall()
    return {str(row[0]).strip().lower(): str(row[0]) for row in described}


def _figure(value: object, suppressed: object, has_flag: bool, where: str) -> Figure:
    text = "" if value is None else str(value).strip()
    flag = str(suppressed or "").strip().lower() in TRUE
    if flag or (not text and not has_flag):
        return Figure(None)
    if not text:
        raise NotAReport(f"{where}: an empty value that is not marked suppressed")
    if not COUNT.match(text):
        raise NotAReport(f"{where}: value {text[:20]!r} is not a count")
    count = int(text)
    return Figure(None if is_small(count) else count)


def read_file(con: duckdb.DuckDBPyConnection, path: Path) -> list[FileRow]:
    """The team figures ("all" rows) of one report file; NotAReport if it is none."""
    import duckdb

    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise NotAReport("not a team report (csv or parquet)")
    try:
        cols = _columns(con, reader, path)
        missing = [c for c in NEEDED if c not in cols]
        if missing:
            raise NotAReport(f"not a team report (no {', '.join(missing)} column)")

        def text(name: str, default: str = "NULL") -> str:
            return f'CAST("{cols[name]}" AS VARCHAR)' if name in cols else default

        where = f"WHERE {text('coach')} = '{ALL}'" if "coach" in cols else ""
        found = con.execute(
            f"SELECT {text('month')}, coalesce(nullif({text('team_id')}, ''), {text('team')}), "
            f"{text('team')}, {text('measure')}, {text('value')}, {text('suppressed')} "
            f"FROM {reader} {where}", [str(path)]).fetchall()
    except duckdb.Error:
        raise NotAReport(f"not a readable {path.suffix.lower().lstrip('.')} file") from None
    rows: list[FileRow] = []
    seen: set[tuple[str, str, str]] = set()
    for n, (month, key, team, measure, value, suppressed) in enumerate(found, start=1):
        where_ = f"team row {n}"
        if not isinstance(month, str) or not MONTH.match(month.strip()):
            raise NotAReport(f"{where_}: {str(month)[:20]!r} is not a month (YYYY-MM)")
        if not team or not measure:
            raise NotAReport(f"{where_}: no team or no measure")
        ident = (month.strip(), str(key), str(measure).strip())
        if ident in seen:
            raise NotAReport(f"{where_}: {ident[2]} of {team} for {ident[0]} twice")
        seen.add(ident)
        rows.append((*ident[:2], str(team), ident[2],
                     _figure(value, suppressed, "suppressed" in cols, where_)))
    if not rows:
        raise NotAReport("no team figures in it")
    return rows


def _candidates(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise CoachdeskError(f"{folder} is not a folder" if folder.exists()
                             else f"folder {folder} does not exist")
    try:
        # Hidden names are what sync engines leave (.syncthing.*.tmp, .partial): not files yet.
        return sorted(p for p in folder.iterdir() if not p.name.startswith(".") and p.is_file())
    except OSError as exc:
        raise CoachdeskError(f"cannot read folder {folder}: {exc.strerror or exc}") from None


def read_folder(folder: Path) -> Rollup:
    import duckdb

    rollup = Rollup(folder)
    con = duckdb.connect()
    try:
        by_file: dict[Path, list[FileRow]] = {}
        for path in _candidates(folder):
            try:
                by_file[path] = read_file(con, path)
            except NotAReport as why:
                rollup.skipped.append(f"{path.name}: {why}")
        taken: dict[Key, Path] = {}
        newest_first = sorted(by_file, key=lambda p: (-p.stat().st_mtime, p.name))
        for path in newest_first:
            keys = {(r[0], r[1]) for r in by_file[path]}
            clash = next((taken[k] for k in sorted(keys) if k in taken), None)
            if clash is not None:
                rollup.skipped.append(f"{path.name}: the same team and month as {clash.name}, "
                                      "which is newer and is used")
                del by_file[path]
                continue
            taken.update(dict.fromkeys(keys, path))
        if not by_file:
            names = sorted(s.split(":")[0] for s in rollup.skipped)
            others = f" (not one: {', '.join(names[:5])}{', ...' if len(names) > 5 else ''})"
            raise CoachdeskError(f"no team reports in {folder}" + (others if names else ""))
        rollup.read = sorted(p.name for p in by_file)
        _combine(con, rollup, [r for rows in by_file.values() for r in rows])
    finally:
        con.close()
    rollup.skipped.sort()
    return rollup


def _combine(con: duckdb.DuckDBPyConnection, rollup: Rollup, rows: list[FileRow]) -> None:
    """The teams' figures and the agency's, added up in DuckDB."""
    con.execute("CREATE TABLE fig (month VARCHAR, team_key VARCHAR, team VARCHAR, "
                "measure VARCHAR, value BIGINT, withheld BOOLEAN)")
    con.executemany("INSERT INTO fig VALUES (?, ?, ?, ?, ?, ?)",
                    [[m, k, t, meas, f.value, f.value is None] for m, k, t, meas, f in rows])
    found = {str(m) for (m,) in con.execute("SELECT DISTINCT measure FROM fig").fetchall()}
    rollup.measures = [m for m in MEASURES if m in found] + sorted(found - set(MEASURES))
    for month, key, team, measure, value in con.execute(
            "SELECT month, team_key, team, measure, value FROM fig ORDER BY month, team, team_key"
    ).fetchall():
        rollup.teams.setdefault((month, key), (team, {}))[1][measure] = Figure(value)
    for month, measure, reporting, teams, withheld, total in con.execute(
            "SELECT f.month, f.measure, count(*), any_value(t.teams), bool_or(f.withheld), "
            "sum(f.value) FROM fig f JOIN (SELECT month, count(DISTINCT team_key) AS teams "
            "FROM fig GROUP BY month) t USING (month) GROUP BY f.month, f.measure").fetchall():
        figure = None if reporting < teams else Figure(None if withheld else int(total))
        rollup.agency.setdefault(month, {})[measure] = figure


def _cell(figure: Figure | None) -> str:
    if figure is None:
        return NOT_REPORTED
    return WITHHELD if figure.value is None else str(figure.value)


def to_text(rollup: Rollup) -> str:
    header = ["month", "team", *(LABELS.get(m, m) for m in rollup.measures)]
    table: list[list[str]] = []
    for month in sorted(rollup.agency):
        teams = sorted(((name, figs) for (m, _), (name, figs) in rollup.teams.items() if m == month),
                       key=lambda t: t[0].casefold())
        for name, figs in teams:
            table.append([month, name, *(_cell(figs.get(m)) for m in rollup.measures)])
        table.append([month, AGENCY, *(_cell(rollup.agency[month].get(m)) for m in rollup.measures)])
    widths = [max(len(r[i]) for r in [header, *table]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    n = len(rollup.read)
    lines = [f"Agency totals from {n} team report{'s' if n != 1 else ''} in {rollup.folder}", "",
             line(header)]
    previous = ""
    for row in table:
        if previous and row[0] != previous:
            lines.append("")
        lines.append(line(row))
        previous = row[0]
    lines += ["", f"{WITHHELD} suppressed (a count from 1 to 10, or a figure that would reveal one)"
                  f"   {NOT_REPORTED} not reported (a file of an older version, or not every team)"]
    return "\n".join(lines) + "\n"
