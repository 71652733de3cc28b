"""Posting a check-in on a goal: values move progress, status and confidence are kept, and
closed goals or periods refuse it naming the field."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.access.rules import NotAllowed
from tandem.audit.models import AuditEvent
from tandem.goals.models import CheckIn, GoalChange, GoalState, Health, KeyResultKind
from tandem.goals.services.checkins import post_checkin
from tests.factories import PersonFactory
from tests.goals.factories import GoalFactory, KeyResultFactory, MilestoneFactory, PeriodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    manager = PersonFactory()
    return PersonFactory(manager=manager)


@pytest.fixture
def goal(owner):
    return GoalFactory(owner=owner)


def test_a_new_value_moves_an_increasing_key_result_and_the_goal(goal, owner):
    kr = KeyResultFactory(goal=goal, start_value=0, target_value=200, current_value=0)
    checkin = post_checkin(
        goal=goal, by=owner, health=Health.ON_TRACK, confidence=7, values={kr.pk: Decimal(50)}
    )
    kr.refresh_from_db()
    goal.refresh_from_db()
    assert kr.current_value == 50
    assert kr.progress == Decimal("0.25")
    assert goal.progress == Decimal("0.25")
    assert checkin.progress == Decimal("0.25")


def test_a_decreasing_key_result_makes_progress_as_the_value_falls(goal, owner):
    kr = KeyResultFactory(goal=goal, start_value=5, target_value=3, current_value=5)
    post_checkin(goal=goal, by=owner, health=Health.AT_RISK, confidence=4, values={kr.pk: "4.5"})
    goal.refresh_from_db()
    assert goal.progress == Decimal("0.25")


def test_ticking_milestones_moves_a_milestone_key_result(goal, owner):
    kr = KeyResultFactory(goal=goal, kind=KeyResultKind.MILESTONES, start_value=0, target_value=1)
    steps = [MilestoneFactory(key_result=kr) for _ in range(4)]
    post_checkin(
        goal=goal,
        by=owner,
        health=Health.ON_TRACK,
        confidence=8,
        milestones_done={steps[0].pk, steps[1].pk, steps[2].pk},
    )
    goal.refresh_from_db()
    assert goal.progress == Decimal("0.75")


def test_unticking_a_milestone_takes_its_progress_back(goal, owner):
    kr = KeyResultFactory(goal=goal, kind=KeyResultKind.MILESTONES)
    first, second = MilestoneFactory(key_result=kr), MilestoneFactory(key_result=kr)
    post_checkin(
        goal=goal, by=owner, health="on_track", confidence=5, milestones_done={first.pk, second.pk}
    )
    post_checkin(
        goal=goal, by=owner, health="on_track", confidence=5, milestones_undone={second.pk}
    )
    goal.refresh_from_db()
    assert goal.progress == Decimal("0.5")


def test_a_yes_no_key_result_done_reaches_its_target(goal, owner):
    kr = KeyResultFactory(goal=goal, kind=KeyResultKind.BOOLEAN, start_value=0, target_value=1)
    KeyResultFactory(goal=goal, start_value=0, target_value=10, current_value=0)
    post_checkin(goal=goal, by=owner, health="on_track", confidence=9, values={kr.pk: True})
    goal.refresh_from_db()
    assert goal.progress == Decimal("0.5")


def test_the_check_in_keeps_each_value_it_changed_old_and_new(goal, owner):
    kr = KeyResultFactory(goal=goal, title="Signups", current_value=10)
    unchanged = KeyResultFactory(goal=goal, current_value=3)
    checkin = post_checkin(
        goal=goal,
        by=owner,
        health="on_track",
        confidence=6,
        values={kr.pk: Decimal("12.5"), unchanged.pk: Decimal(3)},
    )
    assert checkin.values == [{"key_result": kr.pk, "title": "Signups", "old": "10", "new": "12.5"}]


def test_it_sets_the_goals_health_and_last_check_in(goal, owner):
    checkin = post_checkin(goal=goal, by=owner, health=Health.OFF_TRACK, confidence=2, note="Stuck")
    goal.refresh_from_db()
    assert goal.health == Health.OFF_TRACK
    assert goal.last_checkin_at == checkin.created_at
    assert checkin.note == "Stuck"
    assert checkin.author == owner


def test_value_changes_are_not_churn(goal, owner):
    kr = KeyResultFactory(goal=goal)
    post_checkin(goal=goal, by=owner, health="on_track", confidence=5, values={kr.pk: 40})
    goal.refresh_from_db()
    assert goal.churn == 0
    assert not GoalChange.objects.filter(goal=goal, counts_as_churn=True).exists()


def test_it_lands_in_the_audit_log(goal, owner):
    post_checkin(goal=goal, by=owner, health="on_track", confidence=5)
    assert AuditEvent.objects.filter(kind="goals.checkin", actor=owner).exists()


def test_the_owners_manager_may_check_in_for_them(goal, owner):
    post_checkin(goal=goal, by=owner.manager, health="at_risk", confidence=5)
    assert CheckIn.objects.filter(goal=goal, author=owner.manager).exists()


def test_a_colleague_may_not_check_in_on_someone_elses_goal(goal):
    with pytest.raises(NotAllowed):
        post_checkin(goal=goal, by=PersonFactory(), health="on_track", confidence=5)
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("confidence", [11, -1, "high", None, 7.5])
def test_a_confidence_outside_0_to_10_is_refused_naming_the_field(goal, owner, confidence):
    with pytest.raises(ValidationError) as refused:
        post_checkin(goal=goal, by=owner, health="on_track", confidence=confidence)
    assert "confidence" in refused.value.message_dict
    assert not CheckIn.objects.exists()


def test_an_unknown_status_is_refused_naming_the_field(goal, owner):
    with pytest.raises(ValidationError) as refused:
        post_checkin(goal=goal, by=owner, health="great", confidence=5)
    assert "health" in refused.value.message_dict


def test_a_non_number_value_is_refused_naming_the_key_result_and_nothing_is_saved(goal, owner):
    kr = KeyResultFactory(goal=goal, current_value=1)
    with pytest.raises(ValidationError) as refused:
        post_checkin(goal=goal, by=owner, health="on_track", confidence=5, values={kr.pk: "lots"})
    assert f"kr_{kr.pk}" in refused.value.message_dict
    kr.refresh_from_db()
    assert kr.current_value == 1
    assert not CheckIn.objects.exists()


def test_a_key_result_of_another_goal_is_refused(goal, owner):
    other = KeyResultFactory()
    with pytest.raises(ValidationError) as refused:
        post_checkin(goal=goal, by=owner, health="on_track", confidence=5, values={other.pk: 3})
    assert "values" in refused.value.message_dict


def test_a_check_in_on_a_closed_period_is_refused_naming_the_period(owner):
    period = PeriodFactory(
        name="Q1 closed",
        start_date=timezone.localdate() - timedelta(days=120),
        end_date=timezone.localdate() - timedelta(days=30),
        closed_at=timezone.now(),
    )
    goal = GoalFactory(owner=owner, period=period)
    with pytest.raises(ValidationError) as refused:
        post_checkin(goal=goal, by=owner, health="on_track", confidence=5)
    assert "period" in refused.value.message_dict
    assert not CheckIn.objects.exists()


def test_a_check_in_on_a_closed_goal_is_refused_naming_the_goal(owner):
    goal = GoalFactory(owner=owner, state=GoalState.CLOSED, closed_at=timezone.now())
    with pytest.raises(ValidationError) as refused:
        post_checkin(goal=goal, by=owner, health="on_track", confidence=5)
    assert "goal" in refused.value.message_dict


def test_a_backdated_check_in_does_not_move_the_last_check_in_back(goal, owner):
    latest = post_checkin(goal=goal, by=owner, health="on_track", confidence=5)
    post_checkin(
        goal=goal,
        by=owner,
        health="on_track",
        confidence=5,
        at=timezone.now() - timedelta(days=14),
    )
    goal.refresh_from_db()
    assert goal.last_checkin_at == latest.created_at


# --- The page ------------------------------------------------------------------------------


def test_the_check_in_form_shows_each_key_result(client_for, goal, owner):
    KeyResultFactory(goal=goal, title="Signups", unit="users")
    yes_no = KeyResultFactory(goal=goal, title="Launched", kind=KeyResultKind.BOOLEAN)
    steps = KeyResultFactory(goal=goal, title="Plan", kind=KeyResultKind.MILESTONES)
    MilestoneFactory(key_result=steps, title="Kick-off done")
    response = client_for(owner).get(f"/goals/{goal.pk}/check-in/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Signups (users)" in text
    assert f'name="kr_{yes_no.pk}"' in text
    assert "Kick-off done" in text


def test_posting_the_form_saves_the_check_in_and_returns_to_the_goal(client_for, goal, owner):
    kr = KeyResultFactory(goal=goal, start_value=0, target_value=10)
    response = client_for(owner).post(
        f"/goals/{goal.pk}/check-in/",
        {f"kr_{kr.pk}": "5", "health": "at_risk", "confidence": "6", "note": "Half way"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/goals/{goal.pk}/"
    goal.refresh_from_db()
    assert goal.progress == Decimal("0.5")
    assert goal.health == Health.AT_RISK


def test_a_confidence_of_11_is_a_field_error_and_nothing_is_saved(client_for, goal, owner):
    response = client_for(owner).post(
        f"/goals/{goal.pk}/check-in/", {"health": "on_track", "confidence": "11"}
    )
    assert response.status_code == 200
    assert "Confidence is a whole number from 0" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_a_non_number_value_is_a_field_error(client_for, goal, owner):
    kr = KeyResultFactory(goal=goal, title="Revenue")
    response = client_for(owner).post(
        f"/goals/{goal.pk}/check-in/",
        {f"kr_{kr.pk}": "a lot", "health": "on_track", "confidence": "5"},
    )
    assert response.status_code == 200
    assert "Revenue: enter a number" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_the_form_on_a_closed_period_says_why_and_refuses_a_post(client_for, owner):
    period = PeriodFactory(
        name="Old quarter",
        start_date=timezone.localdate() - timedelta(days=200),
        end_date=timezone.localdate() - timedelta(days=110),
        closed_at=timezone.now(),
    )
    goal = GoalFactory(owner=owner, period=period)
    client = client_for(owner)
    assert "Old quarter is closed" in client.get(f"/goals/{goal.pk}/check-in/").content.decode()
    response = client.post(f"/goals/{goal.pk}/check-in/", {"health": "on_track", "confidence": "5"})
    assert response.status_code == 200
    assert "Old quarter is closed" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_someone_who_may_see_but_not_edit_the_goal_gets_a_404(client_for, goal):
    assert client_for(PersonFactory()).get(f"/goals/{goal.pk}/check-in/").status_code == 404


def test_a_private_goal_is_a_404_for_an_outsider(client_for, owner):
    goal = GoalFactory(owner=owner, visibility="private")
    assert client_for(PersonFactory()).get(f"/goals/{goal.pk}/check-in/").status_code == 404


def test_the_form_costs_the_same_queries_with_many_key_results(
    client_for, goal, owner, django_assert_max_num_queries
):
    client = client_for(owner)
    KeyResultFactory(goal=goal)
    with django_assert_max_num_queries(15) as baseline:
        client.get(f"/goals/{goal.pk}/check-in/")
    for _ in range(10):
        MilestoneFactory(key_result=KeyResultFactory(goal=goal, kind=KeyResultKind.MILESTONES))
        KeyResultFactory(goal=goal)
    post_checkin(goal=goal, by=owner, health="on_track", confidence=5)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(f"/goals/{goal.pk}/check-in/")


def test_a_yes_no_key_result_takes_1_and_0_from_the_api(goal, owner):
    kr = KeyResultFactory(goal=goal, kind=KeyResultKind.BOOLEAN, start_value=0, target_value=1)
    post_checkin(goal=goal, by=owner, health="on_track", confidence=5, values={kr.pk: Decimal(1)})
    kr.refresh_from_db()
    assert kr.current_value == 1
    post_checkin(goal=goal, by=owner, health="on_track", confidence=5, values={kr.pk: Decimal(0)})
    kr.refresh_from_db()
    assert kr.current_value == 0


def test_a_yes_no_key_result_refuses_other_numbers(goal, owner):
    kr = KeyResultFactory(goal=goal, kind=KeyResultKind.BOOLEAN, start_value=0, target_value=1)
    with pytest.raises(ValidationError) as refused:
        post_checkin(goal=goal, by=owner, health="on_track", confidence=5, values={kr.pk: 7})
    assert f"kr_{kr.pk}" in refused.value.message_dict
