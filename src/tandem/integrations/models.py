"""Integrations with the company's other tools. The chat part: incoming webhooks that post
people's notifications to Slack or Microsoft Teams, and the log of each delivery."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Provider(models.TextChoices):
    SLACK = "slack", "Slack"
    TEAMS = "teams", "Microsoft Teams"


class ChatWebhook(models.Model):
    """An incoming webhook IT set up in a Slack workspace or a Teams channel ("#eng-managers"):
    Tandem posts there the notifications of the people it serves — everyone, or one
    department and every department under it — who chose "in chat" for that kind.

    The address is a secret (anyone holding it can post to the channel): it is stored
    encrypted (`url_sealed`, core/encryption.py) and only its last characters are shown."""

    provider = models.CharField(max_length=10, choices=Provider.choices)
    name = models.CharField(max_length=100)
    url_sealed = models.TextField()
    url_hint = models.CharField(max_length=8)
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Empty: the webhook serves everyone.",
    )
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} {self.name}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class ChatDelivery(models.Model):
    """One notification posted (or to be posted) to one webhook. At most one per pair: the
    unique constraint, and the conditional claim before each attempt (services.py), keep a
    retried or doubled task from posting twice. Only the title is kept, as it was sent."""

    notification = models.ForeignKey(
        "notifications.Notification", on_delete=models.CASCADE, related_name="+"
    )
    webhook = models.ForeignKey(ChatWebhook, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_answer = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "webhook"], name="one_chat_delivery_per_webhook"
            ),
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="chatdelivery_recent_idx"),
            models.Index(fields=["webhook", "status"], name="chatdelivery_webhook_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.webhook_id}: {self.title} ({self.status})"
