"""The team's members as the held team file lists them, read with SQL (table team_file;
the file's rules are sync/team.py's, which the store layer cannot import).

    members(conn)    the current version's members: device, name, role, active, joined

When a member joined: the `created` time of the team-file version that added them (the
member's `added`). That moment is signed by the supervisor who added them and travels
with the file, so every vault of the team agrees on it, and it is the day they joined
this team (their first op may be older: a coach may have used coachdesk alone before).
A vault that joined later may not hold that version: then the earliest version it holds
that lists them, which can only be later (`joined_exact` False says so).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from coachdesk.store.db import Connection

_MEMBERS = """
WITH cur AS (SELECT team_id, body FROM team_file ORDER BY version DESC LIMIT 1)
SELECT json_extract(m.value, '$.device'), json_extract(m.value, '$.name'),
       json_extract(m.value, '$.role'), coalesce(json_extract(m.value, '$.removed'), 0),
       (SELECT json_extract(t.body, '$.created') FROM team_file t
         WHERE t.team_id = cur.team_id AND t.version = json_extract(m.value, '$.added')),
       (SELECT json_extract(t.body, '$.created') FROM team_file t, json_each(t.body, '$.members') x
         WHERE t.team_id = cur.team_id
           AND json_extract(x.value, '$.device') = json_extract(m.value, '$.device')
         ORDER BY t.version LIMIT 1)
FROM cur, json_each(cur.body, '$.members') m
"""


@dataclass(frozen=True)
class TeamMember:
    device: str
    name: str
    role: str
    active: bool
    joined: dt.date | None
    joined_exact: bool
    """False: `joined` is the earliest version this vault holds that lists them."""


def _day(stamp: object) -> dt.date | None:
    if not isinstance(stamp, str) or not stamp:
        return None
    try:
        return dt.datetime.fromisoformat(stamp).astimezone().date()
    except ValueError:
        return None


def members(conn: Connection) -> list[TeamMember]:
    """The members of the team this vault holds (none: no team), in the file's order."""
    found = []
    for device, name, role, removed, added_at, first_seen in conn.execute(_MEMBERS):
        exact = _day(added_at)
        found.append(TeamMember(str(device), str(name or device), str(role), not removed,
                                exact or _day(first_seen), exact is not None))
    return found
