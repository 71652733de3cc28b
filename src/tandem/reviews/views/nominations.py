"""Peer nomination pages: the reviewee picks peers, the manager approves or changes them,
a peer declines, the manager picks a replacement, and HR approves all at once. Thin: parse,
call, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from tandem.access.rules import NotAllowed, can, require, scope
from tandem.core.forms import show_errors
from tandem.core.http import AuthedHttpRequest
from tandem.reviews import phases
from tandem.reviews.forms.nominations import (
    ApproveForm,
    DeclineForm,
    PeersForm,
    ReplaceForm,
    SearchForm,
)
from tandem.reviews.models import Cycle, NominationStatus, Participant, ReviewState
from tandem.reviews.queries import nominations as queries
from tandem.reviews.services import nominations as services


def _picker(
    request: AuthedHttpRequest,
    participant: Participant,
    page: queries.NominationPage | None,
    *,
    picked: list[int] | None,
    q: str,
) -> dict[str, Any]:
    """The people picker: who is ticked (the proposal, or what the form sent back) and
    what the search found."""
    for_approval = not can(request.user, "nomination.propose", participant)
    if picked is None:
        picked = [row.person.pk for row in page.proposed] if page is not None else []
    selected = (
        queries.pickable(request.user, participant, ids=picked, for_approval=for_approval)
        if picked
        else []
    )
    results = queries.pickable(
        request.user,
        participant,
        q=q,
        for_approval=for_approval,
        exclude=[*picked, *(page.active_peer_ids if page else ())],
    )
    return {"selected": selected, "results": results, "q": q, "searched": bool(q.strip())}


def _search_input(request: AuthedHttpRequest) -> tuple[str, list[int] | None]:
    form = SearchForm(request.GET)
    if not form.is_valid():
        return "", None
    picked = form.cleaned_data["peers"] if "peers" in request.GET else None
    return form.cleaned_data["q"], picked


def _render_page(
    request: AuthedHttpRequest,
    participant: Participant,
    *,
    form: Any = None,
    picked: list[int] | None = None,
    q: str = "",
    status: int = 200,
) -> HttpResponse:
    page = queries.nomination_page(request.user, participant)
    context = {
        "page": page,
        "participant": participant,
        "cycle": participant.cycle,
        "form": form,
        "picker": _picker(request, participant, page, picked=picked, q=q),
        "replace": _replace_context(request, page),
    }
    return render(request, "reviews/nominations/page.html", context, status=status)


def _replace_context(request: AuthedHttpRequest, page: queries.NominationPage) -> dict[str, Any]:
    """Search results for one replacement form when searched without JavaScript."""
    target = request.GET.get("replace", "")
    rq = request.GET.get("rq", "")[:100]
    if not (page.can_approve and target.isdigit() and rq.strip()):
        return {}
    results = queries.pickable(
        request.user,
        page.participant,
        q=rq,
        for_approval=True,
        exclude=page.active_peer_ids,
    )
    return {"nomination_id": int(target), "q": rq, "results": results}


@login_required
@require_http_methods(["GET", "POST"])
def nominations(request: AuthedHttpRequest, participant_id: int) -> HttpResponse:
    """The reviewee picks peers; the manager (same page) approves or changes them."""
    participant = queries.participant_for_nominations(request.user, participant_id)
    if request.method == "POST":
        require(request.user, "nomination.propose", participant)
        form = PeersForm(request.POST)
        picked = None
        if form.is_valid():
            picked = form.cleaned_data["peers"]
            try:
                services.propose_peers(participant, picked, by=request.user)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, "Your peers are proposed; your manager approves them.")
                return redirect("reviews:nominations", participant.pk)
        return _render_page(request, participant, form=form, picked=picked)
    q, picked = _search_input(request)
    return _render_page(request, participant, picked=picked, q=q)


@login_required
@require_http_methods(["GET"])
def nomination_search(request: AuthedHttpRequest, participant_id: int) -> HttpResponse:
    """The picker's htmx fragment: the ticked people and the people found for ?q=."""
    participant = queries.participant_for_nominations(request.user, participant_id)
    target = request.GET.get("replace", "")
    if target.isdigit():
        page = queries.nomination_page(request.user, participant)
        if not page.can_approve:
            raise NotAllowed("replace denied")
        q = request.GET.get("rq", "")[:100]
        results = queries.pickable(
            request.user, participant, q=q, for_approval=True, exclude=page.active_peer_ids
        )
        context = {"nid": int(target), "nid_text": target, "rq": q, "results": results}
        return render(request, "reviews/nominations/_replace_results.html", context)
    q, picked = _search_input(request)
    page = queries.nomination_page(request.user, participant)
    return render(
        request,
        "reviews/nominations/_picker.html",
        {
            "page": page,
            "participant": participant,
            "cycle": participant.cycle,
            "picker": _picker(request, participant, page, picked=picked or [], q=q),
        },
    )


