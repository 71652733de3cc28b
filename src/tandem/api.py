"""The JSON API, /api/v1/. Each app adds its Router; errors are JSON naming the field."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from tandem.access.auth import ActiveSessionAuth, TokenAuth
from tandem.access.rules import NotAllowed

api = NinjaAPI(
    title="Tandem API",
    version="1",
    description="Performance management: people, goals, feedback, reviews. Authenticate with "
    "your browser session or `Authorization: Bearer <personal token>`.",
    auth=[TokenAuth(), ActiveSessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(NotAllowed)
def _not_found(request: HttpRequest, exc: NotAllowed) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"loc": ["body", field], "msg": " ".join(messages)}
            for field, messages in exc.message_dict.items()
        ]
    else:
        errors = [{"loc": ["body"], "msg": " ".join(exc.messages)}]
    return api.create_response(request, {"detail": errors}, status=422)


def _register_routers() -> None:
    from tandem.feedback.api import router as feedback_router
    from tandem.goals.api import router as goals_router
    from tandem.meetings.api import router as meetings_router
    from tandem.notifications.api import router as notifications_router
    from tandem.org.api import router as org_router
    from tandem.reviews.api import router as reviews_router

    api.add_router("/", org_router)
    api.add_router("/", goals_router)
    api.add_router("/", feedback_router)
    api.add_router("/", meetings_router)
    api.add_router("/", notifications_router)
    api.add_router("/", reviews_router)


_register_routers()
