"""Every write about feedback: give, react, request, answer, decline, remind, write upward.

One function per use case: one transaction, the permission check, the audit record. Bad
input raises ValidationError naming the field, before anything is saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from tandem.access.rules import SYSTEM, can, require
from tandem.audit.context import origin
from tandem.audit.services import record, record_anonymous
from tandem.core import anonymity
from tandem.core.dates import day_month_year
from tandem.feedback.models import (
    REASON_LIMIT,
    TEXT_LIMIT,
    VISIBILITY_SWITCH,
    AskStatus,
    Feedback,
    FeedbackAsk,
    FeedbackRequest,
    FeedbackValue,
    Reaction,
    ReactionKind,
    UpwardBatch,
    UpwardFeedback,
    UpwardMarker,
    Visibility,
)
from tandem.feedback.queries import marker_digest, upward_round, window_of
from tandem.notifications.services import notify
from tandem.org.models import CompanyValue, Person, PersonStatus
from tandem.program.models import Program

MAX_ASKED = 20
MAX_VALUES = 5
REMINDER_DAYS_BEFORE = 2


# --- Checks shared by the use cases --------------------------------------------------------


def check_text(text: str | None, *, field: str = "text", what: str = "Feedback") -> str:
    """Stored as written; refused when empty, too long or holding a NUL character."""
    if text is None or not text.strip():
        raise ValidationError({field: f"{what} cannot be empty: write a few words."})
    if len(text) > TEXT_LIMIT:
        raise ValidationError(
            {field: f"{what} is limited to {TEXT_LIMIT:,} characters (this has {len(text):,})."}
        )
    if "\x00" in text:
        raise ValidationError({field: f"{what} contains a NUL character; remove it."})
    return text


def check_visibility(visibility: str, program: Program, *, field: str = "visibility") -> str:
    if visibility not in Visibility.values:
        choices = ", ".join(f"“{v}”" for v in Visibility.values)
        raise ValidationError({field: f"Choose who may read this: one of {choices}."})
    switch = VISIBILITY_SWITCH[Visibility(visibility)]
    if not getattr(program, switch):
        label = Visibility(visibility).label.lower()
        raise ValidationError(
            {field: f"The company has switched off “{label}” (program setting: {switch})."}
        )
    return visibility


def check_recipient(by: Any, recipient: Person | None, *, field: str = "recipient") -> Person:
    if recipient is None:
        raise ValidationError({field: "Choose who the feedback is for."})
    if recipient.pk == getattr(by, "pk", None):
        raise ValidationError({field: "You cannot give feedback to yourself."})
    if recipient.status == PersonStatus.LEFT:
        raise ValidationError(
            {field: f"{recipient.display_name} has left the company; feedback cannot reach them."}
        )
    return recipient


def _check_values(values: Iterable[CompanyValue]) -> list[CompanyValue]:
    chosen = list({v.pk: v for v in values}.values())
    if len(chosen) > MAX_VALUES:
        raise ValidationError({"values": f"Tag at most {MAX_VALUES} values."})
    return chosen


def _check_goal(by: Any, goal: Any) -> Any:
    if goal is not None and not can(by, "goal.view", goal):
        raise ValidationError({"goal": "No goal with that number that you can see."})
    return goal


# --- Feedback and praise ---------------------------------------------------------------------


@transaction.atomic
def give_feedback(
    *,
    by: Any,
    recipient: Person | None,
    text: str,
    visibility: str,
    values: Iterable[CompanyValue] = (),
    goal: Any = None,
    request: FeedbackRequest | None = None,
) -> Feedback:
    """Give feedback (or praise, when public) to a colleague and tell them about it."""
    require(by, "feedback.give", recipient)
    program = Program.current()
    recipient = check_recipient(by, recipient)
    text = check_text(text)
    visibility = check_visibility(visibility, program)
    chosen = _check_values(values)
    goal = _check_goal(by, goal)
    feedback = Feedback.objects.create(
        giver=by,
        recipient=recipient,
        recipient_manager_id=recipient.manager_id
        if visibility == Visibility.WITH_MANAGER
        else None,
        visibility=visibility,
        text=text,
        goal=goal,
        request=request,
    )
    FeedbackValue.objects.bulk_create(
        FeedbackValue(
            feedback=feedback,
            value=value,
            recipient=recipient,
            is_public=visibility == Visibility.PUBLIC,
            created_at=feedback.created_at,
        )
        for value in chosen
    )
    record(
        actor=by,
        kind="feedback.give",
        obj=feedback,
        subject=recipient,
        changes={"visibility": visibility, "values": [v.name for v in chosen]},
    )
    giver_name = getattr(by, "display_name", "A colleague")
    url = reverse("feedback:detail", args=[feedback.pk])
    # Notifications (and so e-mails) say who and what happened, never the text itself:
    # an e-mail lands in mailboxes, archives and phones Tandem does not control.
    if visibility == Visibility.PUBLIC:
        notify(
            person=recipient,
            kind="praise.received",
            title=f"{giver_name} praised you",
            body=f"{giver_name} praised you on the company feed. Open it in Tandem to read it.",
            url=url,
            dedupe_key=f"praise.received:{feedback.pk}",
        )
    else:
        readers = (
            "you and your manager"
            if visibility == Visibility.WITH_MANAGER and feedback.recipient_manager_id
            else "only you"
        )
        notify(
            person=recipient,
            kind="feedback.received",
            title=f"{giver_name} gave you feedback",
            body=f"{giver_name} wrote you feedback that {readers} can read. Open it in "
            "Tandem to read it: the text is not sent by e-mail.",
            url=url,
            dedupe_key=f"feedback.received:{feedback.pk}",
        )
    return feedback


@transaction.atomic
def toggle_reaction(*, by: Any, feedback: Feedback, kind: str) -> bool:
    """React to public praise, or take the reaction back. True when the reaction is on."""
    require(by, "praise.react", feedback)
    if kind not in ReactionKind.values:
        raise ValidationError({"kind": f"Choose a reaction: {', '.join(ReactionKind.values)}."})
    deleted, _ = Reaction.objects.filter(feedback=feedback, person=by, kind=kind).delete()
    if not deleted:
        Reaction.objects.create(feedback=feedback, person=by, kind=kind)
    record(
        actor=by,
        kind="praise.react" if not deleted else "praise.unreact",
        obj=feedback,
        changes={"reaction": kind},
    )
    return not deleted


# --- Requests ----------------------------------------------------------------------------------


@transaction.atomic
def create_feedback_request(
    *,
    by: Any,
    subject: Person,
    asked: Sequence[Person],
    visibility: str,
    questions: str = "",
    due_date: date | None = None,
    today: date | None = None,
) -> FeedbackRequest:
    """Ask named colleagues for feedback about yourself, or (as a manager) about a report."""
    require(by, "feedback_request.create", subject)
    program = Program.current()
    visibility = check_visibility(visibility, program)
    people = list({p.pk: p for p in asked}.values())
    if not people:
        raise ValidationError({"asked": "Name at least one colleague to ask."})
    if len(people) > MAX_ASKED:
        raise ValidationError({"asked": f"Ask at most {MAX_ASKED} colleagues at once."})
    for person in people:
        if person.pk == subject.pk:
            raise ValidationError(
                {"asked": f"{person.display_name} is who the feedback is about; ask others."}
            )
        if person.pk == getattr(by, "pk", None):
            raise ValidationError({"asked": "You cannot ask yourself."})
        if person.status == PersonStatus.LEFT:
            raise ValidationError({"asked": f"{person.display_name} has left the company."})
    if questions and len(questions) > TEXT_LIMIT:
        raise ValidationError({"questions": f"Questions are limited to {TEXT_LIMIT:,} characters."})
    if questions and "\x00" in questions:
        raise ValidationError({"questions": "The questions contain a NUL character; remove it."})
    today = today or timezone.localdate()
    if due_date is not None and due_date < today:
        raise ValidationError({"due_date": "The due date is in the past; pick today or later."})
    feedback_request = FeedbackRequest.objects.create(
        requester=by,
        subject=subject,
        questions=questions or "",
        due_date=due_date,
        visibility=visibility,
    )
    asks = FeedbackAsk.objects.bulk_create(
        FeedbackAsk(request=feedback_request, person=person, due_date=due_date) for person in people
    )
    record(
        actor=by,
        kind="feedback.request",
        obj=feedback_request,
        subject=subject,
        changes={
            "asked": [p.display_name for p in people],
            "visibility": visibility,
            "due_date": due_date,
        },
    )
    about = "them" if subject.pk == getattr(by, "pk", None) else subject.display_name
    url = reverse("feedback:request_detail", args=[feedback_request.pk])
    due = f", by {day_month_year(due_date)}" if due_date else ""
    for ask, person in zip(asks, people, strict=True):
        notify(
            person=person,
            kind="feedback.request",
            title=f"{by.display_name} asks for your feedback about {about}{due}",
            body=f"{by.display_name} would like your feedback about {about}{due}. Open the "
            "request in Tandem to read their questions and answer, or decline.",
            url=url,
            dedupe_key=f"feedback.request:{ask.pk}",
        )
    return feedback_request


def _pending_ask(ask: FeedbackAsk) -> FeedbackAsk:
    locked = FeedbackAsk.objects.select_for_update().select_related("request").get(pk=ask.pk)
    if locked.status != AskStatus.PENDING:
        raise ValidationError({"status": f"You already {locked.get_status_display().lower()}."})
    return locked


@transaction.atomic
def answer_feedback_request(
    *,
    by: Any,
    ask: FeedbackAsk,
    text: str,
    values: Iterable[CompanyValue] = (),
) -> Feedback:
    """Answer a request: feedback to its subject, readable as the request's visibility says."""
    require(by, "feedback_request.respond", ask)
    ask = _pending_ask(ask)
    request = ask.request
    feedback = give_feedback(
        by=by,
        recipient=request.subject,
        text=text,
        visibility=request.visibility,
        values=values,
        request=request,
    )
    ask.status = AskStatus.ANSWERED
    ask.feedback = feedback
    ask.responded_at = timezone.now()
    ask.save(update_fields=["status", "feedback", "responded_at"])
    record(actor=by, kind="feedback.request_answer", obj=request, subject=request.subject)
    return feedback


