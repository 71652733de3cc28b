"""Protected attributes per person, and each cycle's rater-effects estimate (cached).

Protected attributes (gender, ethnicity, age band, disability, and any HR adds) are the
most sensitive data Tandem holds: HR admins who also hold the people-analytics role read
them, one person at a time only with an audit entry, and every other page of the product
(directory, profiles, search, exports, the API for anyone else) never shows them.
Fairness pages show them only as groups no smaller than the program's anonymity minimum.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

PERSON = settings.AUTH_USER_MODEL


class ProtectedAttribute(models.Model):
    """A kind of protected attribute, e.g. key "gender", label "Gender"."""

    key = models.SlugField(max_length=50, unique=True)
    label = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["label", "id"]

    def __str__(self) -> str:
        return self.label


class PersonAttribute(models.Model):
    """One person's value of one attribute ("woman", "35–44", …); no row means not given."""

    person = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="+")
    attribute = models.ForeignKey(
        ProtectedAttribute, on_delete=models.CASCADE, related_name="values", db_index=False
    )
    value = models.CharField(max_length=100)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attribute", "person"], name="person_attribute_unique")
        ]
        indexes = [models.Index(fields=["attribute", "value"], name="person_attribute_group")]

    def __str__(self) -> str:
        return f"{self.attribute_id}: {self.value}"


class EstimateStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Computing"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class RaterEffects(models.Model):
    """The rater-effects estimate of one cycle, cached until a rating changes: `fingerprint`
    is the cycle's ratings version when it was computed ("v12", `Cycle.ratings_version`); a
    different one now means it is stale and a background task computes it again."""

    cycle = models.OneToOneField("reviews.Cycle", on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        max_length=8, choices=EstimateStatus.choices, default=EstimateStatus.QUEUED
    )
    # [{"reviewer_id", "relationship", "ratings", "leniency", "low", "high"}, …]
    raters = models.JSONField(default=list, blank=True)
    # {participant id: rater-adjusted rating in points}
    adjusted = models.JSONField(default=dict, blank=True)
    # What the model found: variance components, observations, method, seconds, memory.
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Rater effects of cycle {self.cycle_id}"
