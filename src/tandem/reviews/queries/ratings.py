"""Each participant's rating in points, before and after calibration, for the features that
analyse ratings (calibration, rater effects, fairness) without reading reviews' tables.

"The rating" of a participant is the value of the manager review's overall question (the
one marked `is_overall`, on its scale of `points`), from the latest submitted manager
review; `final_rating` is what calibration made of it once its session locked. These reads
are not scoped: the callers are analyses that check their own, stricter, access rule
before they aggregate anything, and they never hand a single person's row to a reader who
may not see it.
"""

from __future__ import annotations

from django.db.models import (
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from tandem.reviews import versions
from tandem.reviews.models import (
    DONE_STATES,
    Cycle,
    CycleForm,
    CycleStatus,
    Participant,
    Relationship,
    SubmittedRating,
)


def overall_question(cycle: Cycle) -> tuple[str, int] | None:
    """(key, points) of the manager form's overall rating question, or None when the
    cycle's manager form has none (then there is no single rating to calibrate)."""
    form = (
        CycleForm.objects.filter(cycle=cycle, relationship=Relationship.MANAGER)
        .select_related("version")
        .first()
    )
    if form is None or form.version is None:
        return None
    for question in versions.questions(form.version.content):
        if question.get("is_overall") and question.get("scale"):
            return str(question["key"]), versions.points_of(question)
    return None


def _manager_overall(cycle: Cycle, key: str) -> QuerySet[SubmittedRating]:
    return SubmittedRating.objects.filter(
        cycle=cycle,
        participant_id=OuterRef("pk"),
        relationship=Relationship.MANAGER,
        question_key=key,
        item_key="",
        review__state__in=DONE_STATES,
    ).order_by("-review__submitted_at", "-id")


def rated_participants(cycle: Cycle) -> QuerySet[Participant]:
    """The cycle's participants (removed ones left out), each annotated with `raw_rating`
    (the manager's overall rating, None until submitted), `points` (the scale's size) and
    `rating` (the final rating once calibrated, else the raw one)."""
    participants = Participant.objects.filter(cycle=cycle, removed_at__isnull=True)
    found = overall_question(cycle)
    if found is None:
        return participants.annotate(
            raw_rating=Value(None, output_field=IntegerField()),
            points=Value(None, output_field=IntegerField()),
            rating=Value(None, output_field=IntegerField()),
        )
    key, points = found
    return participants.annotate(
        raw_rating=Subquery(_manager_overall(cycle, key).values("value")[:1]),
        points=Coalesce(F("final_rating_points"), Value(points)),
        rating=Coalesce(F("final_rating"), F("raw_rating")),
    )


def cycle_ratings(cycle: Cycle) -> QuerySet[SubmittedRating]:
    """Every submitted rating of the cycle, each rating question's value once per review,
    with who wrote it and about whom: the observations a rater-effects model is fitted on.
    Values: `review_id`, `reviewer_id` (from the review), `participant_id`, `relationship`,
    `question_key`, `item_key`, `value`, `points`."""
    return (
        SubmittedRating.objects.filter(cycle=cycle, review__state__in=DONE_STATES)
        .exclude(Q(points__lt=2))
        .annotate(reviewer_id=F("review__reviewer_id"))
    )


def latest_finished_cycle() -> Cycle | None:
    """The native cycle that finished last (by its review period), imported history left
    out: the one the demo's analyses and calibration look at first."""
    return (
        Cycle.objects.filter(status=CycleStatus.CLOSED, imported_at__isnull=True)
        .order_by("-period_end", "-id")
        .first()
    )


def raw_manager_rating_rows(cycle: Cycle) -> list[tuple[int, int | None, int, int]]:
    """(person id, their manager in the cycle, the manager's overall rating, the scale's
    points) for every active participant with a submitted manager review, in one joined
    query: `rated_participants`'s `raw_rating` without a subquery per participant, for bulk
    readers (demos run while the load has dropped the indexes that subquery needs: at
    10,000 people it ran for minutes)."""
    found = overall_question(cycle)
    if found is None:
        return []
    key, _ = found
    rows = (
        SubmittedRating.objects.filter(
            cycle=cycle,
            relationship=Relationship.MANAGER,
            question_key=key,
            item_key="",
            review__state__in=DONE_STATES,
            participant__removed_at__isnull=True,
        )
        .order_by("review__submitted_at", "id")
        .values_list("participant__person_id", "participant__manager_id", "value", "points")
    )
    # The latest submitted manager review wins, as in `rated_participants`.
    latest = {
        person_id: (person_id, manager_id, value, points)
        for person_id, manager_id, value, points in rows
    }
    return [latest[person_id] for person_id in sorted(latest)]


def raw_manager_ratings(cycle: Cycle) -> dict[int, tuple[int, int]]:
    """Person id → (the manager's overall rating, the scale's points), from
    `raw_manager_rating_rows`."""
    return {person: (value, points) for person, _, value, points in raw_manager_rating_rows(cycle)}
