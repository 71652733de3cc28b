"""API authentication: the browser session, or `Authorization: Bearer <token>`."""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from tandem.access.models import ApiToken, hash_token

# Saving last_used_at on every call would add a write per request; a minute is enough to
# tell a live token from a forgotten one.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (
            ApiToken.objects.select_related("person")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.is_usable or not row.person.is_active:
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.person
        return row.person


class ActiveSessionAuth(SessionAuth):
    """Django's session, with CSRF enforced on writes (ninja's SessionAuth does that)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


def client_ip(request: HttpRequest) -> str | None:
    """The address a request came from (AXES_CLIENT_IP_CALLABLE; the audit trail uses it too).

    Behind TANDEM_PROXY_COUNT reverse proxies, each proxy appends the address it saw to
    X-Forwarded-For, so the client is the entry that many places from the right; entries
    further left were written by the client and prove nothing. With no proxy configured
    the header is ignored."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.PROXY_COUNT
    if count:
        entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        entries = [e for e in entries if e]
        if len(entries) >= count:
            try:
                return str(ipaddress.ip_address(entries[-count]))
            except ValueError:
                return remote
    return remote
