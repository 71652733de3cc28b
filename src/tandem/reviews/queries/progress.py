"""Following a running cycle: completion by phase, by department and by manager, overdue
reviews, and each person's own reviews.

Every figure is a grouped SQL aggregate over the participants the viewer follows — HR
admins all, HR partners `scope(user, Participant…)` (their departments and subtree), a
manager everyone under them at launch (snapshot path: a manager of managers, the whole
subtree; a subset of what the access scope allows) — minus participants removed from the
cycle, and minus the viewer's own participation unless they are HR (a manager follows their
people, not themselves).

The review and nomination figures come from the counters on each participant row (kept by
`reviews.tally`), never from the reviews table: at 100,000 people the reviews are ~500,000
wide rows (answers inline), the participants a narrow table read by an index on the cycle.
So a page costs the same few queries, and stays fast, at 10 or 100,000 participants.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import reduce
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format

from tandem.access.rules import NotAllowed, actor_for, require, scope
from tandem.core import pagination
from tandem.reviews import rules
from tandem.reviews.models import (
    OPEN_STATES,
    PHASE_FOR_RELATIONSHIP,
    CalibrationState,
    Cycle,
    CycleStatus,
    NominationStatus,
    Participant,
    Phase,
    PhaseKind,
    Relationship,
    Review,
    ReviewState,
)
from tandem.reviews.phases import current_phase, phases_of, window_state

BadCursor = pagination.BadCursor
PAGE_SIZE = 50
DEPARTMENT_LIMIT = 500
MY_REVIEWS_LIMIT = 200
NAME_LENGTH = 210
ACTIVE_NOMINATIONS = (NominationStatus.PROPOSED, NominationStatus.APPROVED)


def percent(done: int, total: int) -> int | None:
    return round(done * 100 / total) if total else None


# --- Scope -----------------------------------------------------------------------------------


def cycle_for(user: Any, cycle_id: int) -> Cycle:
    """A cycle whose progress `user` may follow, with its phases, or NotAllowed (404)."""
    cycle = scope(user, Cycle.objects.filter(pk=cycle_id)).prefetch_related("phases").first()
    if cycle is None:
        raise NotAllowed("cycle.progress denied")
    require(user, "cycle.progress", cycle)
    return cycle


def held_back_by_calibration(cycle: Cycle) -> int:
    """Submitted manager reviews not shared because an open calibration session discusses
    the person (for HR, beside "share all now", which leaves them out)."""
    return Review.objects.filter(
        cycle=cycle,
        relationship=Relationship.MANAGER,
        state=ReviewState.SUBMITTED,
        participant__removed_at__isnull=True,
        participant__calibration_state=CalibrationState.OPEN,
    ).count()


def followed_participants(user: Any, cycle: Cycle) -> QuerySet[Participant]:
    """The participants of `cycle` whose progress `user` follows (see the module docstring)."""
    active = Participant.objects.filter(cycle=cycle, removed_at__isnull=True)
    actor = actor_for(user)
    if actor is None or actor.is_hr:
        return scope(user, active)
    # The snapshot path alone: one indexed prefix on (cycle, path), where the scope's "or
    # under them now" needs a join to every participant's current person row.
    own = actor.person.path
    if not own:
        return active.none()
    return active.filter(path__startswith=own).exclude(person_id=actor.person.pk)


def followed_reviews(user: Any, cycle: Cycle) -> QuerySet[Review]:
    """The reviews about those participants (writers anywhere)."""
    reviews = Review.objects.filter(cycle=cycle, participant__removed_at__isnull=True)
    actor = actor_for(user)
    if actor is not None and actor.is_hr_admin:
        return reviews
    return reviews.filter(participant__in=followed_participants(user, cycle).values("pk"))


def overdue_relationships(cycle: Cycle, today: date | None = None) -> dict[str, date]:
    """Relationships whose writing phase closed before today, with the phase's due date."""
    today = today or timezone.localdate()
    phases = phases_of(cycle)
    overdue: dict[str, date] = {}
    for relationship, kind in PHASE_FOR_RELATIONSHIP.items():
        phase = phases.get(kind)
        if phase is not None and phase.due_on < today:
            overdue[relationship] = phase.due_on
    return overdue