@transaction.atomic
def decline_feedback_request(*, by: Any, ask: FeedbackAsk, reason: str) -> FeedbackAsk:
    require(by, "feedback_request.respond", ask)
    if not reason or not reason.strip():
        raise ValidationError({"reason": "Say in a few words why you decline."})
    if len(reason) > REASON_LIMIT:
        raise ValidationError({"reason": f"The reason is limited to {REASON_LIMIT:,} characters."})
    if "\x00" in reason:
        raise ValidationError({"reason": "The reason contains a NUL character; remove it."})
    ask = _pending_ask(ask)
    ask.status = AskStatus.DECLINED
    ask.decline_reason = reason
    ask.responded_at = timezone.now()
    ask.save(update_fields=["status", "decline_reason", "responded_at"])
    record(
        actor=by,
        kind="feedback.request_decline",
        obj=ask.request,
        subject=ask.request.subject,
        changes={"reason": reason},
    )
    return ask


def send_request_reminders(today: date) -> int:
    """Remind each colleague once, shortly before a request they have not answered is due.

    Registered in tandem.core.reminders; safe to run any number of times a day."""
    horizon = today + timedelta(days=REMINDER_DAYS_BEFORE)
    sent = 0
    due = (
        FeedbackAsk.objects.filter(
            status=AskStatus.PENDING,
            due_date__gte=today,
            due_date__lte=horizon,
            reminded_at__isnull=True,
            person__is_active=True,
        )
        .select_related("person", "request__subject", "request__requester")
        .order_by("pk")
    )
    while True:
        with transaction.atomic():
            batch = list(due.select_for_update(of=("self",))[:500])
            if not batch:
                break
            now = timezone.now()
            for ask in batch:
                subject = ask.request.subject
                requester = ask.request.requester
                about = "them" if subject.pk == requester.pk else subject.display_name
                due_day = day_month_year(ask.due_date) if ask.due_date else ""
                notify(
                    person=ask.person,
                    kind="feedback.request_reminder",
                    title=f"Reminder: feedback about {subject.display_name} is due {due_day}",
                    body=f"{requester.display_name} asked for your feedback about {about}, "
                    f"due {due_day}. Open the request in Tandem to answer, or decline.",
                    url=reverse("feedback:request_detail", args=[ask.request_id]),
                    dedupe_key=f"feedback.request_reminder:{ask.pk}",
                )
                ask.reminded_at = now
            FeedbackAsk.objects.bulk_update(batch, ["reminded_at"])
            record(
                actor=SYSTEM,
                kind="feedback.request_reminders",
                object_type="feedback.feedbackask",
                object_label=f"{len(batch)} reminders",
                changes={"asks": [a.pk for a in batch]},
            )
            sent += len(batch)
    return sent


