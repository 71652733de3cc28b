"""The coach over the API: check a text, get its findings. Nothing is stored."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router

from tandem.access.rules import require
from tandem.coach import queries
from tandem.coach.registry import context_for
from tandem.coach.schemas import CheckIn, CheckOut, CoachKind
from tandem.core.api import ERRORS, ErrorOut

router = Router(tags=["coach"])


@router.post(
    "/coach/check",
    response={200: CheckOut, 404: ErrorOut, **ERRORS},
    summary="Suggestions for a piece of feedback, praise or a review answer",
    description="Runs the coach's rules on the text (locally: no network, no AI service) and "
    "answers each finding with its rule, span, message and a better phrasing. The text is "
    "not stored. For a review answer, name the review and question in `review` (and the "
    "rating picked in `rating`) to run the review checks too; a review the caller does not "
    "write answers 404.",
)
def check_text(request: HttpRequest, payload: CheckIn) -> dict[str, Any]:
    require(request.user, "coach.check")
    kind = payload.kind.value
    context = None
    if payload.review:
        if kind != CoachKind.REVIEW:
            raise ValidationError({"review": ['Name a review only with kind "review".']})
        review_id, _, question = payload.review.partition(":")
        picked = {f"{question}-rating": payload.rating}
        context = context_for(kind, request.user, payload.review, picked)
        if context is None:
            raise Http404(f"You are not writing review {review_id}.")  # answered "Not found."
    found = queries.findings(payload.text, kind, context)
    return {
        "findings": [f.as_dict() for f in found],
        "structure": queries.structure(payload.text).as_dict(),
    }
