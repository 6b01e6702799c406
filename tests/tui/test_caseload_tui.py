"""Caseloads in the TUI (issue 17): the roster's views by coach, the supervisor's Assign
screen, the handoff note shown first, a person's preferences on the form."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, SelectionList

from coachdesk.store import participants
from coachdesk.store.vault import Vault
from coachdesk.sync import caseload
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.assign import AssignScreen
from coachdesk.tui.screens.handoff_note import HandoffNoteScreen
from coachdesk.tui.screens.participant import ParticipantScreen
from coachdesk.tui.screens.participant_form import ParticipantForm
from coachdesk.tui.screens.preferences import PreferencesScreen, choices
from coachdesk.tui.screens.roster import RosterScreen
from tests.conftest import PASSPHRASE, person
from tests.sync.syncutil import make_team, make_vault, sync_to
from tests.tui.helpers import press, type_text, unlocked, visible_text
from tests.vaults import seeded


@contextmanager
def world(tmp_path: Path, vault_dir: Path, me: str) -> Iterator[dict[str, Vault]]:
    """Sue (supervisor), Ann and Bob (coaches) in one team; the vault named `me` is the
    app's (at vault_dir, the test passphrase). Every vault is closed when the block ends."""
    vaults: dict[str, Vault] = {}
    for name in ("sue", "ann", "bob"):
        vaults[name] = (Vault.create(vault_dir, PASSPHRASE, name.title()) if name == me
                        else make_vault(tmp_path, name))
    make_team(vaults["sue"], vaults["ann"], vaults["bob"])
    try:
        yield vaults
    finally:
        for vault in vaults.values():
            vault.close()


def caseloads_of_three(tmp_path: Path, v: dict[str, Vault]) -> dict[str, str]:
    """Ann adds two people, Bob one; Sue shares one of Ann's with Bob, then the news goes
    back: Sue holds everyone, each coach only its own people (Bob: Ann Two and Bob One).
    Their ids by alias."""
    ids = {alias: participants.create(v["ann"], person(alias)) for alias in ("Ann One", "Ann Two")}
    ids["Bob One"] = participants.create(v["bob"], person("Bob One"))
    for coach in ("ann", "bob"):
        sync_to(v[coach], v["sue"], tmp_path / f"{coach}.cdbundle")
    caseload.share(v["sue"], "Ann Two", "bob")
    for coach in ("ann", "bob"):
        sync_to(v["sue"], v[coach], tmp_path / f"sue-{coach}.cdbundle")
    return ids


def words(pilot: Pilot) -> str:
    """The screen's text, every run of spaces one space (bold splits the spans)."""
    return " ".join(visible_text(pilot).split())


def rows(app: CoachdeskApp) -> list[str]:
    screen = app.screen
    assert isinstance(screen, RosterScreen)
    return [row.alias for row in screen._rows]


async def test_a_supervisor_cycles_the_roster_by_coach_with_counts(tmp_path: Path,
                                                                   vault_dir: Path) -> None:
    with world(tmp_path, vault_dir, "sue") as v:
        caseloads_of_three(tmp_path, v)
    app = CoachdeskApp(vault_dir)
    async with unlocked(app) as pilot:
        await pilot.pause()
        assert rows(app) == ["Ann One", "Ann Two", "Bob One"]
        assert "View: whole team (1/4, F6) · you: 0 primary, 0 shared" \
            in words(pilot)
        await press(pilot, "f6")
        assert rows(app) == ["Ann One", "Ann Two"]
        text = words(pilot)
        assert "View: Ann (2/4, F6) · Ann: 2 primary, 0 shared" in text
        assert "P Ann One" in text and "P Ann Two" in text
        await press(pilot, "f6")
        assert rows(app) == ["Ann Two", "Bob One"]
        text = words(pilot)
        assert "Bob: 1 primary, 1 shared" in text
        assert "S Ann Two" in text and "P Bob One" in text
        await press(pilot, "f6")
        assert rows(app) == [] and "Sue: 0 primary, 0 shared" in words(pilot)
        await press(pilot, "f6")
        assert rows(app) == ["Ann One", "Ann Two", "Bob One"]