# --- Completion by phase ---------------------------------------------------------------------


@dataclass
class PhaseFigure:
    """One line of "completion by phase": a relationship's reviews, the nominations, the
    sharing or the acknowledgements."""

    key: str  # a relationship, or "nomination", "sharing", "acknowledgement"
    label: str
    phase: Phase | None
    window: str  # "open", "not_yet", "closed", "none"
    total: int = 0
    done: int = 0
    in_progress: int = 0
    overdue: int = 0
    waiting_label: str = ""
    waiting: int = 0
    # Upward reviews while their phase is open, for a viewer who may not follow their
    # states: no counts (they would move when one writer submits), only the total.
    counts_hidden: bool = False

    @property
    def not_started(self) -> int:
        return max(self.total - self.done - self.in_progress, 0)

    @property
    def percent(self) -> int | None:
        return percent(self.done, self.total)

    @property
    def phase_kind(self) -> str:
        return self.phase.kind if self.phase is not None else ""


@dataclass
class Progress:
    cycle: Cycle
    participants: int
    phases: list[PhaseFigure]
    current: Phase | None
    today: date

    @property
    def reviews_total(self) -> int:
        return sum(
            f.total for f in self.phases if f.key in Relationship.values and not f.counts_hidden
        )

    @property
    def reviews_done(self) -> int:
        return sum(
            f.done for f in self.phases if f.key in Relationship.values and not f.counts_hidden
        )

    @property
    def overdue(self) -> int:
        return sum(f.overdue for f in self.phases)


RELATIONSHIP_LABELS: dict[str, str] = {
    Relationship.SELF: "Self reviews",
    Relationship.PEER: "Peer reviews",
    Relationship.UPWARD: "Upward reviews",
    Relationship.SKIP_LEVEL: "Skip-level reviews",
    Relationship.MANAGER: "Manager reviews",
}


def _participant_sums(cycle: Cycle) -> dict[str, Any]:
    """People, manager reviews done, shared, acknowledged, the nominations and the reviews
    of each relationship, summed from the participants' counters."""
    sums: dict[str, Any] = {}
    for relationship in Relationship.values:
        for what in ("total", "done", "started"):
            name = f"{relationship}_{what}"
            sums[name] = Sum(name)
    return {
        "total": Count("pk"),
        "manager_done_people": Count("pk", filter=Q(manager_done__gt=0)),
        "shared": Count("pk", filter=Q(shared_at__isnull=False)),
        "acknowledged": Count("pk", filter=Q(acknowledged_at__isnull=False)),
        **_nomination_figures(cycle),
        **sums,
    }


def _participant_figures(cycle: Cycle, participants: QuerySet[Participant]) -> dict[str, int]:
    """`_participant_sums` in one aggregate over the participants."""
    figures = participants.aggregate(**_participant_sums(cycle))
    return {key: value or 0 for key, value in figures.items()}


def _nomination_figures(cycle: Cycle) -> dict[str, Any]:
    """Participants with enough approved peers, with some nominations, and with proposals
    waiting for a manager."""
    return {
        "nominations_done": Count("pk", filter=Q(peers_approved__gte=max(cycle.peers_min, 1))),
        "nominations_started": Count(
            "pk", filter=Q(peers_approved__gt=0) | Q(peers_proposed__gt=0)
        ),
        "nominations_waiting": Count("pk", filter=Q(peers_proposed__gt=0)),
    }


