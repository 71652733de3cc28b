"""Writes about single sign-on: IT setting up providers and the policy (permission checked,
audited), and a sign-in's two halves — sending the browser to the provider, and finishing
when it comes back.

A sign-in in flight lives in the session (`PENDING`): its state, nonce and PKCE verifier,
keyed by state, for at most `FLOW_MINUTES`, and at most `MAX_PENDING` at once. The callback
*pops* its entry, so a state is used once: a replayed or forged one finds nothing."""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from tandem.access.external_sign_in import complete_external_sign_in
from tandem.access.rules import SYSTEM, can, require
from tandem.audit.services import record
from tandem.core.encryption import Unreadable, seal, unseal
from tandem.integrations.sso import oidc, queries
from tandem.integrations.sso.models import OidcProvider, SignInAttempt, SsoPolicy
from tandem.org.models import Person
from tandem.org.services.people import create_person

logger = logging.getLogger("tandem.sso")

PURPOSE = "integrations:oidc-client-secret"
PENDING = "tandem_oidc_pending"
TEST_RESULT = "tandem_oidc_test_result"
FLOW_MINUTES = 10
MAX_PENDING = 5
MAX_SECRET = 2000
SOURCE_PREFIX = "OIDC: "


# --- IT's settings ------------------------------------------------------------------------


def _domains(text: str) -> list[str]:
    return [d.strip().lstrip("@").lower() for d in text.replace(",", " ").split() if d.strip()]


