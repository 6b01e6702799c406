"""The plan text format: every bad line is named; format(parse(x)) is stable."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coachdesk.models.plan import Contact, Goal, Plan, SafetyPlan, Step, Who
from coachdesk.models.plan_text import PlanTextError, format_plan, parse_plan

GOOD = """\
# a note to myself
## Health
- Walk every day
  - [participant] buy shoes (by 2026-03-01)
  - [c] find a group
## supports
- Aunt May: call after 6: not before
## Safety 1. Warning signs
- I stop eating
## Safety: where the plan is kept
- in my wallet
"""


def test_parse_reads_goals_steps_contacts_and_safety() -> None:
    plan = parse_plan(GOOD)
    assert plan.health == [Goal(text="Walk every day", steps=[
        Step(what="buy shoes", who=Who.PARTICIPANT, by=dt.date(2026, 3, 1)),
        Step(what="find a group", who=Who.COACH)])]
    assert plan.supports == [Contact(name="Aunt May", reach="call after 6: not before")]
    assert plan.safety.warning_signs == ["I stop eating"]
    assert plan.safety.kept_where == "in my wallet"


def test_format_then_parse_round_trips() -> None:
    plan = parse_plan(GOOD)
    text = format_plan(plan)
    assert parse_plan(text) == plan
    assert format_plan(parse_plan(text)) == text
    assert parse_plan(format_plan(Plan())) == Plan()


@pytest.mark.parametrize(("text", "expected"), [
    ("- no heading yet", "line 1: put this under a section heading"),
    ("## Health\n- ", "line 2: the goal is empty"),
    ("## Health\n-\n", "line 2: the goal is empty"),
    ("## Health\n  - [coach] a step", "line 2: a step must come after its goal"),
    ("## Health\n- g\n  - [boss] do it", "line 3: [boss] should be [participant], [coach] or [other]"),
    ("## Health\n- g\n  - [coach] do it (by 2026-02-30)", "line 3: 'by 2026-02-30' is not a date"),
    ("## Health\n- g\n  - [coach] do it (by soon)", "line 3: 'by soon' is not a date"),
    ("## Health\n- g\n  - [coach] (by 2026-01-01)", "line 3: the step says nothing to do"),
    ("## Helth\n- g", "line 1: unknown section 'Helth'"),
    ("## Strengths\nkind", "line 2: start each item with '- '"),
    ("## Supports\n- : 555", "line 2: the name is empty"),
    ("## Safety: where the plan is kept\n- wallet\n- drawer", "line 3: say in one line"),
    ("## Strengths\n- " + "x" * 501, "line 2: item: String should have at most 500 characters"),
])
def test_bad_lines_are_named(text: str, expected: str) -> None:
    with pytest.raises(PlanTextError) as caught:
        parse_plan(text)
    assert str(caught.value).startswith(expected)


def test_every_problem_is_listed_not_only_the_first() -> None:
    with pytest.raises(PlanTextError) as caught:
        parse_plan("## Health\n- \n- ok\n  - [x] y\n## Home\n- g\n  - z (by 2026-13-01)\n")
    assert [p.line for p in caught.value.problems] == [2, 4, 7]
    assert "(and 2 more)" in str(caught.value)


line_text = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1,
                    max_size=40).map(str.strip).filter(bool)
steps = st.builds(Step, what=line_text, who=st.sampled_from(list(Who)),
                  by=st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)))
goals = st.builds(Goal, text=line_text, steps=st.lists(steps, max_size=3))
contacts = st.builds(Contact, name=line_text.filter(lambda s: ":" not in s), reach=st.just("") | line_text)
plans_ = st.builds(Plan, health=st.lists(goals, max_size=2), community=st.lists(goals, max_size=2),
                   strengths=st.lists(line_text, max_size=3), supports=st.lists(contacts, max_size=2),
                   safety=st.builds(SafetyPlan, cope_alone=st.lists(line_text, max_size=2)))


@settings(max_examples=150, deadline=None)
@given(plans_)
def test_format_is_stable_for_any_plan(plan: Plan) -> None:
    text = format_plan(plan)
    assert format_plan(parse_plan(text)) == text
