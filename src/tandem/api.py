"""The JSON API, /api/v1/. Each app adds its Router; every error is an `ErrorOut`
(`core/api.py`), naming the field when it is about one."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from tandem.access.auth import ActiveSessionAuth, TokenAuth
from tandem.access.rules import NotAllowed
from tandem.core.api import Api

api = Api(
    title="Tandem API",
    version="1",
    description="Performance management: people, goals, feedback, reviews. Authenticate with "
    "your browser session or `Authorization: Bearer <personal token>`.\n\n"
    "Every error is answered in one shape, `ErrorOut`: `detail` (a sentence) and `errors` "
    "(each bad input with its `loc`, `msg` and `type`). Bodies are JSON objects, read "
    "strictly: each value must have its documented JSON type. Text may not contain NUL or "
    "unpaired surrogates (422). Bodies larger than the server's limit (4 MB by default, "
    "`TANDEM_MAX_BODY_MB`) are answered 413.\n\n"
    "Rate limits: by default 600 requests a minute per token (or signed-in person), "
    "`TANDEM_API_RATE_LIMIT`. Every answer carries `RateLimit-Limit`, `RateLimit-Remaining`, "
    "`RateLimit-Reset` (seconds) and `RateLimit-Policy`; over the limit the answer is 429 "
    "with `Retry-After`. Lists are paged with `cursor` and `next_cursor`.",
    auth=[TokenAuth(), ActiveSessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(NotAllowed)
def _not_found(request: HttpRequest, exc: NotAllowed) -> HttpResponse:
    # Denied and missing are answered alike, so a 404 never tells what exists.
    return api.error(request, 404, "Not found.")


def _register_routers() -> None:
    from tandem.calibration.api import router as calibration_router
    from tandem.coach.api import router as coach_router
    from tandem.fairness.api.fairness import router as fairness_router
    from tandem.fairness.api.rater_effects import router as rater_effects_router
    from tandem.feedback.api import router as feedback_router
    from tandem.goals.api import router as goals_router
    from tandem.growth.api import router as growth_router
    from tandem.integrations.api import router as integrations_router
    from tandem.integrations.saml.api import router as saml_router
    from tandem.integrations.scim.api import router as scim_router
    from tandem.integrations.sso.api import router as sso_router
    from tandem.integrations.webhooks.api import router as webhooks_router
    from tandem.meetings.api import router as meetings_router
    from tandem.notifications.api import router as notifications_router
    from tandem.org.api import router as org_router
    from tandem.program.api import router as program_router
    from tandem.reviews.api import router as reviews_router
    from tandem.team.api import router as team_router

    api.add_router("/", org_router)
    api.add_router("/", goals_router)
    api.add_router("/", feedback_router)
    api.add_router("/", meetings_router)
    api.add_router("/", notifications_router)
    api.add_router("/", reviews_router)
    api.add_router("/", rater_effects_router)
    api.add_router("/", team_router)
    api.add_router("/", coach_router)
    api.add_router("/", integrations_router)
    api.add_router("/", sso_router)
    api.add_router("/", saml_router)
    api.add_router("/", scim_router)
    api.add_router("/", webhooks_router)
    api.add_router("/", fairness_router)
    api.add_router("/", calibration_router)
    api.add_router("/", growth_router)
    api.add_router("/", program_router)


_register_routers()