def _check(
    *,
    name: str,
    issuer: str,
    client_id: str,
    secret: str | None,
    scopes: str,
    email_claim: str,
    allowed_domains: str,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["Give the provider the name people know it by, such as “Okta”."]
    elif len(name.strip()) > 60:
        errors["name"] = ["Keep the name under 60 characters."]
    if not issuer.strip():
        errors["issuer"] = ["Enter the issuer's address (the provider's settings show it)."]
    elif len(issuer) > 500:
        errors["issuer"] = ["This address is longer than 500 characters; check it."]
    elif problem := oidc.issuer_problem(issuer):
        errors["issuer"] = [problem]
    if not client_id.strip():
        errors["client_id"] = ["Enter the client id the provider gave Tandem."]
    elif len(client_id.strip()) > 255:
        errors["client_id"] = ["A client id is at most 255 characters; check it."]
    if secret is not None:
        if not secret.strip():
            errors["client_secret"] = ["Paste the client secret the provider gave Tandem."]
        elif len(secret) > MAX_SECRET:
            errors["client_secret"] = [f"A client secret is at most {MAX_SECRET} characters."]
    scope_list = scopes.split()
    if "openid" not in scope_list:
        errors["scopes"] = ["The scopes must include “openid” (that is what makes it OIDC)."]
    elif len(scopes) > 255:
        errors["scopes"] = ["Keep the scopes under 255 characters."]
    if not email_claim.strip() or " " in email_claim.strip() or len(email_claim) > 100:
        errors["email_claim"] = ["Name one claim, such as “email” or “upn”."]
    bad = [d for d in _domains(allowed_domains) if "." not in d or "@" in d or "/" in d]
    if bad:
        errors["allowed_domains"] = [
            f"“{bad[0]}” is not a domain; write domains such as “example.com”, separated by spaces."
        ]
    elif len(" ".join(_domains(allowed_domains))) > 500:
        errors["allowed_domains"] = ["Keep the list of domains under 500 characters."]
    return errors


def _last_way_in(provider: OidcProvider) -> dict[str, list[str]]:
    """While SSO is required, the last provider switched on may not be switched off or
    deleted: everyone but the break-glass account would be locked out."""
    if not queries.policy().require_sso:
        return {}
    others = OidcProvider.objects.filter(enabled=True).exclude(pk=provider.pk).exists()
    if others:
        return {}
    return {
        "enabled": [
            "Single sign-on is required and this is the only provider switched on: turn off "
            "“Require single sign-on” first, or nobody could sign in."
        ]
    }


def _snapshot(provider: OidcProvider) -> dict[str, Any]:
    return {
        "name": provider.name,
        "issuer": provider.issuer,
        "client_id": provider.client_id,
        "client_secret": f"…{provider.secret_hint}",
        "scopes": provider.scopes,
        "email_claim": provider.email_claim,
        "allowed_domains": provider.allowed_domains or "any",
        "enabled": provider.enabled,
    }


def create_provider(
    *,
    name: str,
    issuer: str,
    client_id: str,
    client_secret: str,
    scopes: str = "openid email profile",
    email_claim: str = "email",
    allowed_domains: str = "",
    enabled: bool = True,
    by: Any,
) -> OidcProvider:
    """Add an OIDC provider; its client secret is stored encrypted. Audited (without it)."""
    require(by, "sso.manage")
    errors = _check(
        name=name,
        issuer=issuer,
        client_id=client_id,
        secret=client_secret,
        scopes=scopes,
        email_claim=email_claim,
        allowed_domains=allowed_domains,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        provider = OidcProvider.objects.create(
            name=name.strip(),
            issuer=issuer.strip().rstrip("/"),
            client_id=client_id.strip(),
            client_secret_sealed=seal(client_secret.strip(), purpose=PURPOSE),
            secret_hint=client_secret.strip()[-4:],
            scopes=" ".join(scopes.split()),
            email_claim=email_claim.strip(),
            allowed_domains=" ".join(_domains(allowed_domains)),
            enabled=enabled,
            created_by=by if getattr(by, "pk", None) else None,
        )
        record(
            actor=by,
            kind="sso.provider_create",
            obj=provider,
            object_label=str(provider),
            changes=_snapshot(provider),
        )
    return provider


def update_provider(
    *,
    provider: OidcProvider,
    name: str,
    issuer: str,
    client_id: str,
    client_secret: str = "",
    scopes: str,
    email_claim: str,
    allowed_domains: str,
    enabled: bool,
    by: Any,
) -> dict[str, list[Any]]:
    """Change a provider; an empty `client_secret` keeps the stored one. Returns the changes
    as {field: [old, new]} (audited; the secret only by its last characters)."""
    require(by, "sso.manage", provider)
    new_secret = client_secret.strip() or None
    errors = _check(
        name=name,
        issuer=issuer,
        client_id=client_id,
        secret=new_secret,
        scopes=scopes,
        email_claim=email_claim,
        allowed_domains=allowed_domains,
    )
    if provider.enabled and not enabled:
        errors.update(_last_way_in(provider))
    if errors:
        raise ValidationError(errors)
    before = _snapshot(provider)
    provider.name = name.strip()
    provider.issuer = issuer.strip().rstrip("/")
    provider.client_id = client_id.strip()
    provider.scopes = " ".join(scopes.split())
    provider.email_claim = email_claim.strip()
    provider.allowed_domains = " ".join(_domains(allowed_domains))
    provider.enabled = enabled
    if new_secret is not None:
        provider.client_secret_sealed = seal(new_secret, purpose=PURPOSE)
        provider.secret_hint = new_secret[-4:]
    after = _snapshot(provider)
    if new_secret is not None:
        after["client_secret"] = f"new, …{provider.secret_hint}"
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if not changes:
        return {}
    with transaction.atomic():
        provider.save()
        record(
            actor=by,
            kind="sso.provider_update",
            obj=provider,
            object_label=str(provider),
            changes=changes,
        )
    return changes


def delete_provider(*, provider: OidcProvider, by: Any) -> None:
    """Remove a provider: its button leaves the sign-in page at once. Audited."""
    require(by, "sso.manage", provider)
    if provider.enabled and (problem := _last_way_in(provider)):
        raise ValidationError(problem["enabled"])
    with transaction.atomic():
        record(
            actor=by,
            kind="sso.provider_delete",
            obj=provider,
            object_label=str(provider),
            changes=_snapshot(provider),
        )
        provider.delete()


def save_policy(
    *, require_sso: bool, break_glass_email: str, just_in_time: bool, by: Any
) -> dict[str, list[Any]]:
    """Set the company's SSO policy. Requiring SSO needs an enabled provider and a
    break-glass account (an active person, by work e-mail), so nobody is locked out when
    the provider is down. Returns the changes (audited)."""
    require(by, "sso.manage")
    errors: dict[str, list[str]] = {}
    email = break_glass_email.strip().lower()
    person = None
    if email:
        person = Person.objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            errors["break_glass_email"] = [
                f"No one still at the company uses {email} as their work e-mail."
            ]
    if require_sso and not errors:
        if person is None:
            errors["break_glass_email"] = [
                "Name a break-glass account (someone who may still sign in with a password "
                "when the identity provider is down) before requiring SSO."
            ]
        elif not person.has_usable_password():
            errors["break_glass_email"] = [
                f"{email} has no password yet, so it could not be used to get in. "
                "Invite them to choose one first."
            ]
        if not OidcProvider.objects.filter(enabled=True).exists():
            errors["require_sso"] = [
                "Add and switch on a provider first: with none, nobody could sign in."
            ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        policy = SsoPolicy.objects.select_for_update().filter(pk=1).first() or SsoPolicy(pk=1)
        before = {
            "require_sso": policy.require_sso,
            "break_glass": policy.break_glass.email if policy.break_glass else "",
            "just_in_time": policy.just_in_time,
        }
        after = {
            "require_sso": require_sso,
            "break_glass": person.email if person else "",
            "just_in_time": just_in_time,
        }
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if not changes:
            return {}
        policy.require_sso = require_sso
        policy.break_glass = person
        policy.just_in_time = just_in_time
        policy.updated_at = timezone.now()
        policy.save()
        record(
            actor=by,
            kind="sso.policy_update",
            obj=policy,
            object_label="SSO policy",
            changes=changes,
        )
    return changes


# --- Signing in ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """How a callback ended: signed in (`person`), a test's claims, or `problem`."""

    person: Person | None = None
    problem: str = ""
    reason: str = ""
    test: bool = False
    provider_id: int | None = None
    claims: dict[str, Any] | None = None
    next_url: str = ""


def redirect_uri() -> str:
    """The one callback address every provider sends people back to (IT registers it)."""
    return settings.SITE_URL.rstrip("/") + reverse("integrations_sso:callback")


def _client(provider: OidcProvider) -> oidc.Client:
    try:
        secret = unseal(provider.client_secret_sealed, purpose=PURPOSE)
    except Unreadable as error:
        raise oidc.SignInFailed(
            f"{provider.name} is not set up correctly in Tandem. Tell IT.",
            "the client secret cannot be decrypted with the current key; enter it again",
        ) from error
    return oidc.Client(
        name=provider.name,
        issuer=provider.issuer,
        client_id=provider.client_id,
        client_secret=secret,
        scopes=provider.scope_list,
    )


def _log(provider: OidcProvider | None, *, succeeded: bool, test: bool, reason: str = "") -> None:
    SignInAttempt.objects.create(
        provider=provider, succeeded=succeeded, test=test, reason=reason[:300]
    )
    if not succeeded:
        logger.warning(
            "OIDC sign-in failed (provider %s%s): %s",
            provider.pk if provider else "?",
            ", test" if test else "",
            reason,
        )


def begin_sign_in(
    *, request: HttpRequest, provider: OidcProvider, test: bool = False, next_url: str = ""
) -> str:
    """Start a sign-in through `provider`: remember its state, nonce and PKCE verifier in
    the session and return the provider's address to send the browser to. A test (IT's
    "Test sign-in") is checked to be asked by someone who manages SSO; it signs nobody in.
    Raises SignInFailed."""
    if test:
        require(request.user, "sso.manage", provider)
    elif not provider.enabled:
        raise oidc.SignInFailed(
            f"Signing in with {provider.name} is switched off. Sign in another way, or ask IT.",
            "provider is switched off",
        )
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)  # 86 characters: RFC 7636 allows 43 to 128
    try:
        url = oidc.authorization_url(
            _client(provider),
            redirect_uri=redirect_uri(),
            state=state,
            nonce=nonce,
            code_verifier=verifier,
        )
    except oidc.SignInFailed as failure:
        _log(provider, succeeded=False, test=test, reason=failure.reason)
        raise
    now = time.time()
    pending = {
        key: flow
        for key, flow in dict(request.session.get(PENDING, {})).items()
        if now - flow.get("at", 0) < FLOW_MINUTES * 60
    }
    # The oldest go first: a person who opened many sign-in tabs keeps the latest ones.
    for key in sorted(pending, key=lambda k: pending[k]["at"])[
        : max(0, len(pending) - MAX_PENDING + 1)
    ]:
        del pending[key]
    pending[state] = {
        "provider": provider.pk,
        "nonce": nonce,
        "verifier": verifier,
        "at": now,
        "test": test,
        "next": next_url,
    }
    request.session[PENDING] = pending
    return url


def finish_sign_in(*, request: HttpRequest, params: dict[str, str]) -> Outcome:
    """The provider sent the browser back: check the state (once), trade the code, verify
    the ID token, check the e-mail and its domain, then sign in through
    `access.external_sign_in` (or, for a test, return the claims). Never raises for a bad
    answer: the outcome's `problem` says what went wrong in plain words."""
    state = params.get("state", "")
    pending = dict(request.session.get(PENDING, {}))
    flow = pending.pop(state, None) if state else None
    if flow is not None:
        request.session[PENDING] = pending  # used once: a replay finds nothing
    if flow is None:
        # Logged, not counted: a person pressing "back" after signing in lands here too.
        logger.warning("OIDC callback with an unknown or already used state")
        return Outcome(
            problem="This sign-in link was already used or is not from this browser. "
            "Start again from the sign-in page."
        )
    provider = OidcProvider.objects.filter(pk=flow["provider"]).first()
    test = bool(flow.get("test"))
    if provider is None:
        _log(None, succeeded=False, test=test, reason="provider deleted during the sign-in")
        return Outcome(problem="This way of signing in was removed. Sign in another way.")
    outcome = _finish(request, provider, flow, params, test=test)
    return outcome


def _finish(
    request: HttpRequest,
    provider: OidcProvider,
    flow: dict[str, Any],
    params: dict[str, str],
    *,
    test: bool,
) -> Outcome:
    def failed(problem: str, reason: str) -> Outcome:
        _log(provider, succeeded=False, test=test, reason=reason)
        return Outcome(problem=problem, reason=reason, test=test, provider_id=provider.pk)

    if time.time() - flow.get("at", 0) >= FLOW_MINUTES * 60:
        return failed(
            f"The sign-in took longer than {FLOW_MINUTES} minutes. Start again.",
            "callback after the flow's lifetime",
        )
    if test and not _may_manage(request):
        return failed("Only IT admins can test a provider.", "test finished by someone else")
    if not test and not provider.enabled:
        return failed(
            f"Signing in with {provider.name} is switched off. Sign in another way, or ask IT.",
            "provider switched off during the sign-in",
        )
    if params.get("error"):
        error = params["error"][:100]
        if error == "access_denied":
            problem = f"{provider.name} did not let you in (you cancelled, or it refused)."
        else:
            problem = (
                f"{provider.name} could not sign you in. Try again; if it keeps happening, tell IT."
            )
        description = params.get("error_description", "")[:150]
        return failed(problem, f"provider answered error={error} {description}".strip())
    code = params.get("code", "")
    if not code or len(code) > 2000:
        return failed(
            f"{provider.name} sent you back without a sign-in. Start again.",
            "callback without a code",
        )
    try:
        claims = oidc.exchange_code(
            _client(provider),
            code=code,
            redirect_uri=redirect_uri(),
            code_verifier=flow["verifier"],
            nonce=flow["nonce"],
            needed_claim=provider.email_claim,
        )
    except oidc.SignInFailed as failure:
        return failed(failure.problem, failure.reason)
    email = claims.get(provider.email_claim)
    if not isinstance(email, str) or "@" not in email:
        return failed(
            f"{provider.name} did not say which e-mail address you use. Tell IT.",
            f"no e-mail address in claim {provider.email_claim!r} "
            f"(claims: {', '.join(sorted(claims))})",
        )
    email = email.strip().lower()
    if claims.get("email_verified") is False and provider.email_claim == "email":
        return failed(
            f"{provider.name} has not verified your e-mail address, so Tandem cannot tell "
            "it is yours. Verify it there, then try again.",
            "email_verified is false",
        )
    domain = email.rsplit("@", 1)[1]
    if provider.domains and domain not in provider.domains:
        return failed(
            f"Addresses at {domain} may not sign in with {provider.name}. "
            "Sign in with your work account.",
            f"e-mail domain {domain} not in the allowed domains",
        )
    if test:
        _log(provider, succeeded=True, test=True)
        return Outcome(test=True, provider_id=provider.pk, claims=claims)
    ended = complete_external_sign_in(
        request,
        email=email,
        source=f"{SOURCE_PREFIX}{provider.name}",
        attributes=claims,
    )
    if ended.person is None:
        # The reason names nobody: the IT page lists reasons, and the address is the person's.
        return failed(ended.problem, "no active person uses this work e-mail (unknown or left)")
    _log(provider, succeeded=True, test=False)
    return Outcome(person=ended.person, provider_id=provider.pk, next_url=str(flow.get("next", "")))


def _may_manage(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated and can(request.user, "sso.manage"))


def create_person_just_in_time(email: str, claims: dict[str, object], source: str) -> Person | None:
    """Just-in-time creation (access.external_sign_in): when the SSO policy allows it, a
    person an OIDC provider vouches for but Tandem does not know is created at their first
    sign-in, with the names the provider gave. Only for OIDC sign-ins; audited as done by
    the system."""
    if not source.startswith(SOURCE_PREFIX) or not queries.policy().just_in_time:
        return None
    # Names as the provider gave them; else guessed from "ana.silva@…" (HR can correct them).
    words = email.split("@", 1)[0].replace("_", ".").replace("-", ".").split(".")

    def text(name: str, fallback: str) -> str:
        value = claims.get(name)
        return value.strip()[:100] if isinstance(value, str) and value.strip() else fallback

    first = text("given_name", words[0].capitalize()[:100] or "New")
    last = text("family_name", words[-1].capitalize()[:100] if len(words) > 1 else "?")
    try:
        with transaction.atomic():
            return create_person(by=SYSTEM, email=email, first_name=first, last_name=last)
    except ValidationError as error:
        logger.warning("just-in-time creation refused for a %s sign-in: %s", source, error)
        return None
