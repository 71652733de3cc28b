"""Development plans over the API: scoped lists, creating and changing a plan, focus areas,
actions and check-ins; bad input answered 422 naming the field; others' plans 404."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tandem.growth.models import FocusArea, Plan, PlanStatus
from tandem.program.models import Program
from tests.factories import PersonFactory, hr_admin
from tests.growth.factories_plans import (
    FocusAreaFactory,
    PlanCompetencyFactory,
    PlanFactory,
    action,
    placed,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-12-05 10:00Z")]


@pytest.fixture
def team():  # type: ignore[no-untyped-def]
    manager = PersonFactory()
    report = PersonFactory(manager=manager)
    return manager, report


def _send(client, method, url, data):  # type: ignore[no-untyped-def]
    return client.generic(method, url, json.dumps(data), content_type="application/json")


def test_the_list_has_my_reports_plans_not_a_strangers(client_for, team):
    manager, report = team
    mine = PlanFactory(person=report)
    PlanFactory()
    answer = client_for(manager).get("/api/v1/growth/plans").json()
    assert [p["id"] for p in answer] == [mine.pk]


def test_the_list_filters_by_person(client_for, team):
    manager, report = team
    PlanFactory(person=report)
    PlanFactory(person=PersonFactory(manager=manager))
    answer = client_for(manager).get(f"/api/v1/growth/plans?person_id={report.pk}").json()
    assert {p["person"]["id"] for p in answer} == {report.pk}


def test_hr_lists_plans_only_when_the_program_says_so(client_for, team):
    _, report = team
    PlanFactory(person=report)
    hr = client_for(hr_admin())
    assert hr.get("/api/v1/growth/plans").json() == []
    Program.objects.create(pk=1, purposes=["growth"], development_plans_visible_to_hr=True)
    assert len(hr.get("/api/v1/growth/plans").json()) == 1


def test_a_manager_creates_a_plan_for_a_report(client_for, team):
    manager, report = team
    response = _send(
        client_for(manager),
        "POST",
        "/api/v1/growth/plans",
        {"person_id": report.pk, "starts_on": "2026-12-01", "ends_on": "2027-05-31"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "draft"
    assert Plan.objects.get().person == report


def test_creating_a_plan_for_a_stranger_is_not_found(client_for, team):
    _, report = team
    response = _send(
        client_for(PersonFactory()),
        "POST",
        "/api/v1/growth/plans",
        {"person_id": report.pk, "starts_on": "2026-12-01", "ends_on": "2027-05-31"},
    )
    assert response.status_code == 404
    assert not Plan.objects.exists()


def test_an_overlapping_active_plan_is_422_naming_status(client_for, team):
    manager, report = team
    plan = PlanFactory(person=report)
    draft = PlanFactory(person=report, status=PlanStatus.DRAFT)
    response = _send(
        client_for(manager), "PATCH", f"/api/v1/growth/plans/{draft.pk}", {"status": "active"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "status"]
    assert plan.pk != draft.pk


def test_the_sixth_focus_area_is_422_naming_focus_areas(client_for, team):
    manager, report = team
    track = placed(report)
    plan = PlanFactory(person=report)
    for _ in range(5):
        FocusAreaFactory(plan=plan, competency=PlanCompetencyFactory(track=track))
    response = _send(
        client_for(manager),
        "POST",
        f"/api/v1/growth/plans/{plan.pk}/focus-areas",
        {"competency_id": PlanCompetencyFactory(track=track).pk},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "focus_areas"]
    assert FocusArea.objects.filter(plan=plan).count() == 5


def test_an_action_is_added_and_marked_done(client_for, team):
    manager, report = team
    area = FocusAreaFactory(plan=PlanFactory(person=report))
    client = client_for(report)
    added = _send(
        client,
        "POST",
        f"/api/v1/growth/focus-areas/{area.pk}/actions",
        {"kind": "course", "text": "Course", "due_on": "2027-01-15"},
    )
    assert added.status_code == 201, added.content
    assert added.json()["owner"]["id"] == report.pk
    done = _send(
        client, "PATCH", f"/api/v1/growth/plan-actions/{added.json()['id']}", {"status": "done"}
    )
    assert done.status_code == 200
    assert done.json()["done_at"] is not None


def test_the_plan_answer_counts_overdue_actions(client_for, team):
    manager, report = team
    area = FocusAreaFactory(plan=PlanFactory(person=report))
    action(area, due_on=date(2026, 11, 1))
    answer = client_for(manager).get(f"/api/v1/growth/plans/{area.plan.pk}").json()
    assert answer["overdue_actions"] == 1
    assert answer["areas"][0]["actions"][0]["text"] == "Take the course"


def test_a_check_in_is_added(client_for, team):
    manager, report = team
    plan = PlanFactory(person=report)
    response = _send(
        client_for(manager), "POST", f"/api/v1/growth/plans/{plan.pk}/checkins", {"text": "Ok"}
    )
    assert response.status_code == 201
    assert plan.checkins.get().author == manager


def test_a_peer_gets_404_on_a_plan(client_for, team):
    _, report = team
    plan = PlanFactory(person=report)
    assert client_for(PersonFactory()).get(f"/api/v1/growth/plans/{plan.pk}").status_code == 404
