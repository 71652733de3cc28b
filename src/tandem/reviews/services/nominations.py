"""Peer nomination: the reviewee proposes peers, the manager approves or changes them, a
peer may decline with a reason, and the manager picks a replacement.

No one is asked to write more than the cycle's `peer_review_cap` peer reviews. The load of
a person is their peer reviews in the cycle plus the nominations proposed to them; declined
and rejected nominations hold no slot. The people whose load is checked are locked first
(`select_for_update`), so two reviewees proposing the same colleague at once cannot both
take the last slot.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format

from tandem.access.rules import require
from tandem.audit.services import record
from tandem.core.queue import enqueue_on_commit
from tandem.notifications.services import Message, notify, notify_many
from tandem.org.models import Person, PersonStatus
from tandem.reviews import phases, tally
from tandem.reviews.models import (
    Cycle,
    CycleForm,
    Nomination,
    NominationStatus,
    Participant,
    PhaseKind,
    Relationship,
    Review,
    TemplateVersion,
)
from tandem.reviews.queries.nominations import DECLINABLE_STATES, peer_load_parts

KIND = "reviews.nomination"
REASON_LIMIT = 500
NOTIFY_BATCH = 2000

PeerRef = Person | int


@dataclass(frozen=True)
class BulkApproval:
    """What `approve_all_pending` did: nominations approved, and those left waiting because
    their peer had reached the cap (or had left, or the participant was removed)."""

    approved: int
    skipped: int


# --- Checks ------------------------------------------------------------------------------------


def _ids(peers: Iterable[PeerRef], field: str) -> list[int]:
    ids: list[int] = []
    for peer in peers:
        raw = peer.pk if isinstance(peer, Person) else peer
        try:
            pk = int(raw)
        except (TypeError, ValueError):
            raise ValidationError({field: f"“{raw}” is not a person."}) from None
        if pk in ids:
            raise ValidationError({field: "The same person is named twice; name each peer once."})
        ids.append(pk)
    return ids


def _people(ids: Sequence[int], participant: Participant, field: str) -> dict[int, Person]:
    """The named people, locked, after the checks that need no load: they exist, are not the
    reviewee, and still work here."""
    if participant.person_id in ids:
        raise ValidationError({field: "You cannot review yourself as a peer; choose a colleague."})
    people = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    missing = [pk for pk in ids if pk not in people]
    if missing:
        raise ValidationError({field: f"There is no person with id {missing[0]}."})
    for pk in ids:
        person = people[pk]
        if person.status == PersonStatus.LEFT or not person.is_active:
            raise ValidationError(
                {field: f"{person} has left the company; choose someone who still works here."}
            )
    return people


def _check_cap(
    cycle: Cycle, people: dict[int, Person], ids: Iterable[int], *, approved_only: bool, field: str
) -> None:
    ids = list(ids)
    loads = peer_load_parts(cycle, ids)
    for pk in ids:
        approved, proposed = loads.get(pk, (0, 0))
        load = approved if approved_only else approved + proposed
        if load >= cycle.peer_review_cap:
            raise ValidationError(
                {
                    field: f"{people[pk]} already has {load} peer reviews to write this cycle "
                    "(the limit); choose someone else."
                }
            )


def _check_count(cycle: Cycle, total: int, field: str) -> None:
    if total < cycle.peers_min:
        plural = "s" if cycle.peers_min != 1 else ""
        raise ValidationError(
            {field: f"Choose at least {cycle.peers_min} peer{plural} in all (now {total})."}
        )
    if total > cycle.peers_max:
        raise ValidationError(
            {field: f"Choose at most {cycle.peers_max} peers in all (now {total})."}
        )


def _check_declined(
    existing: dict[int, Nomination], ids: Iterable[int], people: dict[int, Person], field: str
) -> None:
    for pk in ids:
        nomination = existing.get(pk)
        if nomination is not None and nomination.status == NominationStatus.DECLINED:
            raise ValidationError(
                {field: f"{people[pk]} declined to review this person; choose someone else."}
            )


def _require_participating(participant: Participant, field: str) -> None:
    if participant.removed_at is not None:
        raise ValidationError({field: "This person is no longer part of the cycle."})


def _peer_version(cycle: Cycle, field: str) -> TemplateVersion:
    form = (
        CycleForm.objects.select_related("version")
        .filter(cycle=cycle, relationship=Relationship.PEER)
        .first()
    )
    if form is None or form.version_id is None:
        raise ValidationError({field: "This cycle has no peer reviews, so no peers are approved."})
    assert form.version is not None
    return form.version


def _locked(participant: Participant) -> Participant:
    """The participant row, locked, so two saves of the same nominations run one by one."""
    return (
        Participant.objects.select_for_update(of=("self",))
        .select_related("cycle", "person", "manager")
        .prefetch_related("cycle__phases")
        .get(pk=participant.pk)
    )


def _existing(participant: Participant) -> dict[int, Nomination]:
    return {n.peer_id: n for n in Nomination.objects.filter(participant=participant)}


def _pk(by: Any) -> int | None:
    """The acting person's id; None for the command line and tasks (SYSTEM)."""
    return getattr(by, "pk", None)


