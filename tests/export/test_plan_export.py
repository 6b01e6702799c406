"""The printable plan: every goal and step, user text escaped, no internal id."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from coachdesk.errors import CoachdeskError
from coachdesk.export.plan import export_plan, to_html, to_markdown
from coachdesk.models.plan import Contact, Goal, Plan, SafetyPlan, Step, Who
from coachdesk.store import participants, plans
from coachdesk.store.vault import Vault
from tests.conftest import person

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


def rich_plan() -> Plan:
    return Plan(
        health=[Goal(text="Keep clinic visits", steps=[
            Step(what="calendar reminders", who=Who.PARTICIPANT, by=dt.date(2026, 3, 1)),
            Step(what="bus pass", who=Who.COACH)])],
        home=[Goal(text="Own flat <by spring>", steps=[Step(what="waitlist & forms", who=Who.OTHER)])],
        purpose=[Goal(text="Part-time *work*")],
        community=[Goal(text="Weekly meeting", steps=[Step(what="find one near work")])],
        strengths=["stubborn in a good way"], supports=[Contact(name="Marisol", reach="text")],
        triggers=["paydays"], warning_signs=["skipping meals"], coping=["walk the dog"],
        reasons=["my daughter"], crisis_contacts=[Contact(name="Crisis line", reach="988")],
        safety=SafetyPlan(warning_signs=["not answering"], cope_alone=["cook"],
                          distractions=["library"], ask_for_help=["Marisol"],
                          professionals=["988"], safe_surroundings=["meds with sister"],
                          kept_where="on the fridge"),
    )


def every_text(plan: Plan) -> list[str]:
    texts = [g.text for _, g in plan.goals()] + [s.what for _, g in plan.goals() for s in g.steps]
    texts += plan.strengths + plan.triggers + plan.warning_signs + plan.coping + plan.reasons
    texts += [c.name for c in plan.supports + plan.crisis_contacts]
    texts += plan.safety.cope_alone + plan.safety.safe_surroundings + [plan.safety.kept_where]
    return texts


def test_html_has_every_goal_and_step_escaped_and_self_contained() -> None:
    page = to_html("Rosa <b>D</b>", rich_plan(), dt.date(2026, 2, 1))
    for text in every_text(rich_plan()):
        assert text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in page
    assert "<b>D</b>" not in page and "Rosa &lt;b&gt;D&lt;/b&gt;" in page
    assert "<style>" in page and "@media print" in page
    assert "http" not in page.replace('name="viewport"', "")  # nothing fetched from elsewhere
    assert "My safety plan" in page


def test_markdown_has_every_goal_and_step() -> None:
    text = to_markdown("Rosa", rich_plan(), dt.date(2026, 2, 1))
    shown = html.unescape(re.sub(r"\\(.)", r"\1", text))  # what a Markdown viewer shows
    for item in every_text(rich_plan()):
        assert item in shown, item
    assert "<by spring>" not in text  # no raw HTML passes through
    assert "- [ ] calendar reminders (me by 01 Mar 2026)" in text
    assert "Part-time \\*work\\*" in text


def test_export_writes_only_the_file_asked_for_with_no_ids(vault: Vault, tmp_path: Path) -> None:
    pid = participants.create(vault, person("Rosa Export"))
    rev = plans.save(vault, pid, rich_plan())
    out = tmp_path / "out"
    out.mkdir()
    for fmt in ("md", "html"):
        target = out / f"plan.{fmt}"
        export_plan(vault, participants.get(vault, pid, audited=False), fmt, target)
        body = target.read_text("utf-8")
        assert not UUID.search(body) and pid not in body and rev not in body
        assert "Rosa Export" in body and "Keep clinic visits" in body
        assert target.stat().st_mode & 0o077 == 0
    assert sorted(p.name for p in out.iterdir()) == ["plan.html", "plan.md"]
    exported = vault.conn.execute(
        "SELECT count(*) FROM audit WHERE action = 'plan exported'").fetchone()[0]
    assert exported == 2


def test_export_refuses_overwrite_missing_folder_and_no_plan(vault: Vault, tmp_path: Path) -> None:
    pid = participants.create(vault, person("Rosa Export"))
    row = participants.get(vault, pid, audited=False)
    with pytest.raises(CoachdeskError, match="no wellness plan"):
        export_plan(vault, row, "md", tmp_path / "a.md")
    plans.save(vault, pid, rich_plan())
    existing = tmp_path / "keep.md"
    existing.write_text("mine")
    with pytest.raises(CoachdeskError, match="already exists"):
        export_plan(vault, row, "md", existing)
    assert existing.read_text() == "mine"
    export_plan(vault, row, "md", existing, force=True)
    assert "Keep clinic visits" in existing.read_text()
    with pytest.raises(CoachdeskError, match="does not exist"):
        export_plan(vault, row, "html", tmp_path / "nope" / "a.html")
    with pytest.raises(CoachdeskError, match="unknown format"):
        export_plan(vault, row, "pdf", tmp_path / "a.pdf")
    assert not list(tmp_path.glob(".*partial"))
