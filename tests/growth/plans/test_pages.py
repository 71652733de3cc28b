"""The plan pages: who may open a plan, the suggestions from the largest gaps and adding
one in a click, the focus-area limit on the page, the status toggles, and query budgets."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tandem.growth.models import ActionStatus, FocusArea, Plan
from tandem.program.models import Program
from tests.factories import DepartmentFactory, PersonFactory, hr_admin, hr_partner
from tests.growth.factories_plans import (
    FocusAreaFactory,
    PlanCompetencyFactory,
    PlanFactory,
    action,
    placed,
)
from tests.growth.plans.conftest import row

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-12-05 10:00Z")]


@pytest.fixture
def team():  # type: ignore[no-untyped-def]
    manager = PersonFactory()
    report = PersonFactory(manager=manager, department=manager.department)
    return manager, report


def _plans_visible_to_hr() -> None:
    Program.objects.create(pk=1, purposes=["growth"], development_plans_visible_to_hr=True)


def _page(client, plan):  # type: ignore[no-untyped-def]
    return client.get(reverse("growth:plan", args=[plan.pk]))


def test_the_person_and_their_manager_open_the_plan(client_for, team):
    manager, report = team
    plan = PlanFactory(person=report, title="Towards senior")
    for person in (manager, report):
        response = _page(client_for(person), plan)
        assert response.status_code == 200
        assert "Towards senior" in response.content.decode()


def test_a_peer_gets_not_found(client_for, team):
    _, report = team
    peer = PersonFactory(manager=report.manager)
    assert _page(client_for(peer), PlanFactory(person=report)).status_code == 404


def test_another_teams_plan_by_id_is_not_found(client_for, team):
    manager, _ = team
    other = PlanFactory()
    assert _page(client_for(manager), other).status_code == 404


def test_hr_gets_not_found_unless_the_program_makes_plans_visible(client_for, team):
    _, report = team
    plan = PlanFactory(person=report)
    hr = client_for(hr_admin())
    assert _page(hr, plan).status_code == 404
    _plans_visible_to_hr()
    assert _page(hr, plan).status_code == 200


def test_an_hr_partner_reads_only_plans_in_their_departments(client_for, team):
    _, report = team
    _plans_visible_to_hr()
    plan = PlanFactory(person=report)
    covering = client_for(hr_partner([report.department]))
    elsewhere = client_for(hr_partner([DepartmentFactory()]))
    assert _page(covering, plan).status_code == 200
    assert _page(elsewhere, plan).status_code == 404


def test_hr_reading_a_plan_gets_no_forms(client_for, team):
    _, report = team
    _plans_visible_to_hr()
    plan = PlanFactory(person=report)
    page = _page(client_for(hr_admin()), plan).content.decode()
    assert "Add a focus area" not in page


def test_suggestions_come_largest_gap_first_without_taken_ones(client_for, team, profile_rows):
    manager, report = team
    track = placed(report)
    small, large, taken = (PlanCompetencyFactory(track=track) for _ in range(3))
    plan = PlanFactory(person=report)
    FocusAreaFactory(plan=plan, competency=taken)
    profile_rows(
        [
            row(small.pk, "Small gap", 0.5),
            row(large.pk, "Large gap", 2.0),
            row(taken.pk, "Taken", 3.0),
            row(999, "No gap", -1.0),
        ]
    )
    page = _page(client_for(manager), plan).content.decode()
    assert page.index("Large gap") < page.index("Small gap")
    assert f'data-competency="{taken.pk}"' not in page
    assert "No gap" not in page


def test_a_suggestion_is_added_as_a_focus_area_in_one_click(client_for, team, profile_rows):
    manager, report = team
    competency = PlanCompetencyFactory(track=placed(report))
    plan = PlanFactory(person=report)
    profile_rows([row(competency.pk, competency.name, 1.0)])
    response = client_for(manager).post(
        reverse("growth:plan_focus_add", args=[plan.pk]), {"suggested": competency.pk}
    )
    assert response.status_code == 302
    assert FocusArea.objects.get(plan=plan).competency == competency


def test_the_sixth_focus_area_on_the_page_shows_the_limit(client_for, team):
    manager, report = team
    track = placed(report)
    plan = PlanFactory(person=report)
    for _ in range(5):
        FocusAreaFactory(plan=plan, competency=PlanCompetencyFactory(track=track))
    extra = PlanCompetencyFactory(track=track)
    client = client_for(manager)
    response = client.post(
        reverse("growth:plan_focus_add", args=[plan.pk]), {"suggested": extra.pk}, follow=True
    )
    assert "at most 5 focus areas" in response.content.decode()
    assert FocusArea.objects.filter(plan=plan).count() == 5


def test_adding_a_focus_area_by_form_links_a_competency(client_for, team):
    manager, report = team
    competency = PlanCompetencyFactory(track=placed(report))
    plan = PlanFactory(person=report)
    response = client_for(manager).post(
        reverse("growth:plan_focus_add", args=[plan.pk]),
        {"link": f"c{competency.pk}", "title": "", "notes": "Lead design reviews"},
    )
    assert response.status_code == 302
    assert FocusArea.objects.get(plan=plan).notes == "Lead design reviews"


def test_the_status_toggle_marks_an_action_done(client_for, team):
    manager, report = team
    item = action(FocusAreaFactory(plan=PlanFactory(person=report)))
    client_for(report).post(
        reverse("growth:plan_action_status", args=[item.pk]), {"status": "done"}
    )
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE
    assert item.done_at is not None


def test_an_action_with_no_text_is_shown_again_with_the_field_named(client_for, team):
    manager, report = team
    area = FocusAreaFactory(plan=PlanFactory(person=report))
    response = client_for(manager).post(
        reverse("growth:plan_action_add", args=[area.pk]),
        {f"area{area.pk}-kind": "course", f"area{area.pk}-owner": str(report.pk)},
    )
    assert response.status_code == 400
    assert f'id="id_area{area.pk}-text_error"' in response.content.decode() or (
        "This field is required" in response.content.decode()
    )
    assert not area.actions.exists()


def test_a_mentor_owns_an_action_by_email(client_for, team):
    manager, report = team
    mentor = PersonFactory()
    area = FocusAreaFactory(plan=PlanFactory(person=report))
    prefix = f"area{area.pk}"
    response = client_for(manager).post(
        reverse("growth:plan_action_add", args=[area.pk]),
        {
            f"{prefix}-kind": "mentoring",
            f"{prefix}-text": "Monthly sessions",
            f"{prefix}-owner": "mentor",
            f"{prefix}-mentor": mentor.email,
            f"{prefix}-due_on": "2027-01-31",
        },
    )
    assert response.status_code == 302
    assert area.actions.get().owner == mentor


def test_starting_a_plan_for_a_report(client_for, team):
    manager, report = team
    response = client_for(manager).post(
        reverse("growth:plan_new"),
        {
            "person": report.pk,
            "title": "",
            "starts_on": "2026-12-01",
            "ends_on": "2027-05-31",
            "status": "draft",
        },
    )
    assert response.status_code == 302
    assert Plan.objects.get().person == report


def test_a_peer_cannot_open_the_form_for_someone_else(client_for, team):
    _, report = team
    peer = PersonFactory()
    response = client_for(peer).get(reverse("growth:plan_new") + f"?person={report.pk}")
    assert response.status_code == 404


def test_the_index_lists_my_plans_and_my_reports(client_for, team):
    manager, report = team
    PlanFactory(person=report, title="Report plan")
    PlanFactory(person=manager, title="My own plan", starts_on=date(2026, 1, 1))
    page = client_for(manager).get(reverse("growth:plans")).content.decode()
    assert "Report plan" in page and "My own plan" in page


def _plan_with(report, areas: int, actions: int):  # type: ignore[no-untyped-def]
    track = placed(report)
    plan = PlanFactory(person=report)
    for _ in range(areas):
        area = FocusAreaFactory(plan=plan, competency=PlanCompetencyFactory(track=track))
        for _ in range(actions):
            action(area, due_on=date(2026, 11, 1))
    return plan


def _count(client, url, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_plan_page_costs_the_same_queries_whatever_its_size(
    client_for, django_assert_max_num_queries
):
    manager = PersonFactory()
    small_report = PersonFactory(manager=manager)
    big_report = PersonFactory(manager=manager)
    small = _plan_with(small_report, 1, 1)
    big = _plan_with(big_report, 5, 6)
    client = client_for(manager)
    budget = _count(client, reverse("growth:plan", args=[small.pk]), None)
    with django_assert_max_num_queries(budget):
        client.get(reverse("growth:plan", args=[big.pk]))
    assert budget <= 25