def _set_key(ids: Iterable[int]) -> str:
    return hashlib.sha256(",".join(str(pk) for pk in sorted(ids)).encode()).hexdigest()[:16]


def _page_url(participant: Participant) -> str:
    return reverse("reviews:nominations", args=[participant.pk])


def _peer_due(cycle: Cycle) -> str:
    phase = phases.phases_of(cycle).get(PhaseKind.PEER)
    return date_format(phase.due_on, "j F Y") if phase else "the end of the cycle"


def _manager_of(participant: Participant) -> Any:
    return participant.manager or participant.person.manager


# --- Proposing ---------------------------------------------------------------------------------


@transaction.atomic
def propose_peers(participant: Participant, peers: Iterable[PeerRef], *, by: Any) -> list[int]:
    """The reviewee names the peers they propose (replacing what they proposed before; approved
    peers stay). Returns the ids of the proposed peers."""
    require(by, "nomination.propose", participant)
    field = "peers"
    ids = _ids(peers, field)
    participant = _locked(participant)
    cycle = participant.cycle
    phases.require_action(cycle, "nomination.propose", field=field)
    _require_participating(participant, field)
    existing = _existing(participant)
    approved = {pk for pk, n in existing.items() if n.status == NominationStatus.APPROVED}
    before = {pk for pk, n in existing.items() if n.status == NominationStatus.PROPOSED}
    wanted = [pk for pk in ids if pk not in approved]
    people = _people(wanted, participant, field)
    _check_declined(existing, wanted, people, field)
    _check_count(cycle, len(approved) + len(wanted), field)
    _check_cap(
        cycle, people, [pk for pk in wanted if pk not in before], approved_only=False, field=field
    )
    after = set(wanted)
    if after == before:
        return sorted(after)
    dropped = before - after
    Nomination.objects.filter(
        participant=participant, status=NominationStatus.PROPOSED, peer_id__in=dropped
    ).delete()
    # A peer the manager did not approve earlier may be proposed again.
    again = [pk for pk in after - before if pk in existing]
    Nomination.objects.filter(participant=participant, peer_id__in=again).update(
        status=NominationStatus.PROPOSED, nominated_by_id=_pk(by), decided_by=None, decided_at=None
    )
    Nomination.objects.bulk_create(
        [
            Nomination(
                cycle=cycle,
                participant=participant,
                peer_id=pk,
                status=NominationStatus.PROPOSED,
                nominated_by_id=_pk(by),
            )
            for pk in wanted
            if pk not in existing
        ]
    )
    tally.refresh(cycle_id=cycle.pk, participant_ids=[participant.pk])
    record(
        actor=by,
        kind="review.nomination.propose",
        obj=participant,
        subject=participant.person,
        changes={"proposed": [sorted(before), sorted(after)]},
    )
    manager = _manager_of(participant)
    if manager is not None and after:
        names = ", ".join(str(people[pk]) for pk in wanted)
        notify(
            person=manager,
            kind=KIND,
            title=f"{participant.person} proposed peers for review; they wait for your approval",
            body=f"Proposed: {names}.",
            url=_page_url(participant),
            dedupe_key=f"reviews.nomination.proposed.{participant.pk}.{_set_key(after)}",
        )
    return sorted(after)


