"""Outgoing webhooks: the endpoints IT registers in the company's other systems, the events
Tandem sends them, and each delivery with its attempts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Endpoint(models.Model):
    """An address in another of the company's systems (an HRIS, a data warehouse, an
    automation tool) that receives the events IT chose ("goal.closed", "person.left"),
    signed with the endpoint's own secret so the receiver can tell they come from Tandem.

    The signing secret is stored encrypted (`secret_sealed`, core/encryption.py) and shown
    once, when made or rotated; the previous one keeps signing beside it for a day after a
    rotation, so the receiver can switch without losing events. An endpoint that keeps
    failing for a day is switched off (`disabled_reason`) and IT admins are told."""

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=2000)
    event_types = models.JSONField(default=list)
    private_data = models.BooleanField(
        default=False,
        help_text="May receive private data: the titles of objects and what changed.",
    )
    enabled = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    secret_sealed = models.TextField()
    previous_secret_sealed = models.TextField(blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Message(models.Model):
    """One event as sent to every endpoint that asked for its type: its id is the
    `webhook-id` a receiver uses to ignore a repeat (the same on every retry and
    redelivery). Built from one audit event (at most one message each), or a test event."""

    id = models.CharField(primary_key=True, max_length=40)
    event_type = models.CharField(max_length=40)
    audit_event_id = models.BigIntegerField(null=True, blank=True, unique=True)
    occurred_at = models.DateTimeField()
    data = models.JSONField(default=dict)
    # Sent only to endpoints that may receive private data.
    private = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.id} {self.event_type}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """One message to one endpoint, tried until the endpoint answers 2xx or the retries
    (about a day of exponential back-off) run out. At most one per pair; each attempt first
    claims the row (waiting → sending), so a doubled task sends nothing twice at once."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_type = models.CharField(max_length=40)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_answer = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "endpoint"], name="one_webhook_delivery_per_endpoint"
            ),
        ]
        indexes = [
            models.Index(fields=["endpoint", "-created_at", "-id"], name="whdelivery_recent_idx"),
            models.Index(fields=["status", "next_attempt_at"], name="whdelivery_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.endpoint_id} ({self.status})"


class Attempt(models.Model):
    """One POST of a delivery and what the endpoint answered (the log's response codes)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    answer = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status_code or '-'}"
