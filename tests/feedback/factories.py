"""Factories for feedback. Rows are made directly (no service, no audit event) so module
fixtures can delete what they made."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from tandem.feedback.models import (
    Feedback,
    FeedbackAsk,
    FeedbackRequest,
    FeedbackValue,
    Visibility,
)
from tandem.org.models import CompanyValue
from tests.factories import PersonFactory


class CompanyValueFactory(DjangoModelFactory):
    class Meta:
        model = CompanyValue
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Value {n}")
    description = "What it means in practice."


class FeedbackFactory(DjangoModelFactory):
    class Meta:
        model = Feedback
        skip_postgeneration_save = True

    giver = factory.SubFactory(PersonFactory)
    recipient = factory.SubFactory(PersonFactory)
    visibility = Visibility.PRIVATE
    text = factory.Sequence(lambda n: f"Feedback text number {n}: clear and specific.")

    @classmethod
    def _create(cls, model_class: type[Feedback], *args: Any, **kwargs: Any) -> Feedback:
        values = kwargs.pop("values", [])
        if (
            kwargs.get("visibility") == Visibility.WITH_MANAGER
            and "recipient_manager" not in kwargs
        ):
            kwargs["recipient_manager"] = kwargs["recipient"].manager
        feedback = super()._create(model_class, *args, **kwargs)
        FeedbackValue.objects.bulk_create(
            FeedbackValue(
                feedback=feedback,
                value=value,
                recipient=feedback.recipient,
                is_public=feedback.visibility == Visibility.PUBLIC,
                created_at=feedback.created_at,
            )
            for value in values
        )
        return feedback


class FeedbackRequestFactory(DjangoModelFactory):
    class Meta:
        model = FeedbackRequest

    requester = factory.SubFactory(PersonFactory)
    subject = factory.SelfAttribute("requester")
    visibility = Visibility.PRIVATE
    questions = "What should I keep doing?"


class FeedbackAskFactory(DjangoModelFactory):
    class Meta:
        model = FeedbackAsk

    request = factory.SubFactory(FeedbackRequestFactory)
    person = factory.SubFactory(PersonFactory)
    due_date = factory.SelfAttribute("request.due_date")
