"""The audit trail: an append-only record of every write and of sensitive reads."""

from __future__ import annotations

import uuid
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
    # No index of their own for actor, subject and kind: the (…, -at) indexes below lead
    # with them, and every audited write in the app would keep a copy up to date.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    actor_label = models.CharField(max_length=200)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    kind = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
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


class AnonymousTally(models.Model):
    """How many anonymous acts of one kind happened on one day, waiting to enter the trail.

    An anonymous act (an upward feedback message, an upward review written) never gets a row
    of the trail when it happens: the trail's ids count up, so an id alone would place the
    act between the timestamped rows around it, and the HR audit log would date it to the
    second. It adds one to its day's tally instead. The daily run (`tandem send-reminders`)
    writes each finished day's tally into the trail as one event ("2 × upward review
    submitted", dated that day) and deletes it. Tallies have random keys and are rewritten
    in random order on every change, so not even their row order says which came first."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    day = models.DateField()
    kind = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "kind", "object_type", "object_label"], name="anonymous_tally_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.count} × {self.kind} on {self.day:%Y-%m-%d}"
