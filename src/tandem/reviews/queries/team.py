"""Review figures for a manager's team hub: each person's current review, in one query.

"The current review" is the person's participation in the running (active) cycle that ends
last, read from the participant row's counters (kept by `reviews.tally`) like the progress
pages read them — so the hub shows only what a manager already follows there, never an
answer, a rating or an anonymous writer's state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import DateField, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from tandem.access.rules import scope
from tandem.reviews.models import CycleStatus, Participant, Phase, PhaseKind


@dataclass(frozen=True)
class ReviewFigures:
    cycle_id: int
    cycle_name: str
    participant_id: int
    state: str  # in plain words: "Manager review not started", "Shared", …
    due_on: date | None  # the manager review phase's due date
    overdue: bool
    shared_at: datetime | None = None
    acknowledged_at: datetime | None = None
    manager_to_do: bool = False  # the manager's review is still to write


def _state(row: Participant) -> tuple[str, bool]:
    """The review's state in plain words, and whether the manager's review is still to do."""
    if row.acknowledged_at:
        return "Acknowledged", False
    if row.shared_at:
        return "Shared, waiting for acknowledgement", False
    if row.manager_total and row.manager_done >= row.manager_total:
        return "Manager review submitted", False
    if row.manager_started:
        return "Manager review in progress", True
    if row.manager_total:
        return "Manager review not started", True
    return "In the cycle (no manager review)", False


def overdue_people(
    user: Any, *, today: date, among: QuerySet[Any, Any] | None = None
) -> QuerySet[Participant, Any]:
    """The ids (`person_id`) of the people whose current review is overdue, as
    `team_review_figures` judges it — the hub's review flag, in SQL, for `pk__in`.

    Not correlated with the people it is tested against, so the database builds the set
    once and probes it per person (a hashed subplan): read per person, the current review's
    look-up took ~3 s over 100,000 people on PostgreSQL. The set starts from the running
    cycles whose manager phase is past due, so it is empty on most days; `among` (a query
    of people's ids: the team being ordered) keeps it to the people asked about."""
    late = Participant.objects.filter(
        cycle__status=CycleStatus.ACTIVE,
        removed_at__isnull=True,
        acknowledged_at__isnull=True,
        shared_at__isnull=True,
        cycle__phases__kind=PhaseKind.MANAGER,
        cycle__phases__due_on__lt=today,
    )
    late = late.filter(Q(manager_started__gt=0) | Q(manager_total__gt=0)).exclude(
        manager_total__gt=0, manager_done__gte=F("manager_total")
    )
    # Current: no running participation of the same person the viewer sees that ends later
    # (the order `team_review_figures` picks the current one by).
    later = scope(
        user,
        Participant.objects.filter(
            person_id=OuterRef("person_id"),
            cycle__status=CycleStatus.ACTIVE,
            removed_at__isnull=True,
        ).filter(
            Q(cycle__period_end__gt=OuterRef("cycle__period_end"))
            | Q(cycle__period_end=OuterRef("cycle__period_end"), cycle_id__gt=OuterRef("cycle_id"))
        ),
    )
    if among is not None:
        late = late.filter(person_id__in=among)
    return scope(user, late).filter(~Exists(later)).order_by().values("person_id")


def team_review_figures(
    user: Any, person_ids: list[int], *, today: date | None = None
) -> dict[int, ReviewFigures]:
    """Each person's current review, keyed by person id (people in no running cycle are
    left out). Overdue: the manager review is not submitted and its phase was due before
    today (the viewer's today)."""
    if not person_ids:
        return {}
    today = today or timezone.localdate()
    due = Phase.objects.filter(cycle=OuterRef("cycle_id"), kind=PhaseKind.MANAGER)
    rows = (
        scope(
            user,
            Participant.objects.filter(
                person_id__in=person_ids,
                cycle__status=CycleStatus.ACTIVE,
                removed_at__isnull=True,
            ),
        )
        .select_related("cycle")
        .only(
            "person_id",
            "cycle__name",
            "shared_at",
            "acknowledged_at",
            "manager_total",
            "manager_done",
            "manager_started",
        )
        .annotate(due_on=Subquery(due.values("due_on")[:1], output_field=DateField()))
        .order_by("person_id", "-cycle__period_end", "-cycle_id")
    )
    figures: dict[int, ReviewFigures] = {}
    for row in rows:
        if row.person_id in figures:
            continue  # an earlier-ending cycle: the first row is the current one
        state, to_do = _state(row)
        due_on = row.due_on
        figures[row.person_id] = ReviewFigures(
            cycle_id=row.cycle_id,
            cycle_name=row.cycle.name,
            participant_id=row.pk,
            state=state,
            due_on=due_on,
            overdue=to_do and due_on is not None and due_on < today,
            shared_at=row.shared_at,
            acknowledged_at=row.acknowledged_at,
            manager_to_do=to_do,
        )
    return figures