@login_required
@require_POST
def nomination_approve(request: AuthedHttpRequest, participant_id: int) -> HttpResponse:
    """The manager approves the proposal as it is, or the list they changed."""
    participant = queries.participant_for_nominations(request.user, participant_id)
    require(request.user, "nomination.approve", participant)
    form = ApproveForm(request.POST)
    picked = None
    if form.is_valid():
        picked = form.final_peers()
        try:
            approved = services.approve_peers(
                participant, by=request.user, peers=form.final_peers()
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            count = len(approved)
            messages.success(
                request,
                f"Approved {count} peer{'s' if count != 1 else ''}; each is asked to write a "
                "peer review."
                if count
                else "Nothing was waiting for approval.",
            )
            return redirect("reviews:nominations", participant.pk)
    return _render_page(request, participant, form=form, picked=picked)


@login_required
@require_http_methods(["GET", "POST"])
def nomination_decline(request: AuthedHttpRequest, nomination_id: int) -> HttpResponse:
    """The peer declines, with a reason, a peer review they have not submitted."""
    nomination = queries.nomination_for_decline(request.user, nomination_id)
    form = DeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decline(nomination, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request,
                f"You declined the peer review for {nomination.participant.person}; "
                "their manager will ask someone else.",
            )
            return redirect("home")
    state = queries.peer_review_state(nomination)
    too_late = phases.refusal(nomination.cycle, "nomination.decline") or ""
    context = {
        "nomination": nomination,
        "participant": nomination.participant,
        "form": form,
        "state": ReviewState(state).label.lower() if state else "",
        "declinable": (
            nomination.status == NominationStatus.APPROVED
            and (state is None or state in queries.DECLINABLE_STATES)
            and not too_late
        ),
        "too_late": too_late,
        "has_draft": state == "in_progress",
    }
    return render(request, "reviews/nominations/decline.html", context)


@login_required
@require_POST
def nomination_replace(request: AuthedHttpRequest, nomination_id: int) -> HttpResponse:
    """The manager picks a colleague to write a declined peer review instead."""
    nomination = queries.nomination_for_replace(request.user, nomination_id)
    participant = queries.participant_for_nominations(request.user, nomination.participant_id)
    form = ReplaceForm(request.POST)
    if form.is_valid():
        try:
            replacement = services.replace_peer(
                nomination, form.cleaned_data["peer"], by=request.user
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request, f"{replacement.peer} is asked to write the peer review instead."
            )
            return redirect("reviews:nominations", participant.pk)
    return _render_page(request, participant, form=form)


@login_required
@require_http_methods(["GET"])
def approvals(request: AuthedHttpRequest) -> HttpResponse:
    """A manager's list of people whose proposed peers wait for approval."""
    rows, total = queries.pending_approvals(request.user)
    return render(
        request,
        "reviews/nominations/approvals.html",
        {"rows": rows, "total": total, "cycles": queries.pending_by_cycle(request.user)},
    )


@login_required
@require_POST
def nominations_approve_all(request: AuthedHttpRequest, cycle_id: int) -> HttpResponse:
    """HR approves every proposed nomination of a cycle that fits the cap."""
    cycle = scope(request.user, Cycle.objects.filter(pk=cycle_id)).first()
    if cycle is None:
        raise NotAllowed("cycle not found")
    require(request.user, "reviews.manage", cycle)
    try:
        result = services.approve_all_pending(cycle, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = f"Approved {result.approved} peer nomination{'s' if result.approved != 1 else ''}."
        if result.skipped:
            text += (
                f" {result.skipped} still wait: their peer has reached the limit of "
                f"{cycle.peer_review_cap} peer reviews; their managers choose someone else."
            )
        messages.success(request, text)
    return redirect(reverse("reviews:approvals"))
