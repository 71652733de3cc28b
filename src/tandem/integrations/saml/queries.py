"""Reads about SAML sign-in: IT's list of identity providers (through the access scope),
the sign-in page's buttons (anyone), and the IT page's status line."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from tandem.access.external_sign_in import SignInOption
from tandem.access.rules import can, scope
from tandem.integrations.saml.models import IdentityProvider, SignInAttempt
from tandem.integrations.status import StatusLine

MAX_ID = 2**63 - 1


def providers(actor: Any) -> QuerySet[IdentityProvider]:
    return scope(actor, IdentityProvider.objects.all())


def provider_for(actor: Any, provider_id: int) -> IdentityProvider:
    """A provider the actor may manage; 404 otherwise (denied looks like missing)."""
    if not 0 < provider_id <= MAX_ID:
        raise Http404
    found = providers(actor).filter(pk=provider_id).first()
    if found is None:
        raise Http404
    return found


def enabled_provider(provider_id: int) -> IdentityProvider:
    """An enabled provider anyone may start signing in with; 404 otherwise."""
    if not 0 < provider_id <= MAX_ID:
        raise Http404
    found = IdentityProvider.objects.filter(pk=provider_id, enabled=True).first()
    if found is None:
        raise Http404
    return found


def sign_in_options(request: HttpRequest) -> list[SignInOption]:
    return [
        SignInOption(
            label=f"Sign in with {p.name}",
            url=reverse("integrations_saml:login", args=[p.pk]),
        )
        for p in IdentityProvider.objects.filter(enabled=True).only("pk", "name")
    ]


def recent_attempts(actor: Any, limit: int = 20) -> list[SignInAttempt]:
    """The latest sign-in attempts with their technical reasons, for IT admins only."""
    if not can(actor, "saml_provider.manage"):
        return []
    return list(SignInAttempt.objects.select_related("provider")[:limit])


def status_lines() -> list[StatusLine]:
    """IdPs count, last SAML sign-in, failures in the last 24 hours."""
    total = IdentityProvider.objects.count()
    enabled = IdentityProvider.objects.filter(enabled=True).count()
    manage = reverse("integrations_saml:providers")
    if not total:
        return [StatusLine("Single sign-on (SAML)", "off", "No identity providers.", None, manage)]
    now = timezone.now()
    counted = SignInAttempt.objects.filter(test=False)  # IT's test sign-ins are not counted
    last = counted.filter(succeeded=True).order_by("-at").first()
    failures = counted.filter(succeeded=False, at__gte=now - timedelta(hours=24)).count()
    parts = [
        f"{enabled} of {total} identity providers on"
        if enabled != total
        else (f"{total} identity provider{'s' if total != 1 else ''}")
    ]
    parts.append(f"last sign-in {timesince(last.at, now)} ago" if last else "no sign-in yet")
    parts.append(f"{failures} failed sign-in{'s' if failures != 1 else ''} in the last 24 hours")
    state: Any = "ok"
    if not enabled:
        state = "off"
    elif failures and (last is None or last.at < now - timedelta(hours=24)):
        state = "failing"
    elif failures:
        state = "attention"
    return [
        StatusLine(
            "Single sign-on (SAML)", state, "; ".join(parts), last.at if last else None, manage
        )
    ]
