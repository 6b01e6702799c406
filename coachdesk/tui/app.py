"""The coachdesk App: vault lifecycle (setup, unlock, lock), global keys, screens."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.reactive import reactive
from textual.screen import Screen

from coachdesk.store import participants
from coachdesk.store import vault as vaults
from coachdesk.store.vault import Vault
from coachdesk.tui import commands
from coachdesk.tui.providers import ParticipantCommands
from coachdesk.tui.screens.help import HelpScreen
from coachdesk.tui.screens.participant_form import ParticipantForm
from coachdesk.tui.screens.roster import RosterScreen
from coachdesk.tui.screens.setup import SetupScreen
from coachdesk.tui.screens.unlock import UnlockScreen

CLOCK_JUMP_SECONDS = 120.0


class CoachdeskApp(App[str | None]):
    CSS_PATH = "coachdesk.tcss"
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
        self.vault: Vault | None = None
        self._idle_override = idle_lock_seconds
        self.idle_lock_seconds = idle_lock_seconds or 300.0
        self._last_input = time.monotonic()
        self._clock_pair = (time.time(), time.monotonic())

    # ---- start and lock ------------------------------------------------------
    def on_mount(self) -> None:
        self.theme = "textual-dark"
        if vaults.exists(self.directory):
            self.push_screen(self._unlock_screen())
        else:
            self.push_screen(SetupScreen())
        self.set_interval(0.5, self._watch_idle)

    def _unlock_screen(self, message: str = "") -> UnlockScreen:
        hint = "Demo vault of fictional people: the passphrase is  demo" if self.demo else ""
        return UnlockScreen(hint=hint, message=message)

    def create_vault(self, coach: str, passphrase: str) -> None:
        self.vault = Vault.create(self.directory, passphrase, coach)
        self._after_unlock()

    def unlock(self, passphrase: str) -> None:
        self.vault = Vault.open(self.directory, passphrase)
        self._after_unlock()

    def _after_unlock(self) -> None:
        assert self.vault is not None
        settings = self.vault.settings()
        self.discreet = settings.discreet
        self.idle_lock_seconds = self._idle_override or settings.idle_lock_minutes * 60
        self._last_input = time.monotonic()
        self.switch_screen(RosterScreen())

    async def action_lock(self, message: str = "Locked.") -> None:
        """Drop the key, every screen that holds data, and every notification."""
        if self.vault is not None:
            await self._stop_vault_workers()
            self.vault.close()
            self.vault = None
        self.clear_notifications()
        while len(self.screen_stack) > 2:
            await self.pop_screen()
        if not isinstance(self.screen, UnlockScreen):
            await self.switch_screen(self._unlock_screen(message))

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

    async def action_quit(self) -> None:
        if self.vault is not None:
            await self._stop_vault_workers()
            self.vault.close()
            self.vault = None
        self.exit()

    def _watch_idle(self) -> None:
        wall, mono = time.time(), time.monotonic()
        last_wall, last_mono = self._clock_pair
        self._clock_pair = (wall, mono)
        if self.vault is None:
            return
        if abs((wall - last_wall) - (mono - last_mono)) > CLOCK_JUMP_SECONDS:
            self.run_worker(self.action_lock("Locked after the clock jumped (sleep or resume)."))
        elif mono - self._last_input > self.idle_lock_seconds:
            self.run_worker(self.action_lock("Locked after a while without use."))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self._last_input = time.monotonic()
        await super().on_event(event)

    # ---- global actions ----------------------------------------------------------
    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_discreet(self) -> None:
        if self.vault is None:
            return
        self.discreet = not self.discreet
        self.vault.save_settings(self.vault.settings().model_copy(update={"discreet": self.discreet}))
        self.notify("Discreet mode on: initials only." if self.discreet else "Discreet mode off.")

    def watch_discreet(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, RosterScreen) and screen.is_mounted:
                screen.refresh_rows(keep=screen.selected_id())

    def action_sync(self) -> None:
        from coachdesk.tui.screens.sync import SyncScreen

        if self.vault is not None and not isinstance(self.screen, SyncScreen):
            self.push_screen(SyncScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in ("lock", "toggle_discreet", "sync") and self.vault is None)

    def add_participant(self) -> None:
        if self.vault is not None:
            self.push_screen(ParticipantForm())

    def open_participant(self, row_id: str) -> None:
        if self.vault is not None:
            self.push_screen(ParticipantForm(participants.get(self.vault, row_id)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in commands.GLOBAL:
            if command.palette and (self.vault is not None or command.id not in
                                    commands.NEEDS_VAULT):
                yield SystemCommand(command.palette, command.help,
                                    getattr(self, "action_" + command.action.split(".")[-1]))
        if self.vault is not None:
            yield SystemCommand("participant: add", "Add a participant", self.add_participant)
