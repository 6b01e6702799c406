"""The fixed kinds of information a consent may cover (assets/consent/kinds.toml).

    KINDS                  id -> ConsentKind, in the file's order (loaded once)
    labels(ids)            "attendance, plan goals" in the file's order
    parse_kinds(value)     a stored or typed list of ids, checked, in the file's order
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from functools import cache

from coachdesk import shipped


@dataclass(frozen=True)
class ConsentKind:
    id: str
    label: str
    describes: str


@cache
def kinds() -> dict[str, ConsentKind]:
    name = "assets/consent/kinds.toml"
    try:
        data = tomllib.loads(shipped.text("consent", "kinds.toml"))
        found = [ConsentKind(str(k["id"]), str(k["label"]), str(k.get("describes", "")))
                 for k in data["kind"]]
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise shipped.AssetError(f"{name} is damaged ({exc}): reinstall coachdesk") from None
    return {k.id: k for k in found}


def parse_kinds(value: object) -> list[str]:
    """Kind ids from a list, a JSON list or a comma-separated text; unknown ids refused.
    Sorted in the file's order, no repeats: two equal consents store equal lists."""
    if isinstance(value, str):
        text = value.strip()
        value = json.loads(text) if text.startswith("[") else [p for p in text.split(",")]
    if not isinstance(value, list | tuple):
        raise ValueError("kinds: a list of kinds of information")
    known = kinds()
    ids = {str(v).strip() for v in value if str(v).strip()}
    unknown = sorted(ids - set(known))
    if unknown:
        raise ValueError(f"unknown kind of information: {unknown[0][:40]!r} "
                         f"(known: {', '.join(known)})")
    return [k for k in known if k in ids]


def labels(ids: list[str]) -> str:
    """Their labels in the file's order (an id this version does not know: by its id)."""
    known = kinds()
    ordered = [k for k in known if k in ids] + [i for i in ids if i not in known]
    return ", ".join(known[i].label if i in known else i for i in ordered) or "nothing"