def completion(
    user: Any, cycle: Cycle, today: date | None = None, *, people: dict[str, int] | None = None
) -> Progress:
    """Completion by phase for the participants `user` follows. Three queries: the cycle's
    forms and phases, and one aggregate of the participants' counters (none when `people`,
    those figures, is given: `completion_and_departments`)."""
    today = today or timezone.localdate()
    phases = phases_of(cycle)
    upward_hidden = rules.upward_states_hidden(actor_for(user), cycle)
    taking_part = set(cycle.forms.values_list("relationship", flat=True))
    relationships = [r for r in Relationship.values if r in taking_part]
    overdue = overdue_relationships(cycle, today)
    if people is None:
        people = _participant_figures(cycle, followed_participants(user, cycle))
    figures: list[PhaseFigure] = []

    def add(key: str, label: str, kind: str, **values: Any) -> None:
        phase = phases.get(kind)
        figures.append(
            PhaseFigure(
                key=key, label=label, phase=phase, window=window_state(phase, today), **values
            )
        )

    for relationship in relationships:
        if relationship == Relationship.PEER and PhaseKind.NOMINATION in phases:
            add(
                "nomination",
                "Peer nominations approved",
                PhaseKind.NOMINATION,
                total=people["total"],
                done=people["nominations_done"],
                in_progress=max(people["nominations_started"] - people["nominations_done"], 0),
                waiting_label="waiting for a manager's approval",
                waiting=people["nominations_waiting"],
            )
        total, done = people[f"{relationship}_total"], people[f"{relationship}_done"]
        kind = PHASE_FOR_RELATIONSHIP[Relationship(relationship)]
        if (
            relationship == Relationship.UPWARD
            and upward_hidden
            and window_state(phases.get(kind), today) != "closed"
        ):
            add(
                relationship,
                RELATIONSHIP_LABELS[relationship],
                kind,
                total=total,
                counts_hidden=True,
                waiting_label="counted once the phase has closed (the writers are anonymous)",
            )
            continue
        add(
            relationship,
            RELATIONSHIP_LABELS[relationship],
            kind,
            total=total,
            done=done,
            in_progress=people[f"{relationship}_started"],
            # Every review is open or done, so once its phase closed the open ones are late.
            # Upward reviews never count as late for a viewer who may not follow them: the
            # late ones would name who has not written.
            overdue=total - done
            if relationship in overdue
            and not (relationship == Relationship.UPWARD and upward_hidden)
            else 0,
        )
    if PhaseKind.SHARING in phases or people["shared"]:
        add(
            "sharing",
            "Manager reviews shared",
            PhaseKind.SHARING,
            total=people["manager_done_people"],
            done=people["shared"],
        )
    if PhaseKind.ACKNOWLEDGEMENT in phases or people["acknowledged"]:
        add(
            "acknowledgement",
            "Shared reviews acknowledged",
            PhaseKind.ACKNOWLEDGEMENT,
            total=people["shared"],
            done=people["acknowledged"],
        )
    return Progress(
        cycle=cycle,
        participants=people["total"],
        phases=figures,
        current=current_phase(cycle, today),
        today=today,
    )


# --- By department and by manager ------------------------------------------------------------


@dataclass
class GroupFigure:
    """One department or one manager: people, reviews done of all, manager reviews done,
    reviews shared."""

    key: int
    name: str
    people: int = 0
    shared: int = 0
    total: int = 0
    done: int = 0
    manager_total: int = 0
    manager_done: int = 0

    @property
    def percent(self) -> int | None:
        return percent(self.done, self.total)


def _group_counts(*, upward: bool = True) -> dict[str, Any]:
    """People, shared, and the reviews done of all and of the manager reviews, summed from
    the participants' counters (without upward reviews for a viewer who may not follow
    their states: in a small group the sum would move when one writer submits)."""
    return {
        "people": Count("pk"),
        "shared": Count("pk", filter=Q(shared_at__isnull=False)),
        "total": Sum(_all_relationships("total", upward=upward)),
        "done": Sum(_all_relationships("done", upward=upward)),
        "manager_total": Sum("manager_total"),
        "manager_done": Sum("manager_done"),
    }


def _all_relationships(what: str, *, upward: bool = True) -> Any:
    kinds = [r for r in Relationship.values if upward or r != Relationship.UPWARD]
    return reduce(operator.add, (F(f"{r}_{what}") for r in kinds))


def _figure(row: dict[str, Any], name: str) -> GroupFigure:
    return GroupFigure(
        key=row["key"],
        name=name,
        people=row["people"],
        shared=row["shared"],
        total=row["total"] or 0,
        done=row["done"] or 0,
        manager_total=row["manager_total"] or 0,
        manager_done=row["manager_done"] or 0,
    )


