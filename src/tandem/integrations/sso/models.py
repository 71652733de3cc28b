"""Single sign-on with OpenID Connect: the identity providers IT set up, the company's SSO
policy, and the log of sign-in attempts the IT page counts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class OidcProvider(models.Model):
    """An identity provider people sign in through ("Okta", "Microsoft Entra ID"): its
    issuer (Tandem reads the rest from the issuer's discovery document), the client IT
    registered there for Tandem, the scopes asked for, the claim that carries the work
    e-mail and, optionally, the e-mail domains it may vouch for.

    The client secret is stored encrypted (`client_secret_sealed`, core/encryption.py) and
    only its last characters are shown."""

    name = models.CharField(max_length=60, help_text="On the sign-in button: “Sign in with …”.")
    issuer = models.URLField(max_length=500)
    client_id = models.CharField(max_length=255)
    client_secret_sealed = models.TextField()
    secret_hint = models.CharField(max_length=8)
    scopes = models.CharField(max_length=255, default="openid email profile")
    email_claim = models.CharField(max_length=100, default="email")
    allowed_domains = models.CharField(
        max_length=500, blank=True, help_text="Space-separated; empty: any domain."
    )
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def domains(self) -> list[str]:
        return self.allowed_domains.split()

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()


class SsoPolicy(models.Model):
    """The company's single sign-on policy, one row: whether password sign-in is refused
    (apart from one break-glass account IT names, for when the identity provider is down),
    and whether a person the identity provider vouches for but Tandem does not know yet is
    created at their first sign-in (just-in-time). Both off until IT turns them on."""

    require_sso = models.BooleanField(default=False)
    break_glass = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    just_in_time = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return "SSO policy"


class SignInAttempt(models.Model):
    """One sign-in through a provider that reached Tandem's callback (or failed to start):
    when, whether it ended signed in, and the technical reason when it did not. It names no
    person: the IT page counts these, and the reason is for IT to diagnose the set-up."""

    provider = models.ForeignKey(
        OidcProvider, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    succeeded = models.BooleanField()
    test = models.BooleanField(default=False)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["succeeded", "-at"], name="sso_attempt_recent_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'ok' if self.succeeded else 'failed'}"
