"""An anonymous act is only counted in its day's tally; the tally enters the trail after the
day is over, as one event with no actor, no address, no time finer than the day and nothing
about the object — so no id or time in the trail places the act among the others."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tandem.audit.context import origin
from tandem.audit.models import AnonymousTally, AuditEvent
from tandem.audit.services import flush_anonymous, record_anonymous
from tandem.core import reminders

pytestmark = pytest.mark.django_db

DAY = date(2026, 1, 5)


def _count(kind: str = "test.anonymous", on: date = DAY) -> None:
    record_anonymous(kind=kind, on=on, object_type="test.thing", object_label="thing written")


def test_an_anonymous_act_writes_no_row_of_the_trail():
    with origin("203.0.113.7", "web"):
        _count()
    assert not AuditEvent.objects.exists()
    tally = AnonymousTally.objects.get()
    assert (tally.day, tally.kind, tally.count) == (DAY, "test.anonymous", 1)


def test_acts_of_a_day_add_up_in_one_tally():
    for _ in range(3):
        _count()
    _count(on=DAY + timedelta(days=1))
    assert sorted(AnonymousTally.objects.values_list("day", "count")) == [
        (DAY, 3),
        (DAY + timedelta(days=1), 1),
    ]


def test_the_tally_enters_the_trail_after_its_day_with_no_actor_address_or_time():
    with origin("203.0.113.7", "web"):
        _count()
        _count()
    assert flush_anonymous(DAY) == 0, "not while the day is still going"
    assert flush_anonymous(DAY + timedelta(days=1)) == 1
    event = AuditEvent.objects.get()
    assert event.actor is None and event.actor_label == "anonymous"
    assert event.ip_address is None
    assert event.at == datetime(2026, 1, 5, tzinfo=UTC)
    assert (event.kind, event.object_type, event.object_id) == ("test.anonymous", "test.thing", "")
    assert event.subject is None
    assert event.changes == {"count": 2, "day": "2026-01-05"}
    assert event.object_label == "2 × thing written"
    assert not AnonymousTally.objects.exists()


def test_flushing_again_writes_nothing_twice():
    _count()
    flush_anonymous(DAY + timedelta(days=2))
    assert flush_anonymous(DAY + timedelta(days=2)) == 0
    assert AuditEvent.objects.count() == 1


def test_the_daily_run_writes_the_tallies():
    _count()
    reminders.run_all(DAY + timedelta(days=1))
    assert AuditEvent.objects.filter(kind="test.anonymous").count() == 1


def test_each_act_rewrites_the_days_tallies_under_new_random_keys():
    _count(kind="test.first")
    first = AnonymousTally.objects.get().pk
    _count(kind="test.second")
    keys = set(AnonymousTally.objects.values_list("pk", flat=True))
    assert first not in keys and len(keys) == 2
    assert all(key.version == 4 for key in keys)
