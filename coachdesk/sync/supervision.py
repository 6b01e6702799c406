"""Supervision as the team sees it: only a supervisor logs a session (with members of the
team); a coach sees their own sessions and items and marks an item done.

    log_session(vault, coaches, ...)      coaches by name, device id or unique prefix
    visible_sessions / visible_items(vault, coach=None)
    mark_done(vault, item_query)          the item's coach, or a supervisor
    is_supervisor(vault) / names(vault)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from coachdesk.errors import CoachdeskError
from coachdesk.store import supervision
from coachdesk.store.supervision import ItemRow, SessionRow
from coachdesk.store.vault import Vault
from coachdesk.sync import team, team_flow

REFUSED = "only a supervisor of the team logs supervision sessions"


def is_supervisor(vault: Vault) -> bool:
    held = team.current(vault.conn)
    return held is not None and held.supervisor(vault.device) is not None


def names(vault: Vault) -> dict[str, str]:
    """Device id -> member name (removed members too); this vault's own coach always."""
    held = team.current(vault.conn)
    found = {m.device: m.identity.name for m in held.members} if held else {}
    found.setdefault(vault.device, vault.coach)
    return found


def _coach(vault: Vault, query: str) -> str:
    held = team.current(vault.conn)
    if held is None:
        return vault.device
    try:
        member = team_flow.find_member(held, query)
    except CoachdeskError as exc:
        raise CoachdeskError(f"coach: {exc}") from None
    if member.device == vault.device:
        raise CoachdeskError("a supervisor logs sessions with the coaches, not with themselves")
    return member.device


def log_session(vault: Vault, coaches: Sequence[str], *, held_on: dt.date, minutes: int,
                topics: Sequence[str], note: str = "", items: Sequence[str] = ()) -> list[str]:
    """Log a session (supervisor only): one record per coach, their items."""
    team_flow.require_supervisor(vault, REFUSED)
    devices = [_coach(vault, query) for query in coaches]
    return supervision.log(vault, devices, held_on=held_on, minutes=minutes,
                           topics=list(topics), note=note, items=items, author=vault.coach)


def _whose(vault: Vault, coach: str | None) -> str | None:
    """A supervisor: everyone's, or the named coach's; a coach: only their own."""
    if not is_supervisor(vault):
        if coach:
            raise CoachdeskError("a coach sees only their own sessions: leave out --coach")
        return vault.device
    held = team.current(vault.conn)
    if not coach or held is None:
        return None
    return team_flow.find_member(held, coach).device


def visible_sessions(vault: Vault, coach: str | None = None) -> list[SessionRow]:
    return supervision.sessions(vault, _whose(vault, coach))


def visible_items(vault: Vault, coach: str | None = None) -> list[ItemRow]:
    return supervision.items(vault, _whose(vault, coach))


def mark_done(vault: Vault, item: str, done: bool = True) -> ItemRow:
    """Mark an item done (or open again): the item's own coach, or a supervisor."""
    found = supervision.find_item(vault, item)
    if found.item.coach != vault.device and not is_supervisor(vault):
        raise CoachdeskError("only the item's coach or a supervisor marks it done")
    supervision.mark_done(vault, found.id, done)
    return supervision.find_item(vault, found.id)
