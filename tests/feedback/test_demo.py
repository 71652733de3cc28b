from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from tandem.feedback import demo as feedback_demo
from tandem.feedback.models import (
    AskStatus,
    Feedback,
    FeedbackAsk,
    FeedbackValue,
    Reaction,
    UpwardBatch,
    UpwardFeedback,
    Visibility,
)
from tandem.org import demo
from tandem.org.models import Person
from tests.demo_once import demo_for_module

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 1)


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with demo_for_module(django_db_blocker, people=120, seed=7, today=TODAY):
        yield


def test_the_demo_has_months_of_feedback_and_praise_tied_to_values(loaded):
    assert Feedback.objects.count() >= 400
    assert Feedback.objects.filter(visibility=Visibility.PUBLIC).exists()
    assert FeedbackValue.objects.filter(is_public=True).exists()
    assert Reaction.objects.exists()
    oldest = Feedback.objects.order_by("created_at").first()
    assert oldest is not None and (TODAY - oldest.created_at.date()).days > 90


def test_the_demo_has_pending_requests_for_the_employee_log_in(loaded):
    employee = Person.objects.get(email=f"employee@{demo.DEMO_DOMAIN}")
    assert FeedbackAsk.objects.filter(person=employee, status=AskStatus.PENDING).exists()
    assert FeedbackAsk.objects.filter(status=AskStatus.ANSWERED, feedback__isnull=False).exists()


def test_the_demo_has_released_and_waiting_upward_batches(loaded):
    assert UpwardBatch.objects.exists()
    assert UpwardFeedback.objects.filter(batch__isnull=False).exists()
    assert UpwardFeedback.objects.filter(batch__isnull=True).exists()
    for batch in UpwardBatch.objects.all():
        assert batch.messages.count() >= 5


def test_answers_to_demo_requests_respect_their_visibility(loaded):
    for ask in FeedbackAsk.objects.filter(feedback__isnull=False).select_related(
        "feedback", "request"
    )[:50]:
        assert ask.feedback is not None
        assert ask.feedback.visibility == ask.request.visibility
        assert ask.feedback.recipient_id == ask.request.subject_id


def test_the_volume_grows_more_slowly_than_the_company():
    assert feedback_demo.volume(1000) == 4000
    assert feedback_demo.volume(100_000) < 100_000


def test_new_feedback_after_the_demo_gets_a_fresh_id(loaded):
    giver, recipient = Person.objects.exclude(manager=None)[:2]
    created = Feedback.objects.create(
        giver=giver, recipient=recipient, visibility="private", text="x"
    )
    assert created.pk > Feedback.objects.exclude(pk=created.pk).order_by("-pk").first().pk
