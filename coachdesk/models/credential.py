"""Credentials as data: the hours a credential asks for, by kind and domain, to earn it
and for each renewal period (assets/credentials/*.toml, and an agency's own files in the
user config folder, `credentials/*.toml`), and the progress of a coach's hours against one.

    load_all(extra_dir) -> Catalog     every credential; a file that does not parse is listed
    progress(credential, hours, earned, today) -> Progress   done, missing, renewal due
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from coachdesk import shipped
from coachdesk.errors import CoachdeskError
from coachdesk.models.validation import first_problem

FOLDER = "credentials"
DEFAULT = "icrc_peer_recovery"
MAX_FILE = 64 * 1024
_ID = re.compile(r"^[a-z][a-z0-9_]{0,59}$")

Hours = dict[str, float]


class FirstRequirements(BaseModel):
    model_config = ConfigDict(extra="forbid")

    experience: float = Field(0, ge=0, le=100_000)
    supervision: float = Field(0, ge=0, le=10_000)
    training: float = Field(0, ge=0, le=10_000)
    training_by_domain: Hours = Field(default_factory=dict)


class RenewalRequirements(BaseModel):
    model_config = ConfigDict(extra="forbid")

    continuing_education: float = Field(0, ge=0, le=10_000)
    continuing_education_by_domain: Hours = Field(default_factory=dict)


class Credential(BaseModel):
    """One credential's requirements."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID.pattern)
    name: str = Field(min_length=1, max_length=200)
    renewal_years: int = Field(ge=1, le=10)
    domains: dict[str, str] = Field(default_factory=dict)
    first: FirstRequirements = Field(default_factory=FirstRequirements)
    renewal: RenewalRequirements = Field(default_factory=RenewalRequirements)

    @model_validator(mode="after")
    def _domains_known(self) -> Credential:
        for by in (self.first.training_by_domain, self.renewal.continuing_education_by_domain):
            for domain, hours in by.items():
                if domain not in self.domains:
                    raise ValueError(f"domain {domain!r} is not under [domains]")
                if not 0 <= hours <= 10_000:
                    raise ValueError(f"hours for {domain!r} must be 0 to 10000")
        return self

    def domain_label(self, domain: str) -> str:
        return self.domains.get(domain, domain or "no domain")


class BadCredentialFile(CoachdeskError):
    """A credential file that does not parse: its name, its line when known, why."""


