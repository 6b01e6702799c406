"""Search notes, addenda and plans (FTS5 in the vault): best matches first, Enter opens."""

from __future__ import annotations

import re
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from coachdesk.store import reindex, search
from coachdesk.store.search import HIT_END, HIT_START, Hit
from coachdesk.tui.screens.base import HIDDEN, CoachdeskScreen
from coachdesk.tui.widgets.key_line import KeyLine

KIND_LABEL = {"note": "note", "addendum": "addendum", "plan": "plan"}


def hit_head(hit: Hit, who: str) -> str:
    """A result's first line: whose, when (local date) and what (a note's contact type)."""
    from coachdesk.models.followup import local_at

    when = local_at(hit.at)[:10] if hit.at else ""
    kind = KIND_LABEL.get(hit.kind, hit.kind)
    if hit.note_kind:
        kind += f" · {hit.note_kind}"
    return "  ".join(part for part in (who, when, kind) if part)


def highlighted(snippet: str) -> Text:
    """The snippet with the matched words in reverse video (a mark, not only a colour)."""
    text = Text()
    bold = False
    for part in snippet.replace(HIT_END, HIT_START).split(HIT_START):
        if part:
            text.append(re.sub(r"\s+", " ", part), style="reverse bold" if bold else "")
        bold = not bold
    return text


class SearchScreen(CoachdeskScreen[None]):
    TITLE = "Search"
    HELP = (
        "Type words; notes, addenda and plans that hold them are listed, best first\n"
        "(among the newest 500 that match).\n"
        "Words match their beginnings (hous finds housing). Drafts are found once\n"
        "finalized. Down moves into the results; Enter opens the note or the person.\n"
        "In discreet mode (F2) the words and what was found are hidden: Ctrl+E shows the\n"
        "selected result."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="search.back", tooltip="Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._hits: list[Hit] = []

    def compose(self) -> ComposeResult:
        yield Input(id="search-text", placeholder="words to find", compact=True)
        yield Static("", id="search-status")
        yield OptionList(id="search-hits")
        yield KeyLine()

    def on_mount(self) -> None:
        vault = self.cd_app.vault
        if vault is not None and search.is_stale(vault):
            reindex.rebuild(vault)  # records arrived by sync since the index was last written
        self.mask_inputs("#search-text")
        self.query_one("#search-text", Input).focus()

    @on(Input.Changed, "#search-text")
    def _changed(self, event: Input.Changed) -> None:
        vault = self.cd_app.vault
        if vault is None:
            return
        self._hits = search.search(vault, event.value)
        self.revealed = None
        self._show_hits()
        words = event.value.strip()
        self.query_one("#search-status", Static).update(
            "" if not words else f"{len(self._hits)} found" if self._hits else "nothing found")

    def _show_hits(self) -> None:
        """Each result on two lines: whose, when, what; then the words found."""
        hits = self.query_one("#search-hits", OptionList)
        keep = hits.highlighted
        hits.clear_options()
        for index, hit in enumerate(self._hits):
            key = str(index)
            line = Text(hit_head(hit, self.shown(hit.alias, key)[:18]), style="bold")
            line.append("\n  ")
            if self.hides(key):
                line.append(HIDDEN)
            else:
                line.append_text(highlighted(hit.snippet))
            hits.add_option(Option(line, id=key))
        if keep is not None and keep < len(self._hits):
            hits.highlighted = keep

    def redraw_names(self) -> None:
        self.mask_inputs("#search-text")
        self._show_hits()

    @on(Input.Submitted, "#search-text")
    def _submitted(self) -> None:
        if self._hits:
            self._open(0)

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and self.query_one("#search-text", Input).has_focus and self._hits:
            hits = self.query_one("#search-hits", OptionList)
            hits.focus()
            hits.highlighted = 0  # the first Down selects the first result
            event.stop()

    @on(OptionList.OptionSelected, "#search-hits")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option_index)

    def _open(self, index: int) -> None:
        hit = self._hits[index]
        if hit.note_id:
            self.cd_app.open_note(hit.note_id)
        else:
            self.cd_app.open_participant(hit.participant_id)

    def action_back(self) -> None:
        self.dismiss(None)