async def test_a_coach_cycles_everyone_mine_and_shared_with_me(tmp_path: Path,
                                                              vault_dir: Path) -> None:
    with world(tmp_path, vault_dir, "bob") as v:
        caseloads_of_three(tmp_path, v)
    app = CoachdeskApp(vault_dir)
    async with unlocked(app) as pilot:
        await pilot.pause()
        # A coach's vault holds only its own people: Ann One never reached it.
        assert rows(app) == ["Ann Two", "Bob One"]
        assert participants.count(app.vault) == 2  # type: ignore[arg-type]
        text = words(pilot)
        assert "View: everyone (1/3, F6) · you: 1 primary, 1 shared" in text
        assert "Ann One" not in text
        assert "S Ann Two" in text and "P Bob One" in text
        await press(pilot, "f6")
        assert rows(app) == ["Bob One"] and "View: mine (2/3" in words(pilot)
        await press(pilot, "f6")
        assert rows(app) == ["Ann Two"] and "View: shared with me (3/3" in words(pilot)
        await press(pilot, "f6")
        assert rows(app) == ["Ann Two", "Bob One"]


def pick(app: CoachdeskApp, name: str) -> None:
    """Highlight the member called `name` on the Assign screen."""
    screen = app.screen
    assert isinstance(screen, AssignScreen)
    names = [m.member.identity.name for m in screen.matches]
    screen.query_one(OptionList).highlighted = names.index(name)


def coaches_of(app: CoachdeskApp, pid: str) -> tuple[str, str]:
    assert app.vault is not None
    row = participants.get(app.vault, pid, audited=False)
    names = caseload.coach_names(app.vault)
    return names[caseload.primary_of(row)], names.get(row.secondary_coach, "")


async def test_a_supervisor_assigns_transfers_and_shares_by_keys(tmp_path: Path,
                                                                 vault_dir: Path) -> None:
    with world(tmp_path, vault_dir, "sue") as v:
        pid = caseloads_of_three(tmp_path, v)["Ann One"]
    app = CoachdeskApp(vault_dir)
    async with unlocked(app) as pilot:
        await press(pilot, "enter")  # Ann One, first on the roster
        await press(pilot, "A")
        assert isinstance(app.screen, AssignScreen)
        text = words(pilot)
        assert "Coaches for Ann One" in text and "primary Ann · secondary none" in text
        assert "P Ann coach" in text
        await press(pilot, "f2")  # discreet: initials
        assert "Coaches for AO" in words(pilot)
        await press(pilot, "f2")
        pick(app, "Bob")
        await press(pilot, "s")
        assert coaches_of(app, pid) == ("Ann", "Bob")
        assert "S Bob coach" in words(pilot)
        await press(pilot, "s")  # again: nothing changes, no error
        pick(app, "Ann")
        await press(pilot, "s")  # the primary coach as secondary: refused in one line
        assert "Not changed: the primary and the secondary coach must be two people" \
            in words(pilot)
        assert coaches_of(app, pid) == ("Ann", "Bob")
        await press(pilot, "p")  # already primary: refused before any note
        assert "Ann is already the primary coach" in words(pilot)
        assert not app.screen.query_one("#assign-note", Input).display
        pick(app, "Sue")
        await press(pilot, "p")
        assert "Handoff note for Sue (Enter saves, Esc cancels)" in words(pilot)
        await type_text(pilot, "never mind")
        await press(pilot, "escape")  # cancels the note, nothing changed
        assert coaches_of(app, pid) == ("Ann", "Bob") and caseload.handoffs(app.vault, pid) == []
        assert isinstance(app.screen, AssignScreen)
        pick(app, "Bob")
        await press(pilot, "p")
        await press(pilot, "enter")  # an empty note is refused
        assert "Not changed:" in words(pilot) and coaches_of(app, pid) == ("Ann", "Bob")
        await type_text(pilot, "Calls after 5 pm")
        await press(pilot, "enter")
        assert coaches_of(app, pid) == ("Bob", "")  # the secondary became the primary
        [note] = caseload.handoffs(app.vault, pid)
        assert note.note == "Calls after 5 pm"
        assert "primary Bob · secondary none" in words(pilot)
        pick(app, "Ann")
        await press(pilot, "s")
        assert coaches_of(app, pid) == ("Bob", "Ann")
        await press(pilot, "x")
        assert coaches_of(app, pid) == ("Bob", "")
        await press(pilot, "x")
        assert "Not changed: there is no secondary coach" in words(pilot)
        await press(pilot, "escape")
        assert isinstance(app.screen, ParticipantScreen)