def parse(text: str, name: str) -> Credential:
    """A credential from a file's text, or one BadCredentialFile line (with the line number
    when TOML can tell it)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadCredentialFile(f"{name} does not parse: {exc}") from None
    try:
        return Credential.model_validate(data)
    except ValidationError as exc:
        raise BadCredentialFile(f"{name} is not a credential: {first_problem(exc)}") from None


@dataclass
class Catalog:
    credentials: dict[str, Credential] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    """One line per file that did not load (the others still did)."""

    def get(self, credential_id: str | None) -> Credential:
        wanted = credential_id or DEFAULT
        if wanted in self.credentials:
            return self.credentials[wanted]
        if credential_id is None and len(self.credentials) == 1:
            return next(iter(self.credentials.values()))
        known = ", ".join(sorted(self.credentials)) or "none"
        raise CoachdeskError(f"no credential {wanted[:60]!r} (known: {known})")


def _read(path: Path) -> str:
    try:
        with path.open("rb") as f:
            data = f.read(MAX_FILE + 1)
    except OSError as exc:
        raise BadCredentialFile(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE:
        raise BadCredentialFile(f"{path} is larger than {MAX_FILE // 1024} KB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadCredentialFile(f"{path} is not UTF-8 text") from None


def load_all(extra_dir: Path | None) -> Catalog:
    """The shipped credentials, then an agency's (`extra_dir/*.toml`, same id: theirs wins).
    A file that does not load is a line in `problems`; the others still load. A damaged
    shipped file is one AssetError line."""
    catalog = Catalog()
    shipped_dir = shipped.path(FOLDER)
    try:
        names = sorted(p.name for p in shipped_dir.iterdir() if p.name.endswith(".toml"))
    except OSError:
        raise shipped.AssetError(f"assets/{FOLDER} is missing: reinstall coachdesk") from None
    for file_name in names:
        try:
            found = parse(shipped.text(FOLDER, file_name), f"assets/{FOLDER}/{file_name}")
        except BadCredentialFile as exc:
            raise shipped.AssetError(f"{exc}: reinstall coachdesk") from None
        catalog.credentials[found.id] = found
    if extra_dir is None or not extra_dir.is_dir():
        return catalog
    for path in sorted(extra_dir.glob("*.toml")):
        try:
            found = parse(_read(path), str(path))
        except BadCredentialFile as exc:
            catalog.problems.append(str(exc))
            continue
        catalog.credentials[found.id] = found
    return catalog


# ---- progress --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    what: str
    needed: float
    done: float

    @property
    def missing(self) -> float:
        return max(0.0, round(self.needed - self.done, 2))


@dataclass(frozen=True)
class Progress:
    credential: Credential
    lines: tuple[Line, ...]
    earned: dt.date | None
    period_start: dt.date | None
    renewal_due: dt.date | None

    @property
    def complete(self) -> bool:
        return all(line.missing == 0 for line in self.lines)


@dataclass(frozen=True)
class CoachHours:
    """A coach's hours, as the ledger counts them."""

    experience: float
    supervision: float
    training: Hours
    """Training hours by domain ("" = no domain), all dates."""
    continuing: list[tuple[dt.date, str, float]]
    """Continuing education (and training) lines: date, domain, hours."""


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def renewal_period(credential: Credential, earned: dt.date,
                   today: dt.date) -> tuple[dt.date, dt.date]:
    """The renewal period today falls in: (its first day, the day the renewal is due)."""
    start = earned
    while add_years(start, credential.renewal_years) <= today:
        start = add_years(start, credential.renewal_years)
    return start, add_years(start, credential.renewal_years)


def progress(credential: Credential, hours: CoachHours, earned: dt.date | None,
             today: dt.date) -> Progress:
    """Toward the credential (not yet `earned`), or toward its renewal in this period."""
    if earned is None:
        first = credential.first
        lines = [Line("experience", first.experience, hours.experience),
                 Line("supervision", first.supervision, hours.supervision),
                 Line("training", first.training, sum(hours.training.values()))]
        lines += [Line(f"training: {credential.domain_label(d)}", need,
                       hours.training.get(d, 0.0))
                  for d, need in first.training_by_domain.items()]
        return Progress(credential, tuple(_rounded(lines)), None, None, None)
    start, due = renewal_period(credential, earned, today)
    taken = [(domain, h) for day, domain, h in hours.continuing if start <= day < due]
    renewal = credential.renewal
    lines = [Line("continuing education", renewal.continuing_education, sum(h for _, h in taken))]
    lines += [Line(f"continuing education: {credential.domain_label(d)}", need,
                   sum(h for domain, h in taken if domain == d))
              for d, need in renewal.continuing_education_by_domain.items()]
    return Progress(credential, tuple(_rounded(lines)), earned, start, due)


def describe(found: Progress) -> list[str]:
    """The progress view as lines of text (the CLI prints them, the TUI shows them)."""
    c = found.credential
    if found.earned is None:
        head = [f"{c.name}: toward the credential"]
    else:
        assert found.period_start is not None and found.renewal_due is not None
        head = [f"{c.name}: earned {found.earned.isoformat()}; this renewal period "
                f"{found.period_start.isoformat()} to {found.renewal_due.isoformat()}",
                f"renewal due {found.renewal_due.isoformat()} (every {c.renewal_years} years)"]
    lines = [f"  {line.what[:40]:<40} {round(line.done, 1):>6g} of {line.needed:<5g} "
             + ("done" if line.missing == 0 else f"missing {round(line.missing, 1):g}")
             for line in found.lines]
    tail = ["all done" if found.complete else
            f"missing: {sum(1 for line in found.lines if line.missing)} of {len(found.lines)} lines"]
    return head + lines + tail


def _rounded(lines: list[Line]) -> list[Line]:
    return [Line(line.what, line.needed, round(line.done, 2)) for line in lines]
