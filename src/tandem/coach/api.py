"""The coach over the API: check a text, get its findings. Nothing is stored."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from tandem.access.rules import require
from tandem.coach import queries
from tandem.coach.schemas import CheckIn, CheckOut
from tandem.core.api import ERRORS

router = Router(tags=["coach"])


@router.post(
    "/coach/check",
    response={200: CheckOut, **ERRORS},
    summary="Suggestions for a piece of feedback, praise or a review answer",
    description="Runs the coach's rules on the text (locally: no network, no AI service) and "
    "answers each finding with its rule, span, message and a better phrasing. The text is "
    "not stored.",
)
def check_text(request: HttpRequest, payload: CheckIn) -> dict[str, Any]:
    require(request.user, "coach.check")
    found = queries.findings(payload.text, payload.kind.value)
    return {
        "findings": [f.as_dict() for f in found],
        "structure": queries.structure(payload.text).as_dict(),
    }
