"""Feedback in every direction, praise tied to the company's values, requests for feedback,
and anonymous upward feedback to one's manager.

Praise is feedback whose giver chose the public visibility: it shows on the company feed and
on the recipient's profile. Anonymous upward feedback lives in tables of its own that never
link a message to its author (see `UpwardFeedback`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from tandem.org.models import CompanyValue

TEXT_LIMIT = 5000
REASON_LIMIT = 1000


class Visibility(models.TextChoices):
    PRIVATE = "private", "Only the recipient"
    WITH_MANAGER = "with_manager", "The recipient and their manager"
    PUBLIC = "public", "Everyone: public praise on the company feed"


# The program switch that allows each visibility (tandem.program.models.Program).
VISIBILITY_SWITCH = {
    Visibility.PRIVATE: "feedback_private_allowed",
    Visibility.WITH_MANAGER: "feedback_with_manager_allowed",
    Visibility.PUBLIC: "praise_public_allowed",
}


class Feedback(models.Model):
    """What one person tells another about their work, with who may read it.

    `recipient_manager` is the recipient's manager when it was given: the person the giver
    was shown ("your recipient and their manager, Ben, will see this"). A later manager does
    not inherit feedback that was not written for them.
    """

    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_given"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_received"
    )
    recipient_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visibility = models.CharField(max_length=12, choices=Visibility.choices)
    text = models.TextField(max_length=TEXT_LIMIT)
    values: models.ManyToManyField[CompanyValue, FeedbackValue] = models.ManyToManyField(
        "org.CompanyValue", through="FeedbackValue", related_name="feedback", blank=True
    )
    goal = models.ForeignKey(
        "goals.Goal", null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    request = models.ForeignKey(
        "FeedbackRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name_plural = "feedback"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="feedback_recipient_idx"),
            models.Index(fields=["giver", "-created_at", "-id"], name="feedback_giver_idx"),
            models.Index(fields=["visibility", "-created_at", "-id"], name="feedback_feed_idx"),
            models.Index(
                fields=["recipient_manager", "-created_at", "-id"], name="feedback_manager_idx"
            ),
        ]

    def __str__(self) -> str:
        # Never the text: this label ends up in the audit trail, which HR admins read.
        return f"Feedback #{self.pk}"

    @property
    def is_praise(self) -> bool:
        return self.visibility == Visibility.PUBLIC


class FeedbackValue(models.Model):
    """A company value a piece of feedback shows. Recipient, visibility and date are copied
    here so "praise per value this month" is one indexed count in SQL."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="value_links")
    value = models.ForeignKey(
        "org.CompanyValue", on_delete=models.CASCADE, related_name="feedback_links"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    is_public = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feedback", "value"], name="feedback_value_once")
        ]
        indexes = [
            models.Index(fields=["value", "is_public", "-created_at"], name="feedback_value_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.feedback_id} shows {self.value_id}"


class ReactionKind(models.TextChoices):
    APPLAUSE = "applause", "Applause"
    HEART = "heart", "Love it"
    CELEBRATE = "celebrate", "Celebrate"
    INSIGHT = "insight", "Inspiring"


# For chat messages and API clients; pages draw an icon instead (REACTION_ICONS), because a
# machine without an emoji font shows an empty box.
REACTION_EMOJI = {
    ReactionKind.APPLAUSE: "👏",
    ReactionKind.HEART: "❤️",
    ReactionKind.CELEBRATE: "🎉",
    ReactionKind.INSIGHT: "💡",
}
REACTION_ICONS = {  # heroicons names
    ReactionKind.APPLAUSE: "hand-thumb-up",
    ReactionKind.HEART: "heart",
    ReactionKind.CELEBRATE: "sparkles",
    ReactionKind.INSIGHT: "light-bulb",
}


class Reaction(models.Model):
    """A colleague's reaction to public praise (one of each kind per person)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="reactions")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=ReactionKind.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "person", "kind"], name="reaction_once_per_kind"
            )
        ]
        indexes = [models.Index(fields=["feedback", "kind"], name="reaction_feedback_idx")]

    def __str__(self) -> str:
        return f"{self.kind} on {self.feedback_id}"


class FeedbackRequest(models.Model):
    """Someone asks named colleagues for feedback about themselves, or a manager asks about
    one of their reports (`subject`). The answers are feedback to the subject, readable as
    `visibility` says: the requester sees who answered, and what only if that allows it."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_requests_made"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_requests_about"
    )
    questions = models.TextField(blank=True, max_length=TEXT_LIMIT)
    due_date = models.DateField(null=True, blank=True)
    visibility = models.CharField(max_length=12, choices=Visibility.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["requester", "-created_at", "-id"], name="request_requester_idx"),
            models.Index(fields=["subject", "-created_at", "-id"], name="request_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"Feedback request #{self.pk}"


class AskStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    ANSWERED = "answered", "Answered"
    DECLINED = "declined", "Declined"


class FeedbackAsk(models.Model):
    """One colleague asked in a request: whether they answered, declined (and why), and
    whether the reminder before the due date went out (it goes once)."""

    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="asks")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_asks"
    )
    status = models.CharField(max_length=10, choices=AskStatus.choices, default=AskStatus.PENDING)
    due_date = models.DateField(null=True, blank=True)  # the request's, for one-table lookups
    decline_reason = models.TextField(blank=True, max_length=REASON_LIMIT)
    feedback = models.ForeignKey(
        Feedback, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "person"], name="ask_once_per_person")
        ]
        indexes = [
            models.Index(fields=["person", "status", "due_date"], name="ask_inbox_idx"),
            models.Index(fields=["status", "due_date"], name="ask_due_idx"),
        ]

    def __str__(self) -> str:
        return f"Ask #{self.pk} ({self.status})"


