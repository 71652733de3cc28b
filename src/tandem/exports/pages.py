"""The page a feature's export view answers with when its export is prepared in the
background (so every feature says the same thing)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from tandem.exports.models import Export


def queued(request: HttpRequest, export: Export, *, rows: int) -> HttpResponse:
    """ "Your export is being prepared; we will notify you when it is ready"."""
    back = request.headers.get("referer", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    context = {"export": export, "rows": rows, "keep_days": settings.EXPORT_KEEP_DAYS, "back": back}
    return render(request, "exports/queued.html", context)


def offer(request: HttpRequest, *, title: str, rows: int) -> HttpResponse:
    """The answer to a GET for an export too large to build while one waits: what it holds,
    and a button to prepare it (a POST to the same address: a GET never changes state)."""
    context = {
        "title": title,
        "rows": rows,
        "threshold": settings.EXPORT_BACKGROUND_ROWS,
        "keep_days": settings.EXPORT_KEEP_DAYS,
        "action": request.get_full_path(),
    }
    return render(request, "exports/offer.html", context)
