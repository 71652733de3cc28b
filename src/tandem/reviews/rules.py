"""Who may see and do what in review cycles.

- HR admins run cycles, templates and scales and read everything (peer names included,
  unless the cycle hides them from HR too). HR partners read the reviews and progress of
  participants in their departments (department as frozen at launch).
- A reviewer reads and writes their own review.
- The person reviewed reads their self review; their manager review once it is shared;
  peer and skip-level reviews once shared if the cycle says so (names hidden when peers
  are anonymous to them). Upward reviews about a manager reach that manager only as an
  anonymous summary, never as rows.
- Managers above the person reviewed (in the reporting tree at launch, or now) read the
  submitted reviews about them, with peer names; never the upward reviewers' names.
- Everyone else, including a manager outside the chain and a peer reading another
  review, sees nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from tandem.access.rules import Actor, rule, scope_for
from tandem.org.models import Person
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
    """Reopening a submitted review for changes: HR admins and the covering HR partner."""
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
    return False  # upward: an anonymous summary only


@rule("review.view")
def _review_view(actor: Actor, review: Review) -> bool:
    """Reading a review: its writer, HR reading the department, the person reviewed as the
    cycle's sharing rules say, and managers above once it is submitted."""
    if review.reviewer_id == actor.person.pk:
        return True
    participant = review.participant
    if _hr_reads(actor, participant):
        return True
    if review.reviewee_id == actor.person.pk:
        return _reviewee_reads(review)
    return review.state in DONE_STATES and is_above(actor, participant)


@rule("review.see_author")
def _review_see_author(actor: Actor, review: Review) -> bool:
    """Whether the reviewer's name is shown to this reader of the review."""
    if review.reviewer_id == actor.person.pk:
        return True
    if review.relationship in (Relationship.SELF, Relationship.MANAGER, Relationship.SKIP_LEVEL):
        return True
    hr = _hr_reads(actor, review.participant)
    if review.relationship == Relationship.UPWARD:
        return hr and not review.cycle.peer_names_hidden_from_hr
    # Peer reviews.
    if review.reviewee_id == actor.person.pk:
        return not review.cycle.peers_anonymous_to_reviewee
    if is_above(actor, review.participant):
        return True
    return hr and not review.cycle.peer_names_hidden_from_hr


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
    """Participants whose progress the actor may follow: themselves, their subtree, and HR's."""
    if actor.is_hr_admin:
        return queryset
    visible = Q(person_id=actor.person.pk) | _above_q(actor, "")
    if actor.is_hr_partner:
        visible |= _partner_q(actor, "")
    return queryset.filter(visible)


@scope_for(Nomination)
def scope_nominations(
    actor: Actor, queryset: QuerySet[Nomination], **_: Any
) -> QuerySet[Nomination]:
    """A nomination is seen by the nominated peer, the participant, their managers and HR."""
    if actor.is_hr_admin:
        return queryset
    visible = (
        Q(peer_id=actor.person.pk)
        | Q(participant__person_id=actor.person.pk)
        | _above_q(actor, "participant__")
    )
    if actor.is_hr_partner:
        visible |= _partner_q(actor, "participant__")
    return queryset.filter(visible)


@scope_for(Review)
def scope_reviews(actor: Actor, queryset: QuerySet[Review], **_: Any) -> QuerySet[Review]:
    """The same decisions as `review.view`, as one filter."""
    if actor.is_hr_admin:
        return queryset
    me = actor.person.pk
    as_reviewee = Q(reviewee_id=me) & (
        Q(relationship=Relationship.SELF)
        | Q(relationship=Relationship.MANAGER, state__in=SHARED_STATES)
        | Q(
            relationship__in=[Relationship.PEER, Relationship.SKIP_LEVEL],
            participant__shared_at__isnull=False,
            cycle__reviewee_sees_peer_reviews=True,
            state__in=DONE_STATES,
        )
    )
    visible = Q(reviewer_id=me) | as_reviewee
    visible |= Q(state__in=DONE_STATES) & _above_q(actor, "participant__")
    if actor.is_hr_partner:
        visible |= _partner_q(actor, "participant__")
    return queryset.filter(visible)
