"""Who may see and do what with notifications: each person their own, and nobody else's.

Notifications say what happened to one person ("Ana asked you for feedback"); even HR admins
cannot read another person's, because the titles can reveal private feedback and 1:1s."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tandem.access.rules import Actor, rule, scope_for
from tandem.notifications.models import Notification, NotificationSetting


@rule("notification.view")
def _notification_view(actor: Actor, notification: Notification) -> bool:
    """A notification: the person it was sent to, nobody else."""
    return notification.person_id == actor.person.pk


@rule("notification.mark_read")
def _notification_mark_read(actor: Actor, notification: Notification) -> bool:
    """Marking a notification read: the person it was sent to."""
    return notification.person_id == actor.person.pk


@rule("notification.settings")
def _notification_settings(actor: Actor, person: Any) -> bool:
    """Choosing how someone hears about things: only they may."""
    return getattr(person, "pk", None) == actor.person.pk


@scope_for(Notification)
def scope_notifications(actor: Actor, queryset: QuerySet[Notification]) -> QuerySet[Notification]:
    """Each person's own notifications."""
    return queryset.filter(person_id=actor.person.pk)


@scope_for(NotificationSetting)
def scope_notification_settings(
    actor: Actor, queryset: QuerySet[NotificationSetting]
) -> QuerySet[NotificationSetting]:
    """Each person's own delivery choices."""
    return queryset.filter(person_id=actor.person.pk)