def _department_rows(user: Any, cycle: Cycle, **more: Any) -> QuerySet[Any]:
    return (
        followed_participants(user, cycle)
        .annotate(key=Coalesce("department_id", 0))
        .values("key", "department_name")
        # `more` first: its sums read the participants' counters, which the group counts'
        # names (`manager_total`, `manager_done`) would shadow.
        .annotate(
            **more,
            **_group_counts(upward=not rules.upward_states_hidden(actor_for(user), cycle)),
        )
        .order_by("department_name", "key")
    )


def by_department(user: Any, cycle: Cycle) -> list[GroupFigure]:
    """Per department as frozen at launch, in name order: one grouped query."""
    rows = _department_rows(user, cycle)[:DEPARTMENT_LIMIT]
    return [_figure(row, row["department_name"] or "No department") for row in rows]


def completion_and_departments(
    user: Any, cycle: Cycle, today: date | None = None
) -> tuple[Progress, list[GroupFigure]]:
    """`completion` and `by_department` from one pass over the participants: the grouped
    query also sums the completion figures per department, added up here. Each was a pass
    over the cycle's participants (80–90 ms each at 100k people). With more departments
    than the page shows, the completion figures are one aggregate of their own, as before."""
    sums = {f"all_{key}": value for key, value in _participant_sums(cycle).items()}
    rows = list(_department_rows(user, cycle, **sums)[: DEPARTMENT_LIMIT + 1])
    people: dict[str, int] | None = None
    if len(rows) <= DEPARTMENT_LIMIT:
        people = dict.fromkeys(_participant_sums(cycle), 0)
        for row in rows:
            for key in people:
                people[key] += row[f"all_{key}"] or 0
    progress = completion(user, cycle, today, people=people)
    departments = [
        _figure(row, row["department_name"] or "No department") for row in rows[:DEPARTMENT_LIMIT]
    ]
    return progress, departments


@dataclass
class ManagerPage:
    rows: list[GroupFigure]
    next_cursor: str | None


def by_manager(
    user: Any, cycle: Cycle, *, cursor: str | None = None, limit: int = PAGE_SIZE
) -> ManagerPage:
    """One page of managers as frozen at launch (keyset on name, then id; people without a
    manager form the group "No manager"): one grouped query, whatever the page."""
    people = followed_participants(user, cycle).annotate(key=Coalesce("manager_id", 0))
    if cursor:
        name, pk = pagination.decode_text_cursor(cursor, max_length=NAME_LENGTH)
        people = people.filter(manager_name__gte=name).filter(
            Q(manager_name__gt=name) | Q(key__gt=pk)
        )
    upward = not rules.upward_states_hidden(actor_for(user), cycle)
    page = list(
        people.values("key", "manager_name")
        .annotate(**_group_counts(upward=upward))
        .order_by("manager_name", "key")[: limit + 1]
    )
    next_cursor = None
    if len(page) > limit:
        last = page[limit - 1]
        next_cursor = pagination.encode_cursor(last["manager_name"], max(last["key"], 1))
        page = page[:limit]
    rows = [_figure(row, row["manager_name"] or "No manager") for row in page]
    return ManagerPage(rows=rows, next_cursor=next_cursor)


# --- Overdue ---------------------------------------------------------------------------------


@dataclass
class OverdueLine:
    review: Review
    due_on: date
    days_overdue: int


@dataclass
class OverduePage:
    lines: list[OverdueLine]
    next_cursor: str | None
    relationships: dict[str, date] = field(default_factory=dict)


