"""Feedback over the API: feedback, praise, reactions, requests, anonymous upward feedback
(write-only for the author; read-only as released batches for the manager). Thin."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Schema
from ninja.errors import ValidationError
from ninja.responses import Status
from pydantic import Field

from tandem.access.rules import scope
from tandem.core.api import ERRORS, ErrorOut
from tandem.feedback import queries, services
from tandem.feedback.models import Feedback, FeedbackAsk, FeedbackRequest
from tandem.feedback.schemas import (
    MAX_ID,
    AnswerIn,
    DeclineIn,
    FeedbackIn,
    FeedbackOut,
    FeedbackPageOut,
    FeedbackRequestIn,
    FeedbackRequestOut,
    FeedbackRequestsOut,
    ReactionCount,
    ReactionIn,
    Received,
    UpwardBatchOut,
    UpwardIn,
)
from tandem.org.models import CompanyValue
from tandem.org.queries import person_for

router = Router(tags=["feedback"])

NOT_FOUND = {404: ErrorOut, **ERRORS}
ID = Path(..., ge=1, le=MAX_ID)


class ListFilters(Schema):
    q: str = Field("", max_length=200, description="Words in the text")
    about: int | None = Field(None, ge=1, le=MAX_ID, description="Given or received by this person")
    cursor: str | None = Field(None, max_length=500, description="next_cursor of the previous page")
    limit: int = Field(queries.PAGE_SIZE, ge=1, le=queries.MAX_PAGE_SIZE)


class FeedFilters(Schema):
    value: int | None = Field(None, ge=1, le=MAX_ID, description="Company value id")
    cursor: str | None = Field(None, max_length=500, description="next_cursor of the previous page")
    limit: int = Field(queries.PAGE_SIZE, ge=1, le=queries.MAX_PAGE_SIZE)


def _bad_cursor(error: Exception) -> ValidationError:
    return ValidationError([{"type": "value_error", "loc": ["query", "cursor"], "msg": str(error)}])


def feedback_out(
    user: Any, feedback: Feedback, *, visible_goal_ids: set[int] | None = None
) -> dict[str, Any]:
    if visible_goal_ids is None:
        goal = queries.goal_visible_to(user, feedback) if feedback.goal_id else None
        goal_id = goal.pk if goal is not None else None
    else:
        goal_id = feedback.goal_id if feedback.goal_id in visible_goal_ids else None
    return {
        "id": feedback.pk,
        "giver": feedback.giver,
        "recipient": feedback.recipient,
        "visibility": feedback.visibility,
        "text": feedback.text,
        "values": list(feedback.values.all()),
        "goal_id": goal_id,
        "request_id": feedback.request_id,
        "created_at": feedback.created_at,
        "reactions": getattr(feedback, "reaction_list", None) if feedback.is_praise else None,
    }


def _page_out(
    user: Any, feedback: Any, cursor: str | None, limit: int, branches: list[Q] | None = None
) -> dict[str, Any]:
    try:
        page = queries.feedback_page(
            feedback, cursor=cursor, limit=limit, viewer=user, branches=branches
        )
    except queries.BadCursor as error:
        raise _bad_cursor(error) from None
    return {
        "items": [
            feedback_out(user, f, visible_goal_ids=page.visible_goal_ids) for f in page.items
        ],
        "next_cursor": page.next_cursor,
    }


# The services name their own arguments; the API names its body's fields.
API_FIELDS = {
    "recipient": "recipient_id",
    "goal": "goal_id",
    "values": "value_ids",
    "asked": "asked_ids",
}


@contextmanager
def _api_fields() -> Iterator[None]:
    """Re-raise a service's ValidationError under the API's field names."""
    try:
        yield
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise DjangoValidationError(
            {API_FIELDS.get(name, name): messages for name, messages in error.message_dict.items()}
        ) from None


def _values(ids: list[int]) -> list[CompanyValue]:
    found = list(CompanyValue.objects.filter(pk__in=[i for i in ids if 0 < i <= MAX_ID]))
    if len(found) != len(set(ids)):
        raise DjangoValidationError({"value_ids": "One of these is not a company value."})
    return found


@router.get(
    "/feedback",
    response={200: FeedbackPageOut, **ERRORS},
    summary="Feedback you may read, newest first",
)
def list_feedback(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    feedback = queries.search(request.user, q=filters.q, about=filters.about)
    branches = queries.reader_branches(request.user)
    return _page_out(request.user, feedback, filters.cursor, filters.limit, branches)


@router.post(
    "/feedback",
    response={201: FeedbackOut, **ERRORS},
    summary="Give feedback (public visibility: praise)",
)
def give_feedback(request: HttpRequest, payload: FeedbackIn) -> Status[dict[str, Any]]:
    recipient = queries.resolve_person(request.user, payload.recipient_id, field="recipient_id")
    goal = None
    if payload.goal_id is not None:
        goal = scope(
            request.user, apps.get_model("goals", "Goal").objects.filter(pk=payload.goal_id)
        ).first()
        if goal is None:
            raise DjangoValidationError({"goal_id": "No goal with that id that you can see."})
    with _api_fields():
        feedback = services.give_feedback(
            by=request.user,
            recipient=recipient,
            text=payload.text,
            visibility=payload.visibility,
            values=_values(payload.value_ids),
            goal=goal,
        )
    return Status(201, feedback_out(request.user, queries.feedback_for(request.user, feedback.pk)))


@router.get(
    "/feedback/{feedback_id}",
    response={200: FeedbackOut, **NOT_FOUND},
    summary="One piece of feedback",
)
def get_feedback(request: HttpRequest, feedback_id: int = ID) -> dict[str, Any]:
    feedback = queries.feedback_for(request.user, feedback_id)
    if feedback.is_praise:
        feedback.reaction_list = queries.reaction_summary([feedback], request.user)[feedback.pk]  # type: ignore[attr-defined]
    return feedback_out(request.user, feedback)


@router.get(
    "/praise", response={200: FeedbackPageOut, **ERRORS}, summary="The company's praise feed"
)
def list_praise(request: HttpRequest, filters: Query[FeedFilters]) -> dict[str, Any]:
    feed = queries.praise_feed(request.user, value_id=filters.value)
    return _page_out(request.user, feed, filters.cursor, filters.limit)


def _praise(request: HttpRequest, feedback_id: int) -> Feedback:
    feedback = queries.feedback_for(request.user, feedback_id)
    if not feedback.is_praise:
        raise Http404("No such praise.")
    return feedback


@router.post(
    "/praise/{feedback_id}/reactions",
    response={200: list[ReactionCount], **NOT_FOUND},
    summary="React to praise (on=true), or take the reaction back (on=false)",
)
def react_to_praise(
    request: HttpRequest, payload: ReactionIn, feedback_id: int = ID
) -> list[dict[str, Any]]:
    feedback = _praise(request, feedback_id)
    services.set_reaction(by=request.user, feedback=feedback, kind=payload.kind, on=payload.on)
    return queries.reaction_summary([feedback], request.user)[feedback.pk]


def request_out(
    user: Any,
    feedback_request: FeedbackRequest,
    *,
    asks: list[FeedbackAsk] | None = None,
    readable: set[int] | None = None,
) -> dict[str, Any]:
    if asks is None:
        asks = queries.asks_of(user, feedback_request)
    if readable is None:
        readable = queries.readable_answers(user, asks)
    mine = next((a.status for a in asks if a.person_id == user.pk), None)
    return {
        "id": feedback_request.pk,
        "requester": feedback_request.requester,
        "subject": feedback_request.subject,
        "questions": feedback_request.questions,
        "due_date": feedback_request.due_date,
        "visibility": feedback_request.visibility,
        "created_at": feedback_request.created_at,
        "asks": [
            {
                "person": a.person,
                "status": a.status,
                "decline_reason": a.decline_reason,
                "feedback_id": a.feedback_id if a.feedback_id in readable else None,
            }
            for a in asks
        ],
        "my_status": mine,
    }


@router.get(
    "/feedback-requests",
    response={200: FeedbackRequestsOut, **ERRORS},
    summary="Requests waiting for your answer, and requests you made or that are about you",
)
def list_feedback_requests(request: HttpRequest) -> dict[str, Any]:
    waiting = [a.request for a in queries.pending_asks(request.user)]
    mine = queries.my_requests(request.user)
    # Asks and readable answers for every request at once: two queries, not two a request.
    asks = queries.asks_by_request(request.user, waiting + mine)
    readable = queries.readable_answers(request.user, [a for found in asks.values() for a in found])

    def out(found: FeedbackRequest) -> dict[str, Any]:
        return request_out(request.user, found, asks=asks[found.pk], readable=readable)

    return {"waiting_for_me": [out(r) for r in waiting], "mine": [out(r) for r in mine]}


@router.post(
    "/feedback-requests",
    response={201: FeedbackRequestOut, **NOT_FOUND},
    summary="Ask colleagues for feedback about yourself or someone in your team",
)
def create_feedback_request(
    request: HttpRequest, payload: FeedbackRequestIn
) -> Status[dict[str, Any]]:
    me = queries.person_of(request.user)
    subject = person_for(request.user, payload.subject_id) if payload.subject_id else me
    asked = [
        queries.resolve_person(request.user, pk, field="asked_ids") for pk in payload.asked_ids
    ]
    with _api_fields():
        created = services.create_feedback_request(
            by=request.user,
            subject=subject,
            asked=asked,
            visibility=payload.visibility,
            questions=payload.questions,
            due_date=payload.due_date,
        )
    return Status(201, request_out(request.user, queries.request_for(request.user, created.pk)))


@router.get(
    "/feedback-requests/{request_id}",
    response={200: FeedbackRequestOut, **NOT_FOUND},
    summary="One request: who was asked, and who answered",
)
def get_feedback_request(request: HttpRequest, request_id: int = ID) -> dict[str, Any]:
    return request_out(request.user, queries.request_for(request.user, request_id))


def _my_pending_ask(request: HttpRequest, request_id: int) -> FeedbackAsk:
    feedback_request = queries.request_for(request.user, request_id)
    ask = queries.my_ask(request.user, feedback_request)
    if ask is None:
        raise Http404("Nothing to answer here.")
    return ask


@router.post(
    "/feedback-requests/{request_id}/answer",
    response={201: FeedbackOut, **NOT_FOUND},
    summary="Answer a request you were asked",
)
def answer_feedback_request(
    request: HttpRequest, payload: AnswerIn, request_id: int = ID
) -> Status[dict[str, Any]]:
    ask = _my_pending_ask(request, request_id)
    feedback = services.answer_feedback_request(
        by=request.user, ask=ask, text=payload.text, values=_values(payload.value_ids)
    )
    return Status(201, feedback_out(request.user, queries.feedback_for(request.user, feedback.pk)))


@router.post(
    "/feedback-requests/{request_id}/decline",
    response={200: FeedbackRequestOut, **NOT_FOUND},
    summary="Decline a request you were asked, with a reason",
)
def decline_feedback_request(
    request: HttpRequest, payload: DeclineIn, request_id: int = ID
) -> dict[str, Any]:
    ask = _my_pending_ask(request, request_id)
    services.decline_feedback_request(by=request.user, ask=ask, reason=payload.reason)
    return request_out(request.user, queries.request_for(request.user, request_id))


@router.post(
    "/upward-feedback",
    response={202: Received, **ERRORS},
    summary="Write anonymous feedback to your manager (write-only: nothing comes back)",
)
def write_upward_feedback(request: HttpRequest, payload: UpwardIn) -> Status[dict[str, str]]:
    services.write_upward_feedback(by=request.user, text=payload.text)
    return Status(
        202,
        {
            "detail": "Received. It is stored without your name and shown to your manager "
            "only in a batch, once enough people have written."
        },
    )


@router.get(
    "/upward-feedback/batches",
    response={200: list[UpwardBatchOut], **ERRORS},
    summary="Anonymous feedback from your team, as released batches",
)
def list_upward_batches(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"window_start": b.batch.window_start, "window_last_day": b.last_day, "texts": b.texts}
        for b in queries.released_batches(request.user)
    ]
