"""What the platform itself keeps: the outbox of e-mails on their way out."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone


class OutgoingEmail(models.Model):
    """An e-mail Tandem has written and must hand to the SMTP server, exactly once.

    It is written before anything is sent, with its own Message-ID, and stays "queued" until
    the server accepts it: a refusal (4xx or 5xx) or a server that is down only moves the
    next attempt later (core.mail.BACKOFF), so nothing is lost. An attempt first claims the
    row ("sending", in one conditional UPDATE), so two workers never send it twice. Once
    sent, the text, HTML and attachments are erased (they may hold a sign-in link); who, what
    subject and when stay, for support. `attachments` is a list of {"filename", "content"
    (text), "mimetype"}: the 1:1 calendar invitation's .ics file."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Given up"

    message_id = models.CharField(max_length=255, unique=True)
    to = models.JSONField(default=list)
    subject = models.CharField(max_length=500)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[OutgoingEmail]] = models.Manager()

    class Meta:
        indexes = [
            # The sweep (core.mail.send_due) finds what is due by this index alone.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status__in=["queued", "sending"]),
                name="outgoing_email_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} ({self.status})"
