"""Notifications: what Tandem tells a person, in the app and by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from tandem.notifications.kinds import Delivery


class Notification(models.Model):
    """Something a person should know about ("Ana gave you feedback"), with a link to it.

    `dedupe_key` makes a notification exactly-once: the same event notifying the same
    person twice (a retried task, a double click) finds the existing row instead.
    `delivery` is the person's choice when it was sent: a "digest" notification waits
    (digested_at null) for the next weekly digest e-mail, whatever they choose later."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.IN_APP)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-created_at"], name="notification_person_idx"),
            models.Index(
                fields=["person"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            # The weekly digest finds the people with something pending by this index alone.
            models.Index(
                fields=["person", "created_at"],
                condition=models.Q(delivery="digest", digested_at__isnull=True),
                name="notification_digest_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.title}"


class NotificationSetting(models.Model):
    """How a person wants to hear about one kind of notification (absent = the default)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    kind = models.CharField(max_length=40)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="one_setting_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}: {self.delivery}"
