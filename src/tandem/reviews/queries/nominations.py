"""Reads for peer nomination: each peer's load, the nomination page, a manager's approvals,
my peer requests and the people picker. Each starts from the access scope of the viewer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from tandem.access.rules import NotAllowed, actor_for, can, scope
from tandem.org.models import Person, PersonStatus
from tandem.reviews import phases
from tandem.reviews.models import (
    Cycle,
    CycleStatus,
    Nomination,
    NominationStatus,
    Participant,
    Phase,
    PhaseKind,
    Relationship,
    Review,
    ReviewState,
)

SEARCH_LIMIT = 20
APPROVALS_LIMIT = 100
# Declining deletes the peer review; only one nobody has submitted yet may go.
DECLINABLE_STATES = (ReviewState.NOT_STARTED, ReviewState.IN_PROGRESS)


def _count_of(queryset: QuerySet[Any], group_by: str) -> Subquery:
    return Subquery(
        queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )


def peer_load_parts(cycle: Cycle, person_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """{person id: (peer reviews they write, nominations proposed to them)} in this cycle, in
    one query. Declined and rejected nominations hold no slot."""
    ids = sorted({int(pk) for pk in person_ids})
    if not ids:
        return {}
    reviews = Review.objects.filter(
        cycle_id=cycle.pk, relationship=Relationship.PEER, reviewer_id=OuterRef("pk")
    )
    proposed = Nomination.objects.filter(
        cycle_id=cycle.pk, status=NominationStatus.PROPOSED, peer_id=OuterRef("pk")
    )
    rows = (
        Person.objects.filter(pk__in=ids)
        .annotate(
            approved_load=Coalesce(_count_of(reviews, "reviewer_id"), Value(0)),
            proposed_load=Coalesce(_count_of(proposed, "peer_id"), Value(0)),
        )
        .values_list("pk", "approved_load", "proposed_load")
    )
    loads = dict.fromkeys(ids, (0, 0))
    loads.update({pk: (approved, proposed) for pk, approved, proposed in rows})
    return loads


def peer_load(cycle: Cycle, person_ids: Iterable[int]) -> dict[int, int]:
    """{person id: approved peer reviews + proposed nominations} in this cycle (one query)."""
    return {pk: a + p for pk, (a, p) in peer_load_parts(cycle, person_ids).items()}


# --- The nomination page -------------------------------------------------------------------


@dataclass
class PeerRow:
    """A person on the nomination page or in the picker, with their load."""

    person: Person
    approved_load: int
    proposed_load: int
    cap: int
    nomination: Nomination | None = None
    review_state: str | None = None
    # Why this person cannot be picked ("" when they can).
    blocked: str = ""

    @property
    def load(self) -> int:
        return self.approved_load + self.proposed_load

    @property
    def review_state_label(self) -> str:
        return ReviewState(self.review_state).label if self.review_state else ""

    @property
    def declinable(self) -> bool:
        return self.review_state in DECLINABLE_STATES


@dataclass
class NominationPage:
    participant: Participant
    cycle: Cycle
    is_reviewee: bool
    can_approve: bool
    nomination_phase: Phase | None
    peer_phase: Phase | None
    nomination_window: str
    approval_open: bool
    # A declined peer can be replaced until peer reviews are due (`phases.ACTIONS`).
    replace_open: bool = False
    # Why nothing can change any more, when the cycle finished (one true sentence).
    closed_note: str = ""
    approved: list[PeerRow] = field(default_factory=list)
    proposed: list[PeerRow] = field(default_factory=list)
    declined: list[PeerRow] = field(default_factory=list)
    rejected: list[PeerRow] = field(default_factory=list)

    @property
    def taken(self) -> int:
        return len(self.approved) + len(self.proposed)

    @property
    def active_peer_ids(self) -> set[int]:
        return {row.person.pk for row in (*self.approved, *self.proposed)}

    @property
    def blocked_peer_ids(self) -> set[int]:
        """People who cannot be nominated again for this participant (declined)."""
        return {row.person.pk for row in self.declined}


def participant_for_nominations(user: Any, participant_id: int) -> Participant:
    """The participant, if the user is the reviewee or may approve their peers; else 404."""
    participant = (
        scope(user, Participant.objects.all())
        .select_related("cycle", "person", "manager", "department")
        .prefetch_related("cycle__phases")
        .filter(pk=participant_id, cycle__status__in=[CycleStatus.ACTIVE, CycleStatus.CLOSED])
        .first()
    )
    if participant is None or not (
        can(user, "nomination.propose", participant) or can(user, "nomination.approve", participant)
    ):
        raise NotAllowed("nominations denied")
    return participant


def approval_is_open(cycle: Cycle, today: date | None = None) -> bool:
    """Managers approve while the nomination phase is open (the service checks the same)."""
    return phases.refusal(cycle, "nomination.approve", today=today) is None


def nomination_page(user: Any, participant: Participant) -> NominationPage:
    """Everything the nomination page shows, in a fixed number of queries."""
    cycle = participant.cycle
    found = phases.phases_of(cycle)
    nomination_phase = found.get(PhaseKind.NOMINATION)
    review_states = Review.objects.filter(
        participant_id=participant.pk,
        relationship=Relationship.PEER,
        reviewer_id=OuterRef("peer_id"),
    ).values("state")[:1]
    nominations = list(
        Nomination.objects.filter(participant=participant)
        .select_related("peer")
        .annotate(review_state=Subquery(review_states))
        .order_by("peer__sort_name", "pk")
    )
    loads = peer_load_parts(cycle, [n.peer_id for n in nominations])
    page = NominationPage(
        participant=participant,
        cycle=cycle,
        is_reviewee=can(user, "nomination.propose", participant),
        can_approve=can(user, "nomination.approve", participant),
        nomination_phase=nomination_phase,
        peer_phase=found.get(PhaseKind.PEER),
        nomination_window=(
            phases.window_state(nomination_phase)
            if cycle.status == CycleStatus.ACTIVE
            else "closed"
        ),
        approval_open=approval_is_open(cycle),
        replace_open=phases.refusal(cycle, "nomination.replace") is None,
        closed_note=phases.not_running(cycle, "peers can no longer change") or "",
    )
    by_status = {
        NominationStatus.APPROVED: page.approved,
        NominationStatus.PROPOSED: page.proposed,
        NominationStatus.DECLINED: page.declined,
        NominationStatus.REJECTED: page.rejected,
    }
    for nomination in nominations:
        approved_load, proposed_load = loads.get(nomination.peer_id, (0, 0))
        by_status[NominationStatus(nomination.status)].append(
            PeerRow(
                person=nomination.peer,
                approved_load=approved_load,
                proposed_load=proposed_load,
                cap=cycle.peer_review_cap,
                nomination=nomination,
                review_state=getattr(nomination, "review_state", None),
            )
        )
    return page


# --- The people picker ---------------------------------------------------------------------


def _word_filter(q: str) -> Q:
    condition = Q()
    for word in q.replace("\x00", " ").lower().split()[:5]:
        condition &= Q(search_text__contains=word)
    return condition


def pickable(
    user: Any,
    participant: Participant,
    *,
    q: str = "",
    ids: Iterable[int] = (),
    for_approval: bool = False,
    exclude: Iterable[int] = (),
) -> list[PeerRow]:
    """Active people the user may see, by name or e-mail (at most 20) or by id, each with
    their load and, when they cannot be picked, why. `for_approval` counts only approved
    reviews against the cap (a manager approving), else proposed ones too (the reviewee)."""
    wanted = [int(pk) for pk in ids]
    people = scope(user, Person.objects.all()).filter(
        is_active=True, status__in=[PersonStatus.ACTIVE, PersonStatus.ON_LEAVE]
    )
    if wanted:
        people = people.filter(pk__in=wanted)
    else:
        q = q.strip()
        if not q:
            return []
        people = people.filter(_word_filter(q)).exclude(pk__in=list(exclude))
    rows = list(people.exclude(pk=participant.person_id).order_by("sort_name", "pk")[:SEARCH_LIMIT])
    if wanted:
        order = {pk: i for i, pk in enumerate(wanted)}
        rows.sort(key=lambda p: order.get(p.pk, 0))
    cycle = participant.cycle
    loads = peer_load_parts(cycle, [p.pk for p in rows])
    held = set(
        Nomination.objects.filter(participant_id=participant.pk)
        .exclude(status=NominationStatus.REJECTED)
        .values_list("peer_id", "status")
    )
    holding = {pk for pk, status in held if status != NominationStatus.DECLINED}
    declined = {pk for pk, status in held if status == NominationStatus.DECLINED}
    result = []
    for person in rows:
        approved_load, proposed_load = loads.get(person.pk, (0, 0))
        row = PeerRow(
            person=person,
            approved_load=approved_load,
            proposed_load=proposed_load,
            cap=cycle.peer_review_cap,
        )
        counted = approved_load if for_approval else row.load
        if person.pk in declined:
            row.blocked = f"{person} declined to review {participant.person} in this cycle."
        elif person.pk not in holding and counted >= cycle.peer_review_cap:
            row.blocked = f"Already has {counted} peer reviews to write this cycle (the limit)."
        result.append(row)
    return result


# --- Lists -----------------------------------------------------------------------------------


@dataclass
class Approval:
    participant: Participant
    proposed: int
    approved: int


@dataclass
class PendingCycle:
    """For HR admins: a running cycle with nominations still waiting for approval."""

    cycle: Cycle
    proposed: int


def _subtree(user: Any, among: QuerySet[Participant]) -> Q:
    """Participants of `among` in the user's subtree at launch (their manager then, or under
    them by the snapshot path) or now (under them by the person's path), never the user.

    Each of the three is looked up on its own index and the ids are united: as one OR
    across the join, PostgreSQL scanned every participant of every cycle (423 ms, and as
    much again for the count, on an HR admin's approvals page at 100k people). Each branch
    is narrowed by `among` itself: united first and narrowed after, the 7,600 people under
    an HR admin were hashed against every participant (a sequential scan of 190,000 rows,
    150–200 ms, twice)."""
    actor = actor_for(user)
    if actor is None:
        return Q(pk__in=[])
    me = actor.person.pk
    path = actor.person.path
    ids = among.filter(manager_id=me).order_by().values("pk")
    if path:
        ids = ids.union(
            among.filter(path__startswith=path).order_by().values("pk"),
            among.filter(person__path__startswith=path).order_by().values("pk"),
        )
    return Q(pk__in=ids) & ~Q(person_id=me)


def _approving_now(cycle_ref: str) -> Exists:
    """The cycle's nomination phase is open today: only then can peers be approved."""
    today = timezone.localdate()
    return Exists(
        Phase.objects.filter(
            cycle_id=OuterRef(cycle_ref),
            kind=PhaseKind.NOMINATION,
            opens_on__lte=today,
            due_on__gte=today,
        )
    )


def _cycles_approving_now() -> list[int]:
    """The running cycles whose nomination phase is open today (a handful of rows, one
    query). Read first, so a day without any costs nothing more, and each cycle's waiting
    participants are then read from its own partial index: as a correlated EXISTS per
    participant PostgreSQL found the participants first."""
    today = timezone.localdate()
    return list(
        Phase.objects.filter(
            kind=PhaseKind.NOMINATION,
            opens_on__lte=today,
            due_on__gte=today,
            cycle__status=CycleStatus.ACTIVE,
        )
        .order_by("cycle_id")
        .values_list("cycle_id", flat=True)
    )


def pending_approvals(user: Any, cycle: Cycle | None = None) -> tuple[list[Approval], int]:
    """Participants in the user's subtree (at launch or now) whose proposed peers wait for
    approval while it can still be given (running cycle, nomination phase open), with
    counts; at most 100, and how many there are in all.

    "Waiting" and the counts are the participant's nomination counters (`peers_proposed`,
    `peers_approved`, kept by `reviews.tally` in every nomination service's transaction),
    read through the partial indexes of waiting participants (`participant_waiting_*`):
    joining and counting the nominations themselves walked every proposed nomination of
    the user's subtree, three times (an HR admin at 100,000 people with 543 people
    waiting: 126 ms of SQL, 150 ms a call; docs/benchmarks.md)."""
    cycle_ids = _cycles_approving_now()
    if cycle is not None:
        cycle_ids = [pk for pk in cycle_ids if pk == cycle.pk]
    if not cycle_ids:
        return [], 0
    waiting = Participant.objects.filter(
        cycle_id__in=cycle_ids, removed_at__isnull=True, peers_proposed__gt=0
    )
    participants = scope(user, waiting).filter(_subtree(user, waiting))
    # The page's ids in order, with how many there are in all (a window over the same
    # rows: a separate COUNT ran the three branches again), then those rows in full: sorted
    # and counted with every column, the 13,300 waiting under the CEO spilled to disk.
    page = list(
        participants.annotate(waiting_total=Window(Count("pk")))
        .order_by("cycle__period_end", "person__sort_name", "pk")
        .values_list("pk", "waiting_total")[:APPROVALS_LIMIT]
    )
    if not page:
        return [], 0
    found = Participant.objects.select_related("person", "cycle").in_bulk([pk for pk, _ in page])
    rows = [
        Approval(participant=p, proposed=p.peers_proposed, approved=p.peers_approved)
        for p in (found[pk] for pk, _ in page)
    ]
    return rows, page[0][1]


def pending_by_cycle(user: Any) -> list[PendingCycle]:
    """HR admins: each running cycle in its nomination phase with proposed nominations, for
    "approve all"."""
    if not can(user, "reviews.manage"):
        return []
    # A count per cycle from the (cycle, status) index alone (COUNT(*): no row is read),
    # kept or not in Python (a cycle or two): as a filtered COUNT over the join, PostgreSQL
    # read every nomination of the cycle (278,000 at 100k people, 80 ms).
    proposed = Subquery(
        Nomination.objects.filter(cycle_id=OuterRef("pk"), status=NominationStatus.PROPOSED)
        .order_by()
        .values("cycle_id")
        .annotate(n=Count("*"))
        .values("n")[:1],
        output_field=IntegerField(),
    )
    cycles = scope(
        user, Cycle.objects.filter(_approving_now("pk"), status=CycleStatus.ACTIVE)
    ).annotate(proposed=proposed)
    return [
        PendingCycle(cycle=c, proposed=c.proposed)
        for c in cycles.order_by("period_end", "pk")
        if c.proposed  # None: no proposed nomination
    ]


def my_peer_requests(user: Any) -> QuerySet[Nomination]:
    """Approved nominations where I am the peer, in running cycles, each with the state of
    my peer review (`review_state`) and its id (`review_id`)."""
    actor = actor_for(user)
    if actor is None:
        return Nomination.objects.none()
    mine = Review.objects.filter(
        participant_id=OuterRef("participant_id"),
        relationship=Relationship.PEER,
        reviewer_id=actor.person.pk,
    )
    return (
        scope(user, Nomination.objects.all())
        .filter(
            peer_id=actor.person.pk,
            status=NominationStatus.APPROVED,
            cycle__status=CycleStatus.ACTIVE,
            participant__removed_at__isnull=True,
        )
        .select_related("cycle", "participant__person")
        .annotate(
            review_state=Subquery(mine.values("state")[:1]),
            review_id=Subquery(mine.values("pk")[:1]),
        )
        .order_by("cycle_id", "participant__person__sort_name", "pk")
    )


def nomination_for_decline(user: Any, nomination_id: int) -> Nomination:
    """The nomination, for the peer it names; anyone else gets a 404."""
    nomination = (
        scope(user, Nomination.objects.all())
        .select_related("cycle", "participant__person", "participant__manager", "peer")
        .filter(pk=nomination_id)
        .first()
    )
    if nomination is None or not can(user, "nomination.decline", nomination):
        raise NotAllowed("decline denied")
    return nomination


def nomination_for_replace(user: Any, nomination_id: int) -> Nomination:
    """The nomination, for someone who may approve the participant's peers; else a 404."""
    nomination = (
        scope(user, Nomination.objects.all())
        .select_related("cycle", "participant__person", "participant__manager", "peer")
        .prefetch_related("cycle__phases")
        .filter(pk=nomination_id)
        .first()
    )
    if nomination is None or not can(user, "nomination.approve", nomination.participant):
        raise NotAllowed("replace denied")
    return nomination


def peer_review_state(nomination: Nomination) -> str | None:
    return (
        Review.objects.filter(
            participant_id=nomination.participant_id,
            relationship=Relationship.PEER,
            reviewer_id=nomination.peer_id,
        )
        .values_list("state", flat=True)
        .first()
    )


def decline_url_for(review: Review) -> str:
    """Where the writer of an open peer review may decline it ("" when they cannot): for the
    review page to link to."""
    if review.relationship != Relationship.PEER or review.state not in DECLINABLE_STATES:
        return ""
    nomination_id = (
        Nomination.objects.filter(
            participant_id=review.participant_id,
            peer_id=review.reviewer_id,
            status=NominationStatus.APPROVED,
        )
        .values_list("pk", flat=True)
        .first()
    )
    if nomination_id is None:
        return ""
    return reverse("reviews:nomination_decline", args=[nomination_id])
