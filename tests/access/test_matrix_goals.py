"""The access matrix for the goal pages: my goals, company goals, the goal page, the forms
to create, edit, close and bulk-assign goals, key results, comments and periods.

Everyone signed in sees public goals; a private goal is a 404 to anyone outside its
circle (the owner, their manager chain, HR admins), and its title never appears on a page
given to someone outside it. Editing is for the owner and their managers (company goals:
executives and HR admins); bulk assignment for managers and HR admins; periods for HR
admins."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.goals.models import (
    Goal,
    GoalChange,
    GoalComment,
    GoalLevel,
    KeyResult,
    Milestone,
    Period,
    Visibility,
)
from tandem.notifications.models import Notification
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
from tests.goals.factories import GoalFactory, KeyResultFactory

FORM = (200, 302)
FORM_OR_BAD = (200, 302, 400)
EDITORS = (OWNER, MANAGER, SKIP_MANAGER)
PRIVATE_CIRCLE = (OWNER, MANAGER, SKIP_MANAGER, HR_ADMIN)
COMPANY_EDITORS = (EXECUTIVE, HR_ADMIN)
BULK = (MANAGER, SKIP_MANAGER, HR_ADMIN)
PRIVATE_TITLE = "Matrix-core private goal: the quiet merger"


def url(name: str, *args: object) -> str:
    return reverse(name, args=args)


def _goal(o: Org, key: str) -> int:
    return o.extras[key].pk


def _snapshot() -> Any:
    def rows(model: Any) -> list[Any]:
        return list(model._default_manager.order_by("pk").values_list())

    return (
        rows(Goal),
        rows(KeyResult),
        rows(Milestone),
        rows(GoalChange),
        rows(GoalComment),
        rows(Period),
        rows(Notification),
    )


register_fingerprint(_snapshot)


MATRIX: tuple[Row, ...] = (
    Row("goals:mine", "page", lambda o: url("goals:mine"), expect()),
    Row("goals:company", "page", lambda o: url("goals:company"), expect()),
    Row("goals:create", "page", lambda o: url("goals:create"), expect()),
    Row(
        "goals:create",
        "for the owner",
        lambda o: url("goals:create") + f"?owner={o.owner.pk}",
        expect(EDITORS),
    ),
    Row(
        "goals:create",
        "nothing filled in",
        lambda o: url("goals:create"),
        expect(ok=200),
        method="POST",
    ),
    Row("goals:bulk_assign", "page", lambda o: url("goals:bulk_assign"), expect(BULK)),
    Row(
        "goals:bulk_assign",
        "nothing filled in",
        lambda o: url("goals:bulk_assign"),
        expect(BULK, ok=200),
        method="POST",
    ),
    Row("goals:periods", "page", lambda o: url("goals:periods"), expect(HR_ADMIN)),
    Row(
        "goals:periods",
        "a period that ends before it starts",
        lambda o: url("goals:periods"),
        expect(HR_ADMIN, ok=400),
        method="POST",
        data={
            "action": "create",
            "name": "Backwards",
            "start_date": "2030-02-01",
            "end_date": "2030-01-01",
        },
    ),
    Row(
        "goals:detail",
        "the owner's public goal",
        lambda o: url("goals:detail", _goal(o, "core_goal")),
        expect(),
    ),
    Row(
        "goals:detail",
        "the owner's private goal",
        lambda o: url("goals:detail", _goal(o, "core_private_goal")),
        expect(PRIVATE_CIRCLE),
    ),
    Row(
        "goals:detail",
        "a company goal",
        lambda o: url("goals:detail", _goal(o, "core_company_goal")),
        expect(),
    ),
    Row(
        "goals:detail",
        "a goal that does not exist",
        lambda o: url("goals:detail", 987654321),
        expect(()),
    ),
    Row(
        "goals:edit",
        "the owner's public goal",
        lambda o: url("goals:edit", _goal(o, "core_goal")),
        expect(EDITORS),
    ),
    Row(
        "goals:edit",
        "the owner's private goal",
        lambda o: url("goals:edit", _goal(o, "core_private_goal")),
        expect(EDITORS),
    ),
    Row(
        "goals:edit",
        "a company goal",
        lambda o: url("goals:edit", _goal(o, "core_company_goal")),
        expect(COMPANY_EDITORS),
    ),
    Row(
        "goals:edit",
        "the owner's public goal, nothing filled in",
        lambda o: url("goals:edit", _goal(o, "core_goal")),
        expect(EDITORS, ok=200),
        method="POST",
    ),
    Row(
        "goals:key_results",
        "the owner's public goal",
        lambda o: url("goals:key_results", _goal(o, "core_goal")),
        expect(EDITORS),
    ),
    Row(
        "goals:key_results",
        "the owner's public goal, a target that is not a number",
        lambda o: url("goals:key_results", _goal(o, "core_goal")),
        expect(EDITORS, ok=400),
        method="POST",
        data={
            "action": "add",
            "new-title": "X",
            "new-kind": "number",
            "new-target_value": "many",
            "new-weight": "1",
        },
    ),
    Row(
        "goals:key_results",
        "the owner's private goal, remove a key result",
        lambda o: url("goals:key_results", _goal(o, "core_private_goal")),
        expect(EDITORS, ok=302),
        method="POST",
        data={"action": "remove", "key_result": "__private_kr__"},
    ),
    Row(
        "goals:comment",
        "the owner's public goal",
        lambda o: url("goals:comment", _goal(o, "core_goal")),
        expect(ok=302),
        method="POST",
        data={"body": "Looks good @olu"},
    ),
    Row(
        "goals:comment",
        "the owner's private goal",
        lambda o: url("goals:comment", _goal(o, "core_private_goal")),
        expect(PRIVATE_CIRCLE, ok=302),
        method="POST",
        data={"body": "A private word"},
    ),
    Row(
        "goals:close",
        "the owner's public goal",
        lambda o: url("goals:close", _goal(o, "core_goal")),
        expect(EDITORS),
    ),
    Row(
        "goals:close",
        "the owner's private goal, a score",
        lambda o: url("goals:close", _goal(o, "core_private_goal")),
        expect(EDITORS, ok=302),
        method="POST",
        data={"score": "0.5", "reflection": "Half way"},
    ),
    Row(
        "goals:close",
        "a company goal, a score off the scale",
        lambda o: url("goals:close", _goal(o, "core_company_goal")),
        expect(COMPANY_EDITORS, ok=200),
        method="POST",
        data={"score": "7", "reflection": ""},
    ),
)


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        built = build_org()
        today = timezone.localdate()
        period = Period.objects.create(
            name="Matrix core period",
            start_date=today - timedelta(days=10),
            end_date=today + timedelta(days=60),
        )
        try:
            signed_in_sessions(built)
            company = GoalFactory(
                owner=built.people[EXECUTIVE],
                level=GoalLevel.COMPANY,
                period=period,
                title="Matrix company goal",
            )
            public_goal = GoalFactory(
                owner=built.owner, period=period, parent=company, title="Matrix public goal"
            )
            private_goal = GoalFactory(
                owner=built.owner,
                period=period,
                parent=public_goal,
                visibility=Visibility.PRIVATE,
                title=PRIVATE_TITLE,
            )
            KeyResultFactory(goal=public_goal)
            built.extras["core_private_kr"] = KeyResultFactory(goal=private_goal)
            built.extras["core_company_goal"] = company
            built.extras["core_goal"] = public_goal
            built.extras["core_private_goal"] = private_goal
            yield built
        finally:
            end_sessions(built)
            people = built.everyone
            Notification.objects.filter(person__in=people).delete()
            Goal.objects.filter(period=period).delete()
            Period.objects.filter(pk=period.pk).delete()
            tear_down_org(built)


def _with_ids(row: Row, o: Org) -> Row:
    if row.data.get("key_result") == "__private_kr__":
        data = {**row.data, "key_result": str(o.extras["core_private_kr"].pk)}
        return Row(row.name, row.case, row.url, row.expected, row.method, data)
    return row


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    text = check_case(_with_ids(row, org), role, org)
    if text is not None and role not in PRIVATE_CIRCLE:
        assert PRIVATE_TITLE not in text, f"{row.url(org)} shows {role} a private goal's title"


def test_every_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    from django.urls import resolve

    wrong = [
        row.label for row in MATRIX if resolve(row.url(org).split("?")[0]).view_name != row.name
    ]
    assert not wrong, wrong
