"""Asking for a cycle's rater-effects estimate, and computing it.

`refresh(by=…, cycle=…)` is called by the pages and endpoints that show rater effects,
before they read them (`fairness.queries.rater_effects`): when the cached estimate is
missing or stale (the cycle's ratings changed since), it computes a small cycle at once
and queues `tandem.fairness.tasks.compute_rater_effects` for a large one. The task calls
`compute(rater_effects_id=…)`, which fits the model (`fairness/estimator.py`) and stores
each shown rater's leniency, each participant's rater-adjusted rating and a summary.

The cache changes nobody's data (it is derived from the ratings and recomputed from them at
will), so it writes no audit entry.

**The observations.** One per submitted review that has ratings: its rating in points, on
the scale of the cycle's overall rating question (the manager form's; without one, the
scale most of the cycle's rating questions use). When the review's form has an overall
rating question, that question's value; otherwise the mean of the review's plain rating
questions (competency, value and goal items left out). Either is taken through its
normalised value ((value - 1) / (points - 1)) so a form on another scale is rescaled:
rating = 1 + normalised × (points - 1).
"""

from __future__ import annotations

import logging
import time
import tracemalloc
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
from django.db.models import Avg, Case, Count, FloatField, Max, Q, When
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from tandem.access.rules import require
from tandem.core.queue import enqueue_on_commit
from tandem.fairness import estimator
from tandem.fairness.models import EstimateStatus, RaterEffects
from tandem.fairness.queries import rater_effects as queries
from tandem.reviews.queries import ratings

logger = logging.getLogger(__name__)

TASK = "tandem.fairness.tasks.compute_rater_effects"
MIN_RATINGS = queries.MIN_RATINGS
INLINE_MAX_RATINGS = queries.INLINE_MAX_RATINGS
# A computation queued or running for longer than this was lost (a worker stopped): asking
# again queues it anew.
LOST_AFTER = timedelta(minutes=15)
WAITING = (EstimateStatus.QUEUED, EstimateStatus.RUNNING)


@dataclass(frozen=True)
class Observations:
    """One row per review: arrays of the same length."""

    y: np.ndarray
    reviewer_id: np.ndarray
    participant_id: np.ndarray
    relationship: list[str]
    submitted_at: list[Any]
    points: int
    has_overall: bool


def _scale_points(cycle: Any) -> tuple[int, bool] | None:
    overall = ratings.overall_question(cycle)
    if overall is not None:
        return overall[1], True
    common = (
        ratings.cycle_ratings(cycle)
        .filter(item_key="", question_kind="rating")
        .values("points")
        .annotate(n=Count("id"))
        .order_by("-n", "-points")
        .first()
    )
    return (int(common["points"]), False) if common else None


def observations(cycle: Any) -> Observations | None:
    """The cycle's observations (see the module doc), or None when it has no rating."""
    scale = _scale_points(cycle)
    if scale is None:
        return None
    points, has_overall = scale
    is_overall = Q(pk__in=[])
    for form_relationship, (key, _) in ratings.overall_questions(cycle).items():
        is_overall |= Q(relationship=form_relationship, question_key=key)
    normalised = Cast("normalised", FloatField())
    rows = list(
        ratings.cycle_ratings(cycle)
        .filter(item_key="", question_kind="rating")
        .values("review_id", "review__reviewer_id", "participant_id", "relationship")
        .annotate(
            submitted_at=Max("review__submitted_at"),
            score=Coalesce(
                Max(Case(When(is_overall, then=normalised), output_field=FloatField())),
                Avg(normalised),
            ),
        )
        .order_by("submitted_at", "review_id")
        .values_list(
            "review__reviewer_id", "participant_id", "relationship", "submitted_at", "score"
        )
    )
    if not rows:
        return None
    reviewer_id, participant_id, relationship, submitted_at, score = zip(*rows, strict=True)
    y = 1.0 + np.asarray(score, dtype=np.float64) * (points - 1)
    return Observations(
        y=y,
        reviewer_id=np.asarray(reviewer_id, dtype=np.int64),
        participant_id=np.asarray(participant_id, dtype=np.int64),
        relationship=list(relationship),
        submitted_at=list(submitted_at),
        points=points,
        has_overall=has_overall,
    )


def refresh(*, by: Any, cycle: Any) -> queries.Fingerprint:
    """Make sure the cycle's estimate is current or on its way: nothing when it is current
    or already being computed; a small cycle is computed now, a large one queued. Returns
    the fingerprint of the cycle's ratings, for `queries.for_cycle(…, current=…)`."""
    require(by, queries.RULE, cycle)
    current = queries.fingerprint(cycle)
    # The cached figures themselves (megabytes of JSON for a large cycle) are not read here.
    row = (
        RaterEffects.objects.filter(cycle=cycle)
        .only("id", "status", "fingerprint", "requested_at")
        .first()
    )
    if queries.is_current(row, current):
        return current
    current = queries.counted(cycle, current)
    if current.ratings == 0:
        return current
    row = row or RaterEffects.objects.get_or_create(cycle=cycle)[0]
    lost_before = timezone.now() - LOST_AFTER
    if row.status in WAITING and row.requested_at and row.requested_at > lost_before:
        return current
    if row.status == EstimateStatus.FAILED and row.fingerprint == current.text:
        return current  # the same ratings would fail the same way; a new rating tries again
    if (current.ratings or 0) < INLINE_MAX_RATINGS:
        compute(rater_effects_id=row.pk)
        return current
    RaterEffects.objects.filter(pk=row.pk).update(
        status=EstimateStatus.QUEUED, requested_at=timezone.now()
    )
    enqueue_on_commit(TASK, row.pk)
    return current


