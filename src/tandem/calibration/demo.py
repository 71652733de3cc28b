"""The demo company's calibration: three locked sessions of the finished cycle — the
director's organisation, with the moves a real session makes; the teams of the managers
who rate most severely, brought up a point; and the teams of those who rate most
leniently, whose top ratings come down one. Together they narrow the demo's gaps between
gender groups (at the default size: the mean rating gap 0.37 → 0.09 points, women's
impact ratio 0.78 → 1.0; tests/calibration/test_demo.py).

Run by `tandem.org.demo.load_demo` inside its transaction, after the reviews demo. Rows are
written directly (no audit event per row: the demo load is recorded once by the org demo);
the participants' ratings of record go through `reviews.services.calibration`, as locking
does. The most lenient manager's highest ratings come down a point and the most severe
manager's lowest go up one, each with its reason; everyone is placed on the 9-box. The
same seed gives the same session.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from statistics import mean
from typing import Any

from django.utils import timezone

from tandem.calibration.models import (
    AdjustedField,
    Adjustment,
    Entry,
    ReasonCategory,
    ScopeKind,
    Session,
    SessionStatus,
)
from tandem.org.demo import DEMO_DOMAIN, Progress, register_demo
from tandem.org.models import Person
from tandem.reviews.queries import ratings
from tandem.reviews.services import calibration as reviews_calibration

SESSION_NAME = "Director's organisation"
# Days after launch the demo session locked: between the manager review and sharing.
LOCKED_AFTER_DAYS = 44
DOWN = (
    "Rated higher than people with the same scope in the other teams; brought in line "
    "after comparing the evidence across the organisation."
)
UP = (
    "Delivered the platform migration with no incidents; the evidence supports a higher "
    "rating than the team's usual scale gives."
)
PLACED = "Placed on the 9-box in the session from the manager's view of their growth."
COMPANY_SESSION_NAME = "Severely rated teams"
# At most this many people in it (a session discusses a few hundred; the 100k demo's
# severe teams would be thousands, each written one by one when it locks).
COMPANY_SESSION_MAX = 400
# A team whose mean rating is this far (in points) below the cycle's is rated severely.
SEVERE_BELOW = 0.35
CONSISTENT = (
    "The manager rates more severely than the others (the rater effects say so too); on "
    "the evidence this is the rating the other teams give for the same results."
)
LENIENT_SESSION_NAME = "Leniently rated teams"
# A team whose mean rating is this far (in points) above the cycle's is rated leniently.
LENIENT_ABOVE = 0.7
LENIENT = (
    "The manager rates more leniently than the others (the rater effects say so too); on "
    "the evidence the other teams keep the top rating for results beyond these."
)


def _potential(rating: int, points: int, rng: random.Random) -> int:
    """Potential leans on performance but not entirely: what a session usually agrees."""
    lean = (rating - 1) / max(points - 1, 1)
    draw = rng.random() * 0.6 + lean * 0.6
    return 3 if draw > 0.75 else 2 if draw > 0.35 else 1


@register_demo
def load_demo(*, seed: int, today: date, progress: Progress) -> None:
    """Write the finished cycle's locked calibration session."""
    cycle = ratings.finished_cycles().first()
    question = ratings.overall_question(cycle) if cycle is not None else None
    director = Person.objects.filter(email=f"director@{DEMO_DOMAIN}").first()
    hr = Person.objects.filter(email=f"hr@{DEMO_DOMAIN}").first()
    if cycle is None or question is None or director is None or not director.path:
        return
    points = question[1]
    under = dict(
        ratings.rated_participants(cycle)
        .filter(path__startswith=director.path)
        .exclude(person_id=director.pk)
        .values_list("pk", "manager_id")
    )
    raw = {
        pk: rating
        for pk, (rating, _) in ratings.raw_ratings(cycle, list(under)).items()
        if rating is not None
    }
    if len(raw) < 4:
        return
    rng = random.Random(seed * 7919 + 14)  # noqa: S311 (demo data from the seed)
    when = (cycle.launched_at or timezone.now()) + timedelta(days=LOCKED_AFTER_DAYS)
    session = Session.objects.create(
        cycle=cycle,
        name=SESSION_NAME,
        description="Every team under the director, compared side by side.",
        scope_kind=ScopeKind.MANAGER,
        scope_manager=director,
        status=SessionStatus.LOCKED,
        created_by=hr,
        locked_at=when,
        locked_by=hr,
    )
    if hr is not None:
        session.facilitators.set([hr])
    managers = {under[pk] for pk in raw if under[pk]}
    session.managers.set(Person.objects.filter(pk__in=managers))
    entries = Entry.objects.bulk_create(
        Entry(
            session=session,
            cycle=cycle,
            participant_id=pk,
            rating=raw[pk],
            potential=_potential(raw[pk], points, rng),
        )
        for pk in sorted(raw)
    )
    moves: dict[int, tuple[int, str, str]] = {}
    by_manager: dict[int, list[int]] = defaultdict(list)
    for pk in sorted(raw):
        if under[pk]:
            by_manager[under[pk]].append(pk)
    teams = {m: people for m, people in by_manager.items() if len(people) >= 2}
    if len(teams) >= 2:
        lenient = max(teams, key=lambda m: (mean(raw[p] for p in teams[m]), m))
        severe = min(teams, key=lambda m: (mean(raw[p] for p in teams[m]), m))
        for pk in sorted(teams[lenient], key=lambda p: (-raw[p], p))[:2]:
            if raw[pk] > 1:
                moves[pk] = (raw[pk] - 1, ReasonCategory.CONSISTENCY, DOWN)
        for pk in sorted(teams[severe], key=lambda p: (raw[p], p))[:2]:
            if raw[pk] < points and pk not in moves:
                moves[pk] = (raw[pk] + 1, ReasonCategory.EVIDENCE, UP)
    adjustments = _placements(entries, hr)
    for entry in entries:
        if entry.participant_id in moves:
            new, category, reason = moves[entry.participant_id]
            adjustments.append(
                Adjustment(
                    entry=entry,
                    field=AdjustedField.RATING,
                    old_value=entry.rating,
                    new_value=new,
                    category=category,
                    reason=reason,
                    made_by=hr,
                )
            )
            entry.rating = new
    Adjustment.objects.bulk_create(adjustments)
    Entry.objects.bulk_update([e for e in entries if e.participant_id in moves], ["rating"])
    # The moves happened in the session, before it locked (auto_now_add stamps today).
    Adjustment.objects.filter(entry__session=session).update(made_at=when - timedelta(hours=2))
    Session.objects.filter(pk=session.pk).update(created_at=when - timedelta(days=3))
    _lock(
        [
            (e.participant_id, raw[e.participant_id], e.rating)
            for e in entries
            if e.rating is not None
        ],
        points=points,
        reasons={pk: reason for pk, (_, _, reason) in moves.items()},
    )
    _company_sessions(cycle, points=points, hr=hr, when=when, skip=set(raw), rng=rng)