async def test_a_coach_pressing_assign_gets_one_line(tmp_path: Path, vault_dir: Path) -> None:
    with world(tmp_path, vault_dir, "bob") as v:
        caseloads_of_three(tmp_path, v)
    app = CoachdeskApp(vault_dir)
    async with unlocked(app) as pilot:
        await press(pilot, "enter")
        await press(pilot, "A")
        assert isinstance(app.screen, ParticipantScreen)
        said = [n.message for n in app._notifications]
        assert said == ["Cannot assign: only a supervisor assigns coaches."]


async def test_a_coach_sees_the_handoff_note_first_once(tmp_path: Path, vault_dir: Path) -> None:
    with world(tmp_path, vault_dir, "ann") as v:
        pid = participants.create(v["bob"], person("Rae Moving"))
        sync_to(v["bob"], v["sue"], tmp_path / "bob.cdbundle")
        caseload.transfer(v["sue"], "Rae", "ann", "Prefers calls after 5 pm; court on the 12th.")
        sync_to(v["sue"], v["ann"], tmp_path / "sue.cdbundle")
    app = CoachdeskApp(vault_dir)
    async with unlocked(app) as pilot:
        await press(pilot, "enter")
        assert isinstance(app.screen, HandoffNoteScreen)
        text = words(pilot)
        assert "Handoff note: Rae Moving is now yours" in text
        assert "Sue wrote," in text and "from Bob's caseload:" in text
        assert "Prefers calls after 5 pm; court on the 12th." in text
        await press(pilot, "enter")
        assert isinstance(app.screen, ParticipantScreen)
        assert app.vault is not None
        viewed = app.vault.conn.execute(
            "SELECT row_id, detail FROM audit WHERE action = 'handoff note viewed'").fetchall()
        assert [detail for _, detail in viewed] == [pid]
        await press(pilot, "escape")
        await press(pilot, "enter")  # the second time: straight to the page
        assert isinstance(app.screen, ParticipantScreen)
        assert "court on the 12th" not in words(pilot)


async def test_intake_preferences_are_picked_on_the_form(vault_dir: Path) -> None:
    [pid] = seeded(vault_dir, "Pat Prefers")
    app = CoachdeskApp(vault_dir)
    spanish = "language:Spanish"
    async with unlocked(app) as pilot:
        await press(pilot, "enter")
        await press(pilot, "e")
        assert isinstance(app.screen, ParticipantForm)
        assert "Preferences none: Ctrl+G chooses" in words(pilot)
        await press(pilot, "ctrl+g")
        assert isinstance(app.screen, PreferencesScreen)
        assert "Recovery pathway: mutual help" in words(pilot)
        await press(pilot, "space")  # the first: mutual help
        listing = app.screen.query_one(SelectionList)
        listing.highlighted = [tag for _, tag, _ in choices([])].index(spanish)
        await press(pilot, "space")
        await press(pilot, "escape")  # cancelled: nothing taken
        assert isinstance(app.screen, ParticipantForm) and app.screen.preferences == []
        await press(pilot, "ctrl+g")
        await press(pilot, "space")
        app.screen.query_one(SelectionList).highlighted = [
            tag for _, tag, _ in choices([])].index(spanish)
        await press(pilot, "space")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ParticipantForm)
        assert "Preferences Spanish, mutual help (Ctrl+G)" in words(pilot)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ParticipantScreen)
        assert app.vault is not None
        saved = participants.get(app.vault, pid, audited=False).preferences
        assert saved == sorted([spanish, "pathway:mutual help"])
        await press(pilot, "e")
        await press(pilot, "ctrl+g")  # ticked as saved
        assert sorted(app.screen.query_one(SelectionList).selected) == saved
