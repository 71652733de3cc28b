"""The audit trail: an append-only record of every write and of sensitive reads."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    """Bulk edits and deletes are refused: the trail is evidence, not data to tidy up."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events are append-only; they cannot be updated.")

    def delete(self) -> NoReturn:
        raise PermissionError("Audit events are append-only; they cannot be deleted.")


class AuditEvent(models.Model):
    """One thing that happened: who did what to which object, and what changed (old → new).

    `subject` is the person the data is about (the employee whose record changed), so HR
    can answer "what happened to Ana's record" as well as "what did Ben do".
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    kind = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changes = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=500, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["actor", "-at"], name="audit_actor_idx"),
            models.Index(fields=["subject", "-at"], name="audit_subject_idx"),
            models.Index(fields=["kind", "-at"], name="audit_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.kind} {self.object_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Written once by audit.services.record; a second save would rewrite evidence.
        if not self._state.adding:
            raise PermissionError("Audit events are append-only; they cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        # Model.delete() deletes through the Collector, not the queryset, so refuse it here.
        raise PermissionError("Audit events are append-only; they cannot be deleted.")