# --- Anonymous upward feedback ---------------------------------------------------------------


@transaction.atomic
def write_upward_feedback(*, by: Any, text: str, today: date | None = None) -> None:
    """Write anonymous feedback to your manager. Returns nothing: there is nothing to
    refer back to, on purpose. Writing again in the same window adds a message but counts
    the writer once. The batch is released by the next daily run once enough different
    people wrote (`release_upward_feedback`), never by this write, so nothing — the release,
    its notification, its audit event — is stamped with the moment the last writer wrote."""
    require(by, "upward.write")
    program = Program.current()
    if not program.upward_feedback_enabled:
        raise ValidationError(
            {
                "text": "The company has switched off anonymous upward feedback "
                "(program setting: upward_feedback_enabled)."
            }
        )
    text = check_text(text)
    manager = (
        Person.objects.select_for_update().filter(pk=by.manager_id).first()
        if by.manager_id
        else None
    )
    if manager is None or manager.status == PersonStatus.LEFT:
        raise ValidationError({"manager": "You have no manager to write to."})
    today = today or anonymity.company_today()
    start, _ = window_of(today, program.upward_feedback_window_days)
    round_ = upward_round(manager.pk, start)
    UpwardFeedback.objects.create(manager=manager, window_start=start, text=text)
    digest = marker_digest(
        author_id=by.pk, manager_id=manager.pk, window_start=start, round_=round_
    )
    UpwardMarker.objects.get_or_create(
        manager=manager, window_start=start, round=round_, digest=digest
    )
    # Neither the messages waiting nor the markers may keep the order they were written in
    # (by key, or by their place in the table): both are rewritten in random order.
    anonymity.rewrite_shuffled(
        UpwardFeedback.objects.filter(manager=manager, batch__isnull=True, window_start=start)
    )
    anonymity.rewrite_shuffled(
        UpwardMarker.objects.filter(manager=manager, window_start=start, round=round_)
    )
    # The audit trail counts the write in the window's tally: no actor, no address, no
    # time, no row of its own, and never to whom, what, or which message.
    record_anonymous(
        kind="feedback.upward_write",
        on=start,
        object_type="feedback.upward",
        object_label="anonymous upward feedback written",
    )


