"""The typed base every screen stands on (tui/screens/base.py): the vault, discreet mode,
names, and "get the record or close the screen"."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from textual.screen import ModalScreen, Screen

import coachdesk.tui.screens as screens_pkg
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.base import GONE, CoachdeskModal, CoachdeskScreen, VaultLocked
from coachdesk.tui.screens.flags import FlagsScreen
from coachdesk.tui.screens.note_editor import NoteEditor
from coachdesk.tui.screens.note_view import NoteView
from coachdesk.tui.screens.participant import ParticipantScreen
from coachdesk.tui.screens.roster import RosterScreen
from tests.tui.helpers import press, squeezed, unlocked
from tests.vaults import seeded


def screen_classes() -> list[type[Screen[object]]]:
    found = []
    for info in pkgutil.iter_modules(screens_pkg.__path__):
        module = importlib.import_module(f"{screens_pkg.__name__}.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_every_screen_stands_on_the_typed_base() -> None:
    classes = screen_classes()
    assert len(classes) > 30
    loose = [c.__name__ for c in classes if not issubclass(c, CoachdeskScreen)]
    assert loose == []
    modal_not_ours = [c.__name__ for c in classes
                      if issubclass(c, ModalScreen) and not issubclass(c, CoachdeskModal)]
    assert modal_not_ours == []


async def test_vault_discreet_and_names_through_the_base(vault_dir: Path, app: CoachdeskApp) -> None:
    (pid,) = seeded(vault_dir, "Marlow Finch-Oduya")
    async with unlocked(app) as pilot:
        screen = app.screen
        assert isinstance(screen, RosterScreen)
        assert screen.cd_app is app and screen.vault is app.vault and screen.unlocked
        assert screen.name_of(pid) == "Marlow Finch-Oduya"
        assert screen.name_of("no-such-id") == GONE
        assert screen.name_of("no-such-id", gone="(deleted)") == "(deleted)"
        await press(pilot, "f2")
        assert screen.discreet
        assert screen.name_of(pid) == "MFO" == screen.shown("Marlow Finch-Oduya")
        assert screen.name_of(pid, discreet=False) == "Marlow Finch-Oduya"

        await press(pilot, "ctrl+l")
        assert not screen.unlocked
        with pytest.raises(VaultLocked):
            _ = screen.vault


async def test_a_record_that_is_gone_closes_its_screen_and_says_so(
        vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Present Person")
    async with unlocked(app) as pilot:
        for screen in (ParticipantScreen("0190-not-a-participant"), NoteView("0190-not-a-note")):
            app.clear_notifications()
            app.push_screen(screen)
            await pilot.pause()
            await pilot.pause()
            assert isinstance(app.screen, RosterScreen)
            said = [n.message for n in app._notifications]
            assert len(said) == 1 and said[0].startswith("Cannot open: ")


async def test_a_modal_of_ours_is_still_a_modal_screen_to_textual(vault_dir: Path, app: CoachdeskApp) -> None:
    """CoachdeskModal keeps ModalScreen's CSS and type name (Textual follows a class's
    first base only, so ModalScreen must come first)."""
    seeded(vault_dir, "Flag Person")
    async with unlocked(app) as pilot:
        await press(pilot, "enter")
        page = app.screen
        assert isinstance(page, ParticipantScreen) and page.person is not None
        app.push_screen(FlagsScreen(page.person))
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, CoachdeskModal) and modal.is_modal
        assert "ModalScreen" in type(modal)._css_type_names
        assert "CoachdeskModal" in type(modal)._css_type_names


@pytest.mark.parametrize("keys", [("f3",), ("enter", "c"), ("enter", "r"), ("enter", "n"), ("f8",)])
async def test_discreet_mode_on_any_list_screen_redraws_and_never_crashes(
        vault_dir: Path, app: CoachdeskApp, keys: tuple[str, ...]) -> None:
    """F2 used to call refresh_rows(keep=selected_id()) on every screen having refresh_rows:
    five of them have no selected_id, so the app stopped (found by the type checker)."""
    seeded(vault_dir, "Sable Quintero")
    async with unlocked(app) as pilot:
        await press(pilot, *keys)
        screen = app.screen
        await press(pilot, "f2")
        assert app.is_running and app.screen is screen and app.discreet
        if keys == ("enter", "r"):  # the referrals title names the person
            assert "Referrals·SQ" in squeezed(pilot)
        await press(pilot, "f2")
        assert app.is_running and app.screen is screen and not app.discreet


async def test_the_note_editor_keeps_the_name_out_of_its_repr(vault_dir: Path, app: CoachdeskApp) -> None:
    """The editor kept the person's name in `_name`, which is Textual's own node name: it
    showed in repr() (Textual puts reprs in its error messages). Found by the type checker."""
    seeded(vault_dir, "Wren Halvorsen")
    async with unlocked(app) as pilot:
        await press(pilot, "ctrl+o")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert "WrenHalvorsen" in squeezed(pilot)  # shown on screen, as it should be
        assert editor.name is None
        assert "Wren" not in repr(editor)
