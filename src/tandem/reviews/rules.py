"""Who may see and do what in review cycles.

- HR admins run cycles, templates and scales and read everything (peer names included,
  unless the cycle hides them from HR too). HR partners read the reviews and progress of
  participants in their departments (department as frozen at launch).
- A reviewer reads and writes their own review.
- The person reviewed reads their self review; their manager review once it is shared;
  peer and skip-level reviews once shared if the cycle says so.
- Managers above the person reviewed (in the reporting tree at launch, or now) read the
  submitted reviews about them, with peer names.
- Everyone else, including a manager outside the chain and a peer reading another
  review, sees nothing.

One anonymity rule over all of it (docs/anonymity.md): **a reader who may not know who
wrote a review never gets that review as a row** — not its page, its id, its state or its
times. Upward reviews are anonymous to everyone but their writer (and to HR only while the
program switch `hr_reads_upward_reviews` is off, or the cycle hides names from HR); peer
reviews are anonymous to the person reviewed when the cycle says so, and to HR when the
cycle hides names from HR. Those readers get the answers only as an anonymous group
(`reviews.queries.anonymous`): per question, shuffled, once released and only above the
minimum group size.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import Q, QuerySet

from tandem.access.rules import Actor, rule, scope_for
from tandem.org.models import Department, Person
from tandem.program.models import Program
from tandem.reviews.models import (
    DONE_STATES,
    Cycle,
    CycleStatus,
    Nomination,
    Participant,
    Relationship,
    Review,
    ReviewState,
    Template,
)

SHARED_STATES = (ReviewState.SHARED, ReviewState.ACKNOWLEDGED)


def _partner_covers(actor: Actor, participant: Participant) -> bool:
    if not actor.is_hr_partner or participant.department_id is None:
        return False
    department = participant.department
    return department is not None and actor.partner_covers_department_path(department.path)


def is_above(actor: Actor, participant: Participant) -> bool:
    """A manager of the participant at launch (snapshot path) or now."""
    own = actor.person.path
    if not own or participant.person_id == actor.person.pk:
        return False
    if participant.path.startswith(own):
        return True
    person: Person = participant.person
    return person.path.startswith(own)


def _hr_reads(actor: Actor, participant: Participant) -> bool:
    return actor.is_hr_admin or _partner_covers(actor, participant)


def program_for(actor: Actor | None) -> Program:
    """The program's switches, read once per request: kept on the actor (itself kept on the
    request's user), so a list asks the database once, not once per row."""
    if actor is None:
        return Program.current()
    cached = actor.__dict__.get("_program")
    if cached is None:
        cached = Program.current()
        actor.__dict__["_program"] = cached
    return cached


def hr_reads_upward(actor: Actor) -> bool:
    """Whether the program lets HR read upward reviews one by one."""
    return actor.is_hr and bool(program_for(actor).hr_reads_upward_reviews)


def anonymous_to(actor: Actor, review: Review) -> bool:
    """Whether `actor` may not know who wrote `review` — and so never gets it as a row."""
    if review.reviewer_id == actor.person.pk:
        return False
    relationship = review.relationship
    if relationship in (Relationship.SELF, Relationship.MANAGER, Relationship.SKIP_LEVEL):
        return False
    participant = review.participant
    hr = _hr_reads(actor, participant)
    if relationship == Relationship.UPWARD:
        return not (hr and hr_reads_upward(actor) and not review.cycle.peer_names_hidden_from_hr)
    # Peer reviews.
    if review.reviewee_id == actor.person.pk:
        return review.cycle.peers_anonymous_to_reviewee
    if is_above(actor, participant):
        return False
    return not hr or review.cycle.peer_names_hidden_from_hr


# --- Building blocks and cycles -------------------------------------------------------------


@rule("reviews.manage")
def _reviews_manage(actor: Actor, _: Any) -> bool:
    """Templates, scales and cycles: set up, launch, add/remove people, reopen, release."""
    return actor.is_hr_admin


