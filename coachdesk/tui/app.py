"""The coachdesk App: vault lifecycle (setup, unlock, lock), global keys, screens."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.actions import SkipAction
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.reactive import reactive
from textual.screen import Screen

from coachdesk import config
from coachdesk.errors import KeymapError, disk_full
from coachdesk.tui import commands, idle, keymap, palette, theme_choice
from coachdesk.tui.collector import Collector
from coachdesk.tui.providers import ParticipantCommands
from coachdesk.tui.screens.base import CoachdeskScreen
from coachdesk.tui.screens.unlock import UnlockScreen

if TYPE_CHECKING:
    from coachdesk.models.settings import Settings
    from coachdesk.store.vault import Vault
    from coachdesk.tui.screens.base import KeptPage

CLOCK_JUMP_SECONDS = 120.0
CLIPBOARD_SECONDS = 15.0
PANIC_KEYS = frozenset(commands.LOCK.key.split(","))

# Screens and the store are imported where first used (start-up speed), and these are
# imported while the coach types the passphrase, so the unlock screen comes up as fast
# as a bare Textual app and the roster needs no import after unlock.
PREWARM = (
    "coachdesk.store.vault",
    "coachdesk.tui.screens.roster",
    "coachdesk.tui.screens.participant_form",
    "coachdesk.tui.screens.participant",
    "coachdesk.tui.screens.crisis_picker",
    "coachdesk.tui.screens.note_view",
    "coachdesk.tui.screens.note_editor",
    "coachdesk.store.search",
    "coachdesk.tui.screens.help",
    "coachdesk.store.participants",
)


def _prewarm() -> None:
    import importlib

    for name in PREWARM:
        importlib.import_module(name)


SCREENS_CSS = Path(__file__).parent / "screens.tcss"
"""The styles of every screen but unlock and setup (see `load_screen_styles`)."""


class CoachdeskApp(App[str | None]):
    CSS_PATH = Path(__file__).parent / "coachdesk.tcss"
    TITLE = "coachdesk"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {ParticipantCommands}
    BINDINGS: ClassVar[list[BindingType]] = [c.binding() for c in commands.GLOBAL]

    discreet: reactive[bool] = reactive(False)
    """Show initials instead of names."""

    def __init__(self, directory: Path, *, demo: bool = False,
                 idle_lock_seconds: float | None = None) -> None:
        super().__init__()
        self.directory = directory
        self.demo = demo
        self.vault: Vault | None = None  # the store is imported on unlock, not at start
        self._idle_override = idle_lock_seconds
        self.idle_lock_seconds = idle_lock_seconds or 300.0
        self.crisis_lock_seconds = 1800.0
        self.clock: idle.Clock = idle.system_clock
        """(wall, monotonic) for the idle lock and clock jumps; tests put their own here."""
        self._clock_pair = self.clock()
        self._last_input = self._clock_pair[1]
        self._checklist_running: bool | None = None  # asked once per pause without keys
        self._still_there: idle.StillThere | None = None
        self.collector = Collector()
        self._theme_loaded = False
        self._screen_styles_loaded = False
        self._kept: dict[str, KeptPage] = {}
        """Pages kept mounted between openings, by class name (push_kept)."""
        self.typing_starts_after = 0.3
        """Seconds after start when the styles of the other screens are read and the
        roster's modules imported (the coach is typing the passphrase by then)."""

    # ---- start and lock ------------------------------------------------------
    def on_mount(self) -> None:
        self._load_display_choices()
        if config.vault_exists(self.directory):
            self.push_screen(self._unlock_screen())
        else:
            from coachdesk.tui.screens.setup import SetupScreen  # first run only: start-up speed

            self.push_screen(SetupScreen())
        self.set_interval(0.5, self._watch_idle)
        self.set_timer(self.typing_starts_after, self._while_the_passphrase_is_typed)

    def _while_the_passphrase_is_typed(self) -> None:
        self.load_screen_styles()
        self.run_worker(_prewarm, thread=True, exit_on_error=False)

    def load_screen_styles(self) -> None:
        """Read screens.tcss (once): the app starts with the styles of the unlock and setup
        screens only (start-up speed), reads the rest while the passphrase is typed, and
        in any case before another screen is shown (`_load_screen_css`)."""
        if self._screen_styles_loaded:
            return
        self._screen_styles_loaded = True
        self.stylesheet.read(SCREENS_CSS)
        self.stylesheet.parse()  # the new file only: what was parsed before is cached
        self.stylesheet.update(self)

    def _load_screen_css(self, screen: Screen[Any]) -> None:
        """Textual calls this for every screen it is about to show."""
        if not (isinstance(screen, CoachdeskScreen) and screen.STYLED_AT_START):
            self.load_screen_styles()
        super()._load_screen_css(screen)

    # ---- the coach's keys and theme (user config, not the vault) ------------------------
    def _load_display_choices(self) -> None:
        """The remembered theme, and the keymap file: a bad file is one line, and the
        default keys stay."""
        chosen = theme_choice.load(config.display_file(), set(self.available_themes))
        if chosen is not None:
            self.theme = chosen
        self._theme_loaded = True
        try:
            mapping = keymap.load(config.keymap_file())
            unknown = sorted(binding_id for binding_id in mapping
                             if "." not in binding_id and binding_id not in commands.BY_ID)
            if unknown:
                raise KeymapError(f"keymap.toml: no command {unknown[0]!r} (e.g. ledger, audit, "
                                  "roster.add); the default keys are kept")
        except KeymapError as exc:
            self.notify(str(exc), severity="error", timeout=15)
            return
        if mapping:
            self.set_keymap(mapping)

    def watch_theme(self, theme: str) -> None:
        """A theme chosen in the palette is remembered for the next start."""
        if not self._theme_loaded:
            return
        try:
            theme_choice.save(config.display_file(), theme)
        except OSError as exc:
            self.notify(f"The theme is not remembered: {exc.strerror}.", severity="warning")

    def keys_for(self, binding_id: str, default: str) -> str:
        """The keys of a binding as the coach's keymap has them (else `default`)."""
        return self._keymap.get(binding_id, default)

    def action_go(self) -> None:
        """Ctrl+G: every F-key command by a letter (see screens/go.py)."""
        from coachdesk.tui.screens.go import GoScreen

        if not isinstance(self.screen, GoScreen):
            self.push_screen(GoScreen(self.screen))

    def _unlock_screen(self, message: str = "") -> UnlockScreen:
        hint = "Demo vault of fictional people: the passphrase is  demo" if self.demo else ""
        return UnlockScreen(hint=hint, message=message)

    def create_vault(self, coach: str, passphrase: str) -> None:
        from coachdesk.store.vault import Vault

        self.vault = Vault.create(self.directory, passphrase, coach)
        self._after_unlock()

    def unlock(self, passphrase: str) -> None:
        from coachdesk.store.vault import Vault

        self.vault = Vault.open(self.directory, passphrase)
        self._after_unlock()

    def _after_unlock(self) -> None:
        assert self.vault is not None
        self.apply_settings(self.vault.settings())
        self._input_seen()
        from coachdesk.tui.screens import crisis_picker
        from coachdesk.tui.screens.roster import RosterScreen

        self.switch_screen(RosterScreen())
        self.call_later(crisis_picker.resume_unfinished, self)
        from coachdesk.tui.screens import note_editor

        self.call_later(note_editor.tell_unfinished, self)
        self.collector.unlocked()

    def apply_settings(self, settings: Settings) -> None:
        self.discreet = settings.discreet
        self.idle_lock_seconds = self._idle_override or settings.idle_lock_minutes * 60
        self.crisis_lock_seconds = settings.crisis_lock_minutes * 60

    async def action_lock(self, message: str = "Locked.") -> None:
        """Drop the key, every screen that holds data, and every notification."""
        if self.vault is not None:
            self.flush_screens()
            await self._stop_vault_workers()
            self.vault.close()
            self.vault = None
            self.collector.locked()
        self.clear_notifications()
        if self.clipboard:
            super().copy_to_clipboard("")
        while len(self.screen_stack) > 2:
            await self.pop_screen()
        if not isinstance(self.screen, UnlockScreen):
            await self.switch_screen(self._unlock_screen(message))
        await self._drop_kept_pages()

    async def _stop_vault_workers(self, seconds: float = 5.0) -> None:
        """Interrupt thread workers using the vault connection (an import rolls back whole)."""
        assert self.vault is not None
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            running = [w for w in self.workers if w.group == commands.DB_WORKERS and w.is_running]
            if not running:
                return
            self.vault.conn.interrupt()
            await asyncio.sleep(0.01)

    def flush_screens(self) -> None:
        """Before the vault closes: every screen with unsaved work (a note draft) saves it."""
        for screen in self.screen_stack:
            flush = getattr(screen, "flush", None)
            if callable(flush):
                flush()

    async def action_quit(self) -> None:
        if self.vault is not None:
            self.flush_screens()
            await self._stop_vault_workers()
            self.vault.close()
            self.vault = None
        self.exit()

    def _watch_idle(self) -> None:
        wall, mono = self.clock()
        last_wall, last_mono = self._clock_pair
        self._clock_pair = (wall, mono)
        self.collector.tick(mono - self._last_input)
        if self.vault is None:
            self._hide_still_there()
            return
        if abs((wall - last_wall) - (mono - last_mono)) > CLOCK_JUMP_SECONDS:
            self.run_worker(self.action_lock("Locked after the clock jumped (sleep or resume)."))
            return
        idle_for = mono - self._last_input
        if idle_for <= self.idle_lock_seconds:
            self._hide_still_there()
            return
        crisis_wait = self.crisis_lock_seconds if self._crisis_running() else None
        verdict = idle.verdict(idle_for, self.idle_lock_seconds, crisis_wait)
        if verdict.what == "countdown":
            self._show_still_there(verdict.seconds_left)
        elif verdict.what == "lock":
            self._hide_still_there()
            self.run_worker(self.action_lock("Locked after a while without use."))

    def _crisis_running(self) -> bool:
        """A crisis checklist started here and not ended (shown or hidden). Asked of the
        store once per pause: starting or ending one takes a key."""
        if self._checklist_running is None:
            from coachdesk.store import crisis
            from coachdesk.store.db import DatabaseError

            vault = self.vault
            try:
                self._checklist_running = vault is not None and bool(crisis.unfinished(vault))
            except DatabaseError:
                self._checklist_running = False
        return self._checklist_running

    def _show_still_there(self, seconds_left: float) -> None:
        bar = self._still_there
        if bar is None or not bar.is_attached or bar.screen is not self.screen:
            self._hide_still_there()
            bar = self._still_there = idle.StillThere()
            self.screen.mount(bar)
            self.bell()
        bar.show_left(seconds_left)

    def _hide_still_there(self) -> None:
        bar, self._still_there = self._still_there, None
        if bar is not None and bar.is_attached:
            bar.remove()

    def _input_seen(self) -> None:
        self._last_input = self.clock()[1]
        self._checklist_running = None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self._input_seen()
            if self._still_there is not None and not event.is_forwarded:
                # Any key only cancels the countdown (a "y" must not answer a step);
                # the panic key still locks at once.
                self._hide_still_there()
                if not (isinstance(event, events.Key) and event.key in PANIC_KEYS):
                    event.stop()
                    return
        await super().on_event(event)

    # ---- global actions ----------------------------------------------------------
    def action_help(self) -> None:
        from coachdesk.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_discreet(self) -> None:
        if self.vault is None:
            return
        self.discreet = not self.discreet
        self.vault.save_settings(self.vault.settings().model_copy(update={"discreet": self.discreet}))
        self.notify("Discreet mode on: initials only, the rest hidden; Ctrl+E shows the selected row."
                    if self.discreet else "Discreet mode off.")

    def watch_discreet(self) -> None:
        from coachdesk.tui.screens.base import CoachdeskScreen

        for screen in self.screen_stack:
            if isinstance(screen, CoachdeskScreen) and screen.is_mounted:
                screen.revealed = None
                screen.redraw_names()
        self.refresh_bindings()  # the reveal key is offered (palette) in discreet mode only

    def action_command_palette(self) -> None:
        """Ctrl+P; in discreet mode what is typed into it shows as dots (a name)."""
        super().action_command_palette()
        if self.discreet:
            self.call_after_refresh(self._mask_palette)

    def _mask_palette(self) -> None:
        from textual.command import CommandInput

        for field in self.screen.query(CommandInput):
            field.password = True

    def action_reveal(self) -> None:
        """Ctrl+E in discreet mode: the selected row of this screen in full (again: hidden)."""
        from coachdesk.tui.screens.base import CoachdeskScreen

        screen = self.screen
        if not (isinstance(screen, CoachdeskScreen) and screen.reveal_selected()):
            raise SkipAction()  # nothing to reveal here: the key does what it does in a field

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A global command that needs the vault does nothing while it is locked; the
        reveal key is there in discreet mode only (else a field's Ctrl+E goes to the end)."""
        if action == "reveal" and not self.discreet:
            return False
        command = commands.for_action(action, parameters)
        return not (command is not None and command.needs_vault and self.vault is None)

    def action_open_command(self, command_id: str) -> None:
        """The screen a global command opens (see commands.py), once: not over itself."""
        command = commands.BY_ID.get(command_id)
        if command is None or command.opens is None:
            return
        if command.needs_vault and self.vault is None:
            return
        screen_class = command.screen_class()
        if not isinstance(self.screen, screen_class):
            self.push_screen(screen_class())

    def action_crisis(self) -> None:
        """Ctrl+R: the crisis picker over any screen (see screens/crisis_picker.py)."""
        from coachdesk.tui.screens import crisis_picker

        crisis_picker.open_crisis(self)

    def open_checklist(self, event_id: str, *, replace: bool = False) -> None:
        """The running checklist of `event_id`: over this screen, or `replace`-ing it.
        Screens open each other through the App (here and below), never by importing
        one another."""
        from coachdesk.tui.screens.crisis_checklist import CrisisScreen

        self._show(CrisisScreen(event_id), replace)

    def open_crisis_summary(self, event_id: str, *, replace: bool = False) -> None:
        from coachdesk.tui.screens.crisis_summary import CrisisSummary

        self._show(CrisisSummary(event_id), replace)

    def _show(self, screen: Screen[Any], replace: bool) -> None:
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def add_participant(self) -> None:
        from coachdesk.tui.screens.participant_form import ParticipantForm

        if self.vault is not None:
            self.push_screen(ParticipantForm())

    def open_participant(self, row_id: str) -> None:
        """The participant page (kept: see push_kept). Either way the view is audited."""
        from coachdesk.tui.screens.participant import ParticipantScreen

        if self.vault is not None:
            self.push_kept(ParticipantScreen, row_id)

    def push_kept(self, kind: type[KeptPage], record_id: str) -> None:
        """Show `record_id` on the page of `kind` kept mounted since its first opening,
        refilled (`reopen`): a new screen costs Textual its styles, a first layout, a
        second one (a scroll container learns its size only from the first) and a full
        draw after each. A new page when the kept one is in the stack already (a person
        opened from another's page). Kept pages go at lock, with what they show."""
        page = self._kept.get(kind.__name__)
        if page is None or not page.is_attached or page in self.screen_stack:
            page = kind(record_id)  # reads the record as it composes
            if kind.__name__ not in self._kept:
                self._kept[kind.__name__] = page
                self.install_screen(page, name=f"kept-{kind.__name__}")
        elif not page.reopen(record_id):
            return
        self.push_screen(page)

    async def _drop_kept_pages(self) -> None:
        for name, page in list(self._kept.items()):
            self.uninstall_screen(f"kept-{name}")
            await page.remove()
        self._kept.clear()

    def copy_to_clipboard(self, text: str) -> None:
        """Copying is allowed (Ctrl+C in a field) but never lasts: cleared after 15 s."""
        super().copy_to_clipboard(text)
        if text:
            self.set_timer(CLIPBOARD_SECONDS, lambda: super(CoachdeskApp, self).copy_to_clipboard(""))
    # ---- notes (issue 4) ------------------------------------------------------------
    def start_note(self, participant_id: str, text: str = "", **header: object) -> None:
        """A new note for the person (or their unfinished draft, with `text` added);
        `header` prefills it (setting, contact type, when, minutes)."""
        from coachdesk.tui.screens import note_editor

        note_editor.start_note(self, participant_id, text, **header)

    def open_note(self, note_id: str) -> None:
        from coachdesk.tui.screens import note_editor

        note_editor.open_note(self, note_id)

    # ---- supervision: reviews (issue 18) ----------------------------------------------
    def action_review(self) -> None:
        """F7: a supervisor's Review queue, a coach's Feedback (once: not over itself)."""
        if self.vault is None:
            return
        from coachdesk.sync import reviews
        from coachdesk.tui.screens.feedback import FeedbackScreen
        from coachdesk.tui.screens.review import ReviewScreen

        wanted = ReviewScreen if reviews.is_supervisor(self.vault) else FeedbackScreen
        if not isinstance(self.screen, wanted):
            self.push_screen(wanted())

    def open_review_thread(self, note_id: str) -> None:
        """A finalized note with its addenda and review thread (the review keys on it)."""
        from coachdesk.tui.screens.review_thread import ThreadScreen

        if self.vault is not None:
            self.push_screen(ThreadScreen(note_id))

    def _fatal_error(self) -> None:
        """An unexpected error: lock, and show where it happened but no values (locals or
        messages could hold a participant's data)."""
        import sys
        import traceback

        if self.vault is not None:
            self.vault.close()
            self.vault = None
        error = sys.exception()
        frames = traceback.extract_tb(error.__traceback__) if error else []
        where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
        if error is not None and disk_full(error):  # not a bug: say what to do
            what = f"coachdesk stopped: the disk is full{where}. Free some space and open it again."
        else:
            what = f"coachdesk stopped after an unexpected {type(error).__name__}{where}."
        self._exit_renderables.append(what + " Everything saved before it is safe in the vault.")
        self._close_messages_no_wait()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette (Ctrl+P): every command that applies now (the keys of this screen,
        the global commands, Textual's own) and, from providers.py, every participant."""
        yield from palette.system_commands(self, screen)

    def textual_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own palette commands (themes, keys), for palette.py."""
        return super().get_system_commands(screen)
