"""Background delivery of notification e-mails (django-tasks), exactly once each."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from tandem.notifications.models import Notification


@task()
def deliver_notification(notification_id: int) -> bool:
    """E-mail one notification. Returns False when it was already sent (a retry)."""
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
        send_mail(
            subject=notification.title,
            message=f"{notification.body}\n\n{link}\n\nChoose which e-mails you get: "
            f"{settings.SITE_URL}/notifications/settings/",
            from_email=None,
            recipient_list=[notification.person.email],
        )
    return True
