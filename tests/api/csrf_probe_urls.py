"""The project's URLs plus one POST endpoint behind the real API authentication, so the
tests can prove a session POST without a CSRF token is refused (API v1 has no write
endpoint yet). Used with @pytest.mark.urls("tests.api.csrf_probe_urls")."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import path
from ninja import NinjaAPI

from tandem.api import api
from tandem.urls import urlpatterns as project_urlpatterns

probe = NinjaAPI(urls_namespace="csrf-probe", auth=api.auth, docs_url=None, openapi_url=None)


@probe.post("/echo")
def echo(request: HttpRequest) -> dict[str, Any]:
    return {"id": request.auth.pk}  # type: ignore[attr-defined]


urlpatterns = [path("probe/", probe.urls), *project_urlpatterns]
