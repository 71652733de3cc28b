"""The audit log page: HR admins browse and filter; nothing here edits or deletes."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem.access.rules import require
from tandem.audit import queries
from tandem.audit.forms import AuditFilterForm
from tandem.core.http import AuthedHttpRequest


@login_required
@require_GET
def log(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "audit.view")
    form = AuditFilterForm(request.GET or None, kinds=queries.kinds(request.user))
    page = None
    cursor_error = ""
    status = 200
    if form.is_bound and not form.is_valid():
        pass  # the form shows what is wrong; no list until it is fixed
    else:
        filters = form.cleaned_data if form.is_bound else {}
        qs = queries.events(
            request.user,
            person=filters.get("person", ""),
            actor=filters.get("actor", ""),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            kind=filters.get("kind", ""),
        )
        try:
            page = queries.events_page(qs, cursor=request.GET.get("after") or None)
        except queries.BadCursor as error:
            # A page link we did not make: say so with a 400, and show no rows (showing the
            # first page instead would hide that the link was wrong).
            cursor_error = str(error)
            status = 400
    params = request.GET.copy()
    params.pop("after", None)
    context = {
        "form": form,
        "page": page,
        "cursor_error": cursor_error,
        "filter_query": params.urlencode(),
        "first_page": "after" in request.GET,
    }
    template = "audit/_results.html" if request.htmx else "audit/log.html"
    return render(request, template, context, status=status)
