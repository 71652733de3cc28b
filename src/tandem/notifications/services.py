"""Sending notifications. Every feature calls `notify`; delivery happens after commit."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from tandem.notifications.kinds import KINDS, Delivery
from tandem.notifications.models import Notification, NotificationSetting


def delivery_for(person: Any, kind: str) -> str:
    chosen = (
        NotificationSetting.objects.filter(person=person, kind=kind)
        .values_list("delivery", flat=True)
        .first()
    )
    return chosen or KINDS[kind].default


def notify(
    *,
    person: Any,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str | None = None,
) -> Notification | None:
    """Tell `person` about something. Exactly once per `dedupe_key`; nothing for people who
    left or who switched this kind off. The e-mail (if any) is queued after commit."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}; add it to notifications/kinds.py")
    if not getattr(person, "is_active", False):
        return None
    delivery = delivery_for(person, kind)
    if delivery == Delivery.OFF:
        return None
    if dedupe_key is not None:
        existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                person=person,
                kind=kind,
                title=title[:200],
                body=body,
                url=url[:500],
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        # A concurrent notify() with the same key won the race; that one counts.
        return Notification.objects.filter(dedupe_key=dedupe_key).first()
    if delivery == Delivery.EMAIL:
        from tandem.notifications.tasks import deliver_notification

        notification_id = notification.pk
        transaction.on_commit(lambda: deliver_notification.enqueue(notification_id))
    return notification
