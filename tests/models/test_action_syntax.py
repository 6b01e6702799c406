"""Inline action-item syntax: owners, due words, and bad dates named by line."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from coachdesk.models.action_syntax import parse
from coachdesk.models.note import Owner

TODAY = dt.date(2026, 3, 10)


def test_items_owners_and_due_words() -> None:
    body = ("Plan:\n- [ ] call housing @coach due:2026-03-12\n"
            "  - [ ] bring ID @participant due:tomorrow\n- [x] done already due:today\n"
            "* [ ] ask sister @other due:+3d\n- [ ] plain follow-up\n- not an item\n")
    result = parse(body, TODAY)
    assert result.problems == []
    got = [(i.line, i.text, i.owner, i.due, i.done) for i in result.items]
    assert got == [
        (2, "call housing", Owner.COACH, dt.date(2026, 3, 12), False),
        (3, "bring ID", Owner.PARTICIPANT, dt.date(2026, 3, 11), False),
        (4, "done already", Owner.COACH, TODAY, True),
        (5, "ask sister", Owner.OTHER, dt.date(2026, 3, 13), False),
        (6, "plain follow-up", Owner.COACH, None, False),
    ]


def test_bad_dates_and_owners_name_the_line() -> None:
    body = ("x\n- [ ] a due:2026-02-30\n- [ ] b due:next-week\n- [ ] c due:03/04/2026\n"
            "- [ ] d @boss\n- [ ]   due:today\n- [ ] fine")
    result = parse(body, TODAY)
    assert [i.text for i in result.items] == ["fine"]
    assert result.problems[0].startswith("line 2:") and "not a real date" in result.problems[0]
    assert result.problems[1].startswith("line 3:") and "YYYY-MM-DD" in result.problems[1]
    assert result.problems[2].startswith("line 4:")
    assert result.problems[3].startswith("line 5:") and "@boss" in result.problems[3]
    assert result.problems[4].startswith("line 6:") and "says nothing" in result.problems[4]


@given(st.text())
def test_any_text_parses_without_raising(text: str) -> None:
    result = parse(text, TODAY)
    assert len(result.items) + len(result.problems) <= text.count("\n") + 1
