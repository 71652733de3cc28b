"""The HR upload page for the HRIS import: upload, preview, confirm."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from tandem.access.rules import require


def import_people(request: HttpRequest) -> HttpResponse:
    require(request.user, "people.import")
    raise NotImplementedError
