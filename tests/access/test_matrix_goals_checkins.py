"""The access matrix for check-ins: a goal's check-in form, the weekly check-in, my team's goals.

Checking in on a goal is for those who may edit it (the owner and their manager chain; for a
company goal also executives and HR admins); everyone else gets a 404, even when they may
see the goal. A private goal is a 404 to anyone outside its circle. The weekly check-in is
each person's own; "My team's goals" is for managers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tandem.goals.models import (
    CheckIn,
    Goal,
    GoalChange,
    GoalLevel,
    KeyResult,
    Priority,
    Visibility,
    WeeklyCheckIn,
)
from tests.access.goals_periods import delete_goals, this_quarter
from tests.access.matrix import (
    EXECUTIVE,
    FORM,
    HR_ADMIN,
    MANAGER,
    OWNER,
    SKIP_MANAGER,
    Org,
    Row,
    assert_rows_build_their_own_urls,
    assert_unseen,
    case_ids,
    cases,
    check_case,
    expect,
    matrix_org,
    pk,
    register_fingerprint,
    table_rows,
    url,
)
from tests.goals.factories import GoalFactory, KeyResultFactory

EDITORS = (OWNER, MANAGER, SKIP_MANAGER)
PRIVATE_CIRCLE = (OWNER, MANAGER, SKIP_MANAGER, HR_ADMIN)
PRIVATE_TITLE = "Matrix-private goal: a secret acquisition"
CHECKIN = {"health": "on_track", "confidence": "6", "note": "matrix"}


def _snapshot() -> Any:
    return (
        table_rows(CheckIn),
        table_rows(WeeklyCheckIn),
        table_rows(Priority),
        table_rows(GoalChange),
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
        lambda o: url("goals:checkin", pk(o, "checkin_goal")),
        expect(EDITORS),
    ),
    Row(
        "goals:checkin",
        "the owner's public goal, a check-in",
        lambda o: url("goals:checkin", pk(o, "checkin_goal")),
        expect(EDITORS, ok=302),
        method="POST",
        data=CHECKIN,
    ),
    Row(
        "goals:checkin",
        "the owner's private goal",
        lambda o: url("goals:checkin", pk(o, "checkin_private_goal")),
        expect(EDITORS),
    ),
    Row(
        "goals:checkin",
        "the owner's private goal, a check-in",
        lambda o: url("goals:checkin", pk(o, "checkin_private_goal")),
        expect(EDITORS, ok=302),
        method="POST",
        data=CHECKIN,
    ),
    Row(
        "goals:checkin",
        "a company goal",
        lambda o: url("goals:checkin", pk(o, "checkin_company_goal")),
        expect((EXECUTIVE, HR_ADMIN)),
    ),
    Row(
        "goals:checkin",
        "a company goal, a confidence of 11",
        lambda o: url("goals:checkin", pk(o, "checkin_company_goal")),
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


def _build_goals(org: Org) -> None:
    period = this_quarter(org)
    public_goal = GoalFactory(owner=org.owner, period=period, title="Matrix public goal")
    KeyResultFactory(goal=public_goal)
    org.extras["checkin_goal"] = public_goal
    org.extras["checkin_private_goal"] = GoalFactory(
        owner=org.owner,
        period=period,
        title=PRIVATE_TITLE,
        visibility=Visibility.PRIVATE,
    )
    org.extras["checkin_company_goal"] = GoalFactory(
        owner=org.people[EXECUTIVE],
        period=period,
        level=GoalLevel.COMPANY,
        title="Matrix company goal",
    )


def _tear_down_goals(org: Org) -> None:
    WeeklyCheckIn.objects.filter(person__in=org.everyone).delete()
    delete_goals(org)


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker, extras=_build_goals, cleanup=_tear_down_goals) as built:
        yield built


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    text = check_case(row, role, org)
    assert_unseen(text, role, row.url(org), {PRIVATE_TITLE: PRIVATE_CIRCLE})


def test_every_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    assert_rows_build_their_own_urls(MATRIX, org)
