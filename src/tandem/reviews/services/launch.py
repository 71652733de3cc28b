"""Launching a cycle, and changing who takes part once it runs.

`run_launch` is the background half of `cycles.launch_cycle`. It is built for a 100,000
person company: the participants are read with one query, written with `bulk_create` in
batches, and every review is derived in memory from those rows, so the number of queries
does not grow with the company (only the number of batches does). The launch is not one
transaction, but every insert is keyed by a unique constraint and skips rows that exist,
so a task that is retried after a crash finishes the job instead of doubling it; a launch
that fails removes what it made and puts the cycle back in draft with the error.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format

from tandem.access.rules import require
from tandem.audit.services import record
from tandem.core.queue import enqueue_on_commit
from tandem.notifications.queries import delivery_counts
from tandem.notifications.services import Message, notify_many
from tandem.org.models import Person, PersonStatus
from tandem.org.queries import without_password
from tandem.program.models import Program
from tandem.reviews import framework, phases, tally, versions
from tandem.reviews.models import (
    DONE_STATES,
    PHASE_FOR_RELATIONSHIP,
    Cycle,
    CycleForm,
    CycleStatus,
    Participant,
    Phase,
    Relationship,
    Review,
    ReviewState,
    Template,
    TemplateVersion,
)
from tandem.reviews.services import launch_sql, stored_ratings

log = logging.getLogger(__name__)

BATCH = 5_000
REASON_MAX = 500
# The columns a launch snapshot is made of: one query, no model instances.
SNAPSHOT_COLUMNS = (
    "pk",
    "title",
    "level",
    "path",
    "department_id",
    "department__name",
    "manager_id",
    "manager__first_name",
    "manager__preferred_name",
    "manager__last_name",
    "manager__status",
    "manager__manager_id",
    "manager__manager__status",
)
Progress = Callable[[int, int], None]


# --- Who takes part ------------------------------------------------------------------------


def selected_people(cycle: Cycle) -> QuerySet[Person]:
    """The people the cycle's rules pick today. People who left are never included;
    people added by hand are included whatever the rules say (unless they left)."""
    rules = Q()
    department_paths = list(cycle.rule_departments.values_list("path", flat=True))
    if department_paths:
        in_departments = Q(pk__in=[])
        for path in department_paths:
            in_departments |= Q(department__path__startswith=path)
        rules &= in_departments
    if cycle.rule_started_before is not None:
        # An unknown start date counts as "long enough": imports often leave it empty for
        # people who have been here for years.
        rules &= Q(start_date__lt=cycle.rule_started_before) | Q(start_date__isnull=True)
    if cycle.rule_exclude_on_leave:
        rules &= ~Q(status=PersonStatus.ON_LEAVE)
    additions = [int(pk) for pk in cycle.manual_additions or []]
    removals = [int(pk) for pk in cycle.manual_removals or []]
    chosen = rules | Q(pk__in=additions) if additions else rules
    people = Person.objects.exclude(status=PersonStatus.LEFT).filter(chosen)
    if removals:
        people = people.exclude(pk__in=removals)
    return people


def _name(first: str | None, preferred: str | None, last: str | None) -> str:
    return f"{preferred or first or ''} {last or ''}".strip()


def _participant(cycle: Cycle, row: Mapping[str, Any], *, late: bool = False) -> Participant:
    return Participant(
        cycle=cycle,
        person_id=row["pk"],
        title=row["title"] or "",
        level=row["level"] or "",
        department_id=row["department_id"],
        department_name=row["department__name"] or "",
        manager_id=row["manager_id"],
        manager_name=_name(
            row["manager__first_name"], row["manager__preferred_name"], row["manager__last_name"]
        )[:210],
        path=row["path"] or "",
        added_late=late,
    )


# --- Which reviews -------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """A review to create: about `reviewee` (a participant's person), by `reviewer`."""

    reviewee: int
    reviewer: int
    relationship: str


def _writes(status: str | None) -> bool:
    return status is not None and status != PersonStatus.LEFT


def review_specs(
    rows: Iterable[Mapping[str, Any]], *, taking_part: set[int], relationships: set[str]
) -> list[Spec]:
    """The reviews that follow from the snapshot rows. `taking_part` holds the person ids of
    every participant (for upward reviews, whose reviewee must be one too)."""
    specs = []
    for row in rows:
        person, manager, skip = row["pk"], row["manager_id"], row["manager__manager_id"]
        if Relationship.SELF in relationships:
            specs.append(Spec(person, person, Relationship.SELF))
        if manager is None or not _writes(row["manager__status"]):
            continue
        if Relationship.MANAGER in relationships:
            specs.append(Spec(person, manager, Relationship.MANAGER))
        if Relationship.UPWARD in relationships and manager in taking_part:
            specs.append(Spec(manager, person, Relationship.UPWARD))
        if (
            Relationship.SKIP_LEVEL in relationships
            and skip is not None
            and skip != person
            and _writes(row["manager__manager__status"])
        ):
            specs.append(Spec(person, skip, Relationship.SKIP_LEVEL))
    return specs


def _reviews(
    cycle: Cycle,
    specs: Sequence[Spec],
    *,
    participant_ids: Mapping[int, int],
    versions_by_relationship: Mapping[str, int],
) -> list[Review]:
    return [
        Review(
            cycle=cycle,
            participant_id=participant_ids[spec.reviewee],
            reviewee_id=spec.reviewee,
            reviewer_id=spec.reviewer,
            relationship=spec.relationship,
            template_version_id=versions_by_relationship[spec.relationship],
        )
        for spec in specs
    ]


# How many reviewers the launch confirmation names.
PREVIEW_NAMES = 5


@dataclass(frozen=True)
class LaunchPreview:
    """What a launch would do today, for the confirmation page: counted in SQL (a fixed
    number of queries at any size), with the same rules as `review_specs`."""

    people: int
    reviews: dict[str, int]  # by relationship, for those taking part (peers come later)
    reviewers: int  # people told by a "reviews to write" notification
    delivery: dict[str, int]  # how those reviewers hear about it (notifications.kinds)
    without_password: int  # reviewers who never chose a password: their e-mail invites them
    # The first few reviewers told, by name, so HR sees who the launch writes to.
    names: list[str] = field(default_factory=list)

    @property
    def total_reviews(self) -> int:
        return sum(self.reviews.values())


def launch_preview(cycle: Cycle) -> LaunchPreview:
    """How many people take part, the reviews that would be created, who is told and how."""
    people = selected_people(cycle)
    taking_part = people.values("pk")
    relationships = set(cycle.forms.values_list("relationship", flat=True))
    managed = Q(manager__isnull=False) & ~Q(manager__status=PersonStatus.LEFT)
    upward = managed & Q(manager_id__in=taking_part)
    skip = (
        managed
        & Q(manager__manager__isnull=False)
        & ~Q(manager__manager_id=F("pk"))
        & ~Q(manager__manager__status=PersonStatus.LEFT)
    )
    counts = people.aggregate(
        everyone=Count("pk"),
        managed=Count("pk", filter=managed),
        upward=Count("pk", filter=upward),
        skip=Count("pk", filter=skip),
    )
    per_relationship = {
        Relationship.SELF: counts["everyone"],
        Relationship.MANAGER: counts["managed"],
        Relationship.UPWARD: counts["upward"],
        Relationship.SKIP_LEVEL: counts["skip"],
    }
    reviews = {
        relationship.value: per_relationship[relationship]
        for relationship in per_relationship
        if relationship.value in relationships
    }
    # Who writes them: the same people as review_specs names, each once.
    writes = Q(pk__in=[])
    if Relationship.SELF in relationships:
        writes |= Q(pk__in=taking_part)
    if Relationship.UPWARD in relationships:
        writes |= Q(pk__in=people.filter(upward).values("pk"))
    if Relationship.MANAGER in relationships:
        writes |= Q(pk__in=people.filter(managed).values("manager_id"))
    if Relationship.SKIP_LEVEL in relationships:
        writes |= Q(pk__in=people.filter(skip).values("manager__manager_id"))
    reviewers = Person.objects.filter(writes, is_active=True).exclude(status=PersonStatus.LEFT)
    delivery = delivery_counts("reviews.assigned", reviewers)
    return LaunchPreview(
        people=counts["everyone"],
        reviews=reviews,
        reviewers=sum(delivery.values()),
        delivery=delivery,
        without_password=reviewers.filter(without_password()).count(),
        names=[
            person.display_name
            for person in reviewers.order_by("sort_name", "pk").only(
                "first_name", "preferred_name", "last_name"
            )[:PREVIEW_NAMES]
        ],
    )


# --- Freezing the forms --------------------------------------------------------------------


def freeze(template: Template, *, by: Any, ratings: bool) -> TemplateVersion:
    """`versions.freeze`, or, when the company switched ratings off, the same content with
    every scale taken out (comments only), reusing an identical earlier version."""
    if ratings:
        return versions.freeze(template, by=by)
    content = versions.template_content(template)
    for question in versions.questions(content):
        question["scale"] = None
        question["is_overall"] = False
        question["allow_comment"] = True
    digest = versions.content_hash(content)
    same = template.versions.filter(content_hash=digest).order_by("-number").first()
    if same is not None:
        return same
    latest = template.versions.order_by("-number").first()
    return TemplateVersion.objects.create(
        template=template,
        number=(latest.number if latest else 0) + 1,
        content=content,
        content_hash=digest,
        created_by=by if getattr(by, "pk", None) else None,
    )


def _freeze_forms(cycle: Cycle, *, by: Any) -> dict[str, int]:
    ratings = Program.current().review_ratings_enabled
    frozen = {}
    with transaction.atomic():
        for form in CycleForm.objects.select_related("template").filter(cycle=cycle):
            if form.version_id is None:
                form.version = freeze(form.template, by=by, ratings=ratings)
                form.save(update_fields=["version"])
            assert form.version_id is not None
            frozen[form.relationship] = form.version_id
    return frozen


def _uses_framework(version_ids: Iterable[int]) -> bool:
    """Whether a frozen form has a competency question drawn from each person's framework."""
    contents = TemplateVersion.objects.filter(pk__in=list(version_ids)).values_list(
        "content", flat=True
    )
    return any(framework.uses_framework(content) for content in contents)


# --- Telling reviewers ---------------------------------------------------------------------


def _reviews_url() -> str:
    # The "my reviews" page belongs to the running area; fall back to home until it exists.
    try:
        return reverse("reviews:mine")
    except NoReverseMatch:
        return reverse("home")


def _dues(cycle: Cycle) -> dict[str, str]:
    phases = {phase.kind: phase for phase in Phase.objects.filter(cycle=cycle)}
    dues: dict[str, str] = {}
    for relationship, kind in PHASE_FOR_RELATIONSHIP.items():
        phase = phases.get(kind)
        if phase is not None:
            dues[relationship] = date_format(phase.due_on, "j F Y")
    return dues


def assignment_messages(
    cycle: Cycle, counts: Mapping[int, Mapping[str, int]], *, key: str
) -> list[Message]:
    """One "reviews.assigned" message per reviewer, saying what to write and by when.
    `key` makes each once-only (a retried launch tells nobody twice)."""
    dues = _dues(cycle)
    url = _reviews_url()
    messages = []
    for reviewer, by_relationship in counts.items():
        total = sum(by_relationship.values())
        parts = []
        for relationship in Relationship:
            count = by_relationship.get(relationship.value, 0)
            if count:
                many = f" ×{count}" if count > 1 else ""
                due = f", due {dues[relationship]}" if relationship in dues else ""
                parts.append(f"{relationship.label}{many}{due}")
        noun = "review" if total == 1 else "reviews"
        messages.append(
            Message(
                person_id=reviewer,
                title=f"{total} {noun} to write in “{cycle.name}”",
                body="; ".join(parts) + ".",
                url=url,
                dedupe_key=f"reviews.assigned:{cycle.pk}:{key}:{reviewer}",
            )
        )
    return messages


def notify_reviewers(cycle: Cycle, specs: Sequence[Spec], *, key: str) -> int:
    """Tell the reviewers of `specs` (late joiners, a handed-on review), in batches."""
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for spec in specs:
        counts[spec.reviewer][spec.relationship] += 1
    messages = assignment_messages(cycle, counts, key=key)
    sent = 0
    for start in range(0, len(messages), BATCH):
        sent += notify_many(kind="reviews.assigned", messages=messages[start : start + BATCH])
    return sent


# --- The launch ----------------------------------------------------------------------------


def _set_progress(cycle: Cycle, done: int, total: int, progress: Progress | None) -> None:
    Cycle.objects.filter(pk=cycle.pk).update(launch_done=done, launch_total=total)
    if progress is not None:
        progress(done, total)


def run_launch(cycle_id: int, *, progress: Progress | None = None) -> Cycle | None:
    """Do the launch queued by `launch_cycle`. A cycle that is not launching (already
    launched by an earlier run, or cancelled) is left alone."""
    cycle = Cycle.objects.filter(pk=cycle_id, status=CycleStatus.LAUNCHING).first()
    if cycle is None:
        return None
    by = cycle.launched_by
    try:
        return _launch(cycle, by=by, progress=progress)
    except Exception as error:
        log.exception("Launching review cycle %s failed", cycle_id)
        _undo(cycle, error)
        raise


def _launch(cycle: Cycle, *, by: Any, progress: Progress | None) -> Cycle:
    """Progress counts two steps per person: their snapshot and their reviews. Reviewers
    are told by a task queued once the cycle is active (`notify_launch`): at 100,000 people
    that is ~100k notifications, which need not hold up the launch."""
    frozen = _freeze_forms(cycle, by=by)
    snapshot = _uses_framework(frozen.values())
    person_ids = list(selected_people(cycle).order_by("pk").values_list("pk", flat=True))
    people = len(person_ids)
    total, done = 2 * people, 0
    now = timezone.now()
    _set_progress(cycle, done, total, progress)

    for start in range(0, people, BATCH):
        batch = person_ids[start : start + BATCH]
        launch_sql.insert_participants(cycle.pk, batch, now=now)
        if snapshot:
            framework.snapshot_participants(cycle.pk, batch)
        done += len(batch)
        _set_progress(cycle, done, total, progress)

    if connection.vendor == "postgresql":
        # Statistics know nothing of a cycle launched a moment ago: the planner then joins
        # its participants by nested loops, quadratic at 100,000 people (bench/reviews.py).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Participant._meta.db_table)}")
    participant_ids = list(
        Participant.objects.filter(cycle=cycle).order_by("pk").values_list("pk", flat=True)
    )
    for start in range(0, len(participant_ids), BATCH):
        batch = participant_ids[start : start + BATCH]
        launch_sql.insert_reviews(
            cycle.pk, first=batch[0], last=batch[-1], versions=frozen, now=now
        )
        done += len(batch)
        _set_progress(cycle, done, total, progress)

    with transaction.atomic():
        tally.refresh(cycle_id=cycle.pk)
        Cycle.objects.filter(pk=cycle.pk).update(
            status=CycleStatus.ACTIVE,
            launched_at=timezone.now(),
            launch_done=done,
            launch_total=total,
            launch_error="",
        )
        cycle.refresh_from_db()
        enqueue_on_commit("tandem.reviews.tasks.notify_launch_task", cycle.pk)
        record(
            actor=by,
            kind="review.cycle_launch",
            obj=cycle,
            changes={
                "status": [CycleStatus.LAUNCHING, CycleStatus.ACTIVE],
                "participants": len(participant_ids),
                "reviews": Review.objects.filter(cycle=cycle).count(),
                "forms": dict(frozen),
            },
        )
    if progress is not None:
        progress(done, total)
    return cycle


def notify_launch(cycle_id: int) -> int:
    """Tell every reviewer of a launched cycle what they have to write (one notification
    each, in batches). Once-only per reviewer, so a retried task tells nobody twice."""
    cycle = Cycle.objects.filter(pk=cycle_id, status=CycleStatus.ACTIVE).first()
    if cycle is None:
        return 0
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    written = (
        Review.objects.filter(cycle=cycle, participant__removed_at__isnull=True)
        .values("reviewer_id", "relationship")
        .annotate(n=Count("pk"))
        .values_list("reviewer_id", "relationship", "n")
    )
    for reviewer, relationship, count in written:
        counts[reviewer][relationship] += count
    messages = assignment_messages(cycle, counts, key="launch")
    sent = 0
    for start in range(0, len(messages), BATCH):
        sent += notify_many(kind="reviews.assigned", messages=messages[start : start + BATCH])
    return sent


def _undo(cycle: Cycle, error: Exception) -> None:
    """Remove everything a failed launch made; the cycle goes back to draft, saying why."""
    with transaction.atomic():
        Review.objects.filter(cycle=cycle).delete()
        Participant.objects.filter(cycle=cycle).delete()
        CycleForm.objects.filter(cycle=cycle).update(version=None)
        Cycle.objects.filter(pk=cycle.pk).update(
            status=CycleStatus.DRAFT,
            launched_at=None,
            launch_done=0,
            launch_total=0,
            launch_error=f"The launch failed and was undone: {error}"[:2000],
        )


# --- After launch: late joiners, leavers, a new manager -----------------------------------------


def _reason(reason: Any) -> str:
    text = reason.strip() if isinstance(reason, str) else ""
    if not text:
        raise ValidationError({"reason": "Give a reason; it is kept in the audit log."})
    if len(text) > REASON_MAX or "\x00" in text:
        raise ValidationError({"reason": f"Keep the reason under {REASON_MAX} characters."})
    return text


def _running(cycle: Cycle) -> None:
    phases.require_action(cycle, "cycle.participants", field="cycle")


@transaction.atomic
def add_participant(cycle: Cycle, person: Person, *, reason: str, by: Any) -> Participant:
    """A late joiner: snapshotted now, with the reviews a launch would have given them
    (their upward reviews, and those of their reports who take part, included)."""
    require(by, "reviews.manage", cycle)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    _running(cycle)
    text = _reason(reason)
    if person.status == PersonStatus.LEFT:
        raise ValidationError({"person": f"{person} has left the company."})
    row = Person.objects.filter(pk=person.pk).values(*SNAPSHOT_COLUMNS).get()
    existing = Participant.objects.filter(cycle=cycle, person=person).first()
    if existing is not None and existing.removed_at is None:
        raise ValidationError({"person": f"{person} already takes part in this cycle."})
    if existing is not None:
        # Back after a removal: their earlier reviews still exist, so only the missing are made.
        existing.removed_at, existing.removed_reason = None, ""
        existing.save(update_fields=["removed_at", "removed_reason"])
        # Their ratings count again in the cycle's figures.
        stored_ratings.bump_version(cycle.pk)
        participant = existing
    else:
        participant = _participant(cycle, row, late=True)
        participant.save()
    active = Participant.objects.filter(cycle=cycle, removed_at__isnull=True)
    participant_ids = dict(active.values_list("person_id", "pk"))
    frozen = dict(
        CycleForm.objects.filter(cycle=cycle, version__isnull=False).values_list(
            "relationship", "version_id"
        )
    )
    if participant.framework_snapshot_id is None and _uses_framework(frozen.values()):
        framework.snapshot_participants(cycle.pk, [person.pk])
    specs = review_specs([row], taking_part=set(participant_ids), relationships=set(frozen))
    if Relationship.UPWARD in frozen:
        reports = active.filter(manager_id=person.pk).exclude(person_id=person.pk)
        specs += [
            Spec(person.pk, report, Relationship.UPWARD)
            for report in reports.values_list("person_id", flat=True)
        ]
    Review.objects.bulk_create(
        _reviews(cycle, specs, participant_ids=participant_ids, versions_by_relationship=frozen),
        ignore_conflicts=True,
    )
    touched = {participant.pk, *(participant_ids[spec.reviewee] for spec in specs)}
    tally.refresh(cycle_id=cycle.pk, participant_ids=touched)
    record(
        actor=by,
        kind="review.participant_add",
        obj=participant,
        subject=person,
        changes={"reviews": len(specs), "title": row["title"], "manager": participant.manager_name},
        note=text,
    )
    notify_reviewers(cycle, specs, key=f"late{participant.pk}-{int(timezone.now().timestamp())}")
    return participant


@transaction.atomic
def remove_participant(participant: Participant, *, reason: str, by: Any) -> Participant:
    """A leaver: kept with the reason; their open reviews stay but no longer count."""
    require(by, "reviews.manage", participant.cycle)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    _running(participant.cycle)
    text = _reason(reason)
    if participant.removed_at is not None:
        raise ValidationError({"person": "This person was already removed from the cycle."})
    participant.removed_at = timezone.now()
    participant.removed_reason = text
    participant.save(update_fields=["removed_at", "removed_reason"])
    # Their ratings no longer count in the cycle's figures.
    stored_ratings.bump_version(participant.cycle_id)
    record(
        actor=by,
        kind="review.participant_remove",
        obj=participant,
        subject=participant.person,
        note=text,
    )
    return participant


@transaction.atomic
def reassign_manager_review(
    participant: Participant, new_manager: Person, *, reason: str, by: Any
) -> Review:
    """Hand a not-yet-submitted manager review to someone else (after a change of manager).
    The draft starts again empty: it was someone else's words."""
    require(by, "reviews.manage", participant.cycle)
    _running(participant.cycle)
    text = _reason(reason)
    review = (
        Review.objects.select_for_update()
        .filter(participant=participant, relationship=Relationship.MANAGER)
        .first()
    )
    if review is None:
        raise ValidationError({"manager": "This person has no manager review in this cycle."})
    if review.state in DONE_STATES:
        raise ValidationError(
            {"manager": "The manager review is already submitted; reopen it before handing it on."}
        )
    if new_manager.status == PersonStatus.LEFT or not new_manager.is_active:
        raise ValidationError({"manager": f"{new_manager} has left the company."})
    if new_manager.pk == participant.person_id:
        raise ValidationError({"manager": "Nobody writes their own manager review."})
    if new_manager.pk == review.reviewer_id:
        raise ValidationError({"manager": f"{new_manager} already writes this review."})
    old = review.reviewer
    review.reviewer = new_manager
    review.state = ReviewState.NOT_STARTED
    review.answers = {}
    review.version += 1
    review.active_seconds = 0
    review.started_at = review.saved_at = None
    review.save(
        update_fields=[
            "reviewer",
            "state",
            "answers",
            "version",
            "active_seconds",
            "started_at",
            "saved_at",
        ]
    )
    tally.refresh(cycle_id=participant.cycle_id, participant_ids=[participant.pk])
    # The snapshot manager is who shares the review and approves nominations.
    Participant.objects.filter(pk=participant.pk).update(
        manager=new_manager, manager_name=new_manager.display_name[:210]
    )
    record(
        actor=by,
        kind="review.manager_review_reassign",
        obj=review,
        subject=participant.person,
        changes={"reviewer": [str(old), str(new_manager)]},
        note=text,
    )
    notify_reviewers(
        participant.cycle,
        [Spec(participant.person_id, new_manager.pk, Relationship.MANAGER)],
        key=f"reassign{review.pk}-{review.version}",
    )
    return review
