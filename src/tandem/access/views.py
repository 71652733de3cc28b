"""Sign-in pages and personal API tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.access import external_sign_in, queries, services
from tandem.access.auth import client_ip
from tandem.access.forms import QueuedPasswordResetForm, SignInForm, TokenForm
from tandem.access.landing import landing_for
from tandem.access.rules import require
from tandem.access.services import is_local_path
from tandem.access.tokens import invitation_token_generator
from tandem.core.http import AuthedHttpRequest

# Where an accepted invitation leads, kept in the session between the link and the form.
WELCOME_NEXT = "tandem_welcome_next"


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "sign_in_options": external_sign_in.sign_in_options(self.request),
        }

    def get_default_redirect_url(self) -> str:
        # No `next`: the home page, or a first stop a feature registered (access/landing.py).
        return landing_for(self.request.user)


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for an e-mail address and queues the reset link (see QueuedPasswordResetForm).

    The answer is the same whether or not the address belongs to someone, so the page
    cannot be used to find out who works here."""

    form_class = QueuedPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "reset_minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        }

    def form_valid(self, form: Any) -> HttpResponse:
        # Throttled per address and per client address, counted alike whether or not the
        # address is someone's: over a limit no e-mail is queued, and the answer (429) is
        # the same for every address, so it tells nobody who works here.
        decision = services.request_password_reset(
            email=form.cleaned_data["email"], ip=client_ip(self.request)
        )
        if not decision.allowed:
            return render(
                self.request,
                "registration/password_reset_throttled.html",
                {
                    "retry_at": decision.retry_at,
                    "window_minutes": settings.PASSWORD_RESET_WINDOW_MINUTES,
                },
                status=429,
            )
        return super().form_valid(form)

    @property
    def extra_email_context(self) -> dict[str, Any]:
        # Links are built from TANDEM_SITE_URL, not from the request's Host header.
        return {"site_url": settings.SITE_URL.rstrip("/")}


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The link of an invitation: someone without a password chooses one and is signed in,
    landing on the page the e-mail was about (`?next=`, a path inside Tandem).

    Django's confirm view keeps the token out of the address (it moves it to the session and
    redirects), so it never reaches another site in a Referer header. An expired or used
    link, or one of someone who has left, gets a page that says so and how to get a new one.
    """

    token_generator = invitation_token_generator
    template_name = "registration/invitation_accept.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = super().dispatch(request, *args, **kwargs)
        wanted = request.GET.get("next", "")
        if self.validlink is False and response.status_code == 302 and is_local_path(wanted):
            # A valid link, moved into the session: remember where it leads too.
            request.session[WELCOME_NEXT] = wanted
        return response

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        # Leavers are never let in, whatever link they kept.
        return user if user is not None and user.is_active else None

    def get_success_url(self) -> str:
        wanted = self.request.session.pop(WELCOME_NEXT, "")
        return wanted if is_local_path(wanted) else landing_for(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "person": self.user if self.validlink else None,
            "invitation_days": settings.INVITATION_TIMEOUT // 86400,
        }


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' answer once an address has failed too often (AXES_LOCKOUT_CALLABLE).

    Every further try during the cool-off restarts it, so "now + cool-off" is exactly
    when the next attempt can succeed."""
    cool_off = get_cool_off(request) or timedelta(0)
    minutes = max(1, round(cool_off.total_seconds() / 60))
    return render(
        request,
        "registration/locked_out.html",
        {
            "try_again_at": timezone.now() + cool_off,
            "cool_off_minutes": minutes,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
        },
        status=429,
    )


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
