"""An anonymous audit event records only that something happened, on a coarse date: no
actor, no address, no exact time, nothing about the object (anonymous upward feedback)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from tandem.audit.context import origin
from tandem.audit.models import AuditEvent
from tandem.audit.services import record
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_an_anonymous_event_drops_the_actor_the_address_and_the_exact_time():
    person = PersonFactory()
    with origin("203.0.113.7", "web"):
        event = record(
            actor=person,
            kind="test.anonymous",
            anonymous=True,
            on=date(2026, 1, 5),
            object_type="test.thing",
            object_label="Something anonymous",
        )
    event.refresh_from_db()
    assert event.actor is None
    assert event.actor_label == "anonymous"
    assert event.ip_address is None
    assert event.at == datetime(2026, 1, 5, tzinfo=UTC)
    assert (event.kind, event.object_type, event.object_id) == ("test.anonymous", "test.thing", "")
    assert event.subject is None and event.changes == {}


def test_an_anonymous_event_without_a_date_keeps_today_at_midnight_utc():
    event = record(actor=None, kind="test.anonymous", anonymous=True)
    assert event.at.time() == time.min
    assert event.at.date() == datetime.now(UTC).date()


def test_an_anonymous_event_refuses_an_object_a_subject_or_changes():
    person = PersonFactory()
    for extra in ({"obj": person}, {"subject": person}, {"changes": {"a": 1}}, {"note": "x"}):
        with pytest.raises(ValueError, match="anonymous"):
            record(actor=None, kind="test.anonymous", anonymous=True, **extra)
    assert not AuditEvent.objects.filter(kind="test.anonymous").exists()


def test_a_coarse_date_is_only_for_anonymous_events():
    with pytest.raises(ValueError, match="anonymous"):
        record(actor=None, kind="test.dated", on=date(2026, 1, 5), object_type="test")
