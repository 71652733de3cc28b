"""IT's page for single sign-on (providers, "Test sign-in", the policy), and the two ends of
a sign-in: the start (the sign-in page's button) and the callback the provider sends the
browser back to. Thin: parse, call, render.

A sign-in that fails for any reason ends on the sign-in page with the problem in plain
words; the technical reason goes to the log (services._log), never a 500."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tandem.access.rules import require
from tandem.access.services import is_local_path
from tandem.core.forms import show_errors
from tandem.core.http import AuthedHttpRequest
from tandem.integrations.sign_in_check import allow_test_forms
from tandem.integrations.sso import oidc, queries, services
from tandem.integrations.sso.forms import PolicyForm, ProviderForm
from tandem.integrations.sso.models import OidcProvider

logger = logging.getLogger("tandem.sso")

UNEXPECTED = (
    "Something went wrong while signing you in, and nothing was changed. Try again; "
    "if it keeps happening, tell IT."
)


def _policy_form(data: object = None) -> PolicyForm:
    current = queries.policy()
    return PolicyForm(
        data,  # type: ignore[arg-type]
        initial={
            "require_sso": current.require_sso,
            "break_glass_email": current.break_glass.email if current.break_glass else "",
            "just_in_time": current.just_in_time,
        },
    )


def _allow_test_forms(response: HttpResponse, providers: list[OidcProvider]) -> HttpResponse:
    return allow_test_forms(
        response, (o for p in providers for o in oidc.sign_in_origins(p.issuer))
    )


def _page(
    request: AuthedHttpRequest, *, form: ProviderForm, policy_form: PolicyForm, status: int = 200
) -> HttpResponse:
    providers = queries.providers(request.user)
    response = render(
        request,
        "integrations_sso/providers.html",
        {
            "providers": providers,
            "form": form,
            "policy_form": policy_form,
            "callback_url": services.redirect_uri(),
            "attempts": queries.recent_attempts(request.user),
        },
        status=status,
    )
    return _allow_test_forms(response, providers)


@login_required
def providers(request: AuthedHttpRequest) -> HttpResponse:
    """IT admins: the providers, the form to add one, and the SSO policy."""
    require(request.user, "sso.manage")
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            provider = services.create_provider(
                name=data["name"],
                issuer=data["issuer"],
                client_id=data["client_id"],
                client_secret=data["client_secret"],
                scopes=data["scopes"],
                email_claim=data["email_claim"],
                allowed_domains=data["allowed_domains"],
                enabled=data["enabled"],
                by=request.user,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request, f"Added {provider}. Press “Test sign-in” to check it works end to end."
            )
            return redirect("integrations_sso:providers")
    status = 400 if request.method == "POST" else 200
    return _page(request, form=form, policy_form=_policy_form(), status=status)


@login_required
@require_POST
def policy(request: AuthedHttpRequest) -> HttpResponse:
    """IT admins: save the SSO policy (require SSO, break-glass account, just-in-time)."""
    require(request.user, "sso.manage")
    form = _policy_form(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changes = services.save_policy(
                require_sso=data["require_sso"],
                break_glass_email=data["break_glass_email"],
                just_in_time=data["just_in_time"],
                by=request.user,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Saved the SSO policy." if changes else "Nothing changed.")
            return redirect("integrations_sso:providers")
    return _page(request, form=ProviderForm(), policy_form=form, status=400)


@login_required
def edit_provider(request: AuthedHttpRequest, provider_id: int) -> HttpResponse:
    """IT admins: change a provider's settings, and read the result of its last test."""
    provider = queries.provider_for(request.user, provider_id)
    require(request.user, "sso.manage", provider)
    initial = {
        "name": provider.name,
        "issuer": provider.issuer,
        "client_id": provider.client_id,
        "scopes": provider.scopes,
        "email_claim": provider.email_claim,
        "allowed_domains": provider.allowed_domains,
        "enabled": provider.enabled,
    }
    form = ProviderForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changes = services.update_provider(
                provider=provider,
                name=data["name"],
                issuer=data["issuer"],
                client_id=data["client_id"],
                client_secret=data["client_secret"],
                scopes=data["scopes"],
                email_claim=data["email_claim"],
                allowed_domains=data["allowed_domains"],
                enabled=data["enabled"],
                by=request.user,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Saved {provider}." if changes else "Nothing changed.")
            return redirect("integrations_sso:providers")
    results = dict(request.session.get(services.TEST_RESULT, {}))
    result = results.get(str(provider.pk)) if request.method == "GET" else None
    status = 400 if request.method == "POST" else 200
    response = render(
        request,
        "integrations_sso/provider_edit.html",
        {
            "provider": provider,
            "form": form,
            "result": result,
            "callback_url": services.redirect_uri(),
        },
        status=status,
    )
    return _allow_test_forms(response, [provider])


@login_required
@require_POST
def test_provider(request: AuthedHttpRequest, provider_id: int) -> HttpResponse:
    """IT admins: run a sign-in through the provider that signs nobody in, and come back to
    the provider's page with the claims it sent, or what went wrong."""
    provider = queries.provider_for(request.user, provider_id)
    try:
        return redirect(services.begin_sign_in(request=request, provider=provider, test=True))
    except oidc.SignInFailed as failure:
        _keep_result(
            request, provider, {"ok": False, "problem": failure.problem, "reason": failure.reason}
        )
    return redirect("integrations_sso:provider_edit", provider.pk)


@login_required
@require_POST
def delete_provider(request: AuthedHttpRequest, provider_id: int) -> HttpResponse:
    """IT admins: delete a provider (its button leaves the sign-in page)."""
    provider = queries.provider_for(request.user, provider_id)
    label = str(provider)
    try:
        services.delete_provider(provider=provider, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Deleted {label}. Its button left the sign-in page.")
    return redirect("integrations_sso:providers")


def _keep_result(request: HttpRequest, provider: OidcProvider, result: dict[str, object]) -> None:
    results = dict(request.session.get(services.TEST_RESULT, {}))
    results[str(provider.pk)] = result
    request.session[services.TEST_RESULT] = results


def _to_sign_in(request: HttpRequest, problem: str) -> HttpResponse:
    messages.error(request, problem)
    return redirect("login")


@require_GET
def start(request: HttpRequest, provider_id: int) -> HttpResponse:
    """Anyone: the "Sign in with …" button. Sends the browser to the provider."""
    provider = queries.enabled_provider(provider_id)
    if provider is None:
        return _to_sign_in(request, "This way of signing in is switched off. Sign in another way.")
    wanted = request.GET.get("next", "")
    try:
        url = services.begin_sign_in(
            request=request, provider=provider, next_url=wanted if is_local_path(wanted) else ""
        )
    except oidc.SignInFailed as failure:
        return _to_sign_in(request, failure.problem)
    except Exception:  # never a 500 at the sign-in page: the log has the traceback
        logger.exception("OIDC sign-in could not start (provider %s)", provider.pk)
        return _to_sign_in(request, UNEXPECTED)
    return redirect(url)


@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """Anyone: where the provider sends the browser back. Signs the person in and takes
    them where they were going, or back to the sign-in page saying what went wrong."""
    params = {
        key: request.GET.get(key, "")[:4000]
        for key in ("state", "code", "error", "error_description")
    }
    try:
        outcome = services.finish_sign_in(request=request, params=params)
    except Exception:  # never a 500 at the sign-in page: the log has the traceback
        logger.exception("OIDC callback failed unexpectedly")
        return _to_sign_in(request, UNEXPECTED)
    if outcome.test and outcome.provider_id is not None and request.user.is_authenticated:
        try:
            provider = queries.provider_for(request.user, outcome.provider_id)
        except Http404:
            provider = None
        if provider is not None:
            if outcome.problem:
                result: dict[str, object] = {
                    "ok": False,
                    "problem": outcome.problem,
                    "reason": outcome.reason,
                }
            else:
                result = {"ok": True, "claims": oidc.claims_for_display(outcome.claims or {})}
            _keep_result(request, provider, result)
            return redirect("integrations_sso:provider_edit", provider.pk)
    if outcome.person is None:
        return _to_sign_in(request, outcome.problem or UNEXPECTED)
    wanted = outcome.next_url
    return redirect(wanted if is_local_path(wanted) else reverse("home"))