# --- Approving ---------------------------------------------------------------------------------


def _create_peer_reviews(
    participant: Participant, peer_ids: Iterable[int], version: TemplateVersion
) -> list[Review]:
    """One peer review per peer, unless it already exists. Returns the new reviews."""
    peer_ids = set(peer_ids)
    have = set(
        Review.objects.filter(
            participant=participant, relationship=Relationship.PEER, reviewer_id__in=peer_ids
        ).values_list("reviewer_id", flat=True)
    )
    return Review.objects.bulk_create(
        [
            Review(
                cycle_id=participant.cycle_id,
                participant=participant,
                reviewee_id=participant.person_id,
                reviewer_id=pk,
                relationship=Relationship.PEER,
                template_version=version,
            )
            for pk in sorted(peer_ids - have)
        ]
    )


def _review_url(review: Review) -> str:
    """The review page, once the writing pages exist."""
    try:
        return reverse("reviews:review", args=[review.pk])
    except NoReverseMatch:
        return ""


def _tell_new_peers(participant: Participant, reviews: Iterable[Review]) -> None:
    due = _peer_due(participant.cycle)
    notify_many(
        kind=KIND,
        messages=[
            Message(
                person_id=review.reviewer_id,
                title=f"Write a peer review for {participant.person} by {due}",
                body="You may decline with a reason if you cannot write it.",
                url=_review_url(review) if review.pk else "",
                dedupe_key=f"reviews.nomination.approved.{participant.pk}.{review.reviewer_id}",
            )
            for review in reviews
        ],
    )


@transaction.atomic
def approve_peers(
    participant: Participant, *, by: Any, peers: Iterable[PeerRef] | None = None
) -> list[int]:
    """The manager approves the proposed peers, or the final list `peers` (proposed ones left
    out are not approved; new ones are added approved). Approved peers stay approved. Creates
    one peer review per newly approved peer. Returns their ids."""
    require(by, "nomination.approve", participant)
    field = "peers"
    participant = _locked(participant)
    cycle = participant.cycle
    phases.require_action(cycle, "nomination.approve", field=field)
    _require_participating(participant, field)
    version = _peer_version(cycle, field)
    existing = _existing(participant)
    approved = {pk for pk, n in existing.items() if n.status == NominationStatus.APPROVED}
    proposed = {pk for pk, n in existing.items() if n.status == NominationStatus.PROPOSED}
    final = _ids(peers, field) if peers is not None else sorted(proposed)
    new = [pk for pk in final if pk not in approved]
    people = _people(new, participant, field)
    _check_declined(existing, new, people, field)
    _check_count(cycle, len(approved) + len(new), field)
    _check_cap(cycle, people, new, approved_only=True, field=field)
    rejected = proposed - set(new)
    now = timezone.now()
    Nomination.objects.filter(participant=participant, peer_id__in=rejected).update(
        status=NominationStatus.REJECTED, decided_by_id=_pk(by), decided_at=now
    )
    Nomination.objects.filter(participant=participant, peer_id__in=new).update(
        status=NominationStatus.APPROVED, decided_by_id=_pk(by), decided_at=now
    )
    Nomination.objects.bulk_create(
        [
            Nomination(
                cycle=cycle,
                participant=participant,
                peer_id=pk,
                status=NominationStatus.APPROVED,
                nominated_by_id=_pk(by),
                decided_by_id=_pk(by),
                decided_at=now,
            )
            for pk in new
            if pk not in existing
        ]
    )
    created = _create_peer_reviews(participant, new, version)
    tally.refresh(cycle_id=cycle.pk, participant_ids=[participant.pk])
    if not new and not rejected:
        return []
    record(
        actor=by,
        kind="review.nomination.approve",
        obj=participant,
        subject=participant.person,
        changes={"approved": sorted(new), "rejected": sorted(rejected)},
    )
    _tell_new_peers(participant, created)
    everyone = sorted(approved | set(new))
    notify(
        person=participant.person,
        kind=KIND,
        title="Your peer reviewers were approved"
        + (" with changes" if rejected or set(new) - proposed else ""),
        body=f"{len(everyone)} colleague{'s' if len(everyone) != 1 else ''} will review you.",
        url=_page_url(participant),
        dedupe_key=f"reviews.nomination.decided.{participant.pk}.{_set_key(everyone)}",
    )
    return sorted(new)


