"""The printable plan as a person takes it home, and the copy a recipient gets: the safety
plan first on its own page, page CSS, the numbers from Settings, no heading twice, and a
recipient copy holding only the kinds its consent covers (a canary in each other one)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from coachdesk.errors import CoachdeskError
from coachdesk.export.plan import Contacts, document, export_plan, to_html, to_markdown
from coachdesk.models.plan import Contact, Goal, Plan, SafetyPlan, Step
from coachdesk.store import consents, participants, plans, referrals
from coachdesk.store.vault import Vault
from tests.conftest import person

TODAY = dt.date.today()
SAFETY_CANARY = "SafetyCanary7f3"
GOAL_CANARY = "GoalCanary91b"
PHONE_CANARY = "555-0177"


def canary_plan() -> Plan:
    return Plan(health=[Goal(text=f"Keep clinic visits {GOAL_CANARY}", steps=[Step(what="bus pass")])],
                strengths=["stubborn"], reasons=["my daughter"],
                supports=[Contact(name="Marisol", reach="text")],
                triggers=[f"paydays {SAFETY_CANARY}"], warning_signs=["skipping meals"],
                coping=["walk the dog"],
                crisis_contacts=[Contact(name="Sister", reach="555-0100")],
                safety=SafetyPlan(warning_signs=["not answering", "skipping meals"],
                                  cope_alone=[f"cook {SAFETY_CANARY}"], kept_where="fridge"))


class Outline(HTMLParser):
    """Headings in order, with the page section each one is in."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[int, str, str]] = []
        self.pages: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section" and ("class", "page") in attrs:
            self.pages.append(dict(attrs).get("id") or "")
        if tag in ("h1", "h2", "h3"):
            self._in = tag

    def handle_data(self, data: str) -> None:
        if self._in:
            self.headings.append((int(self._in[1]), data, self.pages[-1] if self.pages else ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None


def outline(page: str) -> Outline:
    parsed = Outline()
    parsed.feed(page)
    return parsed


def test_safety_plan_first_on_its_own_page_with_page_css() -> None:
    page = to_html("Rosa D", canary_plan(), dt.date(2026, 2, 1),
                   Contacts(crisis_line="555-0199", coach="Sam Coach", coach_phone="555-0142"))
    parsed = outline(page)
    sub = [(text, where) for level, text, where in parsed.headings if level == 2]
    assert sub == [("My safety plan", "page-1"), ("My wellness plan", "page-2")]
    assert "@page" in page and "margin:" in page.split("@page", 1)[1][:40]
    assert 'counter(page) " of " counter(pages)' in page
    assert "break-after: page" in page
    assert "Rosa D" in page.split("@page", 1)[1].split("}")[0] or '"Rosa D"' in page
    assert '<p class="running">Rosa D</p>' in page  # the name heads the second page too
    safety = page.split('id="page-1"')[1].split('id="page-2"')[0]
    for text in ("988", "911", "Local crisis line: 555-0199", "Sam Coach, 555-0142", "Sister: 555-0100"):
        assert text in safety, text


def test_no_heading_twice_and_every_warning_sign_once() -> None:
    page = to_html("Rosa", canary_plan(), dt.date(2026, 2, 1))
    headings = [text for _, text, _ in outline(page).headings]
    assert not [h for h, n in Counter(headings).items() if n > 1]
    assert sum("Warning signs" in h for h in headings) == 1
    assert page.count("skipping meals") == 1  # in the plan and step 1: printed once
    text = to_markdown("Rosa", canary_plan(), dt.date(2026, 2, 1))
    md_headings = [line for line in text.splitlines() if line.startswith("#")]
    assert len(md_headings) == len(set(md_headings))
    assert md_headings.index("## My safety plan") < md_headings.index("## My wellness plan")
    assert "page 1 of 2" in text and "page 2 of 2" in text


def test_the_running_name_cannot_break_out_of_the_css() -> None:
    page = to_html('Ro"}</style><script>x', canary_plan(), dt.date(2026, 2, 1))
    assert "<script>" not in page
    css = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert '"}' not in css.split("@bottom-left", 1)[1].split("content:", 1)[1].split(";", 1)[0][1:-1]


def consented(vault: Vault, pid: str, kinds: list[str], recipient: str = "Eastside Clinic") -> str:
    return consents.add(vault, pid, {
        "recipient": recipient, "purpose": "coordinate care", "information": "as signed",
        "signed_on": (TODAY - dt.timedelta(days=5)).isoformat(),
        "expires_on": (TODAY + dt.timedelta(days=90)).isoformat(), "kinds": kinds})


@pytest.fixture
def rosa(vault: Vault) -> str:
    pid = participants.create(vault, person("Rosa Delgado", phone=PHONE_CANARY))
    plans.save(vault, pid, canary_plan())
    return pid


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_a_recipient_copy_holds_only_what_the_consent_covers(vault: Vault, rosa: str,
                                                             tmp_path: Path, fmt: str) -> None:
    row = participants.get(vault, rosa, audited=False)
    out = tmp_path / f"copy.{fmt}"
    export_plan(vault, row, fmt, out, consent_id=consented(vault, rosa, ["plan_goals"]))
    text = out.read_text()
    assert GOAL_CANARY in text
    assert SAFETY_CANARY not in text and PHONE_CANARY not in text  # uncovered kinds
    assert "Marisol" not in text and "walk the dog" not in text
    first = "\n".join(text.split("<body>")[-1].splitlines()[:12])  # what a reader sees first
    assert "Eastside Clinic" in first and "coordinate care" in first
    assert (TODAY - dt.timedelta(days=5)).isoformat() in first and "plan goals" in first
    assert "42 CFR part 2" in text
    [(day, recipient, what, purpose)] = referrals.disclosures(vault, rosa)
    assert (recipient, what) == ("Eastside Clinic", "wellness plan: plan goals")


def test_the_safety_kind_brings_the_safety_plan_and_contact_the_phone(vault: Vault, rosa: str,
                                                                     tmp_path: Path) -> None:
    row = participants.get(vault, rosa, audited=False)
    out = tmp_path / "copy.html"
    export_plan(vault, row, "html", out,
                consent_id=consented(vault, rosa, ["safety_plan", "contact"]))
    text = out.read_text()
    assert SAFETY_CANARY in text and PHONE_CANARY in text and GOAL_CANARY not in text
    assert referrals.disclosures(vault, rosa)[0][2] == "wellness plan: safety plan, contact details"


def test_an_old_consent_covers_nothing_until_kinds_are_picked(vault: Vault, rosa: str,
                                                              tmp_path: Path) -> None:
    row = participants.get(vault, rosa, audited=False)
    old = consented(vault, rosa, [])
    assert consents.get(vault, old).covered_text().startswith("nothing yet")
    audits = vault.conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    with pytest.raises(CoachdeskError, match="covers no kind of information yet"):
        export_plan(vault, row, "md", tmp_path / "x.md", consent_id=old)
    assert not (tmp_path / "x.md").exists() and referrals.disclosures(vault, rosa) == []
    assert vault.conn.execute("SELECT count(*) FROM audit").fetchone()[0] == audits
    consents.set_kinds(vault, old, ["referral_reason"])
    with pytest.raises(CoachdeskError, match="covers none of what a plan copy holds"):
        export_plan(vault, row, "md", tmp_path / "x.md", consent_id=old)
    consents.set_kinds(vault, old, ["attendance"])
    export_plan(vault, row, "md", tmp_path / "x.md", consent_id=old)
    text = (tmp_path / "x.md").read_text()
    assert "Attendance" in text and GOAL_CANARY not in text and SAFETY_CANARY not in text


def test_an_unknown_kind_is_refused(vault: Vault, rosa: str) -> None:
    with pytest.raises(CoachdeskError, match="unknown kind"):
        consented(vault, rosa, ["everything"])
    cid = consented(vault, rosa, ["attendance"])
    with pytest.raises(CoachdeskError, match="unknown kind"):
        consents.set_kinds(vault, cid, ["attendance", "diagnosis"])
    assert consents.get(vault, cid).kinds == ["attendance"]


def test_own_copy_has_no_notice_and_every_section() -> None:
    doc = document("Rosa", canary_plan(), dt.date(2026, 2, 1))
    assert not doc.notice and len(doc.pages) == 2
    page = to_html("Rosa", canary_plan(), dt.date(2026, 2, 1))
    assert GOAL_CANARY in page and SAFETY_CANARY in page
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", page)
