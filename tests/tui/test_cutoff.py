"""Nothing cut off while there is room: every screen of the demo vault, rendered at 80x24
and at 120x40, holds no word cut short on a line that still has blanks (see cutoff.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachdesk import config
from coachdesk.demo import ensure_demo_vault
from coachdesk.store import participants
from coachdesk.tui.app import CoachdeskApp
from tests.tui.cutoff import (
    Vocabulary,
    cut_words,
    hidden_footer_keys,
    rendered_lines,
    vault_words,
)
from tests.tui.helpers import keys, type_text

# Each screen as the keys that reach it: from the roster, or from a person's page (the
# people of the demo vault with the most on their pages); after each, back to the roster.
ROSA, MARCUS, TAM = "Rosa Delgado", "Marcus Webb", "Tam Nguyen"
TOUR: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (
    ("roster", None, ()),
    ("roster help", None, ("f1",)),
    ("action items", None, ("f3",)),
    ("action items help", None, ("f3", "f1")),
    ("search", None, ("ctrl+f",)),
    ("search results", None, ("ctrl+f", "d", "e", "t", "o", "x", "enter")),
    ("sync", None, ("f4",)),
    ("review", None, ("f7",)),
    ("dashboard", None, ("ctrl+b",)),
    ("supervision", None, ("f11",)),
    ("ledger", None, ("f10",)),
    ("audit log", None, ("f8",)),
    ("reports", None, ("f12",)),
    ("reports help", None, ("f12", "f1")),
    ("settings", None, ("f9",)),
    ("crisis picker", None, ("ctrl+r",)),
    ("crisis history", None, ("ctrl+r", "h")),
    ("crisis summary", None, ("ctrl+r", "h", "enter")),
    ("go menu", None, ("ctrl+g",)),
    ("palette", None, ("ctrl+p",)),
    ("participant", ROSA, ()),
    ("participant help", ROSA, ("f1",)),
    ("notes", ROSA, ("n",)),
    ("note view", ROSA, ("n", "enter")),
    ("profile", ROSA, ("e",)),
    ("plan", ROSA, ("p",)),
    ("plan history", ROSA, ("h",)),
    ("consents", ROSA, ("c",)),
    ("new consent", ROSA, ("c", "a")),
    ("check-in", ROSA, ("b",)),
    ("flags", ROSA, ("f",)),
    ("follow-ups", MARCUS, ("u",)),
    ("follow-ups of Tam", TAM, ("u",)),
    ("new schedule", MARCUS, ("u", "n")),
    ("referrals", MARCUS, ("r",)),
    ("referrals of Rosa", ROSA, ("r",)),
    ("program", ROSA, ("g",)),
    ("program of Marcus", MARCUS, ("g",)),
    ("merge a duplicate", ROSA, ("M",)),
    ("referral packet", ROSA, ("r", "s")),
    ("export plan", ROSA, ("x",)),
    ("assign", ROSA, ("A",)),
    ("crisis picker on a page", ROSA, ("ctrl+r",)),
    ("note editor", MARCUS, ("o",)),
    ("finalize", MARCUS, ("o", "f10")),
    ("go menu in the note editor", MARCUS, ("o", "ctrl+g")),
    ("crisis checklist", ROSA, ("ctrl+r", "1")),  # last: it stays unfinished
)

SIZES = ((80, 24), (120, 40))


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Vocabulary]:
    home = tmp_path_factory.mktemp("demo-home")
    directory = ensure_demo_vault(home)
    return directory, Vocabulary(vault_words(directory, config.DEMO_PASSPHRASE))


def ids_of(app: CoachdeskApp, *aliases: str) -> dict[str, str]:
    assert app.vault is not None
    return {alias: participants.find(app.vault, alias).id for alias in aliases}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_no_screen_cuts_a_word_while_its_row_has_room(
        demo_home: tuple[Path, Vocabulary], size: tuple[int, int]) -> None:
    directory, vocabulary = demo_home
    app = CoachdeskApp(directory, demo=True)
    found: list[str] = []
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.pause()
        await type_text(pilot, config.DEMO_PASSPHRASE)
        await keys(pilot, "enter")
        await pilot.pause(0.3)
        found += [f"unlock notice: {cut}" for cut in cut_words(rendered_lines(app), vocabulary)]
        app.clear_notifications()
        people = ids_of(app, ROSA, MARCUS, TAM)
        home = len(app.screen_stack)
        for name, person, pressed in TOUR:
            if person is not None:
                app.open_participant(people[person])
                await pilot.pause()
            await keys(pilot, *pressed)
            await pilot.pause()
            found += [f"{name}: {cut}" for cut in cut_words(rendered_lines(app), vocabulary)]
            found += [f"{name}: footer {cut}" for cut in hidden_footer_keys(app)]
            while len(app.screen_stack) > home:
                await app.pop_screen()
            app.clear_notifications()
            await pilot.pause()
    assert not found, "\n".join(found)


# ---- the check itself -------------------------------------------------------------------
F3_BEFORE = ("! overdue  2026-11-29  Marcus Webb     participant  sign up for warehouse tra"
             + " " * 40)
"""A row of F3 as it was at 120 columns: the action text cut at 25 characters."""


def test_the_check_finds_a_word_cut_while_the_row_has_room() -> None:
    vocabulary = Vocabulary({"warehouse", "training", "Harbor", "Treatment", "Center"})
    assert cut_words([F3_BEFORE], vocabulary) == [f"row 0: 'tra' in {F3_BEFORE.strip()!r}"]
    assert cut_words(["│ Harbor Treatment Cente      │"], vocabulary)
    assert cut_words(["  Harbor Treatm…              "], vocabulary)


def test_the_check_lets_whole_words_and_full_rows_be() -> None:
    vocabulary = Vocabulary({"warehouse", "training"})
    assert not cut_words(["sign up for warehouse training" + " " * 40], vocabulary)
    assert not cut_words([F3_BEFORE.rstrip()], vocabulary)  # cut at the edge: no room
    assert not cut_words(["Search for commands…" + " " * 20], vocabulary)  # Textual's own
