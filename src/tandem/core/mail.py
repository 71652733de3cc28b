"""Sending e-mail through the outbox: written first, handed to SMTP, retried until accepted.

`queue_email` writes an `OutgoingEmail` (inside the caller's transaction: the e-mail exists
exactly when what it tells about does); `deliver` makes one attempt. An attempt that the
server refuses (4xx or 5xx) or cannot make (server down, time-out) is tried again after
BACKOFF (1 minute, 5, 15, 1 hour, 3, 6, 12: about a day in all), then given up and logged.
Retries are deferred through the task queue where the backend can defer (database, RQ with
its scheduler), and `tandem send-queued-email` (also part of every `tandem send-reminders`
run) sends whatever is due, so a worker that died between writing and sending loses nothing.

Exactly once: an attempt claims the row with one conditional UPDATE (queued and due, or
"sending" for longer than SENDING_LEASE: a worker that died mid-send), so two workers never
send it at the same time. The only window for a second copy is a worker dying after the
server accepted the message and before the row says "sent"; the copy then carries the same
Message-ID, which mail systems use to drop duplicates.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import make_msgid
from typing import TypedDict
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone

from tandem.core.models import OutgoingEmail
from tandem.core.reminders import register

logger = logging.getLogger(__name__)

# Minutes to wait after the n-th failed attempt; after the last one the e-mail is given up.
BACKOFF_MINUTES = (1, 5, 15, 60, 180, 360, 720)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
# A claim older than this is a worker that died mid-send: the e-mail may be tried again.
SENDING_LEASE = timedelta(minutes=10)
SWEEP_BATCH = 500


@dataclass(frozen=True)
class Attempt:
    """What one call of `deliver` did: sent now, and when to try again (None: never)."""

    sent: bool = False
    retry_at: datetime | None = None


class Attachment(TypedDict):
    """A file sent with an e-mail, stored in the outbox as text (a calendar file, .ics)."""

    filename: str
    content: str
    mimetype: str


def message_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def queue_email(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str = "",
    headers: Mapping[str, str] | None = None,
    attachments: list[Attachment] | None = None,
) -> OutgoingEmail:
    """Write an e-mail to the outbox (nothing is sent yet: `deliver` it, or let the sweep).
    Attachments are text (a calendar file): each is attached as Django's `attach` would
    attach it, under its filename and MIME type."""
    return OutgoingEmail.objects.create(
        message_id=make_msgid(domain=message_domain()),
        to=list(to),
        subject=subject[:500],
        text=text,
        html=html,
        headers=dict(headers or {}),
        attachments=[
            Attachment(filename=a["filename"], content=a["content"], mimetype=a["mimetype"])
            for a in attachments or []
        ],
    )


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after `attempts` failed attempts."""
    return timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def deliver(email_id: int) -> Attempt:
    """Make one attempt at sending an e-mail of the outbox. `retry_at` says when to try
    again (the server refused it or could not be reached); neither sent nor a retry: given
    up, or not ours to send now (already sent, not yet due, or another worker sends it)."""
    now = timezone.now()
    claimable = Q(status=OutgoingEmail.Status.QUEUED, next_attempt_at__lte=now) | Q(
        status=OutgoingEmail.Status.SENDING, claimed_at__lt=now - SENDING_LEASE
    )
    claimed = OutgoingEmail.objects.filter(claimable, pk=email_id).update(
        status=OutgoingEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return Attempt()
    email = OutgoingEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.to,
        headers={**email.headers, "Message-ID": email.message_id},
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        return Attempt(retry_at=_failed(email, error))
    # Sent: the body may hold a sign-in link, so only who, what subject and when are kept.
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.SENT,
        sent_at=timezone.now(),
        text="",
        html="",
        attachments=[],
        last_error="",
    )
    return Attempt(sent=True)


def _failed(email: OutgoingEmail, error: Exception) -> datetime | None:
    reason = f"{type(error).__name__}: {error}"[:500]
    if email.attempts >= MAX_ATTEMPTS:
        logger.error(
            "e-mail %s given up after %d attempts: %s", email.message_id, email.attempts, reason
        )
        OutgoingEmail.objects.filter(pk=email.pk).update(
            status=OutgoingEmail.Status.FAILED, last_error=reason
        )
        return None
    retry_at = timezone.now() + retry_delay(email.attempts)
    logger.warning(
        "e-mail %s not sent (attempt %d), next try at %s: %s",
        email.message_id,
        email.attempts,
        retry_at.isoformat(),
        reason,
    )
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.QUEUED, next_attempt_at=retry_at, last_error=reason
    )
    return retry_at


def send_due() -> int:
    """Attempt every e-mail of the outbox that is due (the sweep); returns how many were
    sent. Each one is claimed on its own, so sweeps and workers may run side by side."""
    now = timezone.now()
    due = OutgoingEmail.objects.filter(
        Q(status=OutgoingEmail.Status.QUEUED, next_attempt_at__lte=now)
        | Q(status=OutgoingEmail.Status.SENDING, claimed_at__lt=now - SENDING_LEASE)
    ).order_by("next_attempt_at", "pk")
    # One attempt (a network round trip) per e-mail is the point; a batch bounds a sweep.
    ids = list(due.values_list("pk", flat=True)[:SWEEP_BATCH])
    return sum(deliver(email_id).sent for email_id in ids)


@register
def resend_queued_email(today: date) -> int:
    """The sweep, as part of every `tandem send-reminders` run (hourly from cron): an e-mail
    whose deferred retry was lost (a worker that died, a backend that cannot defer) is sent
    within the hour."""
    return send_due()
