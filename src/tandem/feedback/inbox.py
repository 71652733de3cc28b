"""Feedback's part of "Things waiting for you": requests this person has not answered."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tandem.feedback import queries
from tandem.notifications.inbox import PROVIDER_LIMIT, InboxItem, register_provider


@register_provider
def feedback_requests(person: Any) -> list[InboxItem]:
    """One query, at most PROVIDER_LIMIT items, soonest due first."""
    items = []
    for ask in queries.pending_asks(person, limit=PROVIDER_LIMIT):
        request = ask.request
        about = (
            "them" if request.subject_id == request.requester_id else request.subject.display_name
        )
        items.append(
            InboxItem(
                kind="feedback.request",
                title=f"{request.requester.display_name} asked for your feedback about {about}",
                url=reverse("feedback:request_detail", args=[request.pk]),
                due=ask.due_date,
                source="Feedback",
            )
        )
    return items
