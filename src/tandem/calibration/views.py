"""Calibration's pages: the sessions of a cycle (with HR's form to create one), a session
side by side with its distribution and 9-box, moving a person with a reason, the guideline
and locking. Thin: parse, call, render."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from tandem.access.rules import SYSTEM, can, require
from tandem.calibration import queries, services
from tandem.calibration.forms import (
    POTENTIAL_CHOICES,
    AddPeopleForm,
    AdjustForm,
    GuidelineForm,
    SessionForm,
)
from tandem.calibration.models import ReasonCategory, ScopeKind
from tandem.core.forms import show_errors
from tandem.core.http import AuthedHttpRequest
from tandem.fairness.queries import rater_effects
from tandem.fairness.services import rater_effects as rater_effects_services
from tandem.reviews.queries import ratings

# An id no row has, replaced in each row's address (see _addresses).
PLACEHOLDER = 987654321

# The services' field names that the forms call otherwise.
ERROR_FIELDS: dict[str, str | None] = {
    "participant_ids": "people",
    "facilitator_ids": "facilitators",
}


def _plain(error: ValidationError) -> str:
    return " ".join(" ".join(problems) for problems in error.message_dict.values())


@login_required
def index(request: AuthedHttpRequest) -> HttpResponse:
    """Every calibration session the viewer takes part in, facilitates or (HR admins)
    runs, and for HR admins the cycles sessions can be created in."""
    may_manage = can(request.user, "calibration.manage")
    return render(
        request,
        "calibration/index.html",
        {
            "sessions": queries.my_sessions(request.user),
            "cycles": ratings.calibratable_cycles() if may_manage else [],
            "may_manage": may_manage,
        },
    )


@login_required
def cycle(request: AuthedHttpRequest, cycle_id: int) -> HttpResponse:
    """The calibration sessions of a cycle the viewer may see; HR admins create them here."""
    found = queries.cycle_for(request.user, cycle_id)
    may_manage = can(request.user, "calibration.manage", found)
    if request.method == "POST":
        require(request.user, "calibration.manage", found)
    form = None
    status = 200
    if may_manage:
        form = SessionForm(request.POST or None, user=request.user, levels=queries.levels_of(found))
        if request.method == "POST":
            status = 400
            if form.is_valid():
                created = _create(request, found, form)
                if created is not None:
                    return redirect("calibration:session", session_id=created)
    return render(
        request,
        "calibration/cycle.html",
        {
            "cycle": found,
            "sessions": list(queries.sessions(request.user, found)),
            "form": form,
            "has_rating": ratings.overall_question(found) is not None,
        },
        status=status,
    )


def _create(request: AuthedHttpRequest, cycle: Any, form: SessionForm) -> int | None:
    data = form.cleaned_data
    participant_ids: list[int] = []
    if data["scope_kind"] == ScopeKind.MANUAL:
        participant_ids, strangers = queries.participant_ids_of(cycle, data["people"])
        if strangers:
            names = ", ".join(str(p) for p in strangers)
            form.add_error("people", f"Not reviewed in this cycle: {names}.")
            return None
    try:
        session = services.create_session(
            request.user,
            cycle,
            name=data["name"],
            scope_kind=data["scope_kind"],
            department=data["department"],
            manager=data["manager"],
            level=data["level"],
            participant_ids=participant_ids,
            facilitator_ids=[p.pk for p in data["facilitators"]],
        )
    except ValidationError as error:
        show_errors(form, error, aliases=ERROR_FIELDS)
        return None
    messages.success(request, f"Created “{session.name}”: {session.entries.count()} people.")
    return session.pk


@login_required
def session(request: AuthedHttpRequest, session_id: int) -> HttpResponse:
    """One session: the people side by side, the distribution, the 9-box, and for HR and
    facilitators the moves, their history and the lock."""
    found = queries.session_for(request.user, session_id)
    decides = queries.may_decide(request.user, found)
    question = ratings.overall_question(found.cycle)
    points = question[1] if question else 0
    rows = queries.rows(request.user, found, points=points, with_history=decides)
    filters = _filters(request)
    shown = [row for row in rows if filters.keep(row)]
    _addresses(shown)
    distribution = queries.distribution(found, points)
    grid, unplaced = queries.nine_box(shown)
    window_closed = ratings.calibration_window_refusal(found.cycle)
    editable = decides and not found.is_locked and not window_closed
    effects = _rater_effects(found, rows) if decides else None
    return render(
        request,
        "calibration/session.html",
        {
            "session": found,
            "cycle": found.cycle,
            "points": points,
            "rows": shown,
            "total": len(rows),
            "filters": filters,
            "options": queries.filter_options(rows),
            "distribution": distribution,
            "chart": queries.distribution_chart(distribution),
            "grid": grid,
            "unplaced": unplaced,
            "decides": decides,
            "editable": editable,
            "window_closed": window_closed,
            "manages": can(request.user, "calibration.manage", found.cycle) and not found.is_locked,
            "rating_options": _options((str(n), str(n)) for n in range(1, points + 1)),
            "potential_options": _options(POTENTIAL_CHOICES),
            "category_options": _options(ReasonCategory.choices),
            "add_form": AddPeopleForm(user=request.user),
            "guideline_form": GuidelineForm(points=points, guideline=found.guideline or {}),
            "bands": {band: queries.ratings_in_band(band, points) for band in (1, 2, 3)},
            "facilitators": list(found.facilitators.all()),
            "managers": list(found.managers.all()),
            "effects": effects,
            "adjusted_rows": [
                (row.name, effects.adjusted[row.entry.participant_id])
                for row in shown
                if effects and row.entry.participant_id in effects.adjusted
            ],
            "statistical_aid": rater_effects.STATISTICAL_AID,
        },
    )


def _rater_effects(found: Any, rows: list[queries.Row]) -> rater_effects.CycleRaterEffects:
    """The leniency of the session's managers and each person's rater-adjusted rating, for
    the people who decide (HR admins and facilitators, checked by the session rule before):
    the estimate is refreshed as the system (a small cycle computed now, a large one queued)
    and read without fairness's HR-only rule, which the session rule stands in for."""
    current = rater_effects_services.refresh(by=SYSTEM, cycle=found.cycle)
    return rater_effects.estimate_of(
        found.cycle,
        reviewer_ids={row.manager_id for row in rows if row.manager_id},
        participant_ids=[row.entry.participant_id for row in rows],
        current=current,
    )


