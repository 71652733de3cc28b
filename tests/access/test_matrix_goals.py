"""The access matrix for the goal pages: my goals, company goals, the goal page, the forms
to create, edit, close and bulk-assign goals, key results, comments and periods.

Everyone signed in sees public goals; a private goal is a 404 to anyone outside its
circle (the owner, their manager chain, HR admins), and its title never appears on a page
given to someone outside it. Editing is for the owner and their managers (company goals:
executives and HR admins); bulk assignment for managers and HR admins; periods for HR
admins."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

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
from tests.access.goals_periods import delete_goals, own_period
from tests.access.matrix import (
    EXECUTIVE,
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
    register_tables,
    url,
)
from tests.goals.factories import GoalFactory, KeyResultFactory

EDITORS = (OWNER, MANAGER, SKIP_MANAGER)
PRIVATE_CIRCLE = (OWNER, MANAGER, SKIP_MANAGER, HR_ADMIN)
COMPANY_EDITORS = (EXECUTIVE, HR_ADMIN)
BULK = (MANAGER, SKIP_MANAGER, HR_ADMIN)
PRIVATE_TITLE = "Matrix-core private goal: the quiet merger"

register_tables(Goal, KeyResult, Milestone, GoalChange, GoalComment, Period, Notification)


MATRIX: tuple[Row, ...] = (
    Row("goals:mine", "page", lambda o: url("goals:mine"), expect()),
    Row("goals:company", "page", lambda o: url("goals:company"), expect()),
    Row("goals:create", "page", lambda o: url("goals:create"), expect()),
    Row(
        "goals:pick",
        "a search for the private goal's title (found only by its circle)",
        lambda o: url("goals:pick") + "?q=matrix-core+private&level=individual",
        expect(),
    ),
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
        lambda o: url("goals:detail", pk(o, "core_goal")),
        expect(),
    ),
    Row(
        "goals:detail",
        "the owner's private goal",
        lambda o: url("goals:detail", pk(o, "core_private_goal")),
        expect(PRIVATE_CIRCLE),
    ),
    Row(
        "goals:detail",
        "a company goal",
        lambda o: url("goals:detail", pk(o, "core_company_goal")),
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
        lambda o: url("goals:edit", pk(o, "core_goal")),
        expect(EDITORS),
    ),
    Row(
        "goals:edit",
        "the owner's private goal",
        lambda o: url("goals:edit", pk(o, "core_private_goal")),
        expect(EDITORS),
    ),
    Row(
        "goals:edit",
        "a company goal",
        lambda o: url("goals:edit", pk(o, "core_company_goal")),
        expect(COMPANY_EDITORS),
    ),
    Row(
        "goals:edit",
        "the owner's public goal, nothing filled in",
        lambda o: url("goals:edit", pk(o, "core_goal")),
        expect(EDITORS, ok=200),
        method="POST",
    ),
    Row(
        "goals:key_results",
        "the owner's public goal",
        lambda o: url("goals:key_results", pk(o, "core_goal")),
        expect(EDITORS),
    ),
    Row(
        "goals:key_results",
        "the owner's public goal, a target that is not a number",
        lambda o: url("goals:key_results", pk(o, "core_goal")),
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
        lambda o: url("goals:key_results", pk(o, "core_private_goal")),
        expect(EDITORS, ok=302),
        method="POST",
        data={"action": "remove", "key_result": "__private_kr__"},
    ),
    Row(
        "goals:comment",
        "the owner's public goal",
        lambda o: url("goals:comment", pk(o, "core_goal")),
        expect(ok=302),
        method="POST",
        data={"body": "Looks good @olu"},
    ),
    Row(
        "goals:comment",
        "the owner's private goal",
        lambda o: url("goals:comment", pk(o, "core_private_goal")),
        expect(PRIVATE_CIRCLE, ok=302),
        method="POST",
        data={"body": "A private word"},
    ),
    Row(
        "goals:close",
        "the owner's public goal",
        lambda o: url("goals:close", pk(o, "core_goal")),
        expect(EDITORS),
    ),
    Row(
        "goals:close",
        "the owner's private goal, a score",
        lambda o: url("goals:close", pk(o, "core_private_goal")),
        expect(EDITORS, ok=302),
        method="POST",
        data={"score": "0.5", "reflection": "Half way"},
    ),
    Row(
        "goals:close",
        "a company goal, a score off the scale",
        lambda o: url("goals:close", pk(o, "core_company_goal")),
        expect(COMPANY_EDITORS, ok=200),
        method="POST",
        data={"score": "7", "reflection": ""},
    ),
)


def _build_goals(org: Org) -> None:
    period = own_period(org, "Matrix core period")
    company = GoalFactory(
        owner=org.people[EXECUTIVE],
        level=GoalLevel.COMPANY,
        period=period,
        title="Matrix company goal",
    )
    public_goal = GoalFactory(
        owner=org.owner, period=period, parent=company, title="Matrix public goal"
    )
    private_goal = GoalFactory(
        owner=org.owner,
        period=period,
        parent=public_goal,
        visibility=Visibility.PRIVATE,
        title=PRIVATE_TITLE,
    )
    KeyResultFactory(goal=public_goal)
    org.extras["core_private_kr"] = KeyResultFactory(goal=private_goal)
    org.extras["core_company_goal"] = company
    org.extras["core_goal"] = public_goal
    org.extras["core_private_goal"] = private_goal


def _tear_down_goals(org: Org) -> None:
    Notification.objects.filter(person__in=org.everyone).delete()
    delete_goals(org)


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker, extras=_build_goals, cleanup=_tear_down_goals) as built:
        yield built


def _with_ids(row: Row, o: Org) -> Row:
    if row.data.get("key_result") == "__private_kr__":
        data = {**row.data, "key_result": str(o.extras["core_private_kr"].pk)}
        return Row(row.name, row.case, row.url, row.expected, row.method, data)
    return row


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    text = check_case(_with_ids(row, org), role, org)
    assert_unseen(text, role, row.url(org), {PRIVATE_TITLE: PRIVATE_CIRCLE})


def test_every_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    assert_rows_build_their_own_urls(MATRIX, org)