# --- Anonymous upward feedback ------------------------------------------------------------
#
# Three tables that must never be joinable into "who wrote what":
# - UpwardFeedback: the message. Manager, the start of the window it was written in, text.
#   No author, no time, no address; every message of a manager's window carries the same
#   date. A random UUID key, and each write re-inserts the manager's waiting messages in
#   random order, so neither key order nor row order follows the order of writing.
# - UpwardMarker: "someone has written to this manager in this window and round", as a keyed
#   hash (HMAC-SHA256) of author, manager, window and round. No author id, no text, no link
#   to a message. It exists to count different people and to stop double counting.
# - UpwardBatch: a release, once `anonymity_minimum` different people wrote in a window.
# The audit trail records each write without an actor, an address or a time finer than the
# window's first day (tandem.audit.services.record(anonymous=True)).


class UpwardFeedback(models.Model):
    """An anonymous message to a manager from someone in their team. Unlinked on purpose."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The first day of the upward-feedback window it was written in; never finer, so all
    # messages of a manager's window look alike.
    window_start = models.DateField()
    text = models.TextField(max_length=TEXT_LIMIT)
    batch = models.ForeignKey(
        "UpwardBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )

    class Meta:
        verbose_name = "anonymous upward feedback"
        verbose_name_plural = "anonymous upward feedback"
        indexes = [
            models.Index(fields=["manager", "batch", "window_start"], name="upward_pool_idx")
        ]

    def __str__(self) -> str:
        return "Anonymous upward feedback"


class UpwardMarker(models.Model):
    """That someone has written to `manager` in the window starting `window_start` (in
    release round `round`). `digest` is an HMAC-SHA256, keyed from the server's secret, of
    (author, manager, window, round): the same person gets the same digest, so different
    writers are counted and nobody counts twice, but the row names nobody. Holds no text
    and no link to any message."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    digest = models.CharField(max_length=64)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    window_start = models.DateField()
    round = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["manager", "window_start", "round", "digest"], name="upward_marker_once"
            )
        ]

    def __str__(self) -> str:
        return "Upward feedback written"


class UpwardBatch(models.Model):
    """Anonymous upward feedback released to a manager as one batch: every message in the
    window's pool once enough different people wrote. Shown without per-message dates."""

    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="upward_batches"
    )
    window_start = models.DateField()
    window_end = models.DateField()  # exclusive
    round = models.PositiveSmallIntegerField(default=0)
    released_on = models.DateField()

    class Meta:
        ordering = ["-window_start", "-round"]
        constraints = [
            models.UniqueConstraint(
                fields=["manager", "window_start", "round"], name="upward_batch_once"
            )
        ]

    def __str__(self) -> str:
        return f"Upward feedback for {self.window_start:%d %b %Y} – {self.window_end:%d %b %Y}"
