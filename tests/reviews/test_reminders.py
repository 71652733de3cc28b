"""Review reminders: automatic ones before a phase closes and on its last day (once per
person per reminder, whatever the reruns), and HR's one-click reminder."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.core.reminders import REMINDERS, run_reminders
from tandem.notifications.models import Notification
from tandem.reviews.models import NominationStatus, Phase, PhaseKind, Relationship, ReviewState
from tandem.reviews.reminders import send_review_reminders
from tandem.reviews.services.reminders import queue_reminders, remind
from tests.factories import PersonFactory, hr_admin
from tests.reviews.factories import (
    close_phase,
    nominate,
    participant_of,
    review_of,
    running_cycle,
    set_phase,
)

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def reminders(person) -> list[Notification]:  # type: ignore[no-untyped-def]
    return list(Notification.objects.filter(person=person, kind="reviews.reminder"))


@pytest.fixture
def team():  # type: ignore[no-untyped-def]
    boss = PersonFactory()
    ana, ben = PersonFactory(manager=boss), PersonFactory(manager=boss)
    cycle = running_cycle([boss, ana, ben])
    return cycle, boss, ana, ben


def due_in(cycle, kind, days):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return set_phase(
        cycle, kind, opens_on=today - timedelta(days=7), due_on=today + timedelta(days=days)
    )


def test_the_reminder_is_registered_with_the_runner():
    assert send_review_reminders in REMINDERS


def test_people_with_an_open_review_are_reminded_days_before_the_deadline(team):
    cycle, boss, ana, ben = team
    due_in(cycle, PhaseKind.MANAGER, 3)
    send_review_reminders(timezone.localdate())
    (note,) = reminders(boss)
    assert "2 reviews to write" in note.body
    assert reminders(ana) == []  # nothing open in the manager phase for ana


def test_the_automatic_reminder_goes_once_per_person_through_the_task_queue(team):
    cycle, boss, ana, ben = team
    due_in(cycle, PhaseKind.SELF, 3)
    run_reminders.enqueue(timezone.localdate().isoformat())
    run_reminders.enqueue(timezone.localdate().isoformat())
    assert [len(reminders(p)) for p in (boss, ana, ben)] == [1, 1, 1]
    phase = Phase.objects.get(cycle=cycle, kind=PhaseKind.SELF)
    assert phase.reminders_sent == ["3"]


def test_a_rerun_after_the_mark_was_lost_still_sends_nothing_twice(team):
    cycle, boss, ana, ben = team
    phase = due_in(cycle, PhaseKind.SELF, 3)
    send_review_reminders(timezone.localdate())
    Phase.objects.filter(pk=phase.pk).update(reminders_sent=[])
    assert send_review_reminders(timezone.localdate()) == 0
    assert len(reminders(ana)) == 1


def test_the_last_day_brings_a_second_reminder(team):
    cycle, boss, ana, ben = team
    due_in(cycle, PhaseKind.SELF, 3)
    today = timezone.localdate()
    send_review_reminders(today)
    send_review_reminders(today + timedelta(days=1))  # 2 days before: nothing new
    send_review_reminders(today + timedelta(days=3))
    assert len(reminders(ana)) == 2
    assert Phase.objects.get(cycle=cycle, kind=PhaseKind.SELF).reminders_sent == ["3", "0"]


def test_no_reminder_for_people_who_are_done(team):
    cycle, boss, ana, ben = team
    due_in(cycle, PhaseKind.SELF, 0)
    review = review_of(cycle, ana, Relationship.SELF)
    review.state = ReviewState.SUBMITTED
    review.save(update_fields=["state"])
    send_review_reminders(timezone.localdate())
    assert reminders(ana) == []
    assert len(reminders(ben)) == 1


def test_nothing_is_sent_long_before_a_deadline(team):
    cycle, *_ = team
    assert send_review_reminders(timezone.localdate()) == 0  # every phase is due in 14 days


def test_one_click_reminds_each_person_once_listing_everything(team):
    cycle, boss, ana, ben = team
    participant = participant_of(cycle, ana)
    nominate(participant, ben)  # proposed: waits for boss's approval
    sent = remind(cycle, by=hr_admin())
    assert sent == 3
    (note,) = reminders(boss)
    assert "3 reviews to write" in note.body  # own self review and two manager reviews
    assert "1 peer nomination to approve" in note.body
    (note,) = reminders(ana)
    assert "1 peer nomination to make" in note.body  # one proposed, two needed
    event = AuditEvent.objects.get(kind="review.remind")
    assert event.changes["people"] == 3


def test_a_second_click_sends_again(team):
    cycle, boss, ana, ben = team
    hr = hr_admin()
    remind(cycle, by=hr, phase=PhaseKind.SELF)
    remind(cycle, by=hr, phase=PhaseKind.SELF)
    assert len(reminders(ana)) == 2


def test_a_manager_reminds_only_their_subtree():
    boss = PersonFactory()
    ana = PersonFactory(manager=boss)
    other = PersonFactory()
    cycle = running_cycle([boss, ana, other])
    assert remind(cycle, by=boss, phase=PhaseKind.SELF) == 1
    assert len(reminders(ana)) == 1
    assert reminders(other) == [] and reminders(boss) == []


def test_an_employee_may_not_remind(team):
    from tandem.access.rules import NotAllowed

    cycle, boss, ana, ben = team
    with pytest.raises(NotAllowed):
        remind(cycle, by=ana)


def test_reminding_for_a_closed_phase_says_so(team):
    cycle, *_ = team
    close_phase(cycle, PhaseKind.SELF)
    with pytest.raises(ValidationError) as error:
        remind(cycle, by=hr_admin(), phase=PhaseKind.SELF)
    assert "phase" in error.value.message_dict


def test_the_queued_reminder_runs_after_commit(team, django_capture_on_commit_callbacks):
    cycle, boss, ana, ben = team
    with django_capture_on_commit_callbacks(execute=True):
        queue_reminders(cycle, by=hr_admin(), phase=PhaseKind.SELF)
    assert len(reminders(ana)) == 1


def test_approved_nominations_do_not_wait_for_approval(team):
    cycle, boss, ana, ben = team
    nominate(participant_of(cycle, ana), ben, status=NominationStatus.APPROVED)
    remind(cycle, by=hr_admin(), phase=PhaseKind.NOMINATION)
    assert reminders(boss) == [] or "to approve" not in reminders(boss)[0].body
