"""Background delivery of notification e-mails (django-tasks), exactly once each, and the
weekly digest."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from tandem.notifications import digest
from tandem.notifications.models import Notification
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
        link = f"{settings.SITE_URL}{notification.url}" if notification.url else settings.SITE_URL
        person = notification.person
        # Who and what happened (the body, else the title), and the link: never the text
        # itself, which stays in Tandem (the services that notify keep it out of `body`).
        said = notification.body or f"{notification.title}."
        # Someone who has no password yet (created by an import) could not open the link:
        # the e-mail then carries their way in too (an invitation link landing on the page).
        way_in = sign_in_paragraph(
            person=person, next_path=notification.url, about=notification.title
        )
        parts = [
            f"Hello {person.preferred_name or person.first_name},",
            said,
            link,
            *([way_in] if way_in else []),
            f"Choose which e-mails you get: {settings.SITE_URL}/notifications/settings/",
        ]
        send_mail(
            subject=notification.title,
            message="\n\n".join(parts),
            from_email=None,
            recipient_list=[notification.person.email],
        )
    return True


@task()
def send_weekly_digests(today: str) -> dict[str, int]:
    """E-mail each person their pending weekly-digest notifications, once (see digest.py).

    `today` is an ISO date ("2026-03-02"): task arguments are stored as JSON."""
    run = digest.send_weekly_digests(date.fromisoformat(today))
    return {"people": run.people, "notifications": run.notifications}