def release_upward_feedback(today: date) -> int:
    """The daily release: every waiting pool whose round counts at least the anonymity
    minimum of different writers becomes a batch, released today; its markers are deleted
    (a released round needs no more counting, and a marker kept is a marker someone with the
    key could test). Markers of windows that ended without a release go too. Registered with
    `tandem.core.reminders`, so it runs at the time of day `tandem send-reminders` runs,
    whatever time the last writer wrote. Returns how many batches it released."""
    program = Program.current()
    minimum = anonymity.group_minimum(program.anonymity_minimum)
    current_start, _ = window_of(today, program.upward_feedback_window_days)
    ready = (
        UpwardMarker.objects.values("manager_id", "window_start", "round")
        .annotate(writers=Count("digest", distinct=True))
        .filter(writers__gte=minimum)
        .order_by("manager_id", "window_start", "round")
    )
    released = 0
    for pool in list(ready):
        with transaction.atomic():
            manager = Person.objects.select_for_update().filter(pk=pool["manager_id"]).first()
            markers = UpwardMarker.objects.filter(
                manager_id=pool["manager_id"],
                window_start=pool["window_start"],
                round=pool["round"],
            )
            writers = markers.aggregate(n=Count("digest", distinct=True))["n"]
            if manager is None or writers < minimum:
                continue
            start = pool["window_start"]
            end = start + timedelta(days=program.upward_feedback_window_days)
            _release(manager, start, end, pool["round"], today)
            markers.delete()
            released += 1
    UpwardMarker.objects.filter(window_start__lt=current_start).delete()
    return released


def _release(manager: Person, start: date, end: date, round_: int, today: date) -> UpwardBatch:
    """Release the window's pool as one batch, from the daily run: the audit event is the
    system's, with no origin, and the batch keeps the release date only."""
    batch = UpwardBatch.objects.create(
        manager=manager, window_start=start, window_end=end, round=round_, released_on=today
    )
    UpwardFeedback.objects.filter(manager=manager, batch__isnull=True, window_start=start).update(
        batch=batch
    )
    with origin(None, "system"):
        record(actor=SYSTEM, kind="upward.release", obj=batch, subject=manager)
    notify(
        person=manager,
        kind="feedback.upward_released",
        title="Anonymous feedback from your team is ready",
        body=f"Your team's anonymous feedback for {start:%d %b} – "
        f"{end - timedelta(days=1):%d %b %Y} is ready. Open it in Tandem to read it.",
        url=reverse("feedback:upward"),
        dedupe_key=f"feedback.upward_released:{batch.pk}",
    )
    return batch


@transaction.atomic
def set_reaction(*, by: Any, feedback: Feedback, kind: str, on: bool) -> bool:
    """Put a reaction on praise (on=True) or take it back; True when something changed."""
    require(by, "praise.react", feedback)
    if kind not in ReactionKind.values:
        raise ValidationError({"kind": f"Choose a reaction: {', '.join(ReactionKind.values)}."})
    exists = Reaction.objects.filter(feedback=feedback, person=by, kind=kind).exists()
    if exists == on:
        return False
    toggle_reaction(by=by, feedback=feedback, kind=kind)
    return True
