"""SAML single sign-on: the identity providers IT trusts, Tandem's own key pair as a
service provider, the assertions already used (replay) and a log of sign-in attempts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class IdentityProvider(models.Model):
    """A SAML identity provider IT trusts to vouch for people's work e-mail ("Okta",
    "Entra ID"): its metadata (entity id, sign-in address, signing certificate), where the
    e-mail is in its assertions, and which e-mail domains it may sign in."""

    name = models.CharField(max_length=100)
    entity_id = models.CharField(max_length=500, unique=True)
    metadata_xml = models.TextField()
    metadata_url = models.URLField(max_length=1000, blank=True)
    email_attribute = models.CharField(
        max_length=200, blank=True, help_text="Empty: the NameID (an e-mail address)."
    )
    allowed_domains = models.TextField(
        blank=True, help_text="One domain a line; empty: any domain."
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
        return [d.strip().lower().lstrip("@") for d in self.allowed_domains.split() if d.strip()]


class ServiceProviderKey(models.Model):
    """Tandem's own key pair as a SAML service provider, made once: the certificate is in
    the metadata IdPs read; the private key (which signs sign-in requests) is sealed at rest
    (core/encryption.py). Only one row is ever used: the oldest."""

    certificate_pem = models.TextField()
    private_key_sealed = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"SAML service provider key of {self.created_at:%Y-%m-%d}"


class UsedAssertion(models.Model):
    """An assertion id Tandem accepted, kept until the assertion expires so the same
    assertion cannot sign anyone in twice (a replay)."""

    assertion_id = models.CharField(max_length=200, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.assertion_id


class SignInAttempt(models.Model):
    """One SAML response received: signed in, or refused with the technical reason (for IT
    and the status line; the person sees a plain sentence)."""

    provider = models.ForeignKey(
        IdentityProvider, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    succeeded = models.BooleanField(default=False)
    # IT's "Test sign-in": signs nobody in, and the status line does not count it.
    test = models.BooleanField(default=False)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{'Signed in' if self.succeeded else 'Refused'} at {self.at:%Y-%m-%d %H:%M}"
