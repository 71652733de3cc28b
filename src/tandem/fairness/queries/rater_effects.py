"""A cycle's rater effects, as the calibration page and the API read them.

The estimate is computed in the background and cached on `RaterEffects` (one row per
cycle) until a rating changes; reading never computes (reads never write). A page or an
endpoint first calls `fairness.services.rater_effects.refresh(by=…, cycle=…)` — it queues
the computation when the cache is missing or stale, or computes a small cycle at once —
and then `for_cycle(user, cycle)`:

    current = refresh(by=request.user, cycle=cycle)
    effects = for_cycle(request.user, cycle, reviewer_ids=managers_in_session, current=current)
    effects.status            # "ready" | "computing" | "failed" | "no ratings"
    effects.raters            # [RaterEffect(reviewer_id, name, relationship, leniency, …)]
    effects.adjusted[pid]     # AdjustedRating(raw, adjusted, reviewer_id) per participant

While a new estimate is computed, the last one (if any) is answered with status
"computing", so a page can show it marked as being updated.

The figures are a statistical aid for a calibration discussion, not a decision: pages show
them labelled so (`STATISTICAL_AID`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import JSONField
from django.db.models.expressions import RawSQL

from tandem.access.rules import require
from tandem.fairness.models import EstimateStatus, RaterEffects
from tandem.org.models import Person
from tandem.reviews.queries import ratings

RULE = "fairness.rater_effects.view"
# A rater is shown once they gave at least this many ratings in a relationship: with fewer,
# the interval is so wide, and the estimate so shrunk towards zero, that it says nothing.
MIN_RATINGS = 5
READY = "ready"
COMPUTING = "computing"
FAILED = "failed"
NO_RATINGS = "no ratings"
# The order pages and the API list relationships in.
RELATIONSHIP_ORDER = ("manager", "skip_level", "peer", "upward", "self")
STATISTICAL_AID = (
    "A statistical aid for the discussion, not a decision: the rating adjusted for how "
    "leniently or severely the manager rates, estimated from every rating in the cycle."
)


# A cycle with fewer submitted ratings than this is computed during the request that asks
# (well under a second); a larger one in the background.
INLINE_MAX_RATINGS = 5000


@dataclass(frozen=True)
class Fingerprint:
    """The state of a cycle's ratings: its ratings version (`Cycle.ratings_version`, bumped
    by every submission, reopening, import and calibration lock); a different text makes
    the cached estimate stale. `ratings` is how many submitted ratings it has, counted no
    further than INLINE_MAX_RATINGS, and only when the cache is stale (None otherwise):
    an up-to-date estimate needs no look at the ratings at all."""

    text: str
    ratings: int | None = None


@dataclass(frozen=True)
class RaterEffect:
    """One rater in one relationship: `leniency` in rating points (positive = rates higher
    than the same people's other raters, i.e. lenient), with its 95% interval."""

    reviewer_id: int
    employee_id: str | None
    name: str
    relationship: str
    ratings: int
    leniency: float
    low: float
    high: float


@dataclass(frozen=True)
class AdjustedRating:
    """A participant's manager rating (`raw`, in points) beside the rating adjusted for the
    manager's leniency (`adjusted`, clipped to the scale, one decimal)."""

    participant_id: int
    reviewer_id: int
    raw: float
    adjusted: float


@dataclass(frozen=True)
class CycleRaterEffects:
    status: str
    computed_at: datetime | None
    min_ratings: int
    points: int | None
    raters: list[RaterEffect] = field(default_factory=list)
    adjusted: dict[int, AdjustedRating] = field(default_factory=dict)
    # What the model found: observations, variance components, method, seconds, memory.
    summary: dict[str, Any] = field(default_factory=dict)
    # True when `raters` holds one more row than the `limit` asked for (another page).
    has_more: bool = False


def fingerprint(cycle: Any) -> Fingerprint:
    """The cycle's ratings now, by their version: one read of the cycle's row. (It was a
    COUNT/MAX over every rating of the cycle: about a second at 500,000 ratings.)"""
    return Fingerprint(text=f"v{ratings.ratings_version(cycle)}")


def counted(cycle: Any, current: Fingerprint) -> Fingerprint:
    """`current` with its ratings counted (up to INLINE_MAX_RATINGS), for a stale cache."""
    if current.ratings is not None:
        return current
    return Fingerprint(
        text=current.text, ratings=ratings.rating_count(cycle, at_most=INLINE_MAX_RATINGS)
    )


def sort_key(relationship: str, reviewer_id: int) -> tuple[int, int]:
    order = (
        RELATIONSHIP_ORDER.index(relationship)
        if relationship in RELATIONSHIP_ORDER
        else len(RELATIONSHIP_ORDER)
    )
    return order, reviewer_id


def is_current(row: RaterEffects | None, current: Fingerprint) -> bool:
    return (
        row is not None and row.status == EstimateStatus.READY and row.fingerprint == current.text
    )


def status_of(row: RaterEffects | None, current: Fingerprint) -> str:
    """`current` must be `counted` unless the row is current."""
    if is_current(row, current):
        return READY
    if current.ratings == 0:
        return NO_RATINGS
    if row is None:
        return COMPUTING
    if row.status == EstimateStatus.FAILED:
        return FAILED
    return COMPUTING


def for_cycle(
    user: Any,
    cycle: Any,
    *,
    reviewer_ids: Collection[int] | None = None,
    participant_ids: Collection[int] | None = None,
    with_adjusted: bool = True,
    after: tuple[str, int] | None = None,
    limit: int | None = None,
    current: Fingerprint | None = None,
) -> CycleRaterEffects:
    """The cycle's rater effects for `user` (HR admins; anyone else: NotAllowed, a 404).

    Only raters with at least `min_ratings` ratings in a relationship are listed, ordered
    by relationship (manager first) then reviewer id. `reviewer_ids` / `participant_ids`
    keep the raters / adjusted ratings of those people only (a session's managers and
    reviewees), `with_adjusted=False` leaves them out; `after` (relationship, reviewer
    id) and `limit` page the raters. `current`: the fingerprint `refresh` returned, so
    it is not computed twice."""
    require(user, RULE, cycle)
    return estimate_of(
        cycle,
        reviewer_ids=reviewer_ids,
        participant_ids=participant_ids,
        with_adjusted=with_adjusted,
        after=after,
        limit=limit,
        current=current,
    )


def estimate_of(
    cycle: Any,
    *,
    reviewer_ids: Collection[int] | None = None,
    participant_ids: Collection[int] | None = None,
    with_adjusted: bool = True,
    after: tuple[str, int] | None = None,
    limit: int | None = None,
    current: Fingerprint | None = None,
) -> CycleRaterEffects:
    """`for_cycle` without its access check, for a feature that has checked its own rule
    first (calibration shows a session's facilitators the effects of the session's
    managers, after `calibration`'s session rule)."""
    current = current or fingerprint(cycle)
    rows = RaterEffects.objects.filter(cycle=cycle)
    wanted_participants = None if participant_ids is None else set(participant_ids)
    # A large cycle's adjusted ratings are megabytes of JSON: not read when not wanted, and
    # on PostgreSQL only the wanted participants' entries are (a session's 200 of 73,000:
    # the whole object cost tens of ms to transfer and parse on every session page).
    picked = with_adjusted and wanted_participants is not None and connection.vendor == "postgresql"
    if picked:
        rows = rows.defer("adjusted").annotate(
            # Only the model's own table name is formatted in; the keys are parameters.
            picked=RawSQL(  # noqa: S611
                "SELECT COALESCE(jsonb_object_agg(e.key, e.value), '{}'::jsonb) "  # noqa: S608
                f"FROM jsonb_each({RaterEffects._meta.db_table}.adjusted) e "
                "WHERE e.key = ANY(%s)",
                ([str(pk) for pk in sorted(wanted_participants or ())],),
                output_field=JSONField(),
            )
        )
    row = (rows if with_adjusted and not picked else rows.defer("adjusted")).first()
    if not is_current(row, current):
        current = counted(cycle, current)
    status = status_of(row, current)
    if row is None or row.computed_at is None or status == NO_RATINGS:
        return CycleRaterEffects(
            status=status, computed_at=None, min_ratings=MIN_RATINGS, points=None
        )
    stored = row.raters
    if reviewer_ids is not None:
        wanted = set(reviewer_ids)
        stored = [r for r in stored if r["reviewer_id"] in wanted]
    if after is not None:
        start = sort_key(*after)
        stored = [r for r in stored if sort_key(r["relationship"], r["reviewer_id"]) > start]
    has_more = limit is not None and len(stored) > limit
    if limit is not None:
        stored = stored[:limit]
    people = {
        person.pk: person
        for person in Person.objects.filter(pk__in={r["reviewer_id"] for r in stored}).only(
            "id", "employee_id", "first_name", "last_name", "preferred_name"
        )
    }
    raters = [
        RaterEffect(
            reviewer_id=r["reviewer_id"],
            employee_id=people[r["reviewer_id"]].employee_id,
            name=people[r["reviewer_id"]].display_name,
            relationship=r["relationship"],
            ratings=r["ratings"],
            leniency=r["leniency"],
            low=r["low"],
            high=r["high"],
        )
        for r in stored
        if r["reviewer_id"] in people  # someone deleted since is left out
    ]
    stored_adjusted = getattr(row, "picked", None) if picked else None
    if with_adjusted and stored_adjusted is None:
        stored_adjusted = row.adjusted
    adjusted = {
        int(pid): AdjustedRating(
            participant_id=int(pid),
            reviewer_id=value["reviewer_id"],
            raw=value["raw"],
            adjusted=value["adjusted"],
        )
        for pid, value in (stored_adjusted or {}).items()
        if wanted_participants is None or int(pid) in wanted_participants
    }
    return CycleRaterEffects(
        status=status,
        computed_at=row.computed_at,
        min_ratings=int(row.summary.get("min_ratings", MIN_RATINGS)),
        points=row.summary.get("points"),
        raters=raters,
        adjusted=adjusted,
        summary=row.summary,
        has_more=has_more,
    )
