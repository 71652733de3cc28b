"""An export prepared in the background."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Being prepared"
    READY = "ready", "Ready"
    DENIED = "denied", "Not made: you may no longer export this"
    FAILED = "failed", "Not made: something went wrong"
    EXPIRED = "expired", "Expired"


class Export(models.Model):
    """A spreadsheet someone asked for that was too large to build while they waited: what
    they asked for (the feature's `source` and its filters), the file once it is built, and
    when it is deleted. Only the person who asked may download it."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    source = models.CharField(max_length=60)  # a builder of tandem.exports.registry
    format = models.CharField(max_length=4, choices=[("csv", "CSV"), ("xlsx", "Excel")])
    title = models.CharField(max_length=200)
    params = models.JSONField(default=dict)  # the filters, as plain values (ids, strings)
    status = models.CharField(
        max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    filename = models.CharField(max_length=160)  # the download's name
    stored_name = models.CharField(max_length=200, blank=True)  # in the default storage
    rows = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["requester", "-created_at"], name="export_requester_recent"),
            models.Index(fields=["expires_at"], name="export_expires"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.format.upper()})"
