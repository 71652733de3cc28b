"""The access matrix for check-ins: a goal's check-in form, the weekly check-in, my team's goals.

Checking in on a goal is for those who may edit it (the owner and their manager chain; for a
company goal also executives and HR admins); everyone else gets a 404, even when they may
see the goal. A private goal is a 404 to anyone outside its circle. The weekly check-in is
each person's own; "My team's goals" is for managers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from tandem.goals.models import (
    CheckIn,
    Goal,
    GoalChange,
    GoalLevel,
    KeyResult,
    Period,
    Priority,
    Visibility,
    WeeklyCheckIn,
)
from tests.access.matrix import (
    EXECUTIVE,
    HR_ADMIN,
    MANAGER,
    OWNER,
    SKIP_MANAGER,
    Org,
    Row,
    build_org,
    case_ids,
    cases,
    check_case,
    end_sessions,
    expect,
    register_fingerprint,
    signed_in_sessions,
    tear_down_org,
)
from tests.goals.factories import GoalFactory, KeyResultFactory, _this_quarter

FORM = (200, 302)
EDITORS = (OWNER, MANAGER, SKIP_MANAGER)
PRIVATE_CIRCLE = (OWNER, MANAGER, SKIP_MANAGER, HR_ADMIN)
PRIVATE_TITLE = "Matrix-private goal: a secret acquisition"
CHECKIN = {"health": "on_track", "confidence": "6", "note": "matrix"}


def url(name: str, *args: object) -> str:
    return reverse(name, args=args)


def _goal(o: Org, key: str) -> int:
    return o.extras[key].pk


def _snapshot() -> Any:
    def rows(model: Any) -> list[Any]:
        return list(model._default_manager.order_by("pk").values_list())

    return (
        rows(CheckIn),
        rows(WeeklyCheckIn),
        rows(Priority),
        rows(GoalChange),
        list(
            Goal.objects.order_by("pk").values_list("pk", "health", "progress", "last_checkin_at")
        ),
        list(KeyResult.objects.order_by("pk").values_list("pk", "current_value")),
    )


register_fingerprint(_snapshot)


MATRIX: tuple[Row, ...] = (
    Row(
        "goals:checkin",
        "the owner's public goal",
        lambda o: url("goals:checkin", _goal(o, "checkin_goal")),
        expect(EDITORS),
    ),
    Row(
        "goals:checkin",
        "the owner's public goal, a check-in",
        lambda o: url("goals:checkin", _goal(o, "checkin_goal")),
        expect(EDITORS, ok=302),
        method="POST",
        data=CHECKIN,
    ),
    Row(
        "goals:checkin",
        "the owner's private goal",
        lambda o: url("goals:checkin", _goal(o, "checkin_private_goal")),
        expect(EDITORS),
    ),
    Row(
        "goals:checkin",
        "the owner's private goal, a check-in",
        lambda o: url("goals:checkin", _goal(o, "checkin_private_goal")),
        expect(EDITORS, ok=302),
        method="POST",
        data=CHECKIN,
    ),
    Row(
        "goals:checkin",
        "a company goal",
        lambda o: url("goals:checkin", _goal(o, "checkin_company_goal")),
        expect((EXECUTIVE, HR_ADMIN)),
    ),
    Row(
        "goals:checkin",
        "a company goal, a confidence of 11",
        lambda o: url("goals:checkin", _goal(o, "checkin_company_goal")),
        expect((EXECUTIVE, HR_ADMIN), ok=200),
        method="POST",
        data={"health": "on_track", "confidence": "11"},
    ),
    Row("goals:weekly", "own week", lambda o: url("goals:weekly"), expect()),
    Row(
        "goals:weekly",
        "own week, one priority",
        lambda o: url("goals:weekly"),
        expect(ok=302),
        method="POST",
        data={"priority_0_title": "Matrix priority", "priority_0_goal": ""},
    ),
    Row(
        "goals:weekly",
        "own week, empty form",
        lambda o: url("goals:weekly"),
        expect(ok=FORM),
        method="POST",
    ),
    Row("goals:team", "page", lambda o: url("goals:team"), expect((MANAGER, SKIP_MANAGER))),
    Row(
        "goals:team",
        "whole organisation",
        lambda o: url("goals:team") + "?scope=all",
        expect((MANAGER, SKIP_MANAGER)),
    ),
)


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        built = build_org()
        start, end = _this_quarter()
        period, made_period = Period.objects.get_or_create(
            kind="quarter",
            start_date=start,
            end_date=end,
            defaults={"name": f"Matrix quarter {start}"},
        )
        try:
            public_goal = GoalFactory(owner=built.owner, period=period, title="Matrix public goal")
            KeyResultFactory(goal=public_goal)
            built.extras["checkin_goal"] = public_goal
            built.extras["checkin_private_goal"] = GoalFactory(
                owner=built.owner,
                period=period,
                title=PRIVATE_TITLE,
                visibility=Visibility.PRIVATE,
            )
            built.extras["checkin_company_goal"] = GoalFactory(
                owner=built.people[EXECUTIVE],
                period=period,
                level=GoalLevel.COMPANY,
                title="Matrix company goal",
            )
            signed_in_sessions(built)
            yield built
        finally:
            end_sessions(built)
            people = built.everyone
            WeeklyCheckIn.objects.filter(person__in=people).delete()
            Goal.objects.filter(owner__in=people).delete()
            if made_period:
                Period.objects.filter(pk=period.pk, goals__isnull=True).delete()
            tear_down_org(built)


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    text = check_case(row, role, org)
    if text is not None and role not in PRIVATE_CIRCLE:
        assert PRIVATE_TITLE not in text, f"{row.url(org)} shows {role} the owner's private goal"


def test_every_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    from django.urls import resolve

    wrong = [
        row.label for row in MATRIX if resolve(row.url(org).split("?")[0]).view_name != row.name
    ]
    assert not wrong, wrong