def overdue_reviews(
    user: Any,
    cycle: Cycle,
    *,
    cursor: str | None = None,
    relationship: str | None = None,
    limit: int = PAGE_SIZE,
    today: date | None = None,
) -> OverduePage:
    """Open reviews whose phase closed before today, by reviewer name: one query a page."""
    today = today or timezone.localdate()
    overdue = overdue_relationships(cycle, today)
    if rules.upward_states_hidden(actor_for(user), cycle):
        # A late upward review would name who has not written about their manager.
        overdue.pop(Relationship.UPWARD, None)
    if relationship:
        overdue = {r: d for r, d in overdue.items() if r == relationship}
    if not overdue:
        return OverduePage(lines=[], next_cursor=None, relationships={})
    reviews = followed_reviews(user, cycle).filter(
        state__in=list(OPEN_STATES), relationship__in=list(overdue)
    )
    if cursor:
        name, pk = pagination.decode_text_cursor(cursor, max_length=NAME_LENGTH)
        reviews = reviews.filter(reviewer__sort_name__gte=name).filter(
            Q(reviewer__sort_name__gt=name) | Q(pk__gt=pk)
        )
    rows = list(
        reviews.select_related("reviewer", "reviewee", "participant").order_by(
            "reviewer__sort_name", "pk"
        )[: limit + 1]
    )
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = pagination.encode_cursor(last.reviewer.sort_name, last.pk)
        rows = rows[:limit]
    lines = [
        OverdueLine(
            review=review,
            due_on=overdue[review.relationship],
            days_overdue=(today - overdue[review.relationship]).days,
        )
        for review in rows
    ]
    return OverduePage(lines=lines, next_cursor=next_cursor, relationships=overdue)


# --- Cycles to follow, and my own reviews ----------------------------------------------------


def cycles_to_follow(user: Any) -> QuerySet[Cycle]:
    """Launched cycles `user` takes part in, writes for, or follows (HR: all of them; a
    manager: those with someone of their subtree): one query."""
    cycles = scope(user, Cycle.objects.filter(status__in=[CycleStatus.ACTIVE, CycleStatus.CLOSED]))
    actor = actor_for(user)
    if actor is None:
        return cycles.none()
    if actor.is_hr_admin:
        return cycles.order_by("-period_end", "-id")
    mine = Q(Exists(Participant.objects.filter(cycle=OuterRef("pk"), person_id=user.pk)))
    mine |= Q(Exists(Review.objects.filter(cycle=OuterRef("pk"), reviewer_id=user.pk)))
    if actor.is_hr_partner or user.path:
        followed = scope(user, Participant.objects.filter(cycle=OuterRef("pk")))
        mine |= Q(Exists(followed))
    return cycles.filter(mine).order_by("-period_end", "-id")


def _phase_for_review() -> Case:
    return Case(
        *(When(relationship=r, then=Value(str(k))) for r, k in PHASE_FOR_RELATIONSHIP.items()),
        output_field=CharField(),
    )


def with_phase_dates(reviews: QuerySet[Review]) -> QuerySet[Review]:
    """Reviews annotated with their writing phase's `opens_on` and `due_on`."""
    phase = Phase.objects.filter(cycle=OuterRef("cycle_id"), kind=OuterRef("phase_kind"))
    return reviews.annotate(phase_kind=_phase_for_review()).annotate(
        opens_on=Subquery(phase.values("opens_on")[:1], output_field=DateField()),
        due_on=Subquery(phase.values("due_on")[:1], output_field=DateField()),
    )


# What a participant reads about their manager review, in plain words.
MANAGER_REVIEW_WORDS = {
    None: "There is no manager review for you in this cycle.",
    ReviewState.NOT_STARTED: "Your manager has not started your review yet.",
    ReviewState.IN_PROGRESS: "Your manager is writing your review.",
    ReviewState.SUBMITTED: "Your manager has finished your review; you can read it once it "
    "is shared with you.",
    ReviewState.SHARED: "Your review has been shared with you: read it and acknowledge it.",
    ReviewState.ACKNOWLEDGED: "You have read and acknowledged your review.",
    ReviewState.REOPENED: "HR reopened your review; your manager is changing it.",
}


HISTORY_PAGE = 25


@dataclass
class MyReviews:
    """The person's review work, split by what can still be done.

    `to_do`: reviews they can write now (cycle running, writing phase open, not submitted),
    soonest due first. `upcoming`: the same whose phase has not opened yet. `history`:
    everything else, read-only, newest first, one page of `HISTORY_PAGE` at a time —
    submitted, shared and acknowledged reviews, and reviews never submitted whose phase or
    cycle closed (each with the true reason in `closed_note`)."""

    to_do: list[Any]  # reviews, with due_on, days_left
    upcoming: list[Any]  # reviews, with opens_on
    history: list[Any]  # reviews, with closed_note ("" for a submitted one)
    about_me: list[Any]  # participants, with manager_review_words
    more: bool = False  # more to-do and upcoming than listed
    history_next: str = ""  # the cursor of the next history page

    @property
    def open_count(self) -> int:
        return len(self.to_do)


