"""Command palette providers: every participant, by name (in discreet mode initials,
and no pathway)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from coachdesk.tui.app import CoachdeskApp


class ParticipantCommands(Provider):
    @property
    def cd_app(self) -> CoachdeskApp:
        return cast("CoachdeskApp", self.app)

    async def search(self, query: str) -> Hits:
        app = self.cd_app
        vault = app.vault
        if vault is None:
            return
        from coachdesk.models.participant import initials_of
        from coachdesk.store import participants  # the store loads at unlock

        matcher = self.matcher(query)
        for row_id, alias, status, pathway in participants.names_and_status(vault):
            score = matcher.match(alias)
            if score > 0:
                shown = initials_of(alias) if app.discreet else alias
                yield Hit(score, f"participant: {shown}" if app.discreet
                          else matcher.highlight(f"participant: {alias}"),
                          partial(app.open_participant, row_id),
                          help=status if app.discreet  # a pathway names a treatment
                          else f"{status} · {pathway or 'no pathway'}")

    async def discover(self) -> Hits:
        app = self.cd_app
        vault = app.vault
        if vault is None:
            return
        from coachdesk.store import participants  # the store loads at unlock

        yield DiscoveryHit("participant: add", app.add_participant,
                           help="Add a participant to the roster")
        for row in participants.roster(vault, limit=20):
            yield DiscoveryHit(
                f"participant: {row.shown_name(app.discreet)}",
                partial(app.open_participant, row.id),
            )
