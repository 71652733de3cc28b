"""A person's competency ratings from reviews drawn from their career framework, as one
reader may see them (for growth's competency profile).

Ratings come from `SubmittedRating` rows of competency questions whose participant had a
framework snapshot at launch (`reviews.framework`); the item key is the framework's
competency key. What the reader gets follows the reviews' own rules:

- manager and self ratings only from reviews the reader may read (`scope(user, Review)`:
  a manager review reaches the person once shared; managers above and HR read it once
  submitted), the latest per competency;
- the peers' mean only from the latest cycle with peer ratings, and only when the reader may
  read that cycle's peer reviews — as rows, or as the anonymous group once released — and
  at least the program's anonymity minimum of peers rated the competency (never below 3).

A constant number of queries, however many cycles or competencies.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Max

from tandem.access.rules import actor_for, can, scope
from tandem.core import anonymity
from tandem.reviews import framework, rules, versions
from tandem.reviews.models import (
    DONE_STATES,
    CycleForm,
    CycleStatus,
    Participant,
    QuestionKind,
    Relationship,
    Review,
    SubmittedRating,
)

# The latest participations looked at: a person takes part in a few cycles a year.
RECENT_CYCLES = 12


@dataclass(frozen=True)
class Rated:
    value: int
    points: int


@dataclass(frozen=True)
class PeerMean:
    mean: float
    count: int
    points: int


@dataclass
class CompetencyRatings:
    manager: dict[str, Rated] = field(default_factory=dict)
    self_rating: dict[str, Rated] = field(default_factory=dict)
    peers: dict[str, PeerMean] = field(default_factory=dict)
    # Points ({"value", "label", "description"}) of the latest framework question's scale.
    scale: list[dict[str, Any]] = field(default_factory=list)
    # The peers' mean is shown from this many peers on; fewer are withheld.
    peer_minimum: int = 0
    peers_withheld: bool = False


def _participations(person_id: int) -> list[Participant]:
    rows = (
        Participant.objects.filter(
            person_id=person_id,
            removed_at__isnull=True,
            cycle__status__in=(CycleStatus.ACTIVE, CycleStatus.CLOSED),
        )
        .select_related("cycle", "person", "department", "framework_snapshot")
        .order_by("-cycle__period_end", "-cycle_id")[:RECENT_CYCLES]
    )
    return [row for row in rows if row.framework and row.framework.get("items")]


def _peers_readable(user: Any, participant: Participant) -> bool:
    """Whether `user` may read the peer reviews about `participant` (as rows or as the
    anonymous group, released)."""
    actor = actor_for(user)
    if actor is None or not can(user, "participant.anonymous_group", participant):
        return False
    cycle = participant.cycle
    released = participant.anonymous_released_on is not None
    if participant.person_id == actor.person.pk:
        shown = participant.shared_at is not None and cycle.reviewee_sees_peer_reviews
        return shown and (released or not cycle.peers_anonymous_to_reviewee)
    if Relationship.PEER in rules.hidden_channels(actor, participant):
        return released
    return True


def _scale(participant: Participant) -> list[dict[str, Any]]:
    form = (
        CycleForm.objects.filter(cycle_id=participant.cycle_id, relationship=Relationship.MANAGER)
        .select_related("version")
        .first()
    )
    if form is None or form.version is None:
        return []
    for question in versions.questions(form.version.content):
        if framework.is_framework_question(question) and question.get("scale"):
            return list(question["scale"]["points"])
    return []


def framework_ratings(user: Any, person_id: int, *, minimum: int) -> CompetencyRatings:
    """The person's competency ratings `user` may read; `minimum` is the program's anonymity
    minimum (raised to 3 at least) for the peers' mean."""
    found = CompetencyRatings(peer_minimum=anonymity.group_minimum(minimum))
    participations = _participations(person_id)
    if not participations:
        return found
    by_id = {p.pk: p for p in participations}
    keys = {pk: {item["key"] for item in p.framework["items"]} for pk, p in by_id.items()}
    order = {pk: index for index, pk in enumerate(by_id)}  # newest first
    readable = scope(user, Review.objects.filter(participant_id__in=list(by_id)))
    rows = SubmittedRating.objects.filter(
        participant_id__in=list(by_id),
        question_kind=QuestionKind.COMPETENCIES,
        relationship__in=(Relationship.MANAGER, Relationship.SELF),
        review__in=readable.values("pk"),
        review__state__in=DONE_STATES,
    ).values_list("participant_id", "relationship", "item_key", "value", "points", "review_id")
    newest: dict[tuple[str, str], tuple[int, int, Rated]] = {}
    for participant_id, relationship, key, value, points, review_id in rows:
        if key not in keys[participant_id]:
            continue
        rank = (order[participant_id], -review_id)
        got = newest.get((relationship, key))
        if got is None or rank < got[:2]:
            newest[(relationship, key)] = (*rank, Rated(value, points))
    for (relationship, key), (_, _, rated) in newest.items():
        target = found.manager if relationship == Relationship.MANAGER else found.self_rating
        target[key] = rated

    peer_rows = (
        SubmittedRating.objects.filter(
            participant_id__in=list(by_id),
            question_kind=QuestionKind.COMPETENCIES,
            relationship=Relationship.PEER,
            review__state__in=DONE_STATES,
        )
        .values("participant_id", "item_key")
        .annotate(mean=Avg("value"), count=Count("review_id", distinct=True), points=Max("points"))
        .order_by()
    )
    peers: dict[int, dict[str, PeerMean]] = defaultdict(dict)
    for row in peer_rows:
        if row["item_key"] in keys[row["participant_id"]]:
            peers[row["participant_id"]][row["item_key"]] = PeerMean(
                float(row["mean"]), int(row["count"]), int(row["points"])
            )
    latest_peers = next((pk for pk in by_id if pk in peers), None)
    if latest_peers is not None and _peers_readable(user, by_id[latest_peers]):
        for key, mean in peers[latest_peers].items():
            if mean.count >= found.peer_minimum:
                found.peers[key] = mean
            else:
                found.peers_withheld = True
    found.scale = _scale(participations[0])
    return found