def _fitting(cycle: Cycle) -> Any:
    """Proposed nominations that fit the cap, set-based: rank each peer's proposals oldest
    first and keep those whose rank, added to the peer reviews they already write, stays
    within the cap. Nominations of removed participants or of peers who left stay waiting."""
    written = (
        Review.objects.filter(
            cycle_id=cycle.pk, relationship=Relationship.PEER, reviewer_id=OuterRef("peer_id")
        )
        .order_by()
        .values("reviewer_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return (
        Nomination.objects.filter(
            cycle_id=cycle.pk,
            status=NominationStatus.PROPOSED,
            participant__removed_at__isnull=True,
            peer__is_active=True,
        )
        .exclude(peer__status=PersonStatus.LEFT)
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("peer_id")], order_by=[F("pk").asc()]),
            written=Coalesce(Subquery(written), 0),
        )
        .filter(rank__lte=cycle.peer_review_cap - F("written"))
        .values_list("pk", flat=True)
    )


def _insert_peer_reviews(cycle: Cycle, version: TemplateVersion, decided_at: Any) -> None:
    """INSERT … SELECT: one peer review per nomination approved at `decided_at` that has
    none, written by the database in one statement (no rows through Python). The constant
    columns come from an unsaved Review, so new fields with defaults are filled too."""
    sample = Review(cycle_id=cycle.pk, relationship=Relationship.PEER, template_version=version)
    from_rows = {
        "participant_id": "n.participant_id",
        "reviewee_id": "p.person_id",
        "reviewer_id": "n.peer_id",
    }
    columns, selects, params = [], [], []
    for model_field in Review._meta.concrete_fields:
        if model_field.primary_key:
            continue
        columns.append(connection.ops.quote_name(model_field.column))
        if model_field.attname in from_rows:
            selects.append(from_rows[model_field.attname])
            continue
        value = model_field.pre_save(sample, add=True)
        selects.append("%s")
        params.append(model_field.get_db_prep_save(value, connection=connection))
    review, nomination, participant = (
        connection.ops.quote_name(m._meta.db_table) for m in (Review, Nomination, Participant)
    )
    # Only quoted table and column names from the models are interpolated; values are params.
    sql = (
        f"INSERT INTO {review} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(selects)} FROM {nomination} n "
        f"INNER JOIN {participant} p ON p.id = n.participant_id "
        "WHERE n.cycle_id = %s AND n.status = %s AND n.decided_at = %s "
        f"AND NOT EXISTS (SELECT 1 FROM {review} r WHERE r.participant_id = n.participant_id "
        "AND r.reviewer_id = n.peer_id AND r.relationship = %s)"
    )
    decided = Nomination._meta.get_field("decided_at").get_db_prep_save(decided_at, connection)
    params += [cycle.pk, NominationStatus.APPROVED, decided, Relationship.PEER]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@transaction.atomic
