"""Reviews over the API: the reviews you write or may read, saving drafts with a version
check (409 on a lost update), submitting, reopening (HR), and the actions around them:
proposing and approving peers, declining, replacing, sharing and acknowledging.

A review whose writer the caller may not know (upward reviews, anonymous peers) is not
listed at all: its answers come as an anonymous group from
`/reviews/participants/{id}/anonymous-answers` (docs/anonymity.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.errors import ValidationError

from tandem.access.rules import NotAllowed, can, scope
from tandem.core.api import ERRORS, MAX_ID, error_body
from tandem.reviews import framework, phases, versions
from tandem.reviews.api.common import (
    NOT_FOUND,
    after_id,
    anonymous_status_out,
    caller,
    cycle_for,
    id_page,
    nominations_page,
    participant_for,
    participants_out,
    person_ref,
)
from tandem.reviews.evidence import AUTHOR_WORD
from tandem.reviews.models import (
    OPEN_STATES,
    Nomination,
    Participant,
    QuestionKind,
    Relationship,
    Review,
    ReviewState,
)
from tandem.reviews.queries import anonymous
from tandem.reviews.queries import nominations as nomination_queries
from tandem.reviews.queries import progress as progress_queries
from tandem.reviews.queries import writing as writing_queries
from tandem.reviews.schemas import (
    AcknowledgeIn,
    AnonymousGroupOut,
    ApprovePeersIn,
    ConflictOut,
    NominationFilters,
    NominationOut,
    NominationPageOut,
    ParticipantOut,
    PeersIn,
    ReasonIn,
    ReplacePeerIn,
    ReviewDetailOut,
    ReviewDraftIn,
    ReviewFilters,
    ReviewPageOut,
    ReviewSubmitIn,
)
from tandem.reviews.services import nominations as nomination_services
from tandem.reviews.services import sharing, writing

router = Router(tags=["reviews"])


# --- Reviews ---------------------------------------------------------------------------------


def _reviews(user: Any) -> QuerySet[Review]:
    return scope(user, Review.objects.all()).select_related(
        "cycle",
        "participant__person",
        "participant__department",
        "participant__framework_snapshot",
        "reviewer",
        "reviewee",
    )


def _labels(user: Any, reviews: list[Review]) -> dict[int, str]:
    """The author's name. A review whose writer the caller may not know never reaches them
    as a row (`reviews.rules`), so a label standing in for a name is only a safety net and
    carries no number: numbers would follow some order, and orders can be matched."""
    return {
        r.pk: r.reviewer.display_name
        if can(user, "review.see_author", r)
        else AUTHOR_WORD.get(Relationship(r.relationship), "Reviewer")
        for r in reviews
    }


def _due_on(review: Review) -> Any:
    kind = phases.phase_for_relationship(review.relationship)
    phase = phases.phases_of(review.cycle).get(kind)
    return phase.due_on if phase else None


def _review_out(review: Review, label: str, *, shows_author: bool) -> dict[str, Any]:
    return {
        "id": review.pk,
        "cycle": {"id": review.cycle_id, "name": review.cycle.name},
        "participant_id": review.participant_id,
        "reviewee": person_ref(review.reviewee),
        "reviewer": person_ref(review.reviewer) if shows_author else None,
        "reviewer_label": label,
        "relationship": review.relationship,
        "relationship_label": Relationship(review.relationship).label,
        "state": review.state,
        "state_label": ReviewState(review.state).label,
        "version": review.version,
        "due_on": _due_on(review),
        "saved_at": review.saved_at,
        "submitted_at": review.submitted_at,
        "shared_at": review.shared_at,
        "acknowledged_at": review.acknowledged_at,
    }


def _reviews_out(user: Any, reviews: list[Review]) -> list[dict[str, Any]]:
    labels = _labels(user, reviews)
    return [
        _review_out(r, labels[r.pk], shows_author=can(user, "review.see_author", r))
        for r in reviews
    ]


def _form_out(user: Any, review: Review) -> dict[str, Any]:
    """The frozen questions; a goals question lists the reviewee's goals of the period that
    the caller may see (goals are not frozen: they are keyed "g<goal id>")."""
    content = framework.content_of(review)
    goals = [
        {"key": key, "name": title, "description": ""}
        for key, title in writing_queries.goal_names(user, review).items()
    ]
    out_sections = [
        {
            **section,
            "questions": [
                {
                    **question,
                    "items": goals
                    if question["kind"] == QuestionKind.GOALS
                    else question.get("items") or [],
                }
                for question in section.get("questions", [])
            ],
        }
        for section in content.get("sections", [])
    ]
    return {
        "name": content.get("name", ""),
        "relationship": content.get("relationship", review.relationship),
        "description": content.get("description", ""),
        "sections": out_sections,
    }


def _review(request: HttpRequest, review_id: int, *, details: bool = False) -> Review:
    reviews = _reviews(request.user).prefetch_related("cycle__phases")
    if details:
        reviews = reviews.select_related("template_version")
    review = reviews.filter(pk=min(review_id, MAX_ID)).first()
    if review is None or not can(request.user, "review.view", review):
        raise NotAllowed("review.view denied")
    return review


def _answers_as_read(user: Any, review: Review) -> dict[str, Any]:
    """The answers; the person reviewed reads the overall rating of a calibrated manager
    review as its final rating (like the page), never the rating before unless the program
    shows calibration to employees (then the participant's `calibrated_from` says it)."""
    answers = dict(review.answers or {})
    if review.relationship != Relationship.MANAGER or review.reviewee_id != user.pk:
        return answers
    record = writing_queries.rating_of_record(user, review.participant, [review])
    if record is not None and record.calibrated:
        overall = answers.get(record.question_key)
        answers[record.question_key] = {
            **(overall if isinstance(overall, dict) else {}),
            "rating": record.value,
        }
    return answers


def _review_detail(request: HttpRequest, review: Review) -> dict[str, Any]:
    user = request.user
    writer_or_hr = review.reviewer_id == caller(request).pk or can(user, "review.reopen", review)
    return {
        **_reviews_out(user, [review])[0],
        "answers": _answers_as_read(user, review),
        "form": _form_out(user, review),
        "who_reads": [writing_queries.audience(review)],
        "active_seconds": review.active_seconds if writer_or_hr else None,
        "started_at": review.started_at,
        "writable": review.reviewer_id == caller(request).pk
        and review.is_open
        and phases.writing_refusal(review) is None,
        "read_only_reason": writing_queries.locked_note(review),
    }


@router.get(
    "/reviews/reviews",
    response={200: ReviewPageOut, **ERRORS},
    summary="Reviews: those you write (default), those about you, or all you may read",
)
def list_reviews(request: HttpRequest, filters: Query[ReviewFilters]) -> dict[str, Any]:
    me = caller(request)
    reviews = _reviews(request.user)
    if filters.role == "writer":
        # A review of someone removed from the cycle can no longer be written.
        reviews = reviews.filter(reviewer_id=me.pk, participant__removed_at__isnull=True)
    elif filters.role == "reviewee":
        reviews = reviews.filter(reviewee_id=me.pk)
    if filters.cycle is not None:
        reviews = reviews.filter(cycle_id=filters.cycle)
    if filters.participant is not None:
        reviews = reviews.filter(participant_id=filters.participant)
    if filters.state == "open":
        reviews = reviews.filter(state__in=OPEN_STATES)
    elif filters.state:
        reviews = reviews.filter(state=filters.state)
    if filters.work is not None:
        live = progress_queries.can_still_write(timezone.localdate())
        reviews = progress_queries.with_phase_dates(reviews)
        reviews = reviews.filter(live) if filters.work == "to_do" else reviews.exclude(live)
    after = after_id(filters.cursor)
    if after is not None:
        reviews = reviews.filter(pk__gt=after)
    rows = list(reviews.prefetch_related("cycle__phases").order_by("pk")[: filters.limit + 1])
    rows, following = id_page(rows, filters.limit)
    return {"items": _reviews_out(request.user, rows), "next_cursor": following}


@router.get(
    "/reviews/reviews/{review_id}",
    response={200: ReviewDetailOut, **NOT_FOUND},
    summary="One review: its questions, answers, state and version",
)
def get_review(request: HttpRequest, review_id: int) -> dict[str, Any]:
    """A review whose writer you may not know is answered 404, like a missing one; `version`
    is what a draft save must send back."""
    return _review_detail(request, _review(request, review_id, details=True))


def _answer_errors(review: Review, error: DjangoValidationError) -> ValidationError:
    """A bad answer is named by its question: ["body", "answers", "q3"]."""
    keys = versions.question_map(review.template_version.content)
    details = []
    for field, messages in error.message_dict.items():
        loc = ["body", "answers", field] if field in keys else ["body", field]
        details.append({"type": "value_error", "loc": loc, "msg": " ".join(messages)})
    return ValidationError(details)


def _conflict(review: Review, error: writing.DraftConflict) -> Status[dict[str, Any]]:
    current = Review.objects.filter(pk=review.pk).values_list("version", flat=True).first()
    body = error_body(" ".join(error.messages))
    return Status(409, {**body, "current_version": current or 0})


def _write(
    request: HttpRequest,
    review_id: int,
    payload: ReviewDraftIn | ReviewSubmitIn,
    write: Callable[..., Review],
) -> dict[str, Any] | Status[dict[str, Any]]:
    """Save or submit (`write`: `writing.save_draft` or `writing.submit`) the answers sent:
    a lost update is a 409 with nothing saved, a bad answer a 422 naming its question."""
    review = _review(request, review_id, details=True)
    try:
        write(
            review,
            answers=payload.answers,
            version=payload.version,
            active_seconds=payload.active_seconds,
            by=request.user,
        )
    except writing.DraftConflict as conflict:
        return _conflict(review, conflict)
    except DjangoValidationError as error:
        raise _answer_errors(review, error) from None
    return _review_detail(request, review)


@router.patch(
    "/reviews/reviews/{review_id}",
    response={200: ReviewDetailOut, 409: ConflictOut, **NOT_FOUND},
    summary="Save a draft of your review (send the version you read)",
)
def save_review_draft(
    request: HttpRequest, review_id: int, payload: ReviewDraftIn
) -> dict[str, Any] | Status[dict[str, Any]]:
    """Only the questions sent change. When someone saved since `version` (another tab,
    another person) the answer is a 409 with the current version and nothing is saved."""
    return _write(request, review_id, payload, writing.save_draft)


@router.post(
    "/reviews/reviews/{review_id}/submit",
    response={200: ReviewDetailOut, 409: ConflictOut, **NOT_FOUND},
    summary="Submit your review (required questions must be answered)",
)
def submit_review(
    request: HttpRequest, review_id: int, payload: ReviewSubmitIn
) -> dict[str, Any] | Status[dict[str, Any]]:
    return _write(request, review_id, payload, writing.submit)


@router.post(
    "/reviews/reviews/{review_id}/reopen",
    response={200: ReviewDetailOut, **NOT_FOUND},
    summary="Reopen a submitted review (HR; the version before is kept)",
)
def reopen_review(request: HttpRequest, review_id: int, payload: ReasonIn) -> dict[str, Any]:
    review = _review(request, review_id, details=True)
    sharing.reopen(review, reason=payload.reason, by=request.user)
    return _review_detail(request, review)


# --- Anonymous answers ---------------------------------------------------------------------


def _rating(value: Any) -> int | None:
    try:
        return None if value in (None, "") else int(value)
    except (TypeError, ValueError):
        return None


def _group_out(group: anonymous.GroupView) -> dict[str, Any]:
    return {
        **anonymous_status_out(group),
        "sections": [
            {
                "title": section.title,
                "questions": [
                    {
                        "key": question.key,
                        "kind": question.kind,
                        "prompt": question.prompt,
                        "answers": [
                            {
                                "rating": _rating(answer.rating),
                                "rating_label": answer.rating_label,
                                "comment": answer.comment,
                                "items": [
                                    {
                                        "key": item.key,
                                        "name": item.name,
                                        "rating": _rating(item.rating),
                                        "rating_label": item.rating_label,
                                        "comment": item.comment,
                                    }
                                    for item in answer.items
                                    if item.rating not in (None, "") or item.comment
                                ],
                            }
                            for answer in question.answers
                        ],
                    }
                    for question in section.questions
                ],
            }
            for section in group.sections
        ],
    }


@router.get(
    "/reviews/participants/{participant_id}/anonymous-answers",
    response={200: list[AnonymousGroupOut], **NOT_FOUND},
    summary="Anonymous answers about one person, per question (upward and anonymous peers)",
)
def list_anonymous_answers(request: HttpRequest, participant_id: int) -> list[dict[str, Any]]:
    """The kinds of review whose writers are anonymous to you, as groups: nothing but a
    status ("not yet enough" / "enough") while the phase is open; once released, and only
    if at least the minimum answered, the answers per question in an order that says
    nothing about who wrote them. No ids, names, states or times of any writer."""
    participant = participant_for(request, participant_id)
    return [_group_out(group) for group in anonymous.groups_for(request.user, participant)]


# --- Nominations -----------------------------------------------------------------------------


@router.get(
    "/reviews/cycles/{cycle_id}/nominations",
    response={200: NominationPageOut, **NOT_FOUND},
    summary="Peer nominations in a cycle that you may see",
)
def list_cycle_nominations(
    request: HttpRequest, cycle_id: int, filters: Query[NominationFilters]
) -> dict[str, Any]:
    """Nominations naming you as the peer, those for yourself, for the people below you and,
    for HR, in the departments you look after; each with the peer's load in the cycle."""
    cycle = cycle_for(request, cycle_id)
    nominations = scope(request.user, Nomination.objects.filter(cycle=cycle), cycle_id=cycle.pk)
    return nominations_page(request, cycle, nominations, filters)


@router.get(
    "/reviews/participants/{participant_id}/nominations",
    response={200: NominationPageOut, **NOT_FOUND},
    summary="The peers nominated to review one person",
)
def list_participant_nominations(
    request: HttpRequest, participant_id: int, filters: Query[NominationFilters]
) -> dict[str, Any]:
    participant = participant_for(request, participant_id)
    nominations = scope(request.user, Nomination.objects.filter(participant=participant))
    return nominations_page(request, participant.cycle, nominations, filters)


# --- Nominating, sharing, acknowledging ------------------------------------------------------


def _nominations_of(request: HttpRequest, participant: Participant) -> list[dict[str, Any]]:
    nominations = scope(request.user, Nomination.objects.filter(participant=participant))
    filters = NominationFilters.model_validate({"limit": 200})
    return nominations_page(request, participant.cycle, nominations, filters)["items"]


@router.post(
    "/reviews/participants/{participant_id}/nominations",
    response={201: list[NominationOut], **NOT_FOUND},
    summary="Propose your peer reviewers (replaces your earlier proposal)",
)
def propose_review_peers(
    request: HttpRequest, participant_id: int, payload: PeersIn
) -> Status[list[dict[str, Any]]]:
    participant = nomination_queries.participant_for_nominations(
        request.user, min(participant_id, MAX_ID)
    )
    nomination_services.propose_peers(participant, payload.peers, by=request.user)
    return Status(201, _nominations_of(request, participant))


@router.post(
    "/reviews/participants/{participant_id}/nominations/approve",
    response={200: list[NominationOut], **NOT_FOUND},
    summary="Approve the proposed peers, or set the final list (managers, HR admins)",
)
def approve_review_peers(
    request: HttpRequest, participant_id: int, payload: ApprovePeersIn
) -> list[dict[str, Any]]:
    participant = nomination_queries.participant_for_nominations(
        request.user, min(participant_id, MAX_ID)
    )
    nomination_services.approve_peers(participant, peers=payload.peers, by=request.user)
    return _nominations_of(request, participant)


def _nomination_out(request: HttpRequest, nomination: Nomination) -> dict[str, Any]:
    rows = scope(request.user, Nomination.objects.filter(pk=nomination.pk))
    items = nominations_page(request, nomination.cycle, rows, NominationFilters.model_validate({}))[
        "items"
    ]
    if not items:
        raise NotAllowed("nomination not visible")
    return items[0]


@router.post(
    "/reviews/nominations/{nomination_id}/decline",
    response={200: NominationOut, **NOT_FOUND},
    summary="Decline a peer review you were asked to write, with a reason",
)
def decline_review_nomination(
    request: HttpRequest, nomination_id: int, payload: ReasonIn
) -> dict[str, Any]:
    nomination = nomination_queries.nomination_for_decline(request.user, min(nomination_id, MAX_ID))
    declined = nomination_services.decline(nomination, reason=payload.reason, by=request.user)
    return _nomination_out(request, declined)


@router.post(
    "/reviews/nominations/{nomination_id}/replace",
    response={200: NominationOut, **NOT_FOUND},
    summary="Pick another peer for a declined nomination (managers, HR admins)",
)
def replace_review_peer(
    request: HttpRequest, nomination_id: int, payload: ReplacePeerIn
) -> dict[str, Any]:
    nomination = nomination_queries.nomination_for_replace(request.user, min(nomination_id, MAX_ID))
    replacement = nomination_services.replace_peer(nomination, payload.peer, by=request.user)
    return _nomination_out(request, replacement)


@router.post(
    "/reviews/participants/{participant_id}/share",
    response={200: ParticipantOut, **NOT_FOUND},
    summary="Share the submitted manager review with the person reviewed",
)
def share_review(request: HttpRequest, participant_id: int) -> dict[str, Any]:
    participant = participant_for(request, participant_id)
    sharing.share(participant, by=request.user)
    return participants_out(request.user, [participant])[0]


@router.post(
    "/reviews/participants/{participant_id}/acknowledge",
    response={200: ParticipantOut, **NOT_FOUND},
    summary="Acknowledge the review shared with you, with an optional comment",
)
def acknowledge_review(
    request: HttpRequest, participant_id: int, payload: AcknowledgeIn
) -> dict[str, Any]:
    participant = participant_for(request, participant_id)
    sharing.acknowledge(participant, comment=payload.comment, by=request.user)
    return participants_out(request.user, [participant])[0]
