"""The home page, one per role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tandem.site import queries


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "site/home.html", queries.home_context(request.user))
