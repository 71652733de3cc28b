"""The demo's development plans: about half of the company, one to three focus areas each
linked to a competency or (for people not placed on a track) a goal, actions in every state
with some overdue, a few check-ins."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.db.models import Count

from tandem.growth.models import Action, ActionStatus, FocusArea, Plan, PlanCheckin, PlanStatus
from tandem.org.models import Person, PersonStatus
from tests.demo_once import demo_for_module

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with demo_for_module(django_db_blocker, people=120, seed=11, today=TODAY):
        yield


def test_about_half_of_the_company_has_a_plan(loaded):
    active = Person.objects.filter(status=PersonStatus.ACTIVE).count()
    with_plan = Plan.objects.values("person_id").distinct().count()
    assert 0.3 * active <= with_plan <= 0.7 * active


def test_every_plan_has_one_to_three_focus_areas(loaded):
    counts = set(Plan.objects.annotate(n=Count("focus_areas")).values_list("n", flat=True))
    assert counts <= {1, 2, 3}


def test_every_focus_area_links_a_competency_or_a_goal(loaded):
    assert not FocusArea.objects.filter(competency=None, goal=None).exists()


def test_some_actions_of_active_plans_are_overdue(loaded):
    overdue = Action.objects.filter(
        focus_area__plan__status=PlanStatus.ACTIVE,
        status__in=(ActionStatus.TODO, ActionStatus.DOING),
        due_on__lt=TODAY,
    )
    assert overdue.exists()
    assert Action.objects.filter(status=ActionStatus.DONE).exclude(done_at=None).exists()
    assert not Action.objects.filter(status=ActionStatus.DONE, done_at=None).exists()


def test_a_few_plans_have_check_ins(loaded):
    assert PlanCheckin.objects.exists()


def test_no_person_has_two_overlapping_active_plans(loaded):
    assert (
        Plan.objects.filter(status=PlanStatus.ACTIVE)
        .values("person_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
        == 0
    )
