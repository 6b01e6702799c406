"""Keys that fit every terminal: each F-key command by Ctrl+G and a letter, a keymap file
in the user config dir, the theme remembered outside the vault, NO_COLOR."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coachdesk import config
from coachdesk.errors import KeymapError
from coachdesk.tui import commands, keymap
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.go import GoScreen
from coachdesk.tui.screens.help import global_rows
from coachdesk.tui.screens.ledger import LedgerScreen
from coachdesk.tui.screens.roster import RosterScreen
from coachdesk.tui.screens.unlock import UnlockScreen
from tests.tui.helpers import SIZE, press, squeezed, unlocked
from tests.vaults import seeded


def test_every_f_key_command_has_a_go_letter_of_its_own() -> None:
    for command in commands.GLOBAL:
        if any(key.startswith("f") and key[1:].isdigit() for key in command.key.split(",")):
            assert command.letter, command.id
    letters = [entry[0] for entry in commands.go_entries([("f5", "Export", "export")])]
    assert len(letters) == len(set(letters)) and letters[-1] == "e"


async def test_ctrl_g_then_a_letter_runs_the_f_key_command(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Gina Golightly")
    async with unlocked(app) as pilot:
        await press(pilot, "ctrl+g")
        assert isinstance(app.screen, GoScreen)
        assert "lF10Yourtraininghours" in squeezed(pilot)
        await press(pilot, "l")
        await pilot.pause()
        assert isinstance(app.screen, LedgerScreen)
        await press(pilot, "escape", "ctrl+g", "z", "escape")  # no such letter: nothing
        assert isinstance(app.screen, RosterScreen)


async def test_the_go_menu_offers_this_screens_f_keys(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Finn Finalize")
    async with unlocked(app) as pilot:
        await press(pilot, "ctrl+o")  # a note for the selected person
        editor = app.screen
        await press(pilot, "ctrl+g")
        menu = app.screen
        assert isinstance(menu, GoScreen)
        assert ("f", "f10") in [(letter, keys) for letter, keys, _, _ in menu.entries]
        await press(pilot, "f")
        assert app.screen is editor


async def test_locked_the_go_menu_offers_only_what_works(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await press(pilot, "ctrl+g")
        assert isinstance(app.screen, GoScreen)
        assert [entry[0] for entry in app.screen.entries] == ["h"]
        await press(pilot, "escape")
        assert isinstance(app.screen, UnlockScreen)


def test_a_keymap_file_is_read_and_a_bad_one_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "keymap.toml"
    assert keymap.load(path) == {}
    path.write_text('ledger = "f10, ctrl+t"\n"roster.add" = "ctrl+n"\n', encoding="utf-8")
    assert keymap.load(path) == {"ledger": "f10,ctrl+t", "roster.add": "ctrl+n"}
    for bad in ('ledger = 10\n', 'ledger = "ctrl t"\n', 'ledger = \n', '"Ledger!" = "f1"\n',
                'ledger = ""\n'):
        path.write_text(bad, encoding="utf-8")
        with pytest.raises(KeymapError) as caught:
            keymap.load(path)
        message = str(caught.value)
        assert "\n" not in message and message.endswith("the default keys are kept")
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(KeymapError, match="not UTF-8"):
        keymap.load(path)


async def test_the_keymap_file_remaps_a_command(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Kemal Keys")
    config.keymap_file().parent.mkdir(parents=True)
    config.keymap_file().write_text('ledger = "f10,ctrl+y"\n', encoding="utf-8")
    async with unlocked(app) as pilot:
        assert ("F10 / Ctrl+Y", commands.LEDGER.help) in global_rows(app.screen)
        app.screen.set_focus(None)
        await press(pilot, "ctrl+y")
        assert isinstance(app.screen, LedgerScreen)


async def test_a_bad_keymap_file_is_one_line_and_the_defaults_stay(vault_dir: Path,
                                                                     app: CoachdeskApp) -> None:
    seeded(vault_dir, "Bea Badmap")
    config.keymap_file().parent.mkdir(parents=True)
    config.keymap_file().write_text('ledgr = "ctrl+t"\n', encoding="utf-8")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        [message] = list(app._notifications)  # noqa: SLF001 - what the coach sees on start
        assert message.message == ("keymap.toml: no command 'ledgr' (e.g. ledger, audit, "
                                   "roster.add); the default keys are kept")
        assert isinstance(app.screen, UnlockScreen)


async def test_the_theme_is_remembered_outside_the_vault(vault_dir: Path) -> None:
    seeded(vault_dir)
    first = CoachdeskApp(vault_dir)
    async with first.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first.theme = "ansi-light"
        await pilot.pause()
    assert config.display_file().read_text(encoding="utf-8") == 'theme = "ansi-light"\n'
    again = CoachdeskApp(vault_dir)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, UnlockScreen) and again.theme == "ansi-light"
    config.display_file().write_text('theme = "no such theme"\n', encoding="utf-8")
    default = CoachdeskApp(vault_dir)
    async with default.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert default.theme == "textual-dark"


def test_no_color_is_respected(vault_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert CoachdeskApp(vault_dir).no_color
    monkeypatch.delenv("NO_COLOR")
    assert not CoachdeskApp(vault_dir).no_color
    assert "NO_COLOR" not in os.environ


async def test_the_palette_offers_the_themes_before_unlock(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Theme" in [command.title for command in app.get_system_commands(app.screen)]
        assert {"ansi-dark", "ansi-light"} <= set(app.available_themes)