@rule("cycle.view")
def _cycle_view(actor: Actor, cycle: Cycle) -> bool:
    """A launched cycle's name, dates and purpose are public inside the company."""
    return cycle.status in (CycleStatus.ACTIVE, CycleStatus.CLOSED) or actor.is_hr_admin


@rule("cycle.progress")
def _cycle_progress(actor: Actor, cycle: Cycle) -> bool:
    """Progress pages and exports: HR (partners for their departments) and managers (their
    subtree). The figures themselves are scoped through `scope(Participant)`."""
    if not _cycle_view(actor, cycle):
        return False
    return actor.is_hr or actor.is_manager


@rule("cycle.export_results")
def _cycle_export_results(actor: Actor, cycle: Cycle) -> bool:
    """Exporting a cycle's results (CSV/XLSX): HR, once the cycle is launched."""
    return actor.is_hr and cycle.status != CycleStatus.DRAFT


@rule("participant.view")
def _participant_view(actor: Actor, participant: Participant) -> bool:
    """A person's page in a cycle: the person, their managers (at launch or now) and HR
    reading their department."""
    return (
        participant.person_id == actor.person.pk
        or is_above(actor, participant)
        or _hr_reads(actor, participant)
    )


@rule("participant.share")
def _participant_share(actor: Actor, participant: Participant) -> bool:
    """The manager who wrote the manager review shares it; HR admins may too."""
    return participant.manager_id == actor.person.pk or actor.is_hr_admin


@rule("participant.acknowledge")
def _participant_acknowledge(actor: Actor, participant: Participant) -> bool:
    """Acknowledging a shared review: the person reviewed only."""
    return participant.person_id == actor.person.pk


# --- Nominations -------------------------------------------------------------------------


@rule("nomination.propose")
def _nomination_propose(actor: Actor, participant: Participant) -> bool:
    """Proposing peers: the person reviewed (their manager approves)."""
    return participant.person_id == actor.person.pk


@rule("nomination.approve")
def _nomination_approve(actor: Actor, participant: Participant) -> bool:
    """The manager at launch, any manager above now, or an HR admin."""
    return (
        participant.manager_id == actor.person.pk
        or is_above(actor, participant)
        or actor.is_hr_admin
    )


@rule("nomination.decline")
def _nomination_decline(actor: Actor, nomination: Nomination) -> bool:
    """Declining to review someone: the nominated peer only."""
    return nomination.peer_id == actor.person.pk


# --- Reviews -----------------------------------------------------------------------------


@rule("review.write")
def _review_write(actor: Actor, review: Review) -> bool:
    """Only the reviewer writes (phase windows and states are checked by the service)."""
    return review.reviewer_id == actor.person.pk


@rule("review.reopen")
def _review_reopen(actor: Actor, review: Review) -> bool:
    """Reopening a submitted review for changes: HR admins and the covering HR partner, for
    a review whose writer they may know (an anonymous one never reaches them as a row)."""
    if anonymous_to(actor, review):
        return False
    return actor.is_hr_admin or _partner_covers(actor, review.participant)


def _reviewee_reads(review: Review) -> bool:
    relationship = review.relationship
    if relationship == Relationship.SELF:
        return True
    if relationship == Relationship.MANAGER:
        return review.state in SHARED_STATES
    if relationship in (Relationship.PEER, Relationship.SKIP_LEVEL):
        participant = review.participant
        return (
            participant.shared_at is not None
            and review.cycle.reviewee_sees_peer_reviews
            and review.state in DONE_STATES
        )
    return False  # upward: an anonymous group only


def upward_states_hidden(actor: Actor | None, cycle: Cycle) -> bool:
    """Whether `actor` must not follow upward reviews' states in `cycle` (progress figures,
    overdue lists, exports, reminders by hand): everyone but HR whom the program lets read
    upward reviews in a cycle that does not hide names from HR."""
    if actor is None:
        return True
    return not (actor.is_hr and hr_reads_upward(actor) and not cycle.peer_names_hidden_from_hr)


