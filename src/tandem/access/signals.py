"""Keep track of each person's sign-in sessions, so deactivation can end all of them."""

from __future__ import annotations

import time
from typing import Any

from axes.helpers import get_client_ip_address
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from tandem.access import services
from tandem.access.middleware import AUTH_AT, SEEN_AT


@receiver(user_logged_in)
def _on_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[AUTH_AT] = now
    request.session[SEEN_AT] = now
    if request.session.session_key is None:
        request.session.save()
    services.remember_sign_in(
        person=user,
        session_key=request.session.session_key or "",
        ip=get_client_ip_address(request),
        agent=request.headers.get("User-Agent", ""),
    )


@receiver(user_logged_out)
def _on_sign_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session") and request.session.session_key:
        services.forget_sign_in(session_key=request.session.session_key)