def approve_all_pending(cycle: Cycle, *, by: Any) -> BulkApproval:
    """HR approves, at once, every proposed nomination of the cycle that fits the cap; the
    rest stay waiting for their manager. Set-based: one UPDATE and one INSERT … SELECT,
    whatever the size of the company; the peers are told by a task after commit."""
    require(by, "reviews.manage", cycle)
    field = "cycle"
    cycle = Cycle.objects.select_for_update().prefetch_related("phases").get(pk=cycle.pk)
    phases.require_action(cycle, "nomination.approve", field=field)
    version = _peer_version(cycle, field)
    if connection.vendor == "postgresql":
        # Proposals made in the last minutes are not in the statistics yet; the planner would
        # then count each peer's written reviews by scanning the whole cycle once per
        # nomination (over 100 s at 100,000 people, bench/reviews.py). ANALYZE samples: ~1 s.
        with connection.cursor() as cursor:
            for model in (Nomination, Review):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    waiting = Nomination.objects.filter(cycle=cycle, status=NominationStatus.PROPOSED).count()
    now = timezone.now()
    # One statement: the ranking subquery is evaluated on the rows as they were before it.
    approved = Nomination.objects.filter(pk__in=_fitting(cycle)).update(
        status=NominationStatus.APPROVED, decided_by_id=_pk(by), decided_at=now
    )
    result = BulkApproval(approved=approved, skipped=waiting - approved)
    if not approved:
        return result
    _insert_peer_reviews(cycle, version, now)
    tally.refresh(cycle_id=cycle.pk)
    record(
        actor=by,
        kind="review.nomination.approve_all",
        obj=cycle,
        changes={"approved": result.approved, "skipped": result.skipped},
    )
    enqueue_on_commit("tandem.reviews.tasks.notify_bulk_approval", cycle.pk, now.isoformat())
    return result


def tell_bulk_approval(cycle: Cycle, decided_at: Any) -> int:
    """One message per peer ("write N peer reviews") for the nominations approved at
    `decided_at`, in batches (run by the `notify_bulk_approval` task)."""
    per_peer = (
        Nomination.objects.filter(
            cycle=cycle, status=NominationStatus.APPROVED, decided_at=decided_at
        )
        .order_by("peer_id")
        .values_list("peer_id")
        .annotate(n=Count("pk"))
    )
    due = _peer_due(cycle)
    stamp = decided_at.strftime("%Y%m%d%H%M%S%f")
    messages = [
        Message(
            person_id=peer_id,
            title=(
                f"Write {count} peer review{'s' if count != 1 else ''} in “{cycle.name}” by {due}"
            ),
            body="You may decline one with a reason if you cannot write it.",
            dedupe_key=f"reviews.nomination.bulk.{cycle.pk}.{peer_id}.{stamp}",
        )
        for peer_id, count in per_peer
    ]
    return sum(
        notify_many(kind=KIND, messages=messages[start : start + NOTIFY_BATCH])
        for start in range(0, len(messages), NOTIFY_BATCH)
    )


# --- Declining and replacing -----------------------------------------------------------------


def _peer_review(nomination: Nomination) -> Review | None:
    return (
        Review.objects.select_for_update()
        .filter(
            participant_id=nomination.participant_id,
            relationship=Relationship.PEER,
            reviewer_id=nomination.peer_id,
        )
        .first()
    )


@transaction.atomic
def decline(nomination: Nomination, *, reason: str, by: Any) -> Nomination:
    """The peer declines an approved nomination whose review they have not submitted. Their
    peer review, with any draft, is deleted; the manager is asked to pick a replacement."""
    require(by, "nomination.decline", nomination)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say in a few words why you decline."})
    if len(reason) > REASON_LIMIT:
        raise ValidationError({"reason": f"The reason is limited to {REASON_LIMIT} characters."})
    if "\x00" in reason:
        raise ValidationError({"reason": "The reason contains a NUL character; remove it."})
    nomination = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("cycle", "participant__person", "participant__manager", "peer")
        .get(pk=nomination.pk)
    )
    phases.require_action(nomination.cycle, "nomination.decline", field="reason")
    if nomination.status != NominationStatus.APPROVED:
        raise ValidationError(
            {"reason": "Only a peer review you were asked to write can be declined."}
        )
    review = _peer_review(nomination)
    if review is not None and review.state not in DECLINABLE_STATES:
        raise ValidationError(
            {"reason": "You have already submitted this peer review; it can no longer be declined."}
        )
    had_draft = review is not None and bool(review.answers)
    if review is not None:
        review.delete()
    nomination.status = NominationStatus.DECLINED
    nomination.decline_reason = reason
    nomination.save(update_fields=["status", "decline_reason"])
    participant = nomination.participant
    tally.refresh(cycle_id=nomination.cycle_id, participant_ids=[participant.pk])
    record(
        actor=by,
        kind="review.nomination.decline",
        obj=nomination,
        subject=participant.person,
        changes={"status": [NominationStatus.APPROVED, NominationStatus.DECLINED]},
        note=reason + (" (the draft was deleted)" if had_draft else ""),
    )
    manager = _manager_of(participant)
    if manager is not None:
        notify(
            person=manager,
            kind=KIND,
            title=f"{nomination.peer} declined to review {participant.person}; pick a replacement",
            body=f"{nomination.peer} gave a reason, which the nominations page shows. Open "
            "it in Tandem to pick someone else.",
            url=_page_url(participant),
            dedupe_key=f"reviews.nomination.declined.{nomination.pk}",
        )
    return nomination


