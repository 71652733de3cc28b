"""Published rate limits (docs/api.md): how many requests a client may make per minute.

Three limits, each a fixed window of one minute counted in the Django cache (shared by every
web process when TANDEM_CACHE_URL is Redis), by django-ratelimit's `get_usage`:

- the API (`/api/`, and `/scim/` which another part serves with its own tokens): per token
  (a hash of the `Authorization` header, valid or not, so guessing tokens is limited too),
  else per signed-in person, else per client address — TANDEM_API_RATE_LIMIT, 600 a minute;
- a sign-in (POST /login/) per client address — TANDEM_SIGNIN_RATE_LIMIT, 30 a minute;
  django-axes still locks an e-mail and address pair after repeated failures;
- a password reset request (POST /password-reset/) per client address —
  TANDEM_PASSWORD_RESET_RATE_LIMIT, 10 a minute, before the hourly per-address and
  per-client throttle of access.services.request_password_reset.

Every API answer carries the IETF draft headers (draft-ietf-httpapi-ratelimit-headers-07):
`RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (seconds until the window ends)
and `RateLimit-Policy` (`600;w=60`); a refused request is answered 429 with `Retry-After`.
When the cache cannot be reached the request is let through (logged): a Redis outage must
not take the API down with it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

from tandem.core.api import error_json

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
API_PREFIXES = ("/api/", "/scim/")


@dataclass(frozen=True)
class Usage:
    limit: int
    remaining: int
    reset: int  # seconds until the window ends
    exceeded: bool

    def headers(self) -> dict[str, str]:
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
            "RateLimit-Policy": f"{self.limit};w={WINDOW_SECONDS}",
        }


def api_client_key(request: HttpRequest) -> str:
    """Who an API request counts against: its token, else its signed-in person, else its
    address. The token is hashed: the raw value never reaches the cache."""
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if authorization:
        return "token:" + hashlib.sha256(authorization.encode()).hexdigest()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"person:{user.pk}"
    return f"address:{get_client_ip_address(request)}"


def address_key(request: HttpRequest) -> str:
    return f"address:{get_client_ip_address(request)}"


def count(request: HttpRequest, *, group: str, key: str, limit: int) -> Usage | None:
    """Count this request against `key`'s window in `group`; None when the cache failed."""
    try:
        usage = get_usage(
            request,
            group=group,
            key=lambda _group, _request: key,
            rate=f"{limit}/{WINDOW_SECONDS}s",
            increment=True,
        )
    except Exception:  # the cache backend's own errors (Redis down) differ per backend
        logger.warning("rate limit: the cache could not be reached; request let through")
        return None
    if usage is None or usage["limit"] == 0:  # get_usage's answer when the cache failed
        return None
    return Usage(
        limit=limit,
        remaining=max(0, limit - usage["count"]),
        reset=max(1, usage["time_left"]),
        exceeded=usage["should_limit"],
    )


SCIM_PREFIX = "/scim/"
SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def _scim_error(status: int, detail: str) -> HttpResponse:
    """An error in SCIM's own shape (RFC 7644 §3.12): what an identity provider's client
    parses at /scim/, where the API's error shape would be a protocol error."""
    return JsonResponse(
        {"schemas": [SCIM_ERROR], "status": str(status), "detail": detail},
        status=status,
        content_type="application/scim+json",
    )


class RateLimitMiddleware:
    """Counts API requests, sign-ins and password reset requests (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIXES):
            return self.api(request)
        if request.method == "POST" and request.path in (
            settings.LOGIN_URL_PATH,
            "/password-reset/",
        ):
            return self.form(request)
        return self.get_response(request)

    def api(self, request: HttpRequest) -> HttpResponse:
        usage = count(
            request, group="api", key=api_client_key(request), limit=settings.API_RATE_LIMIT
        )
        if usage is not None and usage.exceeded:
            detail = (
                f"Too many requests: at most {usage.limit} a minute. "
                f"Try again in {usage.reset} seconds."
            )
            response: HttpResponse = (
                _scim_error(429, detail)
                if request.path.startswith(SCIM_PREFIX)
                else error_json(429, detail)
            )
            response["Retry-After"] = str(usage.reset)
        else:
            response = self.get_response(request)
        if usage is not None:
            for name, value in usage.headers().items():
                response[name] = value
        return response

    def form(self, request: HttpRequest) -> HttpResponse:
        signing_in = request.path == settings.LOGIN_URL_PATH
        usage = count(
            request,
            group="signin" if signing_in else "password_reset",
            key=address_key(request),
            limit=settings.SIGNIN_RATE_LIMIT if signing_in else settings.PASSWORD_RESET_RATE_LIMIT,
        )
        if usage is None or not usage.exceeded:
            return self.get_response(request)
        response = render(
            request,
            "429.html",
            {
                "what": "sign-in attempts" if signing_in else "password reset requests",
                "limit": usage.limit,
                "seconds": usage.reset,
            },
            status=429,
        )
        response["Retry-After"] = str(usage.reset)
        for name, value in usage.headers().items():
            response[name] = value
        return response
