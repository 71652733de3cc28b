"""Reads for the HR setup pages: scales, templates with their version history, cycles and
their participants. HR admins only; for anyone else every lookup is a 404."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from tandem.access.rules import NotAllowed, require, scope
from tandem.core import pagination
from tandem.core.pagination import BadCursor
from tandem.reviews.models import (
    Cycle,
    CycleForm,
    Participant,
    RatingScale,
    Relationship,
    Review,
    Template,
    TemplateQuestion,
    TemplateSection,
    TemplateVersion,
)

__all__ = ["BadCursor"]

PAGE_SIZE = 50
SORT_NAME_LENGTH = 210


def _manage(user: Any) -> None:
    require(user, "reviews.manage")


def _one(queryset: QuerySet[Any], pk: int) -> Any:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotAllowed("not found")
    return found


# --- Scales -------------------------------------------------------------------------------------


def scales(user: Any) -> QuerySet[RatingScale]:
    _manage(user)
    return RatingScale.objects.annotate(
        questions=Count("templatequestion", distinct=True)
    ).order_by("archived_at", "name")


def scale_for(user: Any, pk: int) -> RatingScale:
    _manage(user)
    return _one(RatingScale.objects.all(), pk)


def scale_choices(current: RatingScale | None = None) -> QuerySet[RatingScale]:
    """Scales a question may use: the unarchived ones, and the one it already has."""
    keep = Q(archived_at__isnull=True)
    if current is not None:
        keep |= Q(pk=current.pk)
    return RatingScale.objects.filter(keep).order_by("name")


# --- Templates ----------------------------------------------------------------------------------


def templates(user: Any) -> QuerySet[Template]:
    _manage(user)
    return (
        scope(user, Template.objects.all())
        .annotate(
            question_count=Count("sections__questions", distinct=True),
            version_count=Count("versions", distinct=True),
        )
        .order_by("archived_at", "relationship", "name")
    )


def template_for(user: Any, pk: int) -> Template:
    _manage(user)
    return _one(scope(user, Template.objects.all()), pk)


def section_for(user: Any, pk: int) -> TemplateSection:
    _manage(user)
    allowed = scope(user, Template.objects.all())
    return _one(TemplateSection.objects.select_related("template").filter(template__in=allowed), pk)


def question_for(user: Any, pk: int) -> TemplateQuestion:
    _manage(user)
    allowed = scope(user, Template.objects.all())
    return _one(
        TemplateQuestion.objects.select_related("section__template", "scale").filter(
            section__template__in=allowed
        ),
        pk,
    )


def template_sections(template: Template) -> list[TemplateSection]:
    return list(template.sections.order_by("position", "id").prefetch_related("questions__scale"))


@dataclass(frozen=True)
class VersionUse:
    version: TemplateVersion
    cycles: list[Cycle]


def version_history(template: Template) -> list[VersionUse]:
    """Every frozen version, newest first, with the cycles that use it."""
    used: dict[int, list[Cycle]] = defaultdict(list)
    for form in CycleForm.objects.filter(version__template=template).select_related("cycle"):
        assert form.version_id is not None
        used[form.version_id].append(form.cycle)
    return [
        VersionUse(version=version, cycles=used.get(version.pk, []))
        for version in template.versions.order_by("-number")
    ]


def templates_by_relationship() -> dict[str, list[Template]]:
    """Templates a cycle may pick, per relationship (one query)."""
    grouped: dict[str, list[Template]] = {r: [] for r in Relationship.values}
    for template in Template.objects.filter(archived_at__isnull=True).order_by("name"):
        grouped[template.relationship].append(template)
    return grouped


# --- Cycles -------------------------------------------------------------------------------------


def cycles(user: Any) -> QuerySet[Cycle]:
    _manage(user)
    # Counted per cycle in a subquery, from the partial index of the participants not
    # removed (`participant_manager_page`, cycle first): as a join grouped by cycle,
    # PostgreSQL read every participant of every cycle (220 ms at 100k people).
    present = (
        Participant.objects.filter(cycle_id=OuterRef("pk"), removed_at__isnull=True)
        .order_by()
        .values("cycle_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    return (
        scope(user, Cycle.objects.all())
        .annotate(
            participant_count=Coalesce(Subquery(present, output_field=IntegerField()), Value(0))
        )
        .order_by("-period_end", "-id")
    )


def cycle_for(user: Any, pk: int) -> Cycle:
    _manage(user)
    return _one(scope(user, Cycle.objects.all()), pk)


def cycle_forms(cycle: Cycle) -> list[CycleForm]:
    return list(
        CycleForm.objects.filter(cycle=cycle).select_related("template", "version").order_by("id")
    )


def participant_for(user: Any, pk: int) -> Participant:
    _manage(user)
    return _one(
        scope(user, Participant.objects.select_related("cycle", "person")),
        pk,
    )


@dataclass(frozen=True)
class ParticipantPage:
    participants: list[Participant]
    next_cursor: str | None


def participants_page(
    user: Any, cycle: Cycle, *, q: str = "", cursor: str | None = None, limit: int = PAGE_SIZE
) -> ParticipantPage:
    """One page of a cycle's participants by name (keyset: page 100 costs what page 1 costs),
    each with who writes their manager review."""
    _manage(user)
    rows = scope(user, Participant.objects.filter(cycle=cycle))
    for word in q.lower().split()[:5]:
        rows = rows.filter(person__search_text__contains=word)
    if cursor:
        sort_name, pk = pagination.decode_text_cursor(cursor, max_length=SORT_NAME_LENGTH)
        rows = rows.filter(person__sort_name__gte=sort_name).filter(
            Q(person__sort_name__gt=sort_name) | Q(pk__gt=pk)
        )
    found = list(rows.select_related("person").order_by("person__sort_name", "pk")[: limit + 1])
    page = found[:limit]
    writers = dict(
        Review.objects.filter(
            participant__in=[p.pk for p in page], relationship=Relationship.MANAGER
        ).values_list("participant_id", "reviewer__email")
    )
    for participant in page:
        participant.manager_review_writer = writers.get(participant.pk, "")  # type: ignore[attr-defined]
    next_cursor = (
        pagination.encode_cursor(page[-1].person.sort_name, page[-1].pk)
        if len(found) > limit
        else None
    )
    return ParticipantPage(participants=page, next_cursor=next_cursor)
