"""Each participant's rating in points, before and after calibration, for the features that
analyse ratings (calibration, rater effects, fairness) without reading reviews' tables.

"The rating" of a participant is the value of the manager review's overall question (the
one marked `is_overall`, on its scale of `points`), from the latest submitted manager
review, as the reviews services store it on `Participant.manager_rating`
(`services.stored_ratings`); `final_rating` is what calibration made of it once its
session locked. These reads
are not scoped: the callers are analyses that check their own, stricter, access rule
before they aggregate anything, and they never hand a single person's row to a reader who
may not see it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import (
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.formats import date_format

from tandem.reviews import phases, versions
from tandem.reviews.models import (
    DONE_STATES,
    Cycle,
    CycleForm,
    CycleStatus,
    Participant,
    PhaseKind,
    Relationship,
    SubmittedRating,
)

# The score's own component queries (same app), reused so calibration's "side by side"
# means exactly what the participant page's score means.
from tandem.reviews.scores import (
    _goal_components,
    _peer_components,
    _self_components,
)

# Counts keyed on a ratings version never go stale; the timeout only frees memory.
COUNTS_CACHED_FOR = 60 * 60


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


def overall_questions(cycle: Cycle) -> dict[str, tuple[str, int]]:
    """{relationship: (key, points)} of each of the cycle's forms that has an overall rating
    question (question keys are per form: "q3" of the self form is not "q3" of the
    manager's)."""
    found: dict[str, tuple[str, int]] = {}
    for form in CycleForm.objects.filter(cycle=cycle).select_related("version"):
        if form.version is None:
            continue
        for question in versions.questions(form.version.content):
            if question.get("is_overall") and question.get("scale"):
                found[form.relationship] = (str(question["key"]), versions.points_of(question))
                break
    return found


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
    _, points = found
    return participants.annotate(
        raw_rating=F("manager_rating"),
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


def cycle_by_id(cycle_id: int) -> Cycle | None:
    """The cycle with this id, or None. Not scoped: calibration checks its own rule (HR
    admins, or the people of a session of the cycle) before it shows anything of it."""
    return Cycle.objects.filter(pk=cycle_id).first()


def side_by_side(cycle: Cycle, participant_ids: list[int]) -> dict[int, dict[str, Decimal]]:
    """What calibration shows beside each participant's manager rating, each 0..1 and only
    when there is data: `self` (the mean of the self review's ratings), `peers` (the mean of
    each submitted peer review's mean) and `goals` (the mean score of their goals in the
    review period), whatever weights the cycle's score gives them. A fixed handful of
    grouped queries, whatever the number of participants."""
    if not participant_ids:
        return {}
    found: dict[int, dict[str, Decimal]] = {pk: {} for pk in participant_ids}
    for pk, value in _self_components(cycle, participant_ids).items():
        found[pk]["self"] = value
    for pk, value in _peer_components(cycle, participant_ids).items():
        found[pk]["peers"] = value
    for pk, value in _goal_components(cycle, participant_ids).items():
        found[pk]["goals"] = value
    return found


def raw_ratings(cycle: Cycle, participant_ids: list[int]) -> dict[int, tuple[int | None, Any]]:
    """{participant id: (the manager's overall rating or None, the overall score or None)}
    for the given participants: one query."""
    rows = (
        rated_participants(cycle)
        .filter(pk__in=participant_ids)
        .values_list("pk", "raw_rating", "overall_score")  # type: ignore[misc]
    )
    return {pk: (raw, score) for pk, raw, score in rows}


def rating_counts(cycle: Cycle, *, excluding: QuerySet[Any] | None = None) -> dict[int, int]:
    """How many of the cycle's participants have each rating (final where calibrated, else
    the manager's); `excluding`, a query of participant ids, leaves those out (calibration
    counts the people it discusses from its own rows).

    The whole cycle's counts are cached under the cycle's ratings version, which every write
    of a manager's or final rating bumps: counting 95,000 participants took 200 ms of each
    calibration session page at 100,000 people. Those excluded are counted afresh (a
    session's few hundred) and taken away."""
    key = f"reviews:rating-counts:{cycle.pk}:{ratings_version(cycle)}"
    counts: dict[int, int] | None = cache.get(key)
    if counts is None:
        counts = _counts_of(rated_participants(cycle))
        cache.set(key, counts, timeout=COUNTS_CACHED_FOR)
    counts = dict(counts)
    if excluding is not None:
        for rating, n in _counts_of(rated_participants(cycle).filter(pk__in=excluding)).items():
            counts[rating] -= n
    return {rating: n for rating, n in counts.items() if n}


def _counts_of(participants: QuerySet[Any]) -> dict[int, int]:
    # Grouped by the stored manager's rating and the final one (the rating of record taken
    # here): one pass over the cycle's narrow index, no expression per row.
    rows = (
        participants.values("manager_rating", "final_rating")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("manager_rating", "final_rating", "n")
    )
    counts: dict[int, int] = {}
    for raw, final, n in rows:
        rating = final if final is not None else raw
        if rating is not None:
            counts[int(rating)] = counts.get(int(rating), 0) + n
    return counts


def ratings_version(cycle: Cycle) -> int:
    """The cycle's ratings version as stored now (a loaded instance may be older): caches
    of figures derived from its ratings are keyed on it (`Cycle.ratings_version`)."""
    found = Cycle.objects.filter(pk=cycle.pk).values_list("ratings_version", flat=True).first()
    return int(found or 0)


def rating_count(cycle: Cycle, *, at_most: int) -> int:
    """How many submitted ratings the cycle has, counting no further than `at_most` (enough
    to tell "none" and "a small cycle" from a large one without reading it all).

    The cycle's stored ratings are counted first, from the cycle's index alone: past
    `at_most` the cycle is large, whatever its reviews' states. Only a small cycle's are
    then joined to their reviews. (Joined at once, PostgreSQL walked every rating of every
    cycle in review order to find a large cycle's first 5,000: 1.4 s at 100,000 people.)"""
    stored = (SubmittedRating.objects.filter(cycle=cycle).exclude(points__lt=2).values("pk"))[
        : at_most + 1
    ].count()
    if stored > at_most:
        return at_most
    return cycle_ratings(cycle).count() if stored else 0


def calibration_window_refusal(cycle: Cycle, *, today: date | None = None) -> str | None:
    """Why ratings cannot be adjusted in calibration today (None: they can): when the cycle
    dates a calibration phase, adjustments happen inside its window, like writing in the
    other phases. A cycle without one calibrates whenever HR runs a session."""
    phase = phases.phases_of(cycle).get(PhaseKind.CALIBRATION)
    state = phases.window_state(phase, today)
    if state == "not_yet" and phase is not None:
        return f"The calibration phase opens on {date_format(phase.opens_on, 'j F Y')}."
    if state == "closed" and phase is not None:
        return (
            f"The calibration phase closed on {date_format(phase.due_on, 'j F Y')}; ask HR to "
            "extend it to make changes."
        )
    return None


def finished_cycles() -> QuerySet[Cycle]:
    """The closed native cycles (imported history left out), the latest first (the demo
    calibrates the latest one)."""
    return Cycle.objects.filter(status=CycleStatus.CLOSED, imported_at__isnull=True).order_by(
        "-period_end", "-pk"
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


def calibratable_cycles(limit: int = 20) -> list[Cycle]:
    """The launched native cycles (running or finished; imported history left out), the
    latest first: the cycles HR may open calibration sessions in."""
    return list(
        Cycle.objects.filter(
            status__in=(CycleStatus.ACTIVE, CycleStatus.CLOSED), imported_at__isnull=True
        ).order_by("-period_end", "-pk")[:limit]
    )