def _raters(found: estimator.Fit, keys: list[tuple[int, str]]) -> list[dict[str, Any]]:
    # Whole arrays once (`low`/`high` compute theirs on each access), then plain floats.
    counts = found.rater_counts.tolist()
    leniency = np.round(found.rater_effects, 3).tolist()
    low = np.round(found.low, 3).tolist()
    high = np.round(found.high, 3).tolist()
    shown: list[dict[str, Any]] = [
        {
            "reviewer_id": reviewer_id,
            "relationship": relationship,
            "ratings": counts[code],
            "leniency": leniency[code],
            "low": low[code],
            "high": high[code],
        }
        for code, (reviewer_id, relationship) in enumerate(keys)
        if counts[code] >= MIN_RATINGS
    ]
    shown.sort(key=lambda r: queries.sort_key(r["relationship"], r["reviewer_id"]))
    return shown


def _adjusted(
    data: Observations, rater: np.ndarray, found: estimator.Fit
) -> dict[str, dict[str, Any]]:
    """Each participant's latest manager rating beside it minus that manager's leniency,
    for managers who are shown (MIN_RATINGS); only when the cycle has an overall rating."""
    if not data.has_overall:
        return {}
    is_manager = np.array([r == "manager" for r in data.relationship], dtype=bool)
    shown = is_manager & (found.rater_counts[rater] >= MIN_RATINGS)
    raw = data.y[shown]
    value = np.clip(raw - found.rater_effects[rater[shown]], 1.0, float(data.points))
    adjusted: dict[str, dict[str, Any]] = {}
    # Observations are in submission order: a later manager review replaces an earlier one.
    for participant, reviewer, raw_rating, adjusted_rating in zip(
        data.participant_id[shown].tolist(),
        data.reviewer_id[shown].tolist(),
        np.round(raw, 1).tolist(),
        np.round(value, 1).tolist(),
        strict=True,
    ):
        adjusted[str(participant)] = {
            "reviewer_id": reviewer,
            "raw": raw_rating,
            "adjusted": adjusted_rating,
        }
    return adjusted


def compute(*, rater_effects_id: int) -> str:
    """Fit the model on the cycle's ratings now and store the result (the task's work).
    Returns the row's status."""
    row = RaterEffects.objects.select_related("cycle").get(pk=rater_effects_id)
    current = queries.fingerprint(row.cycle)  # before reading: a rating meanwhile → stale
    RaterEffects.objects.filter(pk=row.pk).update(
        status=EstimateStatus.RUNNING, requested_at=row.requested_at or timezone.now()
    )
    started = time.perf_counter()
    tracing = not tracemalloc.is_tracing()
    if tracing:
        tracemalloc.start()
    try:
        data = observations(row.cycle)
        if data is None or len(data.y) < 2:
            raise ValueError("The cycle has fewer than two submitted reviews with ratings.")
        relationships = sorted(set(data.relationship), key=lambda r: queries.sort_key(r, 0))
        relationship_code = {name: code for code, name in enumerate(relationships)}
        relationship = np.array([relationship_code[r] for r in data.relationship])
        rater_keys = list(zip(data.reviewer_id.tolist(), data.relationship, strict=True))
        rater_index: dict[tuple[int, str], int] = {}
        rater = np.array([rater_index.setdefault(key, len(rater_index)) for key in rater_keys])
        ratee = np.unique(data.participant_id, return_inverse=True)[1]
        found = estimator.fit(data.y, ratee, rater, relationship)
        peak = tracemalloc.get_traced_memory()[1] if tracing else None
    except Exception as error:
        logger.exception("Rater effects of cycle %s failed", row.cycle_id)
        RaterEffects.objects.filter(pk=row.pk).update(
            status=EstimateStatus.FAILED, fingerprint=current.text, error=str(error)[:2000]
        )
        return EstimateStatus.FAILED
    finally:
        if tracing:
            tracemalloc.stop()
    seconds = time.perf_counter() - started
    summary = {
        "method": estimator.METHOD,
        "observations": len(data.y),
        "ratees": int(ratee.max()) + 1,
        "raters": len(rater_index),
        "points": data.points,
        "min_ratings": MIN_RATINGS,
        "variance_components": found.variances.as_dict(relationships),
        "relationship_means": {
            name: round(float(found.relationship_means[code]), 3)
            for name, code in relationship_code.items()
        },
        "solver_iterations": found.iterations,
        "seconds": round(seconds, 3),
        "peak_memory_mb": round(peak / 2**20, 2) if peak is not None else None,
    }
    RaterEffects.objects.filter(pk=row.pk).update(
        status=EstimateStatus.READY,
        fingerprint=current.text,
        raters=_raters(found, list(rater_index)),
        adjusted=_adjusted(data, rater, found),
        summary=summary,
        error="",
        computed_at=timezone.now(),
    )
    return EstimateStatus.READY
