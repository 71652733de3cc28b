"""Growth pages: promotions. The windows (HR opens them), a window's cases side by side for
its committee (with the promotion fairness figures for people analysts), opening a case, a
case with its evidence packet, writing, submitting, commenting, deciding, withdrawing.
Thin: parse, call, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_POST

from tandem.access.rules import can, require
from tandem.core.forms import show_errors
from tandem.core.http import AuthedHttpRequest
from tandem.fairness.queries import attributes as attribute_queries
from tandem.fairness.queries import groups as group_queries
from tandem.fairness.queries import outcomes
from tandem.growth.forms_promotions import (
    CaseForm,
    CaseTextForm,
    CommentForm,
    CommitteeForm,
    DecideForm,
    WindowForm,
)
from tandem.growth.models import CaseStatus, Outcome
from tandem.growth.queries import promotions as queries
from tandem.growth.services import promotions as services
from tandem.program.models import Program

# The services' field names that the forms call otherwise.
ERROR_FIELDS: dict[str, str | None] = {"committee_ids": "committee", "window": None, "status": None}


def _plain(error: ValidationError) -> str:
    return " ".join(" ".join(problems) for problems in error.message_dict.values())


def _number(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) < 12 else None


@login_required
def index(request: AuthedHttpRequest) -> HttpResponse:
    """The promotion windows, the cases one wrote or that are about one, and for HR admins
    the form to open a window."""
    manages = can(request.user, "growth.promotions.manage")
    form = WindowForm(request.POST or None, user=request.user) if manages else None
    status = 200
    if request.method == "POST":
        require(request.user, "growth.promotions.manage")
        assert form is not None
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                window = services.create_window(
                    request.user,
                    name=data["name"],
                    opens_on=data["opens_on"],
                    cases_due_on=data["cases_due_on"],
                    decisions_due_on=data["decisions_due_on"],
                    committee_ids=[p.pk for p in data["committee"]],
                )
            except ValidationError as error:
                show_errors(form, error, aliases=ERROR_FIELDS)
            else:
                messages.success(request, f"Opened the promotion window “{window.name}”.")
                return redirect("growth:promotion_window", window_id=window.pk)
    windows = list(queries.windows(request.user)[:50])
    reviewable = queries.reviewable_window_ids(request.user, [w.pk for w in windows])
    for window in windows:
        window.accepts = queries.accepts_cases(window)  # type: ignore[attr-defined]
        window.reviews = window.pk in reviewable  # type: ignore[attr-defined]
    return render(
        request,
        "growth/promotions/index.html",
        {
            "windows": windows,
            "cases": queries.my_cases(request.user),
            "form": form,
            "may_open": can(request.user, "growth.promotion_case.open"),
            "self_nomination": Program.current().promotion_self_nomination,
        },
        status=status,
    )


def _fairness(request: AuthedHttpRequest, window: Any) -> dict[str, Any] | None:
    """The promotion fairness section, for people analysts only."""
    if not can(request.user, "fairness.view"):
        return None
    choices = attribute_queries.attribute_choices(request.user)
    if not choices:
        return {"choices": []}
    keys = [key for key, _ in choices]
    key = request.GET.get("attribute") or keys[0]
    departments = list(group_queries.top_level_departments())
    department_id = _number(request.GET.get("department"))
    department = next((d for d in departments if d.pk == department_id), None)
    if key not in keys:
        return {"choices": choices, "departments": departments, "error": "Unknown attribute."}
    attribute = group_queries.attribute_by_key(key)
    result = queries.promotion_fairness(
        request.user, window, attribute=attribute, department=department
    )
    return {
        "choices": choices,
        "departments": departments,
        "attribute": attribute,
        "department": department,
        "result": result,
        "words": outcomes.in_words(result.test),
        "suppressed": sum(1 for g in result.groups if g.suppressed),
    }


@login_required
def window(request: AuthedHttpRequest, window_id: int) -> HttpResponse:
    """A window's cases side by side, grouped by track and level, with status counts; HR
    admins change the committee and close it here."""
    found = queries.reviewable_window(request.user, window_id)
    get = request.GET
    status = get.get("status", "")
    filters = queries.Filters(
        track=_number(get.get("track")),
        level=_number(get.get("level")),
        status=status if status in CaseStatus.values else "",
    )
    view = queries.committee_view(request.user, found, filters)
    tracks, levels = queries.filter_options()
    manages = can(request.user, "growth.promotions.manage", found)
    committee = queries.committee_of(found)
    committee_form = None
    if manages and found.closed_at is None:
        committee_form = CommitteeForm(
            user=request.user, initial={"committee": "\n".join(p.email for p in committee)}
        )
    return render(
        request,
        "growth/promotions/window.html",
        {
            "window": found,
            "view": view,
            "filters": filters,
            "tracks": tracks,
            "levels": levels,
            "statuses": CaseStatus.choices,
            "committee": committee,
            "committee_form": committee_form,
            "manages": manages,
            "accepts": queries.accepts_cases(found),
            "fairness": _fairness(request, found),
            "outcome_labels": dict(Outcome.choices),
        },
    )


@login_required
@require_POST
def window_committee(request: AuthedHttpRequest, window_id: int) -> HttpResponse:
    found = queries.window_for(request.user, window_id)
    require(request.user, "growth.promotions.manage", found)
    form = CommitteeForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(
            request, "The committee was not changed: " + _plain(ValidationError(form.errors))
        )
        return redirect("growth:promotion_window", window_id=found.pk)
    try:
        services.set_committee(request.user, found, [p.pk for p in form.cleaned_data["committee"]])
    except ValidationError as error:
        messages.error(request, "The committee was not changed: " + _plain(error))
    else:
        messages.success(request, "Saved the committee.")
    return redirect("growth:promotion_window", window_id=found.pk)


@login_required
@require_POST
def window_close(request: AuthedHttpRequest, window_id: int) -> HttpResponse:
    found = queries.window_for(request.user, window_id)
    require(request.user, "growth.promotions.manage", found)
    try:
        services.close_window(request.user, found)
    except ValidationError as error:
        messages.error(request, _plain(error))
    else:
        messages.success(request, "Closed the window: its cases no longer change.")
    return redirect("growth:promotion_window", window_id=found.pk)


@login_required
def case_new(request: AuthedHttpRequest, window_id: int) -> HttpResponse:
    """Open a case in a window: whom, to which level, and (optionally) the case so far."""
    found = queries.window_for(request.user, window_id)
    require(request.user, "growth.promotion_case.open")
    self_nomination = Program.current().promotion_self_nomination
    # Someone without reports can only nominate themself: the picker starts with them.
    alone = self_nomination and not request.user.reports.exists()
    initial = {"person": request.user.email} if alone else {}
    form = CaseForm(
        request.POST or None,
        initial=initial,
        user=request.user,
        levels=queries.level_choices(),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            person = data["person"]
            if person is None or not can(request.user, "growth.promotion_case.open", person):
                form.add_error(
                    "person",
                    "You can open a case only for someone who reports to you (directly or "
                    "below)" + (", or for yourself." if self_nomination else "."),
                )
            else:
                try:
                    case = services.open_case(
                        request.user,
                        window=found,
                        person=person,
                        target_level=queries.level_by_id(data["target_level"]),
                        text=data["text"],
                    )
                except ValidationError as error:
                    show_errors(form, error, aliases=ERROR_FIELDS)
                else:
                    messages.success(request, f"Opened a case for {person}.")
                    return redirect("growth:promotion_case", case_id=case.pk)
    return render(
        request,
        "growth/promotions/case_new.html",
        {
            "window": found,
            "form": form,
            "accepts": queries.accepts_cases(found),
            "self_nomination": self_nomination,
        },
        status=status,
    )


@login_required
def case(request: AuthedHttpRequest, case_id: int) -> HttpResponse:
    """A case: the decision (the person sees only that), and for its readers the evidence
    packet, the case text, the comments and the actions each may take."""
    found = queries.case_for(request.user, case_id)
    full = can(request.user, "growth.promotion_case.evidence", found)
    open_case = found.window.closed_at is None and found.status in (
        CaseStatus.DRAFT,
        CaseStatus.IN_REVIEW,
    )
    writes = open_case and can(request.user, "growth.promotion_case.write", found)
    decides = (
        open_case
        and found.status == CaseStatus.IN_REVIEW
        and can(request.user, "growth.promotion_case.decide", found)
    )
    comments_allowed = open_case and can(request.user, "growth.promotion_case.comment", found)
    return render(
        request,
        "growth/promotions/case.html",
        {
            "case": found,
            "full": full,
            "evidence": queries.evidence(request.user, found) if full else None,
            "comments": queries.comments(found) if full else [],
            "writes": writes,
            "decides": decides,
            "text_form": CaseTextForm(initial={"text": found.text}) if writes else None,
            "comment_form": CommentForm() if comments_allowed else None,
            "decide_form": DecideForm() if decides else None,
        },
    )


@login_required
@require_POST
def case_write(request: AuthedHttpRequest, case_id: int) -> HttpResponse:
    """The author saves the case, or saves and submits it (the button pressed)."""
    found = queries.case_for(request.user, case_id)
    require(request.user, "growth.promotion_case.write", found)
    form = CaseTextForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was saved: " + _plain(ValidationError(form.errors)))
        return redirect("growth:promotion_case", case_id=found.pk)
    text = form.cleaned_data["text"]
    try:
        if request.POST.get("action") == "submit":
            services.submit_case(request.user, found, text=text)
            messages.success(request, "Submitted: the reviewers and the committee can read it now.")
        else:
            services.write_case(request.user, found, text=text)
            messages.success(request, "Saved the case.")
    except ValidationError as error:
        messages.error(request, "Nothing was saved: " + _plain(error))
    return redirect("growth:promotion_case", case_id=found.pk)


@login_required
@require_POST
def case_withdraw(request: AuthedHttpRequest, case_id: int) -> HttpResponse:
    found = queries.case_for(request.user, case_id)
    require(request.user, "growth.promotion_case.write", found)
    try:
        services.withdraw_case(request.user, found)
    except ValidationError as error:
        messages.error(request, _plain(error))
    else:
        messages.success(request, "Withdrew the case.")
    return redirect("growth:promotion_case", case_id=found.pk)


@login_required
@require_POST
def case_comment(request: AuthedHttpRequest, case_id: int) -> HttpResponse:
    found = queries.case_for(request.user, case_id)
    require(request.user, "growth.promotion_case.comment", found)
    form = CommentForm(request.POST)
    target = found.pk
    if not form.is_valid():
        messages.error(request, "Nothing was saved: " + _plain(ValidationError(form.errors)))
        return redirect("growth:promotion_case", case_id=target)
    try:
        services.comment(request.user, found, text=form.cleaned_data["text"])
    except ValidationError as error:
        messages.error(request, "Nothing was saved: " + _plain(error))
    else:
        messages.success(request, "Added your comment.")
    return redirect("growth:promotion_case", case_id=target)


@login_required
@require_POST
def case_decide(request: AuthedHttpRequest, case_id: int) -> HttpResponse:
    found = queries.case_for(request.user, case_id)
    require(request.user, "growth.promotion_case.decide", found)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was decided: " + _plain(ValidationError(form.errors)))
        return redirect("growth:promotion_case", case_id=found.pk)
    data = form.cleaned_data
    try:
        services.decide(
            request.user,
            found,
            outcome=data["outcome"],
            reason=data["reason"],
            effective_on=data["effective_on"],
            development_actions=data["development_actions"],
        )
    except ValidationError as error:
        messages.error(request, "Nothing was decided: " + _plain(error))
    else:
        messages.success(request, "Decided; the person can read the outcome and the reason.")
    return redirect("growth:promotion_case", case_id=found.pk)


urlpatterns: list[URLPattern] = [
    path("growth/promotions/", index, name="promotions"),
    path("growth/promotions/<int:window_id>/", window, name="promotion_window"),
    path(
        "growth/promotions/<int:window_id>/committee",
        window_committee,
        name="promotion_window_committee",
    ),
    path("growth/promotions/<int:window_id>/close", window_close, name="promotion_window_close"),
    path("growth/promotions/<int:window_id>/cases/new", case_new, name="promotion_case_new"),
    path("growth/promotion-cases/<int:case_id>/", case, name="promotion_case"),
    path("growth/promotion-cases/<int:case_id>/write", case_write, name="promotion_case_write"),
    path(
        "growth/promotion-cases/<int:case_id>/withdraw",
        case_withdraw,
        name="promotion_case_withdraw",
    ),
    path(
        "growth/promotion-cases/<int:case_id>/comment",
        case_comment,
        name="promotion_case_comment",
    ),
    path("growth/promotion-cases/<int:case_id>/decide", case_decide, name="promotion_case_decide"),
]
