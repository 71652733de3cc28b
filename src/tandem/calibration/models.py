"""Calibration sessions of a review cycle.

HR creates sessions for a cycle (for a department, a manager's group, a level, or people
picked by hand). Each discusses a set of participants (`Entry`: one per participant per
cycle, so nobody is calibrated twice), led by facilitators, with the managers whose reports
are discussed. In a session a rating or a potential changes only with a reason
(`Adjustment`: who, when, old → new, category, text). Locking a session makes its ratings
the ratings of record: they are written to each participant (`reviews.services`), and the
session and its entries stop changing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

PERSON = settings.AUTH_USER_MODEL


class ScopeKind(models.TextChoices):
    DEPARTMENT = "department", "A department (with its sub-departments)"
    MANAGER = "manager", "Everyone under a manager"
    LEVEL = "level", "A level"
    MANUAL = "manual", "People picked by hand"


class SessionStatus(models.TextChoices):
    OPEN = "open", "Open"
    LOCKED = "locked", "Locked"


class Session(models.Model):
    cycle = models.ForeignKey("reviews.Cycle", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    scope_kind = models.CharField(max_length=12, choices=ScopeKind.choices)
    scope_department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scope_manager = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scope_level = models.CharField(max_length=50, blank=True)
    facilitators = models.ManyToManyField("org.Person", related_name="+", blank=True)
    # The managers whose reports are discussed (the session's participants).
    managers = models.ManyToManyField("org.Person", related_name="+", blank=True)
    # A guideline distribution HR may set, shown as guidance and never enforced:
    # {"1": 5, "2": 20, "3": 50, "4": 20, "5": 5} — percent of people per rating point.
    guideline = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=8, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["cycle_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "name"], name="calibration_session_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_locked(self) -> bool:
        return self.status == SessionStatus.LOCKED


class Entry(models.Model):
    """One participant discussed in a session. `rating` and `potential` are the session's
    current values: `rating` starts as the manager's overall rating (None until the manager
    review is submitted), `potential` as the manager's potential rating, 1 (low) to 3 (high),
    when the review asked for one."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="entries")
    cycle = models.ForeignKey(
        "reviews.Cycle", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    participant = models.ForeignKey(
        "reviews.Participant", on_delete=models.CASCADE, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    potential = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "participant"], name="calibration_entry_once_per_cycle"
            )
        ]

    def __str__(self) -> str:
        return f"Participant {self.participant_id} in session {self.session_id}"


class AdjustedField(models.TextChoices):
    RATING = "rating", "Performance rating"
    POTENTIAL = "potential", "Potential"


class ReasonCategory(models.TextChoices):
    EVIDENCE = "evidence", "Evidence"
    CONSISTENCY = "consistency", "Consistency across teams"
    SCOPE = "scope", "Scope of role"
    OTHER = "other", "Other"


class Adjustment(models.Model):
    """A change made in calibration, with its reason. Never edited or deleted."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="adjustments")
    field = models.CharField(max_length=10, choices=AdjustedField.choices)
    old_value = models.PositiveSmallIntegerField(null=True, blank=True)
    new_value = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=12, choices=ReasonCategory.choices)
    reason = models.TextField()
    made_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entry_id", "made_at", "id"]

    def __str__(self) -> str:
        return f"{self.field} {self.old_value} → {self.new_value}"
