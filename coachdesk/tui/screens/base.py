"""The base of every coachdesk screen: the app, its vault and discreet mode, typed.

`self.app` is Textual's `App[object]`; a screen of ours always runs inside a
CoachdeskApp, so `cd_app` says so once (as posting's screens do) instead of every
line that reaches the vault ignoring the type checker.

- `vault`: the open vault. Screens with data live only while it is open (a lock drops
  them), so code run by a key or on mount uses it directly. Code that may run after a
  lock (a callback of a screen above, a timer, `on_screen_resume`, `flush`) asks
  `unlocked` first, or reads `cd_app.vault`, which may be None.
- `discreet`, `shown(alias)`, `name_of(participant_id)`: names as the coach wants them
  on screen (initials in discreet mode).
- `secret(text, key)`: anything else identifying (a flag, a note's words, an item's
  text, a service) as it may show: hidden in discreet mode unless `key` is the row the
  coach revealed (the reveal key, Ctrl+E, on the selected row; moving off it hides it again).
- `load_or_close(load)`: the "get the record or close the screen" of on_mount.
- `close_with(act, line)`: the "save (or write) and close, or say why not" of a form.

Nothing here imports the store at start: the unlock screen comes up before it loads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from textual.markup import escape
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, OptionList, Static

from coachdesk.errors import CoachdeskError

if TYPE_CHECKING:
    from coachdesk.store.vault import Vault
    from coachdesk.tui.app import CoachdeskApp

ResultT = TypeVar("ResultT")
T = TypeVar("T")

GONE = "a participant no longer on the roster"
HIDDEN = "···"
"""What discreet mode shows instead of identifying text."""


class VaultLocked(RuntimeError):
    """A screen used the vault after it was locked: a bug (it should ask `unlocked`)."""

    def __init__(self) -> None:
        super().__init__("the vault is locked")


class CoachdeskScreen(Screen[ResultT]):
    """A full screen of coachdesk (use CoachdeskModal for one drawn over another)."""

    revealed: str | None = None
    """The key of the one row shown in full in discreet mode (None: none)."""
    STYLED_AT_START: ClassVar[bool] = False
    """Its styles are in coachdesk.tcss, which the app starts with (unlock, setup); every
    other screen's are in screens.tcss, read before it is shown (app.load_screen_styles)."""

    @property
    def cd_app(self) -> CoachdeskApp:
        return cast("CoachdeskApp", self.app)

    @property
    def vault(self) -> Vault:
        vault = self.cd_app.vault
        if vault is None:
            raise VaultLocked()
        return vault

    @property
    def unlocked(self) -> bool:
        return self.cd_app.vault is not None

    # ---- names on screen -------------------------------------------------------------
    @property
    def discreet(self) -> bool:
        """Discreet mode: initials instead of names (F2, remembered per vault)."""
        return self.cd_app.discreet

    def shown(self, alias: str, key: str | None = None) -> str:
        """An alias as it may show now: initials in discreet mode (unless `key` is the
        revealed row)."""
        from coachdesk.models.participant import initials_of

        if key is not None and key == self.revealed:
            return alias
        return initials_of(alias) if self.discreet else alias

    def redraw_names(self) -> None:
        """Discreet mode changed (F2), or a row was revealed or hidden (Ctrl+E): show the
        names and texts again. Screens that list people override it; the app calls it on
        every screen in the stack."""

    def hides(self, key: str | None = None) -> bool:
        """Discreet mode hides the row `key` now (it is not the revealed one)."""
        return self.discreet and (key is None or key != self.revealed)

    def secret(self, text: str, key: str | None = None) -> str:
        """`text` as it may show now: hidden in discreet mode unless `key` is the
        revealed row."""
        return (HIDDEN if text else "") if self.hides(key) else text

    def mask_inputs(self, *selectors: str) -> None:
        """The text typed into these fields (a name searched for) shows as dots in
        discreet mode."""
        for selector in selectors:
            for field in self.query(selector).results(Input):
                field.password = self.discreet

    def selected_key(self) -> str | None:
        """The key of the selected row: the focused list's highlighted option (its id)
        or table row (its key). Screens with other rows override it."""
        from textual.widgets import DataTable  # on demand: start-up speed
        from textual.widgets.data_table import CellDoesNotExist

        focused = self.focused
        if isinstance(focused, OptionList) and focused.highlighted is not None:
            option = focused.highlighted_option
            return option.id if option is not None and option.id else str(focused.highlighted)
        if isinstance(focused, DataTable) and focused.row_count:
            try:
                key = focused.coordinate_to_cell_key(focused.cursor_coordinate).row_key.value
            except CellDoesNotExist:  # no row under the cursor
                return None
            return str(key) if key is not None else str(focused.cursor_row)
        return None

    def reveal_selected(self) -> bool:
        """The reveal key: show the selected row in full (again: hide it). False when
        there is nothing to reveal (not discreet, no row selected)."""
        if not self.discreet:
            return False
        key = self.selected_key()
        if key is None and self.revealed is None:
            return False
        self.revealed = None if key == self.revealed else key
        self.redraw_names()
        return True

    def hide_revealed(self) -> None:
        """Discreet mode changed or the selection moved: nothing is revealed any more."""
        if self.revealed is not None:
            self.revealed = None
            self.redraw_names()

    def selection_moved(self) -> None:
        """A list's highlight moved: off the revealed row, it is hidden again."""
        if self.revealed is not None and self.selected_key() != self.revealed:
            self.hide_revealed()

    # By name, not @on: a screen may handle them too (Textual calls both), and the
    # DataTable module loads only with the first screen that has one.
    def on_option_list_option_highlighted(self) -> None:
        self.selection_moved()

    def on_data_table_row_highlighted(self) -> None:
        self.selection_moved()

    def on_screen_suspend(self) -> None:
        """Another screen goes over this one: what was revealed is hidden for the return."""
        if self.unlocked:
            self.hide_revealed()
        else:
            self.revealed = None

    def name_of(self, participant_id: str, *, discreet: bool | None = None, gone: str = GONE) -> str:
        """The person's alias as it may show (`discreet` overrides the mode: a file
        written on purpose names the person), or `gone` if they are no longer there."""
        from coachdesk.store import participants

        try:
            row = participants.get(self.vault, participant_id, audited=False)
        except CoachdeskError:
            return gone
        return row.shown_name(self.discreet if discreet is None else discreet)

    # ---- opening a record ----------------------------------------------------------
    def load_or_close(self, load: Callable[[Vault], T], *, quiet: bool = False) -> T | None:
        """`load(vault)` (it never returns None), or, when it fails with a user error (the
        record is gone, ...), close this screen, say why (unless `quiet`) and return None."""
        try:
            return load(self.vault)
        except CoachdeskError as exc:
            self.dismiss(None)
            if not quiet:
                self.app.call_after_refresh(self.app.notify, f"Cannot open: {exc}.", severity="error")
            return None

    def close_with(self, act: Callable[[], ResultT], line: str, failed: str = "Not saved") -> None:
        """Run `act` (a save, a file written) and close this screen with what it returns;
        when it fails with a user error, say why on the Static `line` ("Not saved: ...")
        and stay, nothing changed."""
        try:
            result = act()
        except CoachdeskError as exc:
            self.query_one(line, Static).update(escape(f"{failed}: {exc}"))
            return
        self.dismiss(result)


class CoachdeskModal(ModalScreen[ResultT], CoachdeskScreen[ResultT]):
    """A coachdesk screen drawn over another (ModalScreen first: Textual takes a
    screen's default CSS along its first base)."""


class KeptPage(CoachdeskScreen[None]):
    """A page the app keeps mounted and refills for the next record (app.push_kept)."""

    def __init__(self, record_id: str) -> None:
        super().__init__()

    def reopen(self, record_id: str) -> bool:
        """Show `record_id` (audited as a view); False, after saying why, when it is gone."""
        raise NotImplementedError