def hidden_channels(actor: Actor, participant: Participant) -> set[str]:
    """The relationships whose writers are anonymous to `actor` in reviews about
    `participant` (a writer's own review aside): what `anonymous_to` decides, per channel."""
    cycle = participant.cycle
    hidden: set[str] = set()
    hr = _hr_reads(actor, participant)
    if not (hr and hr_reads_upward(actor) and not cycle.peer_names_hidden_from_hr):
        hidden.add(Relationship.UPWARD)
    if participant.person_id == actor.person.pk:
        if cycle.peers_anonymous_to_reviewee:
            hidden.add(Relationship.PEER)
    elif not is_above(actor, participant) and (not hr or cycle.peer_names_hidden_from_hr):
        hidden.add(Relationship.PEER)
    return hidden


@rule("review.view")
def _review_view(actor: Actor, review: Review) -> bool:
    """Reading a review: its writer, HR reading the department, the person reviewed as the
    cycle's sharing rules say, and managers above once it is submitted — never a reader to
    whom the writer is anonymous (upward reviews; anonymous peers): they read the answers
    only in the anonymous group."""
    if review.reviewer_id == actor.person.pk:
        return True
    if anonymous_to(actor, review):
        return False
    participant = review.participant
    if _hr_reads(actor, participant):
        return True
    if review.reviewee_id == actor.person.pk:
        return _reviewee_reads(review)
    return review.state in DONE_STATES and is_above(actor, participant)


@rule("review.see_author")
def _review_see_author(actor: Actor, review: Review) -> bool:
    """Whether the reviewer's name is shown to this reader: always, for a review they may
    read as a row (those who may not know the writer read no rows, only the anonymous group)."""
    return not anonymous_to(actor, review)


@rule("participant.anonymous_group")
def _participant_anonymous_group(actor: Actor, participant: Participant) -> bool:
    """Reading the anonymous answers about a person (upward reviews, anonymous peer reviews)
    as a group: the person (once their reviews are shared), their managers (at launch or
    now) and HR reading their department. Which groups each may read, and when, is decided
    in `reviews.queries.anonymous`."""
    return _participant_view(actor, participant)


# --- Scopes ------------------------------------------------------------------------------


def _above_q(actor: Actor, prefix: str) -> Q:
    own = actor.person.path
    if not own:
        return Q(pk__in=[])
    return (
        Q(**{f"{prefix}path__startswith": own}) | Q(**{f"{prefix}person__path__startswith": own})
    ) & ~Q(**{f"{prefix}person_id": actor.person.pk})


def _partner_q(actor: Actor, prefix: str) -> Q:
    q = Q(pk__in=[])
    for path in actor.partner_department_paths:
        q |= Q(**{f"{prefix}department__path__startswith": path})
    return q


# A reader who sees at most this many rows of a table gets them by id (`_few_by_id`).
BY_ID_LIMIT = 1000