def _my_writes(user: Any) -> QuerySet[Review]:
    return with_phase_dates(
        Review.objects.filter(
            reviewer_id=user.pk,
            cycle__status__in=[CycleStatus.ACTIVE, CycleStatus.CLOSED],
            participant__removed_at__isnull=True,
        )
    ).select_related("cycle", "reviewee", "participant")


def can_still_write(today: date) -> Q:
    """Open reviews in a running cycle whose writing phase has not closed (`opens_on` and
    `due_on` from `with_phase_dates`)."""
    return Q(
        state__in=list(OPEN_STATES),
        cycle__status=CycleStatus.ACTIVE,
        due_on__isnull=False,
        due_on__gte=today,
    )


def history_cursor(raw: str | None) -> int | None:
    """The review id a history page starts after; BadCursor for anything else."""
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise BadCursor("This page link is broken; start again from the first page.")
    return int(raw)


def _history_note(review: Any, today: date) -> str:
    """Why a never-submitted review in the history can no longer be written."""
    if review.state not in OPEN_STATES:
        return ""
    cycle = review.cycle
    if cycle.status != CycleStatus.ACTIVE:
        day = timezone.localdate(cycle.closed_at) if cycle.closed_at else None
        return (
            f"Not submitted; the cycle closed on {date_format(day, 'j M Y')}."
            if day
            else ("Not submitted; the cycle is finished.")
        )
    due = review.due_on
    if due is None:
        return "Not submitted; this cycle has no phase for it."
    return f"Not submitted; the phase closed on {date_format(due, 'j M Y')}; ask HR to extend it."


def my_reviews(
    user: Any, today: date | None = None, *, history_after: int | None = None
) -> MyReviews:
    """The reviews `user` writes, split into to do, coming up and history (`MyReviews`),
    and their own participations with the state of their manager review: three queries,
    whatever the number of cycles and reviews."""
    today = today or timezone.localdate()
    live = can_still_write(today)
    current = list(
        _my_writes(user)
        .filter(live)
        .order_by(F("due_on").asc(nulls_last=True), "pk")[: MY_REVIEWS_LIMIT + 1]
    )
    history_rows = _my_writes(user).exclude(live)
    if history_after is not None:
        history_rows = history_rows.filter(pk__lt=history_after)
    history = list(history_rows.order_by("-pk")[: HISTORY_PAGE + 1])
    manager_review = Review.objects.filter(
        participant=OuterRef("pk"), relationship=Relationship.MANAGER
    ).order_by("pk")
    about_me = list(
        Participant.objects.filter(
            person_id=user.pk,
            removed_at__isnull=True,
            cycle__status__in=[CycleStatus.ACTIVE, CycleStatus.CLOSED],
        )
        .annotate(
            manager_review_state=Subquery(manager_review.values("state")[:1]),
            manager_review_id=Subquery(manager_review.values("pk")[:1]),
            self_review_id=Subquery(
                Review.objects.filter(
                    participant=OuterRef("pk"), relationship=Relationship.SELF
                ).values("pk")[:1]
            ),
        )
        .select_related("cycle")
        .order_by("-cycle__period_end", "-pk")[:50]
    )
    for participant in about_me:
        state = participant.manager_review_state
        participant.manager_review_words = MANAGER_REVIEW_WORDS.get(  # type: ignore[attr-defined]
            state, MANAGER_REVIEW_WORDS[None]
        )
    more = len(current) > MY_REVIEWS_LIMIT
    current = current[:MY_REVIEWS_LIMIT]
    for review in current:
        due = review.due_on  # type: ignore[attr-defined]
        review.days_left = (due - today).days  # type: ignore[attr-defined]
    for review in history[:HISTORY_PAGE]:
        review.closed_note = _history_note(review, today)  # type: ignore[attr-defined]
    return MyReviews(
        to_do=[r for r in current if r.opens_on is not None and r.opens_on <= today],  # type: ignore[attr-defined]
        upcoming=[r for r in current if r.opens_on is None or r.opens_on > today],  # type: ignore[attr-defined]
        history=history[:HISTORY_PAGE],
        about_me=about_me,
        more=more,
        history_next=str(history[HISTORY_PAGE - 1].pk) if len(history) > HISTORY_PAGE else "",
    )


