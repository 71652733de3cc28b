from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from tandem.access.rules import require


@login_required
def log(request: HttpRequest) -> HttpResponse:
    require(request.user, "audit.view")
    raise NotImplementedError
