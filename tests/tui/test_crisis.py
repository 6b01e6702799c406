"""The crisis checklist by keys only, at 80x24: Ctrl+R from anywhere, every answer saved,
timer steps, going back, attaching a person later, lock and resume, the summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachdesk.store import crisis
from coachdesk.tui import app as app_module
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.screens.crisis_checklist import CrisisScreen
from coachdesk.tui.screens.crisis_picker import CrisisPicker
from coachdesk.tui.screens.crisis_summary import CrisisSummary
from coachdesk.tui.screens.participant_form import ParticipantForm
from coachdesk.tui.screens.roster import RosterScreen
from coachdesk.tui.screens.unlock import UnlockScreen
from tests.protocols.drills import protocol_text, use_protocols
from tests.tui.helpers import keys, squeezed, type_text, unlock, unlocked
from tests.vaults import created, reopened, seeded


def stored(vault_dir: Path) -> list:
    with reopened(vault_dir) as vault:
        return [crisis.get(vault, e.event.id, audited=False) for e in crisis.history(vault)]


def current_step(app: CoachdeskApp) -> str:
    screen = app.screen
    assert isinstance(screen, CrisisScreen), screen
    assert screen.walk is not None
    return screen.walk.current.id


async def test_overdose_by_keys_only_with_timer_and_second_dose(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Olive Overdue")
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+r")
        assert isinstance(app.screen, CrisisPicker)
        assert "Opioidoverdoseresponse" in squeezed(pilot)
        await keys(pilot, "1")
        assert current_step(app) == "signs"
        assert "Isthisanoverdose?" in squeezed(pilot)
        await keys(pilot, "y", "enter", "y", "enter", "enter")
        assert current_step(app) == "wait"
        text = squeezed(pilot)
        assert "Wait2to3minutes" in text and "Countingdown" in text
        await keys(pilot, "enter")  # go on before the timer ends
        await keys(pilot, "n", "y", "enter")  # not responding: another dose, back to the wait
        assert current_step(app) == "wait"
        await keys(pilot, "enter", "y", "enter")
        assert current_step(app) == "help-arrived"
        await keys(pilot, "9")  # no such option: nothing happens
        assert current_step(app) == "help-arrived"
        await keys(pilot, "1", "enter", "enter")
        assert current_step(app) == "end-ems"
        await keys(pilot, "enter")
        assert isinstance(app.screen, CrisisSummary)
        text = squeezed(pilot)
        assert "outcome:EMSarrivedandtookover" in text and "wentonafter" in text
    [record] = stored(vault_dir)
    answers = [(s.step_id, s.answer) for s in record.steps]
    assert answers[:3] == [("signs", "yes"), ("call-911", "done"), ("have-naloxone", "yes")]
    assert [a for s, a in answers if s == "wait"][0].startswith("went on after ")
    assert [s for s, _ in answers].count("wait") == 2
    assert answers[-1] == ("end-ems", "EMS arrived and took over")
    assert record.participant_id == ""


async def test_a_timer_that_runs_out_then_free_text(vault_dir: Path, app: CoachdeskApp, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    use_protocols(monkeypatch, tmp_path / "protocols", {"drill.toml": protocol_text("drill")})
    seeded(vault_dir)
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+r", "1")
        assert current_step(app) == "wait"
        for _ in range(40):  # wait (at most ~4 s) for the countdown to reach zero
            if "Timeisup" in squeezed(pilot):
                break
            await pilot.pause(0.1)
        assert "Timeisup" in squeezed(pilot)
        await keys(pilot, "enter")
        assert current_step(app) == "note"
        await type_text(pilot, "all calm, b and n typed")
        await keys(pilot, "enter")
        assert current_step(app) == "fin"
        await keys(pilot, "backspace")  # back from the end to the text step
        assert current_step(app) == "note"
        await keys(pilot, "backspace")  # empty field: back again, to the timer
        assert current_step(app) == "wait"
    [record] = stored(vault_dir)
    assert [(s.kind, s.answer) for s in record.steps] == [
        ("timer", "waited the full 0:01"), ("text", "all calm, b and n typed"),
        ("back", "from Finished to Anything to add?"),
        ("back", "from Anything to add? to Wait a moment")]


async def test_back_keeps_the_first_answer_and_takes_the_new_branch(
        vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir)
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+r", "1", "b")  # nothing before the first step
        assert current_step(app) == "signs" and "bBack" not in squeezed(pilot)
        await keys(pilot, "y")
        assert "bBack" in squeezed(pilot)
        await keys(pilot, "b")
        assert current_step(app) == "signs"
        assert "earlieranswerstays" in squeezed(pilot)
        await keys(pilot, "n")
        assert current_step(app) == "watch"
    [record] = stored(vault_dir)
    assert [(s.step_id, s.kind, s.answer) for s in record.steps] == [
        ("signs", "yesno", "yes"), ("call-911", "back", "from Call 911 now to Is this an overdose?"),
        ("signs", "yesno", "no")]


async def test_lock_hides_the_checklist_and_unlock_resumes_it(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Lena Lockwood")
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+r", "2", "enter", "y", "n")
        assert current_step(app) == "q6"
        await keys(pilot, "ctrl+l")
        assert isinstance(app.screen, UnlockScreen) and app.vault is None
        assert not any(isinstance(s, CrisisScreen) for s in app.screen_stack)
        assert "Prepared" not in squeezed(pilot)
        await keys(pilot, "ctrl+r")  # nothing to start while locked
        assert isinstance(app.screen, UnlockScreen)
        await unlock(pilot)
        assert current_step(app) == "q6"
        assert "Preparedoracted" in squeezed(pilot)
        assert "3answerssaved" in squeezed(pilot)
        await keys(pilot, "n")
        assert current_step(app) == "not-imminent"
    [record] = stored(vault_dir)
    assert [s.step_id for s in record.steps] == ["before", "q1", "q2", "q6"]


async def test_escape_hides_and_ctrl_r_returns_to_it(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir)
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+r", "1", "y", "escape")
        assert isinstance(app.screen, RosterScreen)
        await keys(pilot, "ctrl+r")
        assert current_step(app) == "call-911"


async def test_ctrl_r_on_the_roster_offers_the_selected_person(vault_dir: Path, app: CoachdeskApp) -> None:
    ids = seeded(vault_dir, "Ada Attachable", "Bo Other")
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+r")
        text = squeezed(pilot)
        assert "AttachAdaAttachable" in text
        await keys(pilot, "a", "1")
        assert "Person:AdaAttachable" in squeezed(pilot)
    [record] = stored(vault_dir)
    assert record.event.participant_id == ids[0]


async def test_start_with_nobody_and_attach_by_search_later(vault_dir: Path, app: CoachdeskApp) -> None:
    ids = seeded(vault_dir, "Ada Attachable", "Zora Zebedee")
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+r", "1", "y")
        assert "notattachedyet" in squeezed(pilot)
        await keys(pilot, "p")
        await type_text(pilot, "zeb")
        await pilot.pause()
        assert "ZoraZebedee" in squeezed(pilot) and "AdaAttachable" not in squeezed(pilot)
        await keys(pilot, "enter")
        assert current_step(app) == "call-911"
        assert "Person:ZoraZebedee" in squeezed(pilot)
        await keys(pilot, "p", "escape")  # cancel: nothing more attached
    [record] = stored(vault_dir)
    assert record.participant_id == ids[1]
    assert [s.kind for s in record.steps] == ["yesno", "attach"]


async def test_ctrl_r_works_on_a_form_and_stop_needs_two_presses(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir, "Fay Formfield")
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+n")
        assert isinstance(app.screen, ParticipantForm)
        await type_text(pilot, "half")
        await keys(pilot, "ctrl+r", "4")
        assert current_step(app) == "pause"
        await keys(pilot, "x")
        assert "Pressxagain" in squeezed(pilot)
        assert current_step(app) == "pause"
        await keys(pilot, "x")
        assert isinstance(app.screen, CrisisSummary)
        assert "Stoppedbeforetheend" in squeezed(pilot)
        await keys(pilot, "escape")
        assert isinstance(app.screen, ParticipantForm)
    [record] = stored(vault_dir)
    assert record.outcome == "stopped early by the coach"


async def test_a_broken_protocol_file_is_shown_and_the_rest_still_work(
        vault_dir: Path, app: CoachdeskApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    drill = protocol_text("drill")
    use_protocols(monkeypatch, tmp_path / "protocols", {
        "drill.toml": drill,
        "zz-broken.toml": drill.replace('"drill"', '"other"').replace('kind = "text"', 'kind = "dance"')})
    seeded(vault_dir)
    async with unlocked(app) as pilot:
        assert isinstance(app.screen, RosterScreen)
        await keys(pilot, "ctrl+r")
        text = squeezed(pilot)
        assert "zz-broken.toml:step'note':unknownstepkind'dance'" in text
        assert "Timerdrill" in text
        await keys(pilot, "2")  # only one protocol loaded: nothing starts
        assert isinstance(app.screen, CrisisPicker)
        await keys(pilot, "1")
        assert current_step(app) == "wait"


async def test_summary_exports_markdown_where_asked_and_note_hook(vault_dir: Path, app: CoachdeskApp,
                                                                  tmp_path: Path) -> None:
    ids = seeded(vault_dir, "Mia Markdown")
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+r", "1", "n", "enter", "enter")
        assert isinstance(app.screen, CrisisSummary)
        await keys(pilot, "o")
        assert "Attachthepersonfirst" in squeezed(pilot)
        await keys(pilot, "p")
        await type_text(pilot, "mia")
        await keys(pilot, "enter")
        assert "person:MiaMarkdown" in squeezed(pilot)
        await keys(pilot, "o")  # a session note starts with the incident's timeline
        from coachdesk.tui.screens.note_editor import NoteEditor

        assert isinstance(app.screen, NoteEditor) and "Crisischecklist" in squeezed(pilot)
        await keys(pilot, "escape")
        assert isinstance(app.screen, CrisisSummary)
        await keys(pilot, "m")
        await type_text(pilot, str(tmp_path / "missing" / "x.md"))
        await keys(pilot, "enter")
        assert "Notwritten" in squeezed(pilot)
        await keys(pilot, "ctrl+u")
        await type_text(pilot, str(tmp_path / "incident"))
        await keys(pilot, "enter")
        assert isinstance(app.screen, CrisisSummary)
        assert "Savedto" in squeezed(pilot)
    written = (tmp_path / "incident.md").read_text(encoding="utf-8")
    assert "**Outcome**: No signs of overdose" in written and "Mia Markdown" in written
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["incident.md"]
    [record] = stored(vault_dir)
    assert record.participant_id == ids[0]


class NotesApp(CoachdeskApp):
    """The app as it will be once session notes land: it has `start_note`."""

    CSS_PATH = str(Path(app_module.__file__).parent / "coachdesk.tcss")

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self.notes: list[tuple[str, str]] = []
        self.headers: list[dict[str, object]] = []

    def start_note(self, participant_id: str, text: str, **header: object) -> None:
        self.notes.append((participant_id, text))
        self.headers.append(header)


async def test_note_key_calls_the_notes_hook_with_the_timeline(vault_dir: Path) -> None:
    [pid] = seeded(vault_dir, "Noah Notable")
    app = NotesApp(vault_dir)
    async with unlocked(app) as pilot:
        await keys(pilot, "down", "ctrl+r", "a", "1", "n", "enter", "enter", "o")
    [(participant, text)] = app.notes
    assert participant == pid
    assert "Is this an overdose?: no" in text and "Noah" not in text
    [header] = app.headers  # prefilled (issue 13): a crisis contact, its time and length
    assert header["contact_type"] == "crisis support" and header["setting"]
    assert 1 <= int(header["duration_min"]) <= 5  # type: ignore[call-overload]


async def test_after_crisis_follow_up_is_offered_on_the_summary(vault_dir: Path, app: CoachdeskApp) -> None:
    seeded(vault_dir)
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+r", "1", "n", "enter", "enter", "c")
        assert current_step(app) == "pause"
        await keys(pilot, "enter", "enter", "enter", "3", "enter")
        assert isinstance(app.screen, CrisisSummary)
        assert "Coachcheck-indone" in squeezed(pilot)
    records = stored(vault_dir)
    assert [r.event.protocol_id for r in records] == ["after-crisis", "overdose"]
    assert records[0].participant_id == ""


async def test_call_steps_show_the_numbers_from_settings(vault_dir: Path, app: CoachdeskApp) -> None:
    with created(vault_dir) as vault:
        vault.save_settings(vault.settings().model_copy(update={"supervisor_phone": "555-0123"}))
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+r", "4", "enter")
        assert current_step(app) == "supervisor"
        assert "555-0123Yoursupervisor" in squeezed(pilot)
        await keys(pilot, "x", "x", "escape", "ctrl+r", "3", "n", "enter")  # stop it, start another
        text = squeezed(pilot)
        assert "911Emergency" in text and "555-0123" not in text


async def test_ctrl_r_without_shipped_protocols_says_so_and_the_app_goes_on(
        vault_dir: Path, app: CoachdeskApp, monkeypatch: pytest.MonkeyPatch) -> None:
    from coachdesk import shipped

    monkeypatch.setattr(shipped, "PACKAGE", "coachdesk.no_such_assets")  # a wheel without them
    seeded(vault_dir, "Nora Nofiles")
    async with unlocked(app) as pilot:
        await keys(pilot, "ctrl+r")
        assert isinstance(app.screen, CrisisPicker)
        text = squeezed(pilot)
        assert "Noprotocolcouldbeloaded" in text
        assert "coachdesk'sshippedfilesaremissing:reinstallcoachdesk" in text
        await keys(pilot, "1", "escape")
        assert isinstance(app.screen, RosterScreen)
