"""Pages about people everyone uses: directory, profile, org chart, company."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem.access.rules import can
from tandem.core.http import AuthedHttpRequest
from tandem.org import queries
from tandem.org.forms.directory import DirectoryFilterForm, PickFilterForm
from tandem.org.models import Company, CompanyValue


@login_required
def directory(request: AuthedHttpRequest) -> HttpResponse:
    """Everyone in the company, searchable, filterable, in name order, 50 at a time.

    The same view renders the results table alone for htmx's search-as-you-type."""
    form = DirectoryFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    people = queries.people_queryset(
        request.user,
        q=filters.get("q", ""),
        department_id=filters["department"].pk if filters.get("department") else None,
        status=filters.get("status") or None,
        include_subdepartments=True,
    )
    error = None
    try:
        page = queries.people_page(people, cursor=filters.get("cursor") or None)
    except queries.BadCursor as bad:
        error = str(bad)
        page = queries.people_page(people, cursor=None)
    context = {"form": form, "page": page, "cursor_error": error, "next_query": ""}
    if page.next_cursor:
        params = request.GET.copy()
        params["cursor"] = page.next_cursor
        context["next_query"] = params.urlencode()
    params = request.GET.copy()
    params.pop("cursor", None)
    context["first_query"] = params.urlencode()
    context["is_later_page"] = bool(filters.get("cursor"))
    template = "org/_directory_results.html" if request.htmx else "org/directory.html"
    return render(request, template, context)


@require_GET
@login_required
def pick(request: AuthedHttpRequest) -> HttpResponse:
    """The options of a people picker (org/widgets.py): up to ten people the user may see
    matching what was typed, as an htmx fragment. Whatever is typed, the answer is a list or
    a friendly note, never an error."""
    filters = PickFilterForm(request.GET)
    q = request.GET.get("q", "")
    people: list[Any] = []
    if not filters.is_valid():
        note = "This picker cannot search that way."
    elif len("".join(queries.pick_words(q))) < queries.PICK_MIN_LENGTH:
        note = "Type at least two letters of a name or e-mail."
    else:
        data = filters.cleaned_data
        people = queries.people_to_pick(
            request.user,
            q=q,
            exclude_ids=(request.user.pk,) if data["exclude"] == "me" else (),
            manager_id=request.user.pk if data["within"] == "reports" else None,
            include_left=data["left"],
        )
        note = "No one found. Try part of a first name, last name or e-mail."
    return render(request, "org/_pick_options.html", {"people": people, "note": note})


@login_required
def person(request: AuthedHttpRequest, person_id: int) -> HttpResponse:
    subject = queries.person_for(request.user, person_id)
    return render(
        request,
        "org/person.html",
        {
            "person": subject,
            "chain": queries.manager_chain(subject),
            "reports": queries.direct_reports(request.user, subject)[:100],
            "show_private": can(request.user, "person.view_private", subject),
        },
    )


@login_required
def chart(request: AuthedHttpRequest) -> HttpResponse:
    """The org chart opens on its first two levels — the people at the top and their direct
    reports, from two queries — and loads each deeper level when it is opened."""
    roots = list(queries.chart_roots(request.user)[:100])
    managers = [p for p in roots if p.report_count]  # type: ignore[attr-defined]
    reports = queries.direct_reports_of(request.user, managers)
    for person in roots:
        person.chart_reports = reports.get(person.pk)  # type: ignore[attr-defined]
    return render(request, "org/chart.html", {"roots": roots})


@login_required
def chart_children(request: AuthedHttpRequest, person_id: int) -> HttpResponse:
    parent = queries.person_for(request.user, person_id)
    return render(
        request,
        "org/_chart_children.html",
        {"parent": parent, "people": queries.direct_reports(request.user, parent)[:500]},
    )


@login_required
def company(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request,
        "org/company.html",
        {"company": Company.current(), "values": CompanyValue.objects.all()},
    )
