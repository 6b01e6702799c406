"""Discreet mode hides everything identifying on every screen (issue 21, item 1).

The demo vault (every kind of record: notes, items, referrals, consents, check-ins,
plans, a crisis, a review, supervision) gets a canary person with a canary in every
field; every identifying text of the vault is a canary too. Each screen is drawn at
80x24 in discreet mode and none may show. Ctrl+E shows the selected row, and only it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from coachdesk import config
from coachdesk.demo import ensure_demo_vault
from coachdesk.models.program import recovery_lines
from coachdesk.protocols.model import STEP_KINDS
from coachdesk.store import (
    action_items,
    consents,
    crisis,
    followups,
    notes,
    participants,
    plans,
    program,
    referrals,
    resources,
    reviews,
)
from coachdesk.store.vault import Vault
from coachdesk.sync import supervision
from coachdesk.tui.app import CoachdeskApp
from coachdesk.tui.program_data import program_files
from coachdesk.tui.screens.help import global_rows
from coachdesk.tui.screens.note_editor import NoteEditor
from tests.tui.helpers import SIZE, keys, press, type_text, visible_text

CANARY = "Quill Canarywood"
FLAGS = ("!OD", "!self", "!others")


def add_canary_person(vault: Vault) -> str:
    """A person with a canary in each field a coach fills in."""
    today = dt.date.today()
    pid = participants.create(vault, {
        "alias": CANARY, "adult_confirmed": True, "phone": "555 0177",
        "intake_date": (today - dt.timedelta(weeks=5)).isoformat(),
        "pathway": "medication (MOUD)", "safety_flags": ["recent_overdose", "harm_self"]})
    note_id = notes.start(vault, pid)
    notes.finalize(vault, note_id, "Canarynote talked about the Canarybridge job.\n"
                   "- [ ] Canaryitem call the Canaryclinic due:2020-01-01", today)
    consents.add(vault, pid, {"recipient": "Canaryrecipient Agency", "purpose": "Canarypurpose",
                              "information": "Canaryinformation", "signed_on": today.isoformat(),
                              "expiry_event": "end of treatment"})
    followups.add_schedule(vault, pid, {"label": "Canarylabel call", "every": 1, "unit": "weeks",
                                        "times": 4, "starts_on": today.isoformat()})
    plans.save(vault, pid, {"health": [{"text": "Canarygoal walk daily"}]})
    resource = resources.create(vault, {"name": "Canaryservice Center", "kind": "housing"})
    referrals.add(vault, pid, resource, follow_up_on=today)
    lists = program_files()[1]
    program.set_recovery(vault, pid, {"pathways": list(lists.pathways)[:2],
                                      "living_situation": list(lists.living_situations)[0]}, lists)
    return pid


def identifying_texts(vault: Vault) -> set[str]:
    """Every identifying text the vault holds, cut to what a narrow column still shows."""
    texts: set[str] = set()
    for person in participants.roster(vault, status=None, limit=10_000):
        texts |= {person.alias, person.phone, person.pathway}
        for note in notes.for_participant(vault, person.id):
            texts |= {line.strip() for line in note.text.splitlines()
                      if not line.lstrip().startswith("#")}
            texts |= {entry.text for entry in reviews.thread(vault, note.id)}
        texts |= {item.text for item in action_items.open_for(vault, person.id)}
        texts |= {r.resource_name for r in referrals.for_participant(vault, person.id)}
        for consent in consents.for_participant(vault, person.id):
            texts |= {consent.recipient, consent.purpose, consent.information}
        texts |= {s.rule.label for s in followups.schedules(vault, person.id)}
        current = plans.state(vault, person.id).current
        if current is not None:
            texts |= {goal.text for goal in current.plan.health + current.plan.home}
        texts |= {a.record.note for a in followups.attempts(vault, person.id)}
        texts |= set(recovery_lines(program_files()[1], program.recovery(vault.conn, person.id)))
    texts |= {row.item.text for row in supervision.visible_items(vault)}
    texts |= {row.session.private_note for row in supervision.visible_sessions(vault)}
    for record in crisis.history(vault):
        texts |= {step.answer for step in record.steps
                  if step.kind in STEP_KINDS and STEP_KINDS[step.kind].typed}
    # A word or two ("weekly call") may be the app's own words too: what is long enough
    # to be someone's, as far as the narrowest column shows it.
    return {text.strip()[:12] for text in texts if len(text.strip()) >= 10}


def shown_secrets(pilot: Pilot, secrets: set[str]) -> list[str]:
    text = visible_text(pilot)
    squeezed = " ".join(text.split())
    found = [s for s in secrets if s in text or " ".join(s.split()) in squeezed]
    found += [flag for flag in FLAGS if f" {flag} " in f" {squeezed} "]
    return sorted(found)


async def test_discreet_mode_shows_no_identifying_text_on_any_screen(tmp_path: Path) -> None:
    directory = ensure_demo_vault(tmp_path)
    vault = Vault.open(directory, config.DEMO_PASSPHRASE)
    try:
        add_canary_person(vault)
        vault.save_settings(vault.settings().model_copy(update={"discreet": True}))
        secrets = identifying_texts(vault)
    finally:
        vault.close()
    assert {"Quill Canary", "Canaryitem c", "Canaryservic", "Canarylabel "} <= secrets

    seen: dict[str, list[str]] = {}
    screens: set[str] = set()
    app = CoachdeskApp(directory)

    async def look(where: str) -> None:
        await pilot.pause()
        seen[where] = shown_secrets(pilot, secrets)
        screens.add(type(app.screen).__name__)

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_text(pilot, config.DEMO_PASSPHRASE)
        await press(pilot, "enter")
        await pilot.pause(0.3)
        assert app.discreet
        await look("roster")
        await type_text(pilot, "canarywood")  # the search box shows dots
        await look("roster, searched")
        assert "canarywood" not in visible_text(pilot) and "QC" in visible_text(pilot)
        await press(pilot, "escape")
        for key, where in (("f3", "action items"), ("f4", "sync"), ("f7", "feedback"),
                           ("ctrl+b", "dashboard"), ("f11", "supervision"), ("f10", "ledger"),
                           ("f8", "audit log"), ("f12", "reports"), ("f9", "settings")):
            await press(pilot, key)
            await look(where)
            await press(pilot, "escape")
        await press(pilot, "f7", "enter")
        await look("review thread")
        await keys(pilot, "escape", "escape")
        await press(pilot, "ctrl+f")
        await type_text(pilot, "canarybridge")
        await look("search")
        assert "canarybridge" not in visible_text(pilot) and "1 found" in visible_text(pilot)
        await press(pilot, "down")
        await look("search, a result selected")
        await keys(pilot, "escape")
        await press(pilot, "ctrl+p")
        await type_text(pilot, "canarywood")
        await look("palette")
        assert "canarywood" not in visible_text(pilot)  # typed: dots
        assert "participant: QC" in visible_text(pilot)
        await keys(pilot, "escape")
        await press(pilot, "ctrl+r")
        await look("crisis picker")
        await press(pilot, "h")
        await look("past crisis checklists")
        await press(pilot, "enter")
        await look("crisis summary")
        await keys(pilot, "escape", "escape", "escape")
        for alias in (CANARY, "Rosa Delgado", "Marcus Webb", "Tam Nguyen"):
            await keys(pilot, "ctrl+a", "ctrl+k")
            await type_text(pilot, alias)
            await press(pilot, "enter")
            await pilot.pause(0.2)
            await look(f"{alias}: participant page")
            for key, where in (("n", "notes"), ("h", "plan history"), ("c", "consents"),
                               ("u", "follow-ups"), ("r", "referrals"), ("g", "program")):
                await press(pilot, key)
                await look(f"{alias}: {where}")
                await press(pilot, "escape")
            await press(pilot, "n", "enter")
            if not isinstance(app.screen, NoteEditor):  # a draft: the coach writes it, in full
                await look(f"{alias}: note")
            await keys(pilot, "escape", "escape", "escape")
    shown = {where: found for where, found in seen.items() if found}
    assert shown == {}
    assert screens >= {
        "RosterScreen", "ActionItemsScreen", "SyncScreen", "FeedbackScreen", "ThreadScreen",
        "DashboardScreen", "SupervisionScreen", "LedgerScreen", "AuditLogScreen",
        "ReportsScreen", "SettingsScreen", "SearchScreen", "CommandPalette", "CrisisPicker",
        "CrisisHistory", "CrisisSummary", "ParticipantScreen", "NoteListScreen",
        "PlanHistoryScreen", "ConsentScreen", "FollowupsScreen", "ReferralsScreen", "NoteView",
    }, sorted(screens)


async def test_ctrl_e_shows_the_selected_row_only(tmp_path: Path) -> None:
    directory = ensure_demo_vault(tmp_path)
    vault = Vault.open(directory, config.DEMO_PASSPHRASE)
    try:
        add_canary_person(vault)
    finally:
        vault.close()
    app = CoachdeskApp(directory)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_text(pilot, config.DEMO_PASSPHRASE)
        await press(pilot, "enter")
        await pilot.pause(0.3)
        await type_text(pilot, "canarywood")
        await press(pilot, "f2")
        text = visible_text(pilot)
        assert CANARY not in text and "QC" in text and "!OD" not in text
        assert any("Ctrl+E shows the selected row" in n.message  # said when discreet mode goes on
                   for n in app._notifications)
        await press(pilot, "ctrl+e")
        text = visible_text(pilot)
        assert CANARY in text and "!OD" in text
        await press(pilot, "ctrl+e")
        assert CANARY not in visible_text(pilot)
        await press(pilot, "ctrl+e", "enter")  # the page of the one revealed: hidden again
        assert CANARY not in visible_text(pilot)
        await press(pilot, "ctrl+e")  # the page in full
        assert CANARY in visible_text(pilot) and "medication (MOUD)" in visible_text(pilot)
        await press(pilot, "escape")  # back on the roster: nothing revealed
        assert CANARY not in visible_text(pilot)
        await press(pilot, "f3")  # action items: the overdue canary item is first
        assert "Canaryitem" not in visible_text(pilot)
        await press(pilot, "ctrl+e")
        assert "Canaryitem" in visible_text(pilot)
        await press(pilot, "down")  # moving off the row hides it again
        assert "Canaryitem" not in visible_text(pilot)
        await press(pilot, "escape", "f2")
        assert CANARY in visible_text(pilot)
        assert ("Ctrl+E", "Discreet mode: show the selected row in full") in global_rows(app.screen)
        search = app.screen.query_one("#search", Input)  # not discreet: a field's Ctrl+E is End
        await keys(pilot, "ctrl+a", "ctrl+e")
        await type_text(pilot, "x")
        assert search.value == "canarywoodx"
