"""The peer-recovery competency domains a supervision session's topics come from
(assets/supervision/domains.toml): ids and labels, read once."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from coachdesk import shipped
from coachdesk.errors import ValidationFailed

FILE = ("supervision", "domains.toml")
_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class Domain:
    id: str
    label: str


def parse_domains(text: str, name: str) -> tuple[Domain, ...]:
    """The domains of a domains file's text, or one AssetError line naming the file."""
    try:
        data = tomllib.loads(text)
        found = tuple(Domain(str(d["id"]), str(d["label"])) for d in data["domain"])
    except tomllib.TOMLDecodeError as exc:
        raise shipped.AssetError(f"{name} does not parse ({exc})") from None
    except (KeyError, TypeError) as exc:
        raise shipped.AssetError(f"{name} is damaged: each [[domain]] needs an id and a label "
                                 f"({exc})") from None
    if not found:
        raise shipped.AssetError(f"{name} lists no domain")
    seen: set[str] = set()
    for domain in found:
        if not _ID.match(domain.id) or domain.id in seen or not domain.label.strip():
            raise shipped.AssetError(f"{name} is damaged: domain {domain.id[:40]!r} is not a "
                                     "unique lower-case id with a label")
        seen.add(domain.id)
    return found


@cache
def domains() -> tuple[Domain, ...]:
    """The shipped competency domains, or one AssetError line."""
    return parse_domains(shipped.text(*FILE), "assets/" + "/".join(FILE))


def label(domain_id: str) -> str:
    return {d.id: d.label for d in domains()}.get(domain_id, domain_id)


def checked_topics(topics: list[str]) -> list[str]:
    """The topics given, each a known domain id (order kept, no repeats), else one line."""
    known = {d.id for d in domains()}
    result: list[str] = []
    for topic in (t.strip() for t in topics):
        if topic not in known:
            raise ValidationFailed(f"unknown topic {topic[:40]!r}: one of {', '.join(sorted(known))}")
        if topic not in result:
            result.append(topic)
    return result
