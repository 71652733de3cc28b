"""The access matrix for development plans: the list, starting a plan, a plan and every
change to it, HR's coverage; pages and API.

The owner (Olu) has an active plan with a focus area and an action: Olu, his manager and
the skip-level manager read and edit it together. The outsider (Eve, in Sales) has her own
plan, which only she opens among the cast. The program keeps plans private from HR (the
default): HR admins and partners get 404 on a plan and see only counts on the coverage
page. Executives and IT see nothing of either plan."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from tandem.growth.models import Action, ActionKind, FocusArea, Plan, PlanCheckin, PlanStatus
from tandem.growth.queries import profile
from tests.access.matrix import (
    EMPLOYEE,
    HR_ADMIN,
    HR_PARTNER,
    MANAGER,
    OTHER_PARTNER,
    OWNER,
    SKIP_MANAGER,
    Org,
    Row,
    api,
    assert_rows_build_their_own_urls,
    assert_unseen,
    body,
    case_ids,
    cases,
    check_api_case,
    check_case,
    expect,
    matrix_org,
    pk,
    register_tables,
    url,
)

EDITORS = (OWNER, MANAGER, SKIP_MANAGER)
HR = (HR_ADMIN, HR_PARTNER, OTHER_PARTNER)
SECRET = "Matrix plan secret"
READERS = {SECRET: EDITORS}
NEW_PLAN = {"title": "", "starts_on": "2027-01-01", "ends_on": "2027-06-30", "status": "draft"}


def _plan(key: str):  # type: ignore[no-untyped-def]
    return lambda o: url("growth:plan", pk(o, key))


MATRIX: tuple[Row, ...] = (
    Row("growth:plans", "mine and my reports'", lambda o: url("growth:plans"), expect()),
    Row("growth:plan_new", "for oneself", lambda o: url("growth:plan_new"), expect()),
    Row(
        "growth:plan_new",
        "for the owner",
        lambda o: url("growth:plan_new") + f"?person={o.owner.pk}",
        expect(EDITORS),
    ),
    Row(
        "growth:plan_new",
        "for the owner, no data",
        lambda o: url("growth:plan_new") + f"?person={o.owner.pk}",
        expect(EDITORS, ok=400),
        method="POST",
    ),
    Row(
        "growth:plans_coverage",
        "counts per department",
        lambda o: url("growth:plans_coverage"),
        expect(HR),
    ),
    Row("growth:plan", "the owner's plan", _plan("plan_owner"), expect(EDITORS)),
    Row("growth:plan", "another team's plan", _plan("plan_outsider"), expect(EMPLOYEE)),
    Row(
        "growth:plan_edit",
        "the owner's plan",
        lambda o: url("growth:plan_edit", pk(o, "plan_owner")),
        expect(EDITORS),
    ),
    Row(
        "growth:plan_edit",
        "the owner's plan, no data",
        lambda o: url("growth:plan_edit", pk(o, "plan_owner")),
        expect(EDITORS, ok=400),
        method="POST",
    ),
    Row(
        "growth:plan_focus_add",
        "the owner's plan, no data",
        lambda o: url("growth:plan_focus_add", pk(o, "plan_owner")),
        expect(EDITORS, ok=400),
        method="POST",
    ),
    Row(
        "growth:plan_checkin_add",
        "the owner's plan, no data",
        lambda o: url("growth:plan_checkin_add", pk(o, "plan_owner")),
        expect(EDITORS, ok=400),
        method="POST",
    ),
    Row(
        "growth:plan_checkin_add",
        "another team's plan",
        lambda o: url("growth:plan_checkin_add", pk(o, "plan_outsider")),
        expect(EMPLOYEE, ok=302),
        method="POST",
        data={"text": "Matrix check-in"},
    ),
    Row(
        "growth:plan_focus_remove",
        "the owner's focus area",
        lambda o: url("growth:plan_focus_remove", pk(o, "area_owner")),
        expect(EDITORS, ok=302),
        method="POST",
    ),
    Row(
        "growth:plan_action_add",
        "the owner's focus area, no data",
        lambda o: url("growth:plan_action_add", pk(o, "area_owner")),
        expect(EDITORS, ok=400),
        method="POST",
    ),
    Row(
        "growth:plan_action_status",
        "the owner's action",
        lambda o: url("growth:plan_action_status", pk(o, "action_owner")),
        expect(EDITORS, ok=302),
        method="POST",
        data={"status": "done"},
    ),
    Row(
        "growth:plan_action_status",
        "another team's action",
        lambda o: url("growth:plan_action_status", pk(o, "action_outsider")),
        expect(EMPLOYEE, ok=302),
        method="POST",
        data={"status": "done"},
    ),
    Row(
        "api:list_growth_plans", "plans one may read", lambda o: url("api:list_growth_plans"), api()
    ),
    Row(
        "api:get_growth_plan",
        "the owner's plan",
        lambda o: url("api:get_growth_plan", pk(o, "plan_owner")),
        api(EDITORS),
    ),
    Row(
        "api:get_growth_plan",
        "another team's plan",
        lambda o: url("api:get_growth_plan", pk(o, "plan_outsider")),
        api(EMPLOYEE),
    ),
    Row(
        "api:create_growth_plan",
        "for the owner",
        lambda o: url("api:create_growth_plan"),
        api(EDITORS, ok=201),
        method="POST",
        data=body(lambda o: {"person_id": o.owner.pk, **NEW_PLAN}),
    ),
    Row(
        "api:update_growth_plan",
        "the owner's plan",
        lambda o: url("api:update_growth_plan", pk(o, "plan_owner")),
        api(EDITORS),
        method="PATCH",
        data=body(lambda o: {"title": "Renamed"}),
    ),
    Row(
        "api:add_growth_focus_area",
        "the owner's plan, linked to nothing",
        lambda o: url("api:add_growth_focus_area", pk(o, "plan_owner")),
        api(EDITORS, ok=422),
        method="POST",
        data=body(lambda o: {"title": "Nothing"}),
    ),
    Row(
        "api:add_growth_action",
        "the owner's focus area",
        lambda o: url("api:add_growth_action", pk(o, "area_owner")),
        api(EDITORS, ok=201),
        method="POST",
        data=body(lambda o: {"kind": "course", "text": "Matrix course"}),
    ),
    Row(
        "api:update_growth_action",
        "another team's action",
        lambda o: url("api:update_growth_action", pk(o, "action_outsider")),
        api(EMPLOYEE),
        method="PATCH",
        data=body(lambda o: {"status": "done"}),
    ),
    Row(
        "api:add_growth_checkin",
        "the owner's plan",
        lambda o: url("api:add_growth_checkin", pk(o, "plan_owner")),
        api(EDITORS, ok=201),
        method="POST",
        data=body(lambda o: {"text": "Matrix check-in"}),
    ),
)

register_tables(Plan, FocusArea, Action, PlanCheckin)


def _build(org: Org) -> None:
    # Written directly: the services audit, and the audit trail is append-only while the
    # matrix's org outlives its tests.
    for key, person in (("owner", org.owner), ("outsider", org.people[EMPLOYEE])):
        plan = Plan.objects.create(
            person=person,
            title=SECRET if key == "owner" else "Outsider's plan",
            starts_on=date(2026, 1, 1),
            ends_on=date(2027, 12, 31),
            status=PlanStatus.ACTIVE,
        )
        area = FocusArea.objects.create(plan=plan, title=f"{plan.title} area")
        org.extras[f"plan_{key}"] = plan
        org.extras[f"area_{key}"] = area
        org.extras[f"action_{key}"] = Action.objects.create(
            focus_area=area, kind=ActionKind.COURSE, text="Matrix action", owner=person
        )


def _tear_down(org: Org) -> None:
    Plan.objects.filter(person__in=org.everyone).delete()


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    # The competency profile is another part's: the plan page asks it for suggestions.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(profile, "competency_profile", lambda viewer, person, level=None: [])
        with matrix_org(django_db_blocker, extras=_build, cleanup=_tear_down) as built:
            yield built


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    # Page forms post form data; the API takes JSON.
    check = check_api_case if row.name.startswith("api:") else check_case
    text = check(row, role, org)
    assert_unseen(text, role, row.url(org), READERS)


def test_every_page_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    assert_rows_build_their_own_urls([r for r in MATRIX if not r.name.startswith("api:")], org)
