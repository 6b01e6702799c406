"""Commands defined once (commands.py): bindings, the needs-vault rule, palette, help and
the README key tables all derive from it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coachdesk.tui import commands, keytable
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.keynames import keys_of
from coachdesk.tui.screens.help import HelpScreen, global_rows
from coachdesk.tui.screens.participant_form import ParticipantForm
from coachdesk.tui.screens.roster import RosterScreen
from coachdesk.tui.screens.unlock import UnlockScreen
from tests.tui.helpers import SIZE, press, squeezed, unlock, unlocked
from tests.vaults import seeded

ROOT = Path(__file__).resolve().parents[2]


def palette_titles(app: CoachdeskApp) -> list[str]:
    return [command.title for command in app.get_system_commands(app.screen)]


def test_readme_key_tables_are_the_generated_ones() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert keytable.markdown() in readme, "run: python -m coachdesk.tui.keytable"


def test_keytable_script_prints_the_tables() -> None:
    done = subprocess.run([sys.executable, "-m", "coachdesk.tui.keytable"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    assert done.stdout == keytable.markdown() + "\n" and not done.stderr
    assert "| F8 · Ctrl+G o | everywhere (unlocked) |" in done.stdout
    assert "| Roster | Ctrl+N New, Enter Open," in done.stdout


def test_every_global_command_is_bound_once_from_its_definition() -> None:
    bound = {binding.id: binding for binding in CoachdeskApp.BINDINGS
             if not isinstance(binding, tuple)}
    for command in commands.GLOBAL:
        assert bound[command.id].key == command.key
        assert bound[command.id].action == command.app_action
    assert {c.id for c in commands.GLOBAL if c.needs_vault} == commands.NEEDS_VAULT


def test_a_command_needs_an_action_or_a_screen_not_both() -> None:
    with pytest.raises(ValueError, match="give an action or a screen"):
        commands.Command("bad", "f7", "Bad", "nothing")
    with pytest.raises(ValueError, match="give an action or a screen"):
        commands.Command("bad", "f7", "Bad", "both", action="app.lock",
                         opens="coachdesk.tui.screens.sync:SyncScreen")


async def test_locked_commands_that_need_the_vault_do_nothing(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        for command in commands.GLOBAL:
            name, _, _ = command.app_action.removeprefix("app.").partition("(")
            params = () if command.action else (command.id,)
            assert app.check_action(name, params) is (not command.needs_vault)
        for key in ("f8", "f4", "f3", "f12", "f9", "ctrl+f", "ctrl+r", "f2"):
            await press(pilot, key)
            assert isinstance(app.screen, UnlockScreen), key
        app.action_open_command("sync")  # even asked directly
        app.action_open_command("no such command")
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen) and len(app.screen_stack) == 2


async def test_palette_offers_what_applies_now(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        locked = palette_titles(app)
        assert {"help: show keys", "app: quit", "Theme", "Keys"} <= set(locked)
        assert "audit: show log" not in locked and "participant: add" not in locked
        assert "Screenshot" not in locked  # it would write the screen to a plain file
        await unlock(pilot)
        assert isinstance(app.screen, RosterScreen)
        unlocked = palette_titles(app)
        assert {"audit: show log", "participant: add", "here: new", "here: active/closed",
                "Theme"} <= set(unlocked)
        assert "Screenshot" not in unlocked
        assert len(unlocked) == len(set(unlocked))
        [new] = [c for c in app.get_system_commands(app.screen) if c.title == "here: new"]
        app.call_later(new.callback)
        await pilot.pause()
        assert isinstance(app.screen, ParticipantForm)


async def test_global_commands_open_their_screen_once(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir)
    async with unlocked(app) as pilot:
        for command in commands.GLOBAL:
            if command.opens is None:
                continue
            await app.run_action(command.app_action)
            await pilot.pause()
            assert isinstance(app.screen, command.screen_class()), command.id
            depth = len(app.screen_stack)
            await app.run_action(command.app_action)
            await pilot.pause()
            assert len(app.screen_stack) == depth, command.id
            await app.pop_screen()
            await pilot.pause()
            assert isinstance(app.screen, RosterScreen)


async def test_help_lists_the_global_commands_and_the_palette_key(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir)
    async with unlocked(app) as pilot:
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        rows = global_rows(app.screen_stack[-2])
        for command in commands.GLOBAL:
            assert (keys_of(command.key), command.help) in rows
        assert rows[-1][0] == "Ctrl+P" and rows[-1][1].startswith("Command palette")
        assert "Ctrl+L" in squeezed(pilot) and "^L" not in squeezed(pilot)