@transaction.atomic
def replace_peer(nomination: Nomination, new_peer: PeerRef, *, by: Any) -> Nomination:
    """The manager picks someone else for a declined nomination (or an approved one whose
    review is not submitted; that one is then not approved and its review deleted)."""
    require(by, "nomination.approve", nomination.participant)
    field = "peer"
    participant = _locked(nomination.participant)
    cycle = participant.cycle
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    phases.require_action(cycle, "nomination.replace", field=field)
    _require_participating(participant, field)
    version = _peer_version(cycle, field)
    (new_id,) = _ids([new_peer], field)
    old_review = None
    if nomination.status == NominationStatus.APPROVED:
        old_review = _peer_review(nomination)
        if old_review is not None and old_review.state not in DECLINABLE_STATES:
            raise ValidationError(
                {field: f"{nomination.peer} has already submitted this peer review; keep it."}
            )
    elif nomination.status != NominationStatus.DECLINED:
        raise ValidationError(
            {field: "Only a declined or approved peer can be replaced; approve the proposal."}
        )
    existing = _existing(participant)
    people = _people([new_id], participant, field)
    current = existing.get(new_id)
    if current is not None and current.status == NominationStatus.APPROVED:
        raise ValidationError({field: f"{people[new_id]} already reviews this person."})
    _check_declined(existing, [new_id], people, field)
    taken = sum(
        1
        for pk, n in existing.items()
        if n.status in (NominationStatus.APPROVED, NominationStatus.PROPOSED)
        and pk not in (new_id, nomination.peer_id)
    )
    if taken + 1 > cycle.peers_max:
        _check_count(cycle, taken + 1, field)
    _check_cap(cycle, people, [new_id], approved_only=True, field=field)
    now = timezone.now()
    if old_review is not None:
        old_review.delete()
    if nomination.status == NominationStatus.APPROVED:
        nomination.status = NominationStatus.REJECTED
        nomination.decided_by_id, nomination.decided_at = _pk(by), now
        nomination.save(update_fields=["status", "decided_by", "decided_at"])
    if current is not None:
        current.status = NominationStatus.APPROVED
        current.decided_by_id, current.decided_at = _pk(by), now
        current.save(update_fields=["status", "decided_by", "decided_at"])
        replacement = current
    else:
        replacement = Nomination.objects.create(
            cycle=cycle,
            participant=participant,
            peer_id=new_id,
            status=NominationStatus.APPROVED,
            nominated_by_id=_pk(by),
            decided_by_id=_pk(by),
            decided_at=now,
        )
    created = _create_peer_reviews(participant, [new_id], version)
    tally.refresh(cycle_id=cycle.pk, participant_ids=[participant.pk])
    record(
        actor=by,
        kind="review.nomination.replace",
        obj=replacement,
        subject=participant.person,
        changes={"peer": [nomination.peer_id, new_id]},
    )
    _tell_new_peers(participant, created)
    return replacement


__all__ = [
    "BulkApproval",
    "approve_all_pending",
    "approve_peers",
    "decline",
    "propose_peers",
    "replace_peer",
]
