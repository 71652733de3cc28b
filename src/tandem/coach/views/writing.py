"""The coach's pages: the panel fragment beside a text, and HR's counts and words."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tandem.access.rules import can, require
from tandem.coach import panel as seen
from tandem.coach import queries, services
from tandem.coach.checks import builtin_words
from tandem.coach.forms import CoachWordForm, PanelForm, PeriodForm
from tandem.coach.registry import all_rules, context_for
from tandem.coach.schemas import MAX_TEXT
from tandem.core.http import AuthedHttpRequest

# The panel lists this many findings and says how many more there are.
PANEL_LIMIT = 8


def panel_context(
    text: str,
    kind: str,
    field: str,
    previous: set[str],
    feature_context: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    found = queries.findings(text, kind, feature_context)
    known = set(all_rules())
    rules = all_rules()
    items = [
        {
            "finding": f,
            "title": rules[f.rule].title if f.rule in rules else f.rule,
            "excerpt": text[f.start : f.end][:120],
        }
        for f in found[:PANEL_LIMIT]
    ]
    shown = {f.rule for f in found} | (previous & known)
    return {
        "items": items,
        "more": max(0, len(found) - PANEL_LIMIT),
        "written": bool(text.strip()),
        "structure": queries.structure(text) if kind != "upward" else None,
        "seen_values": seen.seen_values(field, shown),
        "kind": kind,
    }


@login_required
@require_POST
def panel(request: AuthedHttpRequest) -> HttpResponse:
    """The panel's findings for the text being written (htmx, debounced). Never an error
    for the writer: bad parameters answer an empty panel."""
    require(request.user, "coach.check")
    form = PanelForm(request.POST)
    if not form.is_valid():
        return render(request, "coach/panel.html#findings", {"items": [], "written": False})
    field = form.cleaned_data["field"]
    text = request.POST.get(field, "")[:MAX_TEXT]
    kind = form.cleaned_data["kind"]
    context = panel_context(
        text,
        kind,
        field,
        seen.seen_rules(request.POST, field),
        context_for(kind, request.user, form.cleaned_data["ref"], request.POST),
    )
    return render(request, "coach/panel.html#findings", context)


def months_back(today: date, months: int) -> date:
    """The first day of the month `months - 1` months before today's: 3 months in December
    start on 1 October (October, November, December)."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def _stats_context(
    request: AuthedHttpRequest, period: PeriodForm, word_form: CoachWordForm
) -> dict[str, Any]:
    months = int(period.cleaned_data.get("months") or 3) if period.is_valid() else 3
    since = months_back(timezone.localdate(), months)
    return {
        "period": period,
        "rows": queries.stats(request.user, since=since),
        "since": since,
        "words": list(queries.words(request.user)),
        "can_manage": can(request.user, "coach.words.manage"),
        "word_form": word_form,
        "rules": list(all_rules().values()),
        "builtin": builtin_words(),
    }


@login_required
@require_GET
def stats(request: AuthedHttpRequest) -> HttpResponse:
    """HR's page: per department, how often each suggestion fired on sent texts and how often
    the writer changed the text after it; the company's own words."""
    require(request.user, "coach.stats")
    period = PeriodForm(request.GET or {"months": "3"})
    return render(request, "coach/stats.html", _stats_context(request, period, CoachWordForm()))


@login_required
@require_POST
def add_word(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "coach.words.manage")
    form = CoachWordForm(request.POST)
    if form.is_valid():
        try:
            services.add_word(
                word=form.cleaned_data["word"],
                better=form.cleaned_data["better"],
                by=request.user,
            )
        except services.WordError as error:
            form.add_error("word", str(error))
    if not form.is_valid():
        context = _stats_context(request, PeriodForm({"months": "3"}), form)
        return render(request, "coach/stats.html", context, status=400)
    messages.success(request, f"“{form.cleaned_data['word']}” is on the list.")
    return redirect("coach:stats")


@login_required
@require_POST
def remove_word(request: AuthedHttpRequest, word_id: int) -> HttpResponse:
    require(request.user, "coach.words.manage")
    word = queries.word_for(request.user, word_id)
    services.remove_word(word=word, by=request.user)
    messages.success(request, f"“{word.word}” is off the list.")
    return redirect("coach:stats")
