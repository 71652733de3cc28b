"""Roles beyond "employee" and "manager", personal API tokens, live sign-in sessions and
invitations."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    HR_ADMIN = "hr_admin", "HR admin"
    HR_PARTNER = "hr_partner", "HR partner"
    EXECUTIVE = "executive", "Executive"
    IT_ADMIN = "it_admin", "IT admin"
    # Reads protected attributes and fairness figures; only together with HR admin.
    PEOPLE_ANALYTICS = "people_analytics", "People analytics"


class RoleGrant(models.Model):
    """A role given to a person. Everyone is an employee and managers are derived from the
    reporting tree; these are the roles someone has to be granted.

    An HR partner's grant lists the departments they look after (sub-departments included).
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    departments = models.ManyToManyField("org.Department", blank=True, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "role"], name="one_grant_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.get_role_display()}"


def hash_token(raw: str) -> str:
    # The secret has 256 bits of entropy, so a fast hash is the right tool (as GitHub and
    # PyPI do for their tokens); a slow password hash would only slow every API request.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the token is shown once, at creation."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate() -> tuple[str, str, str]:
        """A fresh token: (raw token, display prefix, hash)."""
        raw = settings.API_TOKEN_PREFIX + secrets.token_urlsafe(32)
        return raw, raw[:12], hash_token(raw)

    @property
    def is_usable(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


class SignInSession(models.Model):
    """A browser session opened by a sign-in, so we can end all of a person's sessions."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class PasswordResetRequest(models.Model):
    """One accepted "e-mail me a reset link" request, kept for the throttle's window only.

    The address is stored as a keyed hash (HMAC with the secret key), not as typed: the
    throttle only needs to recognise the same address again, and strangers type addresses
    of people who do not work here. Rows older than the window are deleted as new ones come
    (services.request_password_reset)."""

    address_digest = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["address_digest", "requested_at"], name="reset_address_idx"),
            models.Index(fields=["ip", "requested_at"], name="reset_ip_idx"),
            models.Index(fields=["requested_at"], name="reset_requested_at_idx"),
        ]

    def __str__(self) -> str:
        return f"password reset request at {self.requested_at:%Y-%m-%d %H:%M}"


class InvitationVia(models.TextChoices):
    HR = "hr", "Sent by HR"
    COMMAND_LINE = "cli", "Sent from the command line"
    NOTIFICATION = "notification", "With a notification e-mail"
    SELF = "self", "Asked for on the password reset page"


class Invitation(models.Model):
    """The last time someone without a password was e-mailed a link to choose one: their
    way into Tandem. People created by an HRIS import (or by HR) have no password until they
    follow such a link; HR invites them, and every e-mail Tandem sends them before then
    carries a link too (org.services.invitations). One row per person: `sent_at` is the
    latest link's time (it works for TANDEM_INVITATION_DAYS from then), `times` how many
    were sent in all."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitation"
    )
    first_sent_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    via = models.CharField(max_length=12, choices=InvitationVia.choices, default=InvitationVia.HR)
    times = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"invitation of {self.person_id} sent {self.sent_at:%Y-%m-%d %H:%M}"

    @property
    def expires_at(self) -> datetime:
        return self.sent_at + timedelta(seconds=settings.INVITATION_TIMEOUT)

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()
