"""SCIM provisioning: the tokens an identity provider uses, and what SCIM adds to people
and departments (the provider's own ids), with a log of what it did.

People and departments themselves stay in `org`: every change SCIM asks for goes through
`org.services`, like the HRIS import, so it is validated and audited the same way.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone

from tandem.org.models import Department, Person

TOKEN_PREFIX = "scim_"  # noqa: S105  (a label, not a secret)


def hash_token(raw: str) -> str:
    # 256 bits of entropy: a fast hash is right, as for personal API tokens (access.models).
    return hashlib.sha256(raw.encode()).hexdigest()


class ScimToken(models.Model):
    """A bearer token an identity provider (Okta, Entra ID…) uses to provision people.

    Issued by IT for SCIM only; only its hash is stored and it is shown once."""

    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate() -> tuple[str, str, str]:
        """A fresh token: (raw token, display prefix, hash)."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        return raw, raw[:12], hash_token(raw)


class ScimUser(models.Model):
    """What the identity provider knows a person by: its externalId and, when it is not
    the work e-mail, its userName. `deleted_at` is set when the provider deletes the user:
    the person has left (people are never deleted) and SCIM answers 404 for them after."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="scim")
    user_name = models.CharField(max_length=255, unique=True, null=True, blank=True)
    external_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # userName is compared case-insensitively (RFC 7643 caseExact false): an
            # index on UPPER(user_name) answers `userName eq` at 100k (issue 17's speed).
            models.Index(Upper("user_name"), name="scim_user_name_upper_idx"),
        ]

    def __str__(self) -> str:
        return f"SCIM user {self.person_id}"


class ScimGroup(models.Model):
    """The identity provider's externalId of a department (SCIM groups are departments)."""

    department = models.OneToOneField(Department, on_delete=models.CASCADE, related_name="scim")
    external_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"SCIM group {self.department_id}"


class ScimEvent(models.Model):
    """One SCIM request that changed something or failed: what the IT page counts (the last
    change, the errors of the last day). No people data: the method, path and outcome."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    token = models.ForeignKey(ScimToken, null=True, on_delete=models.SET_NULL, related_name="+")
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=200)
    status = models.PositiveSmallIntegerField()
    ok = models.BooleanField()
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["ok", "at"], name="scim_event_ok_at_idx")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"