def _addresses(rows: list[queries.Row]) -> None:
    """Each row's id as text and its addresses, built once here rather than by a template
    tag per row (the page's rendering is most of its time at 200 people)."""
    adjust = reverse("calibration:adjust", args=[PLACEHOLDER])
    remove = reverse("calibration:remove", args=[PLACEHOLDER])
    for row in rows:
        row.key = str(row.entry.pk)
        row.adjust_url = adjust.replace(str(PLACEHOLDER), row.key)
        row.remove_url = remove.replace(str(PLACEHOLDER), row.key)


def _options(choices: Iterable[tuple[str, str]]) -> SafeString:
    """`<option>`s of a menu every row repeats, escaped once."""
    return format_html_join("", '<option value="{}">{}</option>', choices)


def _number(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


def _filters(request: AuthedHttpRequest) -> queries.Filters:
    get = request.GET
    tenure = get.get("tenure", "")
    return queries.Filters(
        manager=_number(get.get("manager")),
        department=_number(get.get("department")),
        level=get.get("level", "")[:50],
        tenure=tenure if tenure in queries.TENURE_LABELS else "",
    )


@login_required
@require_POST
def adjust(request: AuthedHttpRequest, entry_id: int) -> HttpResponse:
    """Move one person (rating and/or potential) with a reason; back to the session."""
    entry = queries.entry_for(request.user, entry_id)
    require(request.user, "calibration.entry.adjust", entry)
    points = services.points_of(entry.session)
    form = AdjustForm(request.POST, points=points)
    target = reverse("calibration:session", args=[entry.session_id]) + f"#entry-{entry.pk}"
    if not form.is_valid():
        messages.error(request, "Nothing was saved: " + _plain(ValidationError(form.errors)))
        return redirect(target)
    data = form.cleaned_data
    try:
        services.adjust(
            request.user,
            entry,
            rating=int(data["rating"]) if data["rating"] else None,
            potential=int(data["potential"]) if data["potential"] else None,
            category=data["category"],
            reason=data["reason"],
        )
    except ValidationError as error:
        messages.error(
            request, f"Nothing was saved for {entry.participant.person}: " + _plain(error)
        )
    else:
        messages.success(request, f"Moved {entry.participant.person}; the reason is recorded.")
    return redirect(target)


@login_required
@require_POST
def guideline(request: AuthedHttpRequest, session_id: int) -> HttpResponse:
    """HR sets the session's guideline distribution (or clears it)."""
    found = queries.session_for(request.user, session_id)
    require(request.user, "calibration.manage", found.cycle)
    points = services.points_of(found)
    form = GuidelineForm(request.POST, points=points, guideline={})
    target = reverse("calibration:session", args=[found.pk]) + "#distribution"
    if not form.is_valid():
        messages.error(
            request, "The guideline was not saved: " + _plain(ValidationError(form.errors))
        )
        return redirect(target)
    try:
        services.set_guideline(request.user, found, form.guideline())
    except ValidationError as error:
        messages.error(request, "The guideline was not saved: " + _plain(error))
    else:
        messages.success(request, "Saved the guideline.")
    return redirect(target)


@login_required
@require_POST
def remove(request: AuthedHttpRequest, entry_id: int) -> HttpResponse:
    """HR takes a person out of an open session."""
    entry = queries.entry_for(request.user, entry_id)
    require(request.user, "calibration.manage", entry.session.cycle)
    name = str(entry.participant.person)
    try:
        services.remove_entry(request.user, entry)
    except ValidationError as error:
        messages.error(request, _plain(error))
    else:
        messages.success(
            request, f"Took {name} out of the session; their review is no longer held."
        )
    return redirect("calibration:session", session_id=entry.session_id)


@login_required
def lock(request: AuthedHttpRequest, session_id: int) -> HttpResponse:
    """Confirm, then lock: the session's ratings become the ratings of record."""
    found = queries.session_for(request.user, session_id)
    require(request.user, "calibration.session.decide", found)
    if request.method == "POST" and not found.is_locked:
        try:
            services.lock(request.user, found)
        except ValidationError as error:
            messages.error(request, "The session was not locked: " + _plain(error))
        else:
            messages.success(request, "Locked. These ratings are now the ratings of record.")
        return redirect("calibration:session", session_id=found.pk)
    changed = sum(1 for row in queries.rows(request.user, found) if row.changed)
    return render(
        request,
        "calibration/lock.html",
        {"session": found, "people": found.entries.count(), "changed": changed},
    )


@login_required
@require_POST
def add(request: AuthedHttpRequest, session_id: int) -> HttpResponse:
    """HR adds people of the cycle to an open session."""
    found = queries.session_for(request.user, session_id)
    require(request.user, "calibration.manage", found.cycle)
    form = AddPeopleForm(request.POST, user=request.user)
    target = reverse("calibration:session", args=[found.pk]) + "#people-h"
    if not form.is_valid():
        messages.error(request, "Nobody was added: " + _plain(ValidationError(form.errors)))
        return redirect(target)
    ids, strangers = queries.participant_ids_of(found.cycle, form.cleaned_data["people"])
    if strangers:
        names = ", ".join(str(p) for p in strangers)
        messages.error(request, f"Nobody was added: not reviewed in this cycle: {names}.")
        return redirect(target)
    try:
        added = services.add_people(request.user, found, ids)
    except ValidationError as error:
        messages.error(request, "Nobody was added: " + _plain(error))
    else:
        messages.success(
            request, f"Added {len(added)} {'person' if len(added) == 1 else 'people'}."
        )
    return redirect(target)
