"""Who may read feedback, praise, requests and anonymous upward feedback.

- The giver and the recipient always read a piece of feedback.
- "Only the recipient": nobody else — not their manager, not HR — unless the company's
  policy (`hr_reads_private_feedback`, stated on the program page) lets HR admins read it.
- "The recipient and their manager": also the manager the giver was shown when writing.
- Public praise: everyone signed in.
- Requests: the requester, the person it is about, and each colleague asked.
- Anonymous upward feedback: nobody reads a message; a manager reads released batches of
  their own, and nobody (HR included) reads another manager's.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from tandem.access.rules import Actor, rule, scope_for
from tandem.feedback.models import (
    AskStatus,
    Feedback,
    FeedbackAsk,
    FeedbackRequest,
    UpwardBatch,
    UpwardFeedback,
    Visibility,
)
from tandem.org.models import Person
from tandem.program.models import Program


def hr_reads_private(actor: Actor) -> bool:
    """HR admins read non-public feedback only when the company's policy says so."""
    return actor.is_hr_admin and Program.current().hr_reads_private_feedback


def feedback_reader_branches(actor: Actor, prefix: str = "") -> list[Q]:
    """The ways `actor` may read feedback, one filter each (each served by an index of its
    own): as the giver, the recipient, anyone for public praise, the recipient's manager."""
    me = actor.person.pk
    return [
        Q(**{f"{prefix}giver_id": me}),
        Q(**{f"{prefix}recipient_id": me}),
        Q(**{f"{prefix}visibility": Visibility.PUBLIC}),
        Q(**{f"{prefix}visibility": Visibility.WITH_MANAGER, f"{prefix}recipient_manager_id": me}),
    ]


def feedback_readers_q(actor: Actor, prefix: str = "") -> Q:
    """The feedback `actor` may read, as a filter (prefix for use across a relation)."""
    branches = feedback_reader_branches(actor, prefix)
    q = branches[0]
    for branch in branches[1:]:
        q |= branch
    return q


@rule("feedback.view")
def _feedback_view(actor: Actor, feedback: Feedback) -> bool:
    """The giver and the recipient; everyone for public praise; the recipient's manager when
    it was written "with manager"; HR admins when the program lets them read private feedback."""
    me = actor.person.pk
    if me in (feedback.giver_id, feedback.recipient_id):
        return True
    if feedback.visibility == Visibility.PUBLIC:
        return True
    if feedback.visibility == Visibility.WITH_MANAGER and feedback.recipient_manager_id == me:
        return True
    return hr_reads_private(actor)


@rule("feedback.give")
def _feedback_give(actor: Actor, recipient: Person | None) -> bool:
    """Anyone gives feedback to anyone: a peer, a report, a manager, a skip-level. (Oneself
    and people who left are refused as bad input, with a message, by the service.)"""
    return True


@rule("praise.react")
def _praise_react(actor: Actor, feedback: Feedback) -> bool:
    """Reacting to praise: anyone, on public praise only."""
    return feedback.visibility == Visibility.PUBLIC


@rule("feedback_request.create")
def _request_create(actor: Actor, subject: Person) -> bool:
    """About yourself, or about someone in your reporting line."""
    return subject.pk == actor.person.pk or actor.manages(subject)


@rule("feedback_request.view")
def _request_view(actor: Actor, request: FeedbackRequest) -> bool:
    """A feedback request: the requester, the person it is about, and each colleague asked."""
    me = actor.person.pk
    if me in (request.requester_id, request.subject_id):
        return True
    return FeedbackAsk.objects.filter(request_id=request.pk, person_id=me).exists()


@rule("feedback_request.respond")
def _request_respond(actor: Actor, ask: FeedbackAsk) -> bool:
    """Answering a request: the colleague asked, while the ask is pending."""
    return ask.person_id == actor.person.pk and ask.status == AskStatus.PENDING


@rule("upward.write")
def _upward_write(actor: Actor, _: Any) -> bool:
    """Anyone with a manager may write (switch and manager are checked as bad input)."""
    return True


@rule("upward.read")
def _upward_read(actor: Actor, batch: UpwardBatch) -> bool:
    """A released batch of anonymous upward feedback: the manager it is about, nobody else."""
    return batch.manager_id == actor.person.pk


# --- Scopes ------------------------------------------------------------------------------


@scope_for(Feedback)
def scope_feedback(actor: Actor, queryset: QuerySet[Feedback]) -> QuerySet[Feedback]:
    """The feedback `feedback.view` allows, as one filter."""
    if hr_reads_private(actor):
        return queryset
    return queryset.filter(feedback_readers_q(actor))


@scope_for(FeedbackRequest)
def scope_requests(actor: Actor, queryset: QuerySet[FeedbackRequest]) -> QuerySet[FeedbackRequest]:
    """Requests the user made, is the subject of, or was asked to answer."""
    me = actor.person.pk
    asked = FeedbackAsk.objects.filter(request_id=OuterRef("pk"), person_id=me)
    return queryset.filter(Q(requester_id=me) | Q(subject_id=me) | Exists(asked))


@scope_for(FeedbackAsk)
def scope_asks(actor: Actor, queryset: QuerySet[FeedbackAsk]) -> QuerySet[FeedbackAsk]:
    """The asks of requests the user may see (who was asked, and whether they answered)."""
    me = actor.person.pk
    return queryset.filter(
        Q(person_id=me) | Q(request__requester_id=me) | Q(request__subject_id=me)
    )


@scope_for(UpwardBatch)
def scope_upward_batches(actor: Actor, queryset: QuerySet[UpwardBatch]) -> QuerySet[UpwardBatch]:
    """A manager's own released batches only."""
    return queryset.filter(manager_id=actor.person.pk)


@scope_for(UpwardFeedback)
def scope_upward_messages(
    actor: Actor, queryset: QuerySet[UpwardFeedback]
) -> QuerySet[UpwardFeedback]:
    """Only messages in a released batch of the user's own; never a waiting message."""
    return queryset.filter(batch__isnull=False, batch__manager_id=actor.person.pk)
