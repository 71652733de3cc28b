"""Growth API: promotion windows and cases, and promotion rates per group. Thin: the rules
and the services decide; a case the caller may not see answers 404 like a missing one."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError

from tandem.access.rules import can, require, scope
from tandem.core.api import ERRORS, MAX_ID, NOT_FOUND, ErrorOut
from tandem.fairness.queries import groups as group_queries
from tandem.growth.models import Level, PromotionCase
from tandem.growth.queries import promotions as queries
from tandem.growth.schemas_promotions import (
    PromotionCaseDetailOut,
    PromotionCaseIn,
    PromotionCaseOut,
    PromotionCommentIn,
    PromotionCommentOut,
    PromotionDecideIn,
    PromotionEvidenceOut,
    PromotionFairnessOut,
    PromotionSubmitIn,
    PromotionWindowIn,
    PromotionWindowOut,
)
from tandem.growth.services import promotions as services
from tandem.org.models import Person

router = Router(tags=["growth"])
INVALID: dict[int, type[Schema]] = {422: ErrorOut}
PAGE_MAX = 500


def _person(person: Any) -> dict[str, Any]:
    return {"id": person.pk, "name": person.display_name}


def _level(level: Level | None) -> dict[str, Any] | None:
    if level is None:
        return None
    return {"id": level.pk, "code": level.code, "title": level.title, "track": level.track.name}


def window_out(window: Any) -> dict[str, Any]:
    return {
        "id": window.pk,
        "name": window.name,
        "opens_on": window.opens_on,
        "cases_due_on": window.cases_due_on,
        "decisions_due_on": window.decisions_due_on,
        "closed_at": window.closed_at,
    }


def case_out(case: PromotionCase) -> dict[str, Any]:
    return {
        "id": case.pk,
        "window_id": case.window_id,
        "person": _person(case.person),
        "author": _person(case.author),
        "from_level": _level(case.from_level),
        "target_level": _level(case.target_level),
        "status": case.status,
        "submitted_at": case.submitted_at,
        "outcome": case.outcome,
        "decision_reason": case.decision_reason if case.status == "decided" else "",
        "development_actions": case.development_actions if case.status == "decided" else "",
        "effective_on": case.effective_on,
        "decided_at": case.decided_at,
    }


def _detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = queries.case_for(request.user, case_id)
    full = can(request.user, "growth.promotion_case.evidence", case)
    return {
        **case_out(case),
        "text": case.text if full else "",
        "comments": [
            {
                "id": c.pk,
                "author": _person(c.author),
                "text": c.text,
                "created_at": c.created_at,
            }
            for c in (queries.comments(case) if full else [])
        ],
    }


@router.get(
    "/growth/promotion-windows",
    response={200: list[PromotionWindowOut], **ERRORS},
    summary="Promotion windows, newest first",
)
def list_promotion_windows(request: HttpRequest) -> list[dict[str, Any]]:
    return [window_out(w) for w in queries.windows(request.user)[:100]]


@router.post(
    "/growth/promotion-windows",
    response={201: PromotionWindowOut, **NOT_FOUND, **INVALID, **ERRORS},
    summary="Open a promotion window with its committee (HR admins)",
)
def create_promotion_window(request: HttpRequest, payload: PromotionWindowIn) -> Status:
    window = services.create_window(
        request.user,
        name=payload.name,
        opens_on=payload.opens_on,
        cases_due_on=payload.cases_due_on,
        decisions_due_on=payload.decisions_due_on,
        committee_ids=payload.committee_ids,
    )
    return Status(201, window_out(window))


class PromotionCaseFilters(Schema):
    window_id: int | None = Field(None, ge=1, le=MAX_ID, description="Only this window's cases")
    after: int | None = Field(None, ge=0, le=MAX_ID, description="The last id of the page before")
    limit: int = Field(100, ge=1, le=PAGE_MAX)


@router.get(
    "/growth/promotion-cases",
    response={200: list[PromotionCaseOut], **ERRORS},
    summary="The promotion cases the caller may see, by id",
)
def list_promotion_cases(
    request: HttpRequest, filters: Query[PromotionCaseFilters]
) -> list[dict[str, Any]]:
    rows = (
        queries.cases(request.user, window_id=filters.window_id)
        .select_related("person", "author", "from_level__track", "target_level__track")
        .order_by("pk")
    )
    if filters.after:
        rows = rows.filter(pk__gt=filters.after)
    return [case_out(c) for c in rows[: filters.limit]]


@router.get(
    "/growth/promotion-cases/{case_id}",
    response={200: PromotionCaseDetailOut, **NOT_FOUND, **ERRORS},
    summary="A promotion case (the person it is about sees the decision only)",
)
def get_promotion_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _detail(request, min(case_id, MAX_ID))


def _percent(fraction: Any) -> int | None:
    return None if fraction is None else round(float(fraction) * 100)


@router.get(
    "/growth/promotion-cases/{case_id}/evidence",
    response={200: PromotionEvidenceOut, **NOT_FOUND, **ERRORS},
    summary="A promotion case's evidence packet, as the caller may read it",
    description="Competency ratings against the target level, goals of the last periods, "
    "feedback and praise the caller may read, shared reviews, time at level and level "
    "history. Only those who may read the case in full (its author, reviewers, HR) get it; "
    "for anyone else, the person the case is about included, the answer is 404.",
)
def get_promotion_case_evidence(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = queries.case_for(request.user, min(case_id, MAX_ID))
    packet = queries.evidence(request.user, case)
    placement = packet.placement
    return {
        "case_id": case.pk,
        "competencies": packet.profile,
        "competencies_note": packet.profile_note,
        "goals": [
            {
                "id": goal.pk,
                "title": goal.title,
                "period": goal.period.name,
                "progress": _percent(goal.progress) or 0,
                "score": _percent(goal.score),
            }
            for goal in packet.goals
        ],
        "feedback": [
            {
                "id": item.pk,
                "giver": _person(item.giver),
                "text": item.text,
                "visibility": item.visibility,
                "created_at": item.created_at,
            }
            for item in packet.feedback
        ],
        "feedback_total": packet.feedback_total,
        "praise": packet.praise,
        "reviews": packet.reviews,
        "current_level": _level(placement.level) if placement else None,
        "at_level_since": placement.since if placement else None,
        "days_at_level": packet.days_at_level,
        "history": [
            {
                "from_level": _level(step.from_level),
                "to_level": _level(step.to_level),
                "effective_on": step.effective_on,
                "source": step.source,
            }
            for step in packet.history
        ],
    }


def _field_error(field: str, message: str) -> DjangoValidationError:
    return DjangoValidationError({field: message})


@router.post(
    "/growth/promotion-cases",
    response={201: PromotionCaseDetailOut, **NOT_FOUND, **INVALID, **ERRORS},
    summary="Open a promotion case (the person's managers; the person when self-nomination is on)",
)
def create_promotion_case(request: HttpRequest, payload: PromotionCaseIn) -> Status:
    window = queries.windows(request.user).filter(pk=payload.window_id).first()
    if window is None:
        raise _field_error("window_id", "No promotion window has this id.")
    person = scope(request.user, Person.objects.filter(pk=payload.person_id)).first()
    if person is None:
        raise _field_error("person_id", "Nobody you may see has this id.")
    require(request.user, "growth.promotion_case.open", person)
    level = queries.level_by_id(payload.target_level_id)
    if level is None:
        raise _field_error("target_level_id", "No level has this id.")
    case = services.open_case(
        request.user, window=window, person=person, target_level=level, text=payload.text
    )
    return Status(201, _detail(request, case.pk))


@router.post(
    "/growth/promotion-cases/{case_id}/submit",
    response={200: PromotionCaseDetailOut, **NOT_FOUND, **INVALID, **ERRORS},
    summary="Submit a case for review (its author)",
)
def submit_promotion_case(
    request: HttpRequest, case_id: int, payload: PromotionSubmitIn
) -> dict[str, Any]:
    case = queries.case_for(request.user, min(case_id, MAX_ID))
    services.submit_case(request.user, case, text=payload.text)
    return _detail(request, case.pk)


@router.post(
    "/growth/promotion-cases/{case_id}/withdraw",
    response={200: PromotionCaseDetailOut, **NOT_FOUND, **INVALID, **ERRORS},
    summary="Withdraw a case not decided yet (its author)",
)
def withdraw_promotion_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = queries.case_for(request.user, min(case_id, MAX_ID))
    services.withdraw_case(request.user, case)
    return _detail(request, case.pk)


@router.post(
    "/growth/promotion-cases/{case_id}/comments",
    response={201: PromotionCommentOut, **NOT_FOUND, **INVALID, **ERRORS},
    summary="Comment on a case (skip-level managers, HR admins, the committee, the author)",
)
def comment_promotion_case(
    request: HttpRequest, case_id: int, payload: PromotionCommentIn
) -> Status:
    case = queries.case_for(request.user, min(case_id, MAX_ID))
    found = services.comment(request.user, case, text=payload.text)
    return Status(
        201,
        {
            "id": found.pk,
            "author": _person(found.author),
            "text": found.text,
            "created_at": found.created_at,
        },
    )


@router.post(
    "/growth/promotion-cases/{case_id}/decide",
    response={200: PromotionCaseDetailOut, **NOT_FOUND, **INVALID, **ERRORS},
    summary="Decide a case: promoted (with the effective date) or not yet (with development "
    "actions), always with a reason (the committee, HR admins)",
)
def decide_promotion_case(
    request: HttpRequest, case_id: int, payload: PromotionDecideIn
) -> dict[str, Any]:
    case = queries.case_for(request.user, min(case_id, MAX_ID))
    services.decide(
        request.user,
        case,
        outcome=payload.outcome,
        reason=payload.reason,
        effective_on=payload.effective_on,
        development_actions=payload.development_actions,
    )
    return _detail(request, case.pk)


class PromotionFairnessFilters(Schema):
    attribute: str = Field(
        max_length=50, description='The protected attribute\'s key, e.g. "gender", "age_band".'
    )


@router.get(
    "/growth/promotion-windows/{window_id}/fairness",
    response={200: PromotionFairnessOut, **NOT_FOUND, **ERRORS},
    summary="Promotion rates of a window per group of a protected attribute",
    description="Per group of the window's decided cases: people, promotion rate, impact "
    "ratio; and a chi-square test of group × outcome. Groups smaller than the program's "
    "anonymity minimum are suppressed. HR admins with the people-analytics role only (404 "
    "for anyone else); an unknown attribute answers 422.",
)
def get_promotion_window_fairness(
    request: HttpRequest, window_id: int, filters: Query[PromotionFairnessFilters]
) -> dict[str, Any]:
    window = queries.fairness_window(request.user, min(window_id, MAX_ID))
    try:
        attribute = group_queries.attribute_by_key(filters.attribute)
    except group_queries.UnknownChoice as error:
        raise ValidationError(
            [{"type": "value_error", "loc": ["query", error.field], "msg": str(error)}]
        ) from None
    found = queries.promotion_fairness(request.user, window, attribute=attribute)
    return {
        "attribute": attribute.key,
        "min_group_size": found.min_group_size,
        "groups": [
            {
                "group": g.group,
                "n": g.n,
                "promotion_rate": g.rate,
                "impact_ratio": g.impact_ratio,
                "suppressed": g.suppressed,
            }
            for g in found.groups
        ],
        "test": {
            "method": found.test.method,
            "statistic": found.test.statistic,
            "dof": found.test.dof,
            "p_value": found.test.p_value,
        },
    }
