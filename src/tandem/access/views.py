"""Sign-in pages and personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.access import queries, services
from tandem.access.forms import SignInForm, TokenForm
from tandem.access.rules import require
from tandem.core.http import AuthedHttpRequest


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True


@login_required
def tokens(request: AuthedHttpRequest) -> HttpResponse:
    """Your personal API tokens: create (shown once), list, revoke."""
    new_token = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _, new_token = services.create_token(
                person=request.user, name=form.cleaned_data["name"], by=request.user
            )
        except ValueError as error:
            form.add_error("name", str(error))
        else:
            form = TokenForm()
    return render(
        request,
        "access/tokens.html",
        {"form": form, "new_token": new_token, "tokens": queries.own_tokens(request.user)},
    )


@login_required
@require_POST
def revoke_token(request: AuthedHttpRequest, token_id: int) -> HttpResponse:
    token = queries.token_for(request.user, token_id)
    services.revoke_token(token=token, by=request.user)
    messages.success(request, f"Token “{token.name}” revoked; programs using it stop working now.")
    return redirect((request.POST.get("back") == "it" and "access:it_tokens") or "access:tokens")


@login_required
def it_tokens(request: AuthedHttpRequest) -> HttpResponse:
    """IT admins: every live API token in the company (never the secret)."""
    require(request.user, "tokens.manage_all")
    page = queries.all_tokens_page(request.user, page=request.GET.get("page"))
    return render(request, "access/it_tokens.html", {"page": page})
