"""The access matrix for the alignment tree, coverage and the goals API.

The tree and the API show public goals to everyone signed in; a private goal (and its key
results, check-ins and children) is a 404 to anyone outside its circle — the owner, their
manager chain and HR admins — and its title never appears in what others get. Writes are
for those who may edit the goal (owner and managers; company goals: executives and HR
admins). Coverage is for managers (their people), HR (departments; partners their own) and
executives (company and departments); everyone else gets a 404.

API writes are sent as JSON (a real client's body), so a denied role is refused by access
(404), not by parsing; every refused write must leave the database as it was.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tandem.goals.models import (
    CheckIn,
    Goal,
    GoalChange,
    GoalLevel,
    KeyResult,
    Visibility,
)
from tests.access.goals_periods import delete_goals, this_quarter
from tests.access.matrix import (
    EXECUTIVE,
    HR_ADMIN,
    HR_PARTNER,
    MANAGER,
    OTHER_PARTNER,
    OWNER,
    SKIP_MANAGER,
    Org,
    Row,
    api,
    assert_unseen,
    body,
    case_ids,
    cases,
    check_api_case,
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
COVERAGE_VIEWERS = (MANAGER, SKIP_MANAGER, HR_ADMIN, HR_PARTNER, OTHER_PARTNER, EXECUTIVE)
PRIVATE_TITLE = "Matrix-api private goal: a quiet merger"

register_tables(Goal, KeyResult, CheckIn, GoalChange)


MATRIX: tuple[Row, ...] = (
    # --- Pages ---------------------------------------------------------------------------------
    Row("goals:tree", "page", lambda o: url("goals:tree"), expect()),
    Row(
        "goals:tree_children",
        "a company goal with a private child",
        lambda o: url("goals:tree_children", pk(o, "api_company")),
        expect(),
    ),
    Row(
        "goals:tree_children",
        "the owner's public goal",
        lambda o: url("goals:tree_children", pk(o, "api_public")),
        expect(),
    ),
    Row(
        "goals:tree_children",
        "the owner's private goal",
        lambda o: url("goals:tree_children", pk(o, "api_private")),
        expect(PRIVATE_CIRCLE),
    ),
    Row("goals:coverage", "page", lambda o: url("goals:coverage"), expect(COVERAGE_VIEWERS)),
    # --- API reads -----------------------------------------------------------------------------
    Row("api:list_goals", "list", lambda o: url("api:list_goals"), api()),
    Row(
        "api:list_goals",
        "search for the private goal",
        lambda o: url("api:list_goals") + "?q=quiet+merger",
        api(),
    ),
    Row("api:get_goal", "public", lambda o: url("api:get_goal", pk(o, "api_public")), api()),
    Row(
        "api:get_goal",
        "private",
        lambda o: url("api:get_goal", pk(o, "api_private")),
        api(PRIVATE_CIRCLE),
    ),
    Row(
        "api:list_key_results",
        "public",
        lambda o: url("api:list_key_results", pk(o, "api_public")),
        api(),
    ),
    Row(
        "api:list_key_results",
        "private",
        lambda o: url("api:list_key_results", pk(o, "api_private")),
        api(PRIVATE_CIRCLE),
    ),
    Row(
        "api:list_checkins",
        "public",
        lambda o: url("api:list_checkins", pk(o, "api_public")),
        api(),
    ),
    Row(
        "api:list_checkins",
        "private",
        lambda o: url("api:list_checkins", pk(o, "api_private")),
        api(PRIVATE_CIRCLE),
    ),
    Row("api:goal_tree", "roots", lambda o: url("api:goal_tree"), api()),
    Row(
        "api:goal_children",
        "a company goal with a private child",
        lambda o: url("api:goal_children", pk(o, "api_company")),
        api(),
    ),
    Row(
        "api:goal_children",
        "private",
        lambda o: url("api:goal_children", pk(o, "api_private")),
        api(PRIVATE_CIRCLE),
    ),
    Row("api:goal_coverage", "figures", lambda o: url("api:goal_coverage"), api(COVERAGE_VIEWERS)),
    Row(
        "api:goal_coverage_people",
        "a manager's people",
        lambda o: url("api:goal_coverage_people"),
        api((MANAGER, SKIP_MANAGER)),
    ),
    # --- API writes (JSON) ---------------------------------------------------------------------
    Row(
        "api:create_goal",
        "an individual goal for the owner",
        lambda o: url("api:create_goal"),
        api(EDITORS, ok=201),
        method="POST",
        data=body(lambda o: {"title": "Matrix new goal", "owner": o.owner.pk}),
    ),
    Row(
        "api:create_goal",
        "a company goal",
        lambda o: url("api:create_goal"),
        api(COMPANY_EDITORS, ok=201),
        method="POST",
        data=body(lambda o: {"title": "Matrix new company goal", "level": "company"}),
    ),
    Row(
        "api:update_goal",
        "public",
        lambda o: url("api:update_goal", pk(o, "api_public")),
        api(EDITORS),
        method="PATCH",
        data=body(lambda o: {"title": "Matrix renamed"}),
    ),
    Row(
        "api:update_goal",
        "private",
        lambda o: url("api:update_goal", pk(o, "api_private")),
        api(EDITORS),
        method="PATCH",
        data=body(lambda o: {"title": "Matrix renamed"}),
    ),
    Row(
        "api:update_goal",
        "a company goal",
        lambda o: url("api:update_goal", pk(o, "api_company")),
        api(COMPANY_EDITORS),
        method="PATCH",
        data=body(lambda o: {"description": "Matrix: sharper"}),
    ),
    Row(
        "api:close_goal",
        "public",
        lambda o: url("api:close_goal", pk(o, "api_public")),
        api(EDITORS),
        method="POST",
        data=body(lambda o: {"score": "0.5", "reflection": "Matrix"}),
    ),
    Row(
        "api:create_key_result",
        "public",
        lambda o: url("api:create_key_result", pk(o, "api_public")),
        api(EDITORS, ok=201),
        method="POST",
        data=body(lambda o: {"title": "Matrix KR", "start_value": 0, "target_value": 5}),
    ),
    Row(
        "api:create_key_result",
        "private",
        lambda o: url("api:create_key_result", pk(o, "api_private")),
        api(EDITORS, ok=201),
        method="POST",
        data=body(lambda o: {"title": "Matrix KR", "start_value": 0, "target_value": 5}),
    ),
    Row(
        "api:update_key_result",
        "public",
        lambda o: url("api:update_key_result", pk(o, "api_public_kr")),
        api(EDITORS),
        method="PATCH",
        data=body(lambda o: {"current_value": 3}),
    ),
    Row(
        "api:update_key_result",
        "private",
        lambda o: url("api:update_key_result", pk(o, "api_private_kr")),
        api(EDITORS),
        method="PATCH",
        data=body(lambda o: {"current_value": 3}),
    ),
    Row(
        "api:delete_key_result",
        "public",
        lambda o: url("api:delete_key_result", pk(o, "api_public_kr")),
        api(EDITORS, ok=204),
        method="DELETE",
    ),
    Row(
        "api:create_checkin",
        "public",
        lambda o: url("api:create_checkin", pk(o, "api_public")),
        api(EDITORS, ok=201),
        method="POST",
        data=body(lambda o: {"health": "on_track", "confidence": 7}),
    ),
    Row(
        "api:create_checkin",
        "private",
        lambda o: url("api:create_checkin", pk(o, "api_private")),
        api(EDITORS, ok=201),
        method="POST",
        data=body(lambda o: {"health": "at_risk", "confidence": 4}),
    ),
    Row(
        "api:create_checkin",
        "a company goal",
        lambda o: url("api:create_checkin", pk(o, "api_company")),
        api(COMPANY_EDITORS, ok=201),
        method="POST",
        data=body(lambda o: {"health": "on_track", "confidence": 8}),
    ),
)


def _build_goals(org: Org) -> None:
    period = this_quarter(org)
    company = GoalFactory(
        owner=org.people[EXECUTIVE],
        period=period,
        level=GoalLevel.COMPANY,
        title="Matrix-api company goal",
    )
    public = GoalFactory(
        owner=org.owner, period=period, parent=company, title="Matrix-api public goal"
    )
    private = GoalFactory(
        owner=org.owner,
        period=period,
        parent=company,
        title=PRIVATE_TITLE,
        visibility=Visibility.PRIVATE,
    )
    GoalFactory(owner=org.owner, period=period, parent=private, title="Under private")
    org.extras.update(
        api_company=company,
        api_public=public,
        api_private=private,
        api_public_kr=KeyResultFactory(goal=public),
        api_private_kr=KeyResultFactory(goal=private),
    )


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker, extras=_build_goals, cleanup=delete_goals) as built:
        yield built


# The private goal's title, and the words searched for, reach its circle only.
READERS = {PRIVATE_TITLE: PRIVATE_CIRCLE, "quiet merger": PRIVATE_CIRCLE}


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    assert_unseen(check_api_case(row, role, org), role, row.url(org), READERS)
