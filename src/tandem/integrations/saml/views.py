"""SAML: IT's pages for identity providers, and the public protocol endpoints (Tandem's
metadata, starting a sign-in, the assertion consumer service). Thin: parse, call, render."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from tandem.access.rules import require
from tandem.access.services import is_local_path
from tandem.core.http import AuthedHttpRequest
from tandem.integrations.saml import queries, services, sp
from tandem.integrations.saml.forms import IdentityProviderForm

logger = logging.getLogger(__name__)


def _add_errors(form: IdentityProviderForm, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


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
            _add_errors(form, error)
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
            _add_errors(form, error)
        else:
            messages.success(request, f"Saved {provider}." if changes else "Nothing changed.")
            return redirect("integrations_saml:providers")
    return render(
        request,
        "integrations_saml/provider_edit.html",
        {"provider": provider, "form": form},
        status=400 if request.method == "POST" else 200,
    )


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


@require_GET
def login(request: HttpRequest, provider_id: int) -> HttpResponse:
    """Anyone: go to the identity provider to sign in."""
    provider = queries.enabled_provider(provider_id)
    return redirect(services.start_sign_in(request, provider=provider))


@csrf_exempt  # the IdP's form posts here from another site; the signed assertion is the check
@require_POST
def acs(request: HttpRequest) -> HttpResponse:
    """The assertion consumer service: the IdP's answer, checked; then home or the sign-in
    page with the problem in plain words."""
    outcome = services.finish_sign_in(request, saml_response=request.POST.get("SAMLResponse", ""))
    if outcome.person is None:
        messages.error(request, outcome.problem)
        return redirect("login")
    relay = request.POST.get("RelayState", "")
    return redirect(relay if relay and is_local_path(relay) else "/")