def _few_by_id(queryset: QuerySet[Any], branches: list[QuerySet[Any]], visible: Q) -> QuerySet[Any]:
    """`queryset` filtered to the rows of any of `branches` (each a way of seeing a row, on
    its own index) — by id when they are at most `BY_ID_LIMIT`, else by `visible`, the same
    rows as one filter.

    As one OR across a join (peer, participant, under the reader by the participant's or
    the person's path), PostgreSQL joined every row of the cycle to its participant and
    person before filtering: a second for an employee's page of nominations at 100k
    people. The branches are one query (each limited, so each is planned to stop early,
    under 4 ms); a reader who sees few rows then gets a primary-key lookup. A reader who
    sees many (the top of the tree, an HR partner of large departments) keeps the OR: most
    rows match, so a page stops early. Not an IN over the union: at the top of the tree
    that union is every row (2.5 s for nominations), and once a page joins eight tables
    PostgreSQL (past `join_collapse_limit`) hashed the whole cycle before the few ids."""
    cap = BY_ID_LIMIT + 1
    parts = [branch.order_by().values_list("pk", flat=True)[:cap] for branch in branches]
    if not connections[queryset.db].features.supports_slicing_ordering_in_compound:
        # SQLite allows no LIMIT inside a UNION: without one each branch read every row it
        # matches (the whole subtree for the CEO: 10,000 rows at 10k). Each branch limited in
        # a subquery of its own (`pk IN (… LIMIT 1001)`) stops as early as on PostgreSQL.
        model = queryset.model
        parts = [
            model.objects.filter(pk__in=part).order_by().values_list("pk", flat=True)
            for part in parts
        ]
    first, *rest = parts
    # UNION ALL, not UNION: the database stops reading branches once `cap` rows came back
    # (a UNION must read every branch to remove duplicates). For the CEO at 100k people on
    # PostgreSQL, EXPLAIN showed the third branch (a join to each participant's person)
    # taking 55 of 79 ms to confirm what the second had already shown. `cap` rows back,
    # duplicates or not, means "many": the filter then is `visible`, the same rows.
    rows = list(first.union(*rest, all=True)[:cap])
    if len(rows) < cap:
        return queryset.filter(pk__in=sorted(set(rows)))
    return queryset.filter(visible)


@scope_for(Cycle)
def scope_cycles(actor: Actor, queryset: QuerySet[Cycle], **_: Any) -> QuerySet[Cycle]:
    """Launched and closed cycles for everyone; drafts for HR admins too."""
    if actor.is_hr_admin:
        return queryset
    return queryset.filter(status__in=[CycleStatus.ACTIVE, CycleStatus.CLOSED])


@scope_for(Template)
def scope_templates(actor: Actor, queryset: QuerySet[Template], **_: Any) -> QuerySet[Template]:
    """Review templates: HR admins only."""
    return queryset if actor.is_hr_admin else queryset.none()


@scope_for(Participant)
def scope_participants(
    actor: Actor, queryset: QuerySet[Participant], **_: Any
) -> QuerySet[Participant]:
    """Participants whose progress the actor may follow: themselves, their subtree, and HR's
    (looked up by id when few, `_few_by_id`)."""
    if actor.is_hr_admin:
        return queryset
    me = actor.person.pk
    own = actor.person.path
    visible = Q(person_id=me) | _above_q(actor, "")
    if actor.is_hr_partner:
        visible |= _partner_q(actor, "")
    # The reader's own rows cover the exclusion in `_above_q`.
    branches = [Participant.objects.filter(person_id=me)]
    if own:
        branches += [
            Participant.objects.filter(path__startswith=own),
            Participant.objects.filter(person__path__startswith=own),
        ]
    if actor.is_hr_partner:
        branches += [
            Participant.objects.filter(department__path__startswith=path)
            for path in actor.partner_department_paths
        ]
    return _few_by_id(queryset, branches, visible)


def _partner_participants(actor: Actor, cycle_id: int | None) -> QuerySet[Any]:
    """The ids of the participants an HR partner sees (in one cycle when given): their
    own, those under them (at launch or now) and those of their departments, each branch
    on its own index, united. The departments are read first, by path on their own small
    table: as a subquery PostgreSQL hashed them against every participant of the cycle."""
    me = actor.person.pk
    own = actor.person.path
    base = (
        Participant.objects.all()
        if cycle_id is None
        else Participant.objects.filter(cycle_id=cycle_id)
    )
    departments = Q(pk__in=[])
    for path in actor.partner_department_paths:
        departments |= Q(path__startswith=path)
    branches = [
        base.filter(person_id=me),
        base.filter(
            department_id__in=list(
                Department.objects.filter(departments).values_list("pk", flat=True)
            )
        ),
    ]
    if own:
        branches += [base.filter(path__startswith=own), base.filter(person__path__startswith=own)]
    first, *rest = [branch.order_by().values("pk") for branch in branches]
    return first.union(*rest)


