"""SAML: IT's pages for identity providers, and the public protocol endpoints (Tandem's
metadata, starting a sign-in, the assertion consumer service). Thin: parse, call, render."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from tandem.access.rules import require
from tandem.access.services import is_local_path
from tandem.core.forms import show_errors
from tandem.core.http import AuthedHttpRequest
from tandem.integrations.saml import queries, services, sp
from tandem.integrations.saml.forms import IdentityProviderForm
from tandem.integrations.saml.models import IdentityProvider
from tandem.integrations.sign_in_check import allow_test_forms

logger = logging.getLogger(__name__)


def _sp_context() -> dict[str, str]:
    return {"sp_entity_id": sp.entity_id(), "sp_acs_url": sp.acs_url()}


@login_required
def providers(request: AuthedHttpRequest) -> HttpResponse:
    """IT admins: the identity providers, Tandem's own addresses, and the form to add one."""
    require(request.user, "saml_provider.manage")
    form = IdentityProviderForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            provider = services.create_provider(
                name=data["name"],
                metadata_xml=data["metadata_file"],
                metadata_url=data["metadata_url"],
                email_attribute=data["email_attribute"],
                allowed_domains=data["allowed_domains"],
                enabled=data["enabled"],
                by=request.user,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request, f"Added {provider}. Its button is on the sign-in page; try it."
            )
            return redirect("integrations_saml:providers")
    return render(
        request,
        "integrations_saml/providers.html",
        {
            "providers": queries.providers(request.user),
            "attempts": queries.recent_attempts(request.user),
            "form": form,
            **_sp_context(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def edit_provider(request: AuthedHttpRequest, provider_id: int) -> HttpResponse:
    """IT admins: change a provider's name, metadata, e-mail attribute, domains or switch."""
    provider = queries.provider_for(request.user, provider_id)
    require(request.user, "saml_provider.manage", provider)
    initial = {
        "name": provider.name,
        "metadata_url": provider.metadata_url,
        "email_attribute": provider.email_attribute,
        "allowed_domains": provider.allowed_domains,
        "enabled": provider.enabled,
    }
    form = IdentityProviderForm(
        request.POST or None, request.FILES or None, initial=initial, editing=True
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changes = services.update_provider(
                provider=provider,
                name=data["name"],
                metadata_xml=data["metadata_file"],
                metadata_url=data["metadata_url"],
                refresh=data["refresh"],
                email_attribute=data["email_attribute"],
                allowed_domains=data["allowed_domains"],
                enabled=data["enabled"],
                by=request.user,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Saved {provider}." if changes else "Nothing changed.")
            return redirect("integrations_saml:providers")
    result = test_result(request, provider.pk) if request.method == "GET" else None
    response = render(
        request,
        "integrations_saml/provider_edit.html",
        {"provider": provider, "form": form, "result": result},
        status=400 if request.method == "POST" else 200,
    )
    return allow_test_forms(response, [_idp_origin(provider)])


def _idp_origin(provider: IdentityProvider) -> str:
    try:
        address = urlsplit(sp.read_idp_metadata(provider.metadata_xml).sso_url)
    except sp.BadMetadata:
        return ""
    return f"{address.scheme}://{address.netloc}"


@login_required
@require_POST
def test_provider(request: AuthedHttpRequest, provider_id: int) -> HttpResponse:
    """IT admins: run a sign-in through the identity provider that signs nobody in; its
    answer comes back to the provider's page with what the IdP sent, or what went wrong."""
    provider = queries.provider_for(request.user, provider_id)
    require(request.user, "saml_provider.manage", provider)
    location, pending = services.start_sign_in(
        provider=provider, pending=pending_requests(request), test=True
    )
    response = redirect(location)
    keep_pending(response, pending)
    return response


@login_required
@require_POST
def delete_provider(request: AuthedHttpRequest, provider_id: int) -> HttpResponse:
    """IT admins: stop trusting a provider (its button leaves the sign-in page)."""
    provider = queries.provider_for(request.user, provider_id)
    label = str(provider)
    services.delete_provider(provider=provider, by=request.user)
    messages.success(request, f"Removed {label}. Nobody can sign in through it any more.")
    return redirect("integrations_saml:providers")


@require_GET
def metadata(request: HttpRequest) -> HttpResponse:
    """Anyone (identity providers): Tandem's SP metadata, at a stable address."""
    return HttpResponse(sp.metadata_xml(), content_type="application/samlmetadata+xml")


# The sign-ins a browser started live in a signed cookie of their own, not in the session:
# the IdP's answer is a cross-site POST, which carries no SameSite=Lax session cookie, and a
# visitor who only looks at the sign-in page gets no session row.
PENDING_COOKIE = "tandem_saml_requests"
PENDING_SALT = "tandem.integrations.saml.pending"


def pending_requests(request: HttpRequest) -> services.Pending:
    raw = request.get_signed_cookie(
        PENDING_COOKIE,
        default="",
        salt=PENDING_SALT,
        max_age=services.REQUEST_LIFETIME_SECONDS,
    )
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def keep_pending(response: HttpResponse, pending: services.Pending) -> None:
    secure = settings.SESSION_COOKIE_SECURE
    response.set_signed_cookie(
        PENDING_COOKIE,
        json.dumps(pending),
        salt=PENDING_SALT,
        max_age=services.REQUEST_LIFETIME_SECONDS,
        path=reverse("integrations_saml:acs"),
        secure=secure,
        httponly=True,
        # Sent with the IdP's cross-site POST; browsers accept None only on HTTPS.
        samesite="None" if secure else "Lax",
    )


# A test sign-in's result, for the provider's page: the ACS cannot keep it in the session,
# because the IdP's cross-site POST carries no session cookie (and must not start a new
# session, which would sign the IT admin out). The page is for IT admins only.
TEST_RESULT_COOKIE = "tandem_saml_test_result"
TEST_RESULT_SALT = "tandem.integrations.saml.test-result"
TEST_RESULT_SECONDS = 15 * 60
MAX_SHOWN_ATTRIBUTES = 20  # a cookie holds about 4 KB


def _result(outcome: services.Outcome) -> dict[str, Any]:
    if outcome.received is None:
        return {"ok": False, "problem": outcome.problem, "reason": outcome.reason[:300]}
    received = dict(outcome.received)
    attributes = list(received["attributes"])
    received["attributes"] = attributes[:MAX_SHOWN_ATTRIBUTES]
    received["more"] = max(0, len(attributes) - MAX_SHOWN_ATTRIBUTES)
    return {"ok": True, **received}


def keep_test_result(response: HttpResponse, outcome: services.Outcome) -> None:
    response.set_signed_cookie(
        TEST_RESULT_COOKIE,
        json.dumps({"provider": outcome.provider_id, **_result(outcome)}),
        salt=TEST_RESULT_SALT,
        max_age=TEST_RESULT_SECONDS,
        path=reverse("integrations_saml:providers"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def test_result(request: HttpRequest, provider_id: int) -> dict[str, Any] | None:
    """The last test sign-in's result for this provider, from this browser."""
    raw = request.get_signed_cookie(
        TEST_RESULT_COOKIE, default="", salt=TEST_RESULT_SALT, max_age=TEST_RESULT_SECONDS
    )
    try:
        value = json.loads(raw) if raw else None
    except ValueError:
        return None
    if not isinstance(value, dict) or value.get("provider") != provider_id:
        return None
    return value


@require_GET
def login(request: HttpRequest, provider_id: int) -> HttpResponse:
    """Anyone: go to the identity provider to sign in."""
    provider = queries.enabled_provider(provider_id)
    location, pending = services.start_sign_in(provider=provider, pending=pending_requests(request))
    response = redirect(location)
    keep_pending(response, pending)
    return response


@csrf_exempt  # the IdP's form posts here from another site; the signed assertion is the check
@require_POST
def acs(request: HttpRequest) -> HttpResponse:
    """The assertion consumer service: the IdP's answer, checked; then home or the sign-in
    page with the problem in plain words. The answer to IT's test sign-in signs nobody in:
    it goes to the provider's page with what the IdP sent, or why it was refused."""
    try:
        outcome = services.finish_sign_in(
            request,
            saml_response=request.POST.get("SAMLResponse", ""),
            pending=pending_requests(request),
        )
    except Exception:  # the rule: a sign-in ends on the sign-in page, never on a 500
        logger.exception("SAML sign-in failed unexpectedly")
        outcome = services.Outcome(
            None, f"Tandem could not complete this sign-in. {services.TRY_AGAIN}"
        )
    if outcome.test and outcome.provider_id is not None:
        # Nobody is signed in and the session is left alone: the result goes to IT's page.
        response = redirect("integrations_saml:provider_edit", outcome.provider_id)
        keep_test_result(response, outcome)
    elif outcome.person is None:
        messages.error(request, outcome.problem)
        response = redirect("login")
    else:
        relay = request.POST.get("RelayState", "")
        response = redirect(relay if relay and is_local_path(relay) else "/")
    if outcome.pending is not None:
        keep_pending(response, outcome.pending)
    return response
