"""The weekly check-in reminder: on the program's weekday and cadence, once a week, only to
people who are still here and have not checked in; plus the inbox entry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tandem.core.reminders import REMINDERS
from tandem.goals.inbox import weekly_checkin_due
from tandem.goals.reminders import (
    dedupe_key,
    is_checkin_week,
    people_to_remind,
    send_checkin_reminders,
)
from tandem.notifications.inbox import PROVIDERS
from tandem.notifications.models import Notification
from tandem.org.models import PersonStatus
from tandem.program.models import CheckinCadence, Program
from tests.factories import PersonFactory
from tests.goals.factories import WeeklyCheckInFactory

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

THURSDAY = date(2026, 7, 16)  # week of Monday 13 July 2026
MONDAY = date(2026, 7, 13)


@pytest.fixture
def program():
    program = Program.load()
    program.checkin_cadence = CheckinCadence.WEEKLY
    program.checkin_reminder_weekday = THURSDAY.weekday()
    program.save()
    return program


def reminded(person) -> int:
    return Notification.objects.filter(person=person, kind="goals.checkin_reminder").count()


def test_it_is_registered_with_the_reminder_runner():
    assert send_checkin_reminders in REMINDERS


def test_people_who_have_not_checked_in_are_reminded_on_the_weekday(program):
    person = PersonFactory()
    assert send_checkin_reminders(THURSDAY) == 1
    notification = Notification.objects.get(person=person)
    assert notification.dedupe_key == dedupe_key(person.pk, MONDAY)
    assert notification.url == "/goals/weekly/"


def test_no_one_is_reminded_twice_for_the_same_week(program):
    person = PersonFactory()
    send_checkin_reminders(THURSDAY)
    assert send_checkin_reminders(THURSDAY) == 0
    assert reminded(person) == 1


def test_a_second_run_the_same_week_finds_no_one_to_remind(program):
    PersonFactory()
    send_checkin_reminders(THURSDAY)
    assert not people_to_remind(MONDAY).exists()


def test_the_next_week_brings_a_new_reminder(program):
    person = PersonFactory()
    send_checkin_reminders(THURSDAY)
    send_checkin_reminders(THURSDAY + timedelta(days=7))
    assert reminded(person) == 2


def test_nothing_is_sent_on_other_weekdays(program):
    PersonFactory()
    for offset in (-3, -2, -1, 1, 2, 3):
        assert send_checkin_reminders(THURSDAY + timedelta(days=offset)) == 0
    assert not Notification.objects.exists()


def test_people_who_already_checked_in_this_week_are_not_reminded(program):
    done = PersonFactory()
    WeeklyCheckInFactory(person=done, week_start=MONDAY)
    waiting = PersonFactory()
    send_checkin_reminders(THURSDAY)
    assert reminded(done) == 0
    assert reminded(waiting) == 1


def test_a_check_in_from_last_week_does_not_count_for_this_week(program):
    person = PersonFactory()
    WeeklyCheckInFactory(person=person, week_start=MONDAY - timedelta(days=7))
    send_checkin_reminders(THURSDAY)
    assert reminded(person) == 1


def test_people_who_left_or_are_on_leave_are_not_reminded(program):
    left = PersonFactory(
        status=PersonStatus.LEFT, start_date=date(2020, 1, 6), end_date=THURSDAY - timedelta(days=3)
    )
    away = PersonFactory(status=PersonStatus.ON_LEAVE)
    assert send_checkin_reminders(THURSDAY) == 0
    assert reminded(left) == reminded(away) == 0


def test_nothing_is_sent_when_the_company_has_check_ins_off(program):
    program.checkin_cadence = CheckinCadence.OFF
    program.save()
    PersonFactory()
    assert send_checkin_reminders(THURSDAY) == 0


def test_a_fortnightly_cadence_reminds_every_other_week(program):
    program.checkin_cadence = CheckinCadence.FORTNIGHTLY
    program.save()
    person = PersonFactory()
    sent = [send_checkin_reminders(THURSDAY + timedelta(days=7 * week)) for week in range(4)]
    assert sorted(sent) == [0, 0, 1, 1]
    assert sent[0] != sent[1]
    assert reminded(person) == 2


def test_fortnightly_weeks_alternate():
    weeks = [is_checkin_week(MONDAY + timedelta(days=7 * n), "fortnightly") for n in range(6)]
    assert weeks in ([True, False] * 3, [False, True] * 3)


def test_finding_who_to_remind_is_one_query_at_any_size(program, django_assert_num_queries):
    for _ in range(30):
        PersonFactory()
    with django_assert_num_queries(1):
        assert len(list(people_to_remind(MONDAY))) == 30


# --- The inbox ------------------------------------------------------------------------------


def test_the_inbox_asks_for_this_weeks_check_in_until_it_is_written(program):
    person = PersonFactory()
    assert weekly_checkin_due in PROVIDERS
    [item] = weekly_checkin_due(person)
    assert item.url == "/goals/weekly/"
    assert item.source == "Goals"
    WeeklyCheckInFactory(person=person)
    assert weekly_checkin_due(person) == []


def test_the_inbox_says_nothing_when_check_ins_are_off(program):
    program.checkin_cadence = CheckinCadence.OFF
    program.save()
    assert weekly_checkin_due(PersonFactory()) == []


def test_the_inbox_entry_costs_two_queries(program, django_assert_max_num_queries):
    person = PersonFactory()
    with django_assert_max_num_queries(2):
        weekly_checkin_due(person)
