"""Writing development plans: the focus-area limit, one active plan at a time, who edits,
bad input naming its field with nothing saved, done_at, and the audit trail."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from tandem.audit.models import AuditEvent
from tandem.growth.models import MAX_FOCUS_AREAS, ActionStatus, FocusArea, Plan, PlanStatus
from tandem.growth.services import plans as services
from tests.factories import PersonFactory
from tests.growth.factories_plans import (
    FocusAreaFactory,
    PlanCompetencyFactory,
    PlanFactory,
    action,
    placed,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():  # type: ignore[no-untyped-def]
    manager = PersonFactory()
    report = PersonFactory(manager=manager)
    return manager, report


def _competencies(person, count):  # type: ignore[no-untyped-def]
    track = placed(person)
    return [PlanCompetencyFactory(track=track) for _ in range(count)]


def test_a_manager_starts_a_plan_for_their_report(team):
    manager, report = team
    plan = services.create_plan(
        manager, report, starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30)
    )
    assert plan.person == report
    assert plan.status == PlanStatus.DRAFT
    assert AuditEvent.objects.filter(kind="growth.plan.create", object_id=str(plan.pk)).exists()


def test_a_peer_cannot_start_a_plan_for_someone(team):
    _, report = team
    with pytest.raises(Http404):
        services.create_plan(
            PersonFactory(), report, starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30)
        )
    assert not Plan.objects.exists()


def test_a_plan_ending_before_it_starts_names_ends_on_and_saves_nothing(team):
    manager, report = team
    with pytest.raises(ValidationError) as error:
        services.create_plan(manager, report, starts_on=date(2026, 6, 1), ends_on=date(2026, 1, 1))
    assert "ends_on" in error.value.message_dict
    assert not Plan.objects.exists()


def test_a_second_overlapping_active_plan_is_refused(team):
    manager, report = team
    PlanFactory(person=report, starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30))
    with pytest.raises(ValidationError) as error:
        services.create_plan(
            manager,
            report,
            starts_on=date(2026, 6, 1),
            ends_on=date(2026, 12, 31),
            status=PlanStatus.ACTIVE,
        )
    assert "status" in error.value.message_dict
    assert Plan.objects.count() == 1


def test_an_active_plan_after_the_last_one_ends_is_allowed(team):
    manager, report = team
    PlanFactory(person=report, starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30))
    services.create_plan(
        manager,
        report,
        starts_on=date(2026, 7, 1),
        ends_on=date(2026, 12, 31),
        status=PlanStatus.ACTIVE,
    )
    assert Plan.objects.filter(status=PlanStatus.ACTIVE).count() == 2


def test_activating_a_draft_that_overlaps_an_active_plan_is_refused(team):
    manager, report = team
    PlanFactory(person=report)
    draft = PlanFactory(person=report, status=PlanStatus.DRAFT)
    with pytest.raises(ValidationError) as error:
        services.update_plan(manager, draft, status=PlanStatus.ACTIVE)
    assert "status" in error.value.message_dict
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


def test_the_sixth_focus_area_is_refused_naming_the_field(team):
    manager, report = team
    plan = PlanFactory(person=report)
    competencies = _competencies(report, MAX_FOCUS_AREAS + 1)
    for competency in competencies[:MAX_FOCUS_AREAS]:
        services.add_focus_area(manager, plan, competency_id=competency.pk)
    with pytest.raises(ValidationError) as error:
        services.add_focus_area(manager, plan, competency_id=competencies[-1].pk)
    assert "focus_areas" in error.value.message_dict
    assert "at most 5" in error.value.message_dict["focus_areas"][0]
    assert FocusArea.objects.filter(plan=plan).count() == MAX_FOCUS_AREAS


def test_a_focus_area_takes_the_competencys_name(team):
    _, report = team
    plan = PlanFactory(person=report)
    (competency,) = _competencies(report, 1)
    area = services.add_focus_area(report, plan, competency_id=competency.pk)
    assert area.title == competency.name
    assert area.competency == competency


def test_a_competency_of_another_track_is_refused(team):
    manager, report = team
    plan = PlanFactory(person=report)
    placed(report)
    stranger = PlanCompetencyFactory()
    with pytest.raises(ValidationError) as error:
        services.add_focus_area(manager, plan, competency_id=stranger.pk)
    assert "competency" in error.value.message_dict
    assert not FocusArea.objects.exists()


def test_a_focus_area_needs_a_competency_or_a_goal(team):
    manager, report = team
    plan = PlanFactory(person=report)
    with pytest.raises(ValidationError) as error:
        services.add_focus_area(manager, plan, title="Something")
    assert "competency" in error.value.message_dict


def test_an_unplaced_person_is_told_to_link_a_goal(team):
    manager, report = team
    plan = PlanFactory(person=report)
    with pytest.raises(ValidationError) as error:
        services.add_focus_area(manager, plan, competency_id=PlanCompetencyFactory().pk)
    assert "goal" in error.value.message_dict["competency"][0]


def test_marking_an_action_done_sets_done_at_and_reopening_clears_it(team):
    manager, report = team
    item = action(FocusAreaFactory(plan=PlanFactory(person=report)))
    done = services.set_action_status(manager, item, ActionStatus.DONE)
    assert done.done_at is not None
    reopened = services.set_action_status(report, done, ActionStatus.TODO)
    assert reopened.done_at is None


def test_an_action_without_text_names_the_field(team):
    manager, report = team
    area = FocusAreaFactory(plan=PlanFactory(person=report))
    with pytest.raises(ValidationError) as error:
        services.add_action(manager, area, kind="course", text="  ", owner_id=report.pk)
    assert "text" in error.value.message_dict
    assert not area.actions.exists()


def test_an_action_owned_by_someone_who_left_is_refused(team):
    manager, report = team
    area = FocusAreaFactory(plan=PlanFactory(person=report))
    gone = PersonFactory(status="left")
    with pytest.raises(ValidationError) as error:
        services.add_action(manager, area, kind="course", text="Course", owner_id=gone.pk)
    assert "owner" in error.value.message_dict


def test_a_manager_two_levels_up_adds_a_check_in(team):
    manager, report = team
    plan = PlanFactory(person=PersonFactory(manager=report))
    checkin = services.add_checkin(manager, plan, text="Going well")
    assert checkin.author == manager
    assert AuditEvent.objects.filter(kind="growth.plan.checkin").count() == 1


def test_hr_never_edits_a_plan_even_when_plans_are_visible(team):
    from tandem.program.models import Program
    from tests.factories import hr_admin

    Program.objects.create(pk=1, purposes=["growth"], development_plans_visible_to_hr=True)
    _, report = team
    plan = PlanFactory(person=report)
    with pytest.raises(Http404):
        services.add_checkin(hr_admin(), plan, text="HR was here")
