from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tandem.access.rules import require
from tandem.program.models import Program


@login_required
def detail(request: HttpRequest) -> HttpResponse:
    return render(request, "program/detail.html", {"program": Program.load()})


@login_required
def edit(request: HttpRequest) -> HttpResponse:
    require(request.user, "program.edit")
    raise NotImplementedError