@scope_for(Nomination)
def scope_nominations(
    actor: Actor, queryset: QuerySet[Nomination], cycle_id: int | None = None, **_: Any
) -> QuerySet[Nomination]:
    """A nomination is seen by the nominated peer, the participant, their managers and HR
    (looked up by id when few, `_few_by_id`). `cycle_id`, when the caller reads one
    cycle's nominations, narrows the look-ups to it.

    An HR partner who sees many nominations filters by the ids of the participants they
    see rather than by the OR across the join: their departments' rows are scattered
    through the cycle, so a page walked 120,000 nominations joined to their participants,
    people and departments before finding 50 (1.2 s at 100k people); against the hashed
    participant ids it is a cheap test per row (~100 ms)."""
    if actor.is_hr_admin:
        return queryset
    me = actor.person.pk
    own = actor.person.path
    visible = Q(peer_id=me) | Q(participant__person_id=me) | _above_q(actor, "participant__")
    if actor.is_hr_partner:
        visible = Q(peer_id=me) | Q(participant_id__in=_partner_participants(actor, cycle_id))
    # The participant's own nominations cover the reader, whom `_above_q` leaves out: the
    # union needs no exclusion.
    in_cycle = (
        Nomination.objects.all()
        if cycle_id is None
        else Nomination.objects.filter(cycle_id=cycle_id)
    )
    branches = [
        in_cycle.filter(peer_id=me),
        in_cycle.filter(participant__person_id=me),
    ]
    if own:
        branches += [
            in_cycle.filter(participant__path__startswith=own),
            in_cycle.filter(participant__person__path__startswith=own),
        ]
    if actor.is_hr_partner:
        branches += [
            in_cycle.filter(participant__department__path__startswith=path)
            for path in actor.partner_department_paths
        ]
    return _few_by_id(queryset, branches, visible)


def _hr_anonymous_q(actor: Actor) -> Q:
    """Reviews whose writer HR may not know: upward ones unless the program lets HR read
    them (and the cycle does not hide names from HR), peer ones when the cycle hides names
    from HR."""
    upward = Q(relationship=Relationship.UPWARD)
    if hr_reads_upward(actor):
        upward &= Q(cycle__peer_names_hidden_from_hr=True)
    return upward | Q(relationship=Relationship.PEER, cycle__peer_names_hidden_from_hr=True)


@scope_for(Review)
def scope_reviews(actor: Actor, queryset: QuerySet[Review], **_: Any) -> QuerySet[Review]:
    """The same decisions as `review.view`, as one filter."""
    me = actor.person.pk
    own = Q(reviewer_id=me)
    if actor.is_hr_admin:
        return queryset.filter(own | ~_hr_anonymous_q(actor))
    shared_to_reviewee = Q(
        participant__shared_at__isnull=False,
        cycle__reviewee_sees_peer_reviews=True,
        state__in=DONE_STATES,
    )
    as_reviewee = Q(reviewee_id=me) & (
        Q(relationship=Relationship.SELF)
        | Q(relationship=Relationship.MANAGER, state__in=SHARED_STATES)
        | (Q(relationship=Relationship.SKIP_LEVEL) & shared_to_reviewee)
        | (
            Q(relationship=Relationship.PEER, cycle__peers_anonymous_to_reviewee=False)
            & shared_to_reviewee
        )
    )
    above = (
        Q(state__in=DONE_STATES)
        & _above_q(actor, "participant__")
        & ~Q(relationship=Relationship.UPWARD)
    )
    visible = own | as_reviewee | above
    if actor.is_hr_partner:
        visible |= _partner_q(actor, "participant__") & ~_hr_anonymous_q(actor)
    return queryset.filter(visible)