def _placements(entries: list[Entry], hr: Person | None) -> list[Adjustment]:
    """Each person's placement on the 9-box, as the session recorded it."""
    return [
        Adjustment(
            entry=entry,
            field=AdjustedField.POTENTIAL,
            old_value=None,
            new_value=entry.potential or 2,
            category=ReasonCategory.OTHER,
            reason=PLACED,
            made_by=hr,
        )
        for entry in entries
    ]


def _lock(rows: list[tuple[int, int, int]], *, points: int, reasons: dict[int, str]) -> None:
    """The session locked: (participant id, manager's rating, session's rating) become the
    ratings of record, through `reviews.services.calibration` as locking does; one rescore
    for them all."""
    for pk, raw, rating in rows:
        reviews_calibration.record_final(
            pk,
            rating=rating,
            points=points,
            calibrated_from=raw,
            reason=reasons.get(pk, "") if rating != raw else "",
            rescore_now=False,
        )
    reviews_calibration.rescore([pk for pk, _, _ in rows])


def _company_sessions(
    cycle: Any,
    *,
    points: int,
    hr: Person | None,
    when: datetime,
    skip: set[int],
    rng: random.Random,
) -> None:
    """The teams of the managers who rate most severely and most leniently (outside the
    director's session), each kind in a locked session: the severe teams come up a point,
    the lenient teams' top ratings down one, each with its reason. This is the correction
    the rater effects point to, and the one that narrows the demo's gap between groups
    (people of some groups more often report to severe managers): at the default size the
    gap in mean rating between men and women goes 0.37 → 0.09 points and women's impact
    ratio (top-rating share) 0.78 → 1.0."""
    rows = [
        (pk, manager_id, rating)
        for pk, manager_id, rating in ratings.rated_participants(cycle)
        .filter(raw_rating__isnull=False)  # type: ignore[misc]
        .values_list("pk", "manager_id", "raw_rating")
        if pk not in skip
    ]
    if len(rows) < 4:
        return
    cycle_mean = mean(rating for _, _, rating in rows)
    teams: dict[int, list[int]] = defaultdict(list)
    for _, manager_id, rating in rows:
        if manager_id:
            teams[manager_id].append(rating)
    sized = {manager_id: team for manager_id, team in teams.items() if len(team) >= 3}
    severe = {m for m, team in sized.items() if mean(team) <= cycle_mean - SEVERE_BELOW}
    lenient = {m for m, team in sized.items() if mean(team) >= cycle_mean + LENIENT_ABOVE}
    _team_session(
        cycle,
        [row for row in rows if row[1] in severe][:COMPANY_SESSION_MAX],
        name=COMPANY_SESSION_NAME,
        description="The teams whose managers rate most severely, compared with the rest.",
        moved={pk: min(rating + 1, points) for pk, _, rating in rows},
        reason=CONSISTENT,
        points=points,
        hr=hr,
        when=when,
        rng=rng,
    )
    _team_session(
        cycle,
        [row for row in rows if row[1] in lenient][:COMPANY_SESSION_MAX],
        name=LENIENT_SESSION_NAME,
        description="The teams whose managers rate most leniently, compared with the rest.",
        moved={pk: rating - 1 for pk, _, rating in rows if rating == points},
        reason=LENIENT,
        points=points,
        hr=hr,
        when=when,
        rng=rng,
    )


