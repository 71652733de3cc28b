"""The coach over the API: check a text, get its findings. Nothing is stored."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router

from tandem.access.rules import require
from tandem.coach import queries
from tandem.coach.queries import playbooks as playbook_queries
from tandem.coach.registry import context_for
from tandem.coach.schemas import (
    CheckIn,
    CheckOut,
    CoachKind,
    PlaybookListOut,
    PlaybookOut,
    PlaybookQuizIn,
    PlaybookQuizOut,
)
from tandem.coach.services import playbooks as playbook_services
from tandem.core.api import ERRORS, NOT_FOUND
from tandem.org.models import Person

router = Router(tags=["coach"])


@router.post(
    "/coach/check",
    response={200: CheckOut, **NOT_FOUND, **ERRORS},
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


def _playbook_out(item: Any) -> dict[str, Any]:
    return {
        "slug": item.playbook.slug,
        "title": item.playbook.title,
        "summary": item.playbook.summary,
        "version": item.playbook.version,
        "steps_total": item.steps_total,
        "steps_done": sorted(item.steps_done),
        "quiz_passed": item.quiz_passed,
        "completed": item.completed,
        "completed_at": item.completed_at,
    }


@router.get(
    "/coach/playbooks",
    response={200: PlaybookListOut, **ERRORS},
    summary="The playbooks, with my progress",
    description="Every published playbook with the caller's own progress, and the "
    "new-manager path.",
)
def list_playbooks(request: HttpRequest) -> dict[str, Any]:
    require(request.user, "playbook.read")
    listing = playbook_queries.playbook_list(request.user)
    return {
        "playbooks": [_playbook_out(item) for item in listing.items],
        "new_manager": listing.new_manager,
        "new_manager_path": [i.playbook.slug for i in listing.path.items] if listing.path else [],
    }


@router.post(
    "/coach/playbooks/{slug}/steps/{position}/done",
    response={200: PlaybookOut, **ERRORS, **NOT_FOUND},
    summary="Mark a step of a playbook done",
    description="Marks step `position` (from 1) done for the caller; marking it again "
    "changes nothing. The playbook completes once every step is done and its quiz passed.",
)
def mark_step_done(request: HttpRequest, slug: str, position: int) -> dict[str, Any]:
    playbook = playbook_queries.playbook_for(request.user, slug)
    playbook_services.mark_step_done(
        playbook=playbook, position=position, by=cast(Person, request.user)
    )
    return _playbook_out(playbook_queries.playbook_progress(request.user, playbook))


@router.post(
    "/coach/playbooks/{slug}/quiz",
    response={200: PlaybookQuizOut, **ERRORS, **NOT_FOUND},
    summary="Answer a playbook's quiz",
    description="Marks the answers: passed when every question is answered right (a pass is "
    "kept). Answers, for each question, whether it was right and the explanation.",
)
def answer_quiz(request: HttpRequest, slug: str, payload: PlaybookQuizIn) -> dict[str, Any]:
    playbook = playbook_queries.playbook_for(request.user, slug)
    picked = dict(enumerate(payload.answers, 1))
    result = playbook_services.answer_quiz(
        playbook=playbook, answers=picked, by=cast(Person, request.user)
    )
    return {
        "passed": result.passed,
        "right": result.right,
        "answers": [
            {
                "position": a.question.position,
                "correct": a.correct,
                "explanation": a.question.explanation,
            }
            for a in result.answers
        ],
        "playbook": _playbook_out(playbook_queries.playbook_progress(request.user, playbook)),
    }
