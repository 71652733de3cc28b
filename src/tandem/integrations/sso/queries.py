"""Reads about single sign-on: IT admins' providers (through the access scope), the SSO
policy, and — for the sign-in page and the IT page — the enabled providers' buttons, the
password policy and the state of SSO."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.timesince import timesince

from tandem.access.external_sign_in import SignInOption
from tandem.access.rules import can, scope
from tandem.integrations.sso.models import OidcProvider, SignInAttempt, SsoPolicy
from tandem.integrations.status import State, StatusLine

MAX_ID = 2**63 - 1


def providers(user: Any) -> list[OidcProvider]:
    """The providers the viewer manages (IT admins: all), by name."""
    return list(scope(user, OidcProvider.objects.all()).order_by("name", "pk"))


def provider_for(user: Any, pk: int) -> OidcProvider:
    """The provider with this id, or 404 (outside the viewer's scope is answered the same)."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    provider = scope(user, OidcProvider.objects.all()).filter(pk=pk).first()
    if provider is None:
        raise Http404
    return provider


def enabled_provider(pk: int) -> OidcProvider | None:
    """A switched-on provider, for anyone starting a sign-in with it (its button is on the
    sign-in page for everyone); None when there is none with this id or it is off."""
    if not 0 < pk <= MAX_ID:
        return None
    return OidcProvider.objects.filter(pk=pk, enabled=True).first()


def policy() -> SsoPolicy:
    """The SSO policy (everything off until IT saves one)."""
    return SsoPolicy.objects.select_related("break_glass").filter(pk=1).first() or SsoPolicy(pk=1)


def sign_in_options(request: HttpRequest) -> list[SignInOption]:
    """A "Sign in with …" button for each enabled provider, keeping where the person was
    going (`?next=`)."""
    wanted = request.GET.get("next", "")
    query = f"?{urlencode({'next': wanted})}" if wanted else ""
    return [
        SignInOption(
            label=f"Sign in with {provider.name}",
            url=reverse("integrations_sso:start", args=[provider.pk]) + query,
        )
        for provider in OidcProvider.objects.filter(enabled=True).order_by("name", "pk")
    ]


def password_refusal(email: str) -> str:
    """Why password sign-in is refused for `email` (the policy requires SSO and this is not
    the break-glass account), or ""."""
    current = policy()
    if not current.require_sso:
        return ""
    if current.break_glass is not None and current.break_glass.email.lower() == email:
        return ""
    return (
        "This company signs in through its identity provider: use the “Sign in with …” "
        "button above instead of a password."
    )


def recent_attempts(user: Any, *, limit: int = 20) -> list[SignInAttempt]:
    """The latest sign-in attempts with their technical reasons (IT admins only)."""
    if not can(user, "sso.manage"):
        return []
    return list(SignInAttempt.objects.select_related("provider").order_by("-at", "-id")[:limit])


def status_lines() -> list[StatusLine]:
    """The IT page's line: providers switched on, the last SSO sign-in, and the failures of
    the last 24 hours. Counts and times only."""
    now = timezone.now()
    counts = OidcProvider.objects.aggregate(
        total=Count("id"), enabled=Count("id", filter=Q(enabled=True))
    )
    if not counts["total"]:
        return [
            StatusLine(
                integration="Single sign-on (OIDC)",
                state="off",
                summary="No provider set up; people sign in with passwords.",
                manage_url=reverse("integrations_sso:providers"),
            )
        ]
    figures = SignInAttempt.objects.filter(test=False).aggregate(
        last_ok=Max("at", filter=Q(succeeded=True)),
        recent_ok=Count("id", filter=Q(succeeded=True, at__gte=now - timedelta(hours=24))),
        failures=Count("id", filter=Q(succeeded=False, at__gte=now - timedelta(hours=24))),
    )
    enabled = counts["enabled"]
    parts = [
        f"{enabled} of {counts['total']} providers on"
        if enabled != counts["total"]
        else f"{enabled} provider{'s' if enabled != 1 else ''}"
    ]
    last_ok = figures["last_ok"]
    parts.append(f"last sign-in {timesince(last_ok, now)} ago" if last_ok else "no sign-in yet")
    failures = figures["failures"]
    if failures:
        parts.append(f"{failures} failed sign-in{'s' if failures != 1 else ''} in 24 hours")
    if policy().require_sso:
        parts.append("SSO required")
    if not enabled:
        state: State = "off"
    elif failures and not figures["recent_ok"]:
        state = "failing"  # every sign-in of the last day failed
    else:
        state = "attention" if failures else "ok"
    return [
        StatusLine(
            integration="Single sign-on (OIDC)",
            state=state,
            summary="; ".join(parts) + ".",
            last_activity=last_ok,
            manage_url=reverse("integrations_sso:providers"),
        )
    ]