def _team_session(
    cycle: Any,
    rows: list[tuple[int, int, int]],
    *,
    name: str,
    description: str,
    moved: dict[int, int],
    reason: str,
    points: int,
    hr: Person | None,
    when: datetime,
    rng: random.Random,
) -> None:
    """A locked session of these (participant id, manager id, rating) rows whose ratings
    became `moved[pk]` (the others stay), each move with `reason`."""
    if not rows:
        return
    session = Session.objects.create(
        cycle=cycle,
        name=name,
        description=description,
        scope_kind=ScopeKind.MANUAL,
        status=SessionStatus.LOCKED,
        created_by=hr,
        locked_at=when,
        locked_by=hr,
    )
    if hr is not None:
        session.facilitators.set([hr])
    session.managers.set(Person.objects.filter(pk__in={manager for _, manager, _ in rows}))
    raw = {pk: rating for pk, _, rating in rows}
    new_rating = {pk: moved.get(pk, rating) for pk, rating in raw.items()}
    entries = Entry.objects.bulk_create(
        (
            Entry(
                session=session,
                cycle=cycle,
                participant_id=pk,
                rating=new_rating[pk],
                potential=_potential(new_rating[pk], points, rng),
            )
            for pk, _, _ in rows
        ),
        batch_size=2000,
    )
    changes = [
        Adjustment(
            entry=entry,
            field=AdjustedField.RATING,
            old_value=raw[entry.participant_id],
            new_value=new_rating[entry.participant_id],
            category=ReasonCategory.CONSISTENCY,
            reason=reason,
            made_by=hr,
        )
        for entry in entries
        if new_rating[entry.participant_id] != raw[entry.participant_id]
    ]
    Adjustment.objects.bulk_create([*changes, *_placements(entries, hr)], batch_size=2000)
    Adjustment.objects.filter(entry__session=session).update(made_at=when - timedelta(hours=1))
    Session.objects.filter(pk=session.pk).update(created_at=when - timedelta(days=3))
    _lock(
        [(pk, raw[pk], new_rating[pk]) for pk, _, _ in rows],
        points=points,
        reasons=dict.fromkeys(raw, reason),
    )
