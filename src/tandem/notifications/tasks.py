"""Background delivery of notification e-mails (django-tasks), exactly once each, and the
weekly digest."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from tandem.core import mail
from tandem.core.tasks import send_now
from tandem.notifications import digest
from tandem.notifications.kinds import kind_label
from tandem.notifications.models import Notification
from tandem.notifications.unsubscribe import unsubscribe_headers, unsubscribe_url
from tandem.org.services.invitations import sign_in_paragraph


@task()
def deliver_notification(notification_id: int) -> bool:
    """E-mail one notification. Returns False when it was already sent (a retry)."""
    return _deliver(notification_id)


@task()
def deliver_notifications(notification_ids: list[int]) -> int:
    """E-mail a batch of notifications (from notify_many); returns how many were sent."""
    return sum(_deliver(notification_id) for notification_id in notification_ids)


def _deliver(notification_id: int) -> bool:
    # The claim (emailed_at) and the e-mail in the outbox are written together: the e-mail
    # exists exactly once. Sending follows the commit, retried by the outbox until the
    # server accepts it (core.mail).
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("person")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None or not notification.person.is_active:
            return False
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
        email = mail.queue_email(to=[notification.person.email], **message_for(notification))
    send_now(email.pk)
    return True


def message_for(notification: Notification) -> dict[str, Any]:
    """The e-mail of one notification: subject, plain text, the same as HTML, and the
    one-click unsubscribe headers of its kind (RFC 8058)."""
    site = settings.SITE_URL.rstrip("/")
    link = f"{site}{notification.url}" if notification.url else site
    person = notification.person
    # Who and what happened (the body, else the title), and the link: never the text
    # itself, which stays in Tandem (the services that notify keep it out of `body`).
    said = notification.body or f"{notification.title}."
    # Someone who has no password yet (created by an import) could not open the link:
    # the e-mail then carries their way in too (an invitation link landing on the page).
    way_in = sign_in_paragraph(person=person, next_path=notification.url, about=notification.title)
    settings_link = f"{site}{reverse('notifications:settings')}"
    stop_link = unsubscribe_url(person_id=person.pk, kind=notification.kind)
    greeting = f"Hello {person.preferred_name or person.first_name},"
    parts = [
        greeting,
        said,
        link,
        *([way_in] if way_in else []),
        f"Choose which e-mails you get: {settings_link}",
        f"Stop e-mails like this one: {stop_link}",
    ]
    html = render_to_string(
        "notifications/email.html",
        {
            "greeting": greeting,
            "said": said,
            "link": link,
            "way_in": way_in,
            "settings_link": settings_link,
            "stop_link": stop_link,
            "kind": kind_label(notification.kind),
        },
    )
    return {
        "subject": notification.title,
        "text": "\n\n".join(parts),
        "html": html,
        "headers": unsubscribe_headers(person_id=person.pk, kind=notification.kind),
    }


@task()
def send_weekly_digests(today: str) -> dict[str, int]:
    """E-mail each person their pending weekly-digest notifications, once (see digest.py).

    `today` is an ISO date ("2026-03-02"): task arguments are stored as JSON."""
    run = digest.send_weekly_digests(date.fromisoformat(today))
    return {"people": run.people, "notifications": run.notifications}