# --- What is open, for reminders ------------------------------------------------------------
# Unlike the figures above, these read the reviews and nominations themselves: who has
# what still to do, for `services.reminders` and the daily reminders (`reviews.reminders`).

REMINDABLE_PHASES = (
    PhaseKind.SELF,
    PhaseKind.NOMINATION,
    PhaseKind.PEER,
    PhaseKind.MANAGER,
    PhaseKind.SHARING,
    PhaseKind.ACKNOWLEDGEMENT,
)


Work = dict[int, Counter[str]]


def _sharing_waits_for_calibration(cycle: Cycle) -> bool:
    calibration = phases_of(cycle).get(PhaseKind.CALIBRATION)
    return calibration is not None and window_state(calibration) != "closed"


def _add(work: Work, rows: Iterable[tuple[int | None, int]], what: str) -> None:
    for person_id, count in rows:
        if person_id is not None and count:
            work.setdefault(person_id, Counter())[what] += count


def open_work(
    cycle: Cycle,
    *,
    phases: Iterable[str],
    participants: QuerySet[Participant] | None = None,
    relationship: str | None = None,
    exclude: Iterable[str] = (),
) -> Work:
    """{person id: Counter(what → how many)} for everything open in `phases`, about the
    participants given (all active participants of the cycle when None). At most one
    grouped query per kind of work, streamed."""
    kinds = set(phases)
    base = participants
    if base is None:
        base = Participant.objects.filter(cycle=cycle, removed_at__isnull=True)
    reviews = Review.objects.filter(cycle=cycle, participant__in=base.values("pk"))
    work: Work = {}
    relationships = [
        r
        for r, kind in PHASE_FOR_RELATIONSHIP.items()
        if kind in kinds and relationship in (None, r) and r not in set(exclude)
    ]
    if relationships:
        writing = (
            reviews.filter(state__in=list(OPEN_STATES), relationship__in=relationships)
            .values_list("reviewer_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        _add(work, writing.iterator(chunk_size=5000), "write")
    if relationship is not None:
        return work
    if PhaseKind.NOMINATION in kinds:
        too_few = (
            base.annotate(
                active=Count("nominations", filter=Q(nominations__status__in=ACTIVE_NOMINATIONS))
            )
            .filter(active__lt=cycle.peers_min)
            .values_list("person_id", "active")
            .order_by()
        )
        _add(work, ((pk, 1) for pk, _ in too_few.iterator(chunk_size=5000)), "nominate")
        proposals = (
            base.filter(nominations__status=NominationStatus.PROPOSED)
            .values_list("manager_id")
            .annotate(n=Count("nominations"))
            .order_by()
        )
        _add(work, proposals.iterator(chunk_size=5000), "approve")
    # Nobody is reminded to share what the server would refuse: not while a dated
    # calibration phase runs, nor the review of someone an open session discusses.
    if PhaseKind.SHARING in kinds and not _sharing_waits_for_calibration(cycle):
        to_share = (
            reviews.filter(
                relationship=Relationship.MANAGER,
                state=ReviewState.SUBMITTED,
                participant__shared_at__isnull=True,
            )
            .exclude(participant__calibration_state=CalibrationState.OPEN)
            .values_list("reviewer_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        _add(work, to_share.iterator(chunk_size=5000), "share")
    if PhaseKind.ACKNOWLEDGEMENT in kinds:
        to_acknowledge = base.filter(
            shared_at__isnull=False, acknowledged_at__isnull=True
        ).values_list("person_id", flat=True)
        _add(work, ((pk, 1) for pk in to_acknowledge.iterator(chunk_size=5000)), "acknowledge")
    return work


def remindable_phases(cycle: Cycle, today: date | None = None) -> list[Phase]:
    """The cycle's phases open today in which there can be something to do."""
    return [
        phase
        for kind, phase in phases_of(cycle).items()
        if kind in REMINDABLE_PHASES and window_state(phase, today) == "open"
    ]
