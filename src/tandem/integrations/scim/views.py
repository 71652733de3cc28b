"""IT's page for SCIM: issue a token (shown once), see each token's last use, revoke one.
Thin: parse, call, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.access.rules import require
from tandem.core.http import AuthedHttpRequest
from tandem.integrations.scim import queries, services


class ScimTokenForm(forms.Form):
    """Who reads this: IT admins, on this page. The name only helps you recognise the token."""

    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="Which identity provider uses it, e.g. “Okta production”.",
    )


@login_required
def tokens(request: AuthedHttpRequest) -> HttpResponse:
    """IT admins: the live SCIM tokens with their last use, and the form to issue one."""
    require(request.user, "scim_token.manage")
    form = ScimTokenForm(request.POST if request.method == "POST" else None)
    raw = ""
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.create_scim_token(name=form.cleaned_data["name"], by=request.user)
        except ValidationError as error:
            form.add_error("name", error.messages)
        else:
            messages.success(request, f"Issued the SCIM token “{token.name}”.")
            form = ScimTokenForm()
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "integrations_scim/tokens.html",
        {
            "tokens": queries.tokens(request.user),
            "form": form,
            "raw": raw,
            "endpoint": request.build_absolute_uri("/scim/v2/"),
        },
        status=status,
    )


@login_required
@require_POST
def revoke(request: AuthedHttpRequest, token_id: int) -> HttpResponse:
    """IT admins: revoke one SCIM token; the provider using it is refused from now on."""
    token = queries.token_for(request.user, token_id)
    services.revoke_scim_token(token=token, by=request.user)
    messages.success(request, f"Revoked the SCIM token “{token.name}”.")
    return redirect("integrations_scim:tokens")
