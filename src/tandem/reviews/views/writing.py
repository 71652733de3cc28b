"""Review pages: writing (with autosave), reading, sharing, acknowledging, reopening.

Thin: `forms.writing` parses, `services.writing` / `services.sharing` write,
`queries.writing` and `evidence` read. A service's ValidationError is shown on the page,
naming the question or field, with what the writer typed kept in the form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from tandem.access.rules import can, require
from tandem.coach.panel import MAX_SEEN, SEEN
from tandem.coach.queries import playbooks as playbook_queries
from tandem.core.http import AuthedHttpRequest
from tandem.program.models import Program
from tandem.reviews import evidence, framework, phases, scores, states
from tandem.reviews.answers import missing_required
from tandem.reviews.coach import count_review_submission
from tandem.reviews.forms.writing import (
    AcknowledgeForm,
    ReopenForm,
    VersionForm,
    answers_from_post,
)
from tandem.reviews.models import Relationship, Review
from tandem.reviews.queries import anonymous
from tandem.reviews.queries import writing as queries
from tandem.reviews.services import sharing, writing


def _messages_of(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return dict(error.message_dict)
    return {"answers": list(error.messages)}


def _flat(errors: dict[str, list[str]]) -> list[str]:
    return [message for found in errors.values() for message in found]


# --- The review page ---------------------------------------------------------------------------


def _is_writing(request: AuthedHttpRequest, review: Review) -> bool:
    """The form is offered only when the server would take what is typed: the reviewer's
    own open review, in a running cycle, in its open writing phase."""
    return (
        review.reviewer_id == request.user.pk
        and review.is_open
        and phases.writing_refusal(review) is None
    )


def _page_context(
    request: AuthedHttpRequest,
    review: Review,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    version: int | None = None,
) -> dict[str, Any]:
    user = request.user
    goals = queries.goal_names(user, review)
    writing_now = _is_writing(request, review)
    context: dict[str, Any] = {
        "review": review,
        "cycle": review.cycle,
        "participant": review.participant,
        "writing": writing_now,
        "state_label": states.label(review.state),
        "snapshot": queries.snapshot(review.participant),
        "due_on": queries.due_on(review),
        "window": queries.window(review),
        "errors": errors or {},
        "error_list": _flat(errors or {}),
        "version": review.version if version is None else version,
        "may_reopen": queries.may_reopen(user, review),
        "locked_note": queries.locked_note(review),
        "may_see_history": queries.may_see_history(user, review),
        # The way to the participant's page, where the manager shares the review.
        "may_view_participant": can(user, "participant.view", review.participant),
    }
    if writing_now:
        packet = evidence.packet(user, review)
        others = [item.obj for item in packet.reviews.items] if packet.reviews else []
        sections = queries.questions_view(
            framework.content_of(review),
            values if values is not None else review.answers,
            goals=goals,
            errors=errors,
        )
        queries.with_goal_status(sections, packet.goals.items)
        context.update(
            audience=queries.audience(review),
            packet=packet,
            others=queries.read_views(user, others, goals),
            groups=anonymous.groups_for(user, review.participant)
            if review.relationship == Relationship.MANAGER
            else [],
            sections=sections,
            # "Writing a fair review" beside a manager review until the writer completed it.
            fair_review=playbook_queries.unfinished_playbook(user, playbook_queries.FAIR_REVIEW)
            if review.relationship == Relationship.MANAGER
            else None,
        )
    else:
        read = queries.read_views(user, [review], goals)[0]
        if review.relationship == Relationship.MANAGER and not review.is_open:
            record = queries.rating_of_record(user, review.participant, [review])
            queries.with_calibration(user, [read], review.participant, record)
            # Sharing is one action from the submitted review itself (issue 16).
            context["may_share"] = review.participant.removed_at is None and (
                queries.can_share_now(user, review.participant, [review])
            )
            context["share_refusal"] = queries.share_refusal(user, review.participant, [review])
        context["read"] = read
    return context


@login_required
@require_http_methods(["GET"])
def review_page(request: AuthedHttpRequest, review_id: int) -> HttpResponse:
    review = queries.review_for(request.user, review_id)
    return render(request, "reviews/writing/review.html", _page_context(request, review))


def _writable(request: AuthedHttpRequest, review_id: int) -> Review:
    review = queries.review_for(request.user, review_id)
    require(request.user, "review.write", review)
    return review


def _status(
    request: AuthedHttpRequest, review: Review, *, text: str, version: int, failed: bool
) -> HttpResponse:
    return render(
        request,
        "reviews/writing/_status.html",
        {"review": review, "status": text, "version": version, "failed": failed},
    )


@login_required
@require_http_methods(["POST"])
def review_save(request: AuthedHttpRequest, review_id: int) -> HttpResponse:
    """Autosave (htmx: answers with the status line) and the Save button (redirects)."""
    review = _writable(request, review_id)
    meta = VersionForm(request.POST)
    content = framework.content_of(review)
    goal_keys = evidence.goal_keys(request.user, review)
    raw = answers_from_post(request.POST, content, goal_keys=goal_keys)
    try:
        if not meta.is_valid():
            raise ValidationError(
                {"version": "Reload the page: the form lost track of its version."}
            )
        writing.save_draft(
            review,
            answers=raw,
            version=meta.cleaned_data["version"],
            active_seconds=meta.cleaned_data.get("active_seconds") or 0,
            by=request.user,
        )
    except ValidationError as error:
        errors = _messages_of(error)
        posted = int(meta.cleaned_data.get("version") or 0) if meta.is_valid() else review.version
        if request.htmx:
            return _status(
                request, review, text=" ".join(_flat(errors)), version=posted, failed=True
            )
        context = _page_context(request, review, values=raw, errors=errors, version=posted)
        return render(request, "reviews/writing/review.html", context)
    saved = f"Saved {timezone.localtime(review.saved_at):%H:%M}" if review.saved_at else "Saved"
    if request.htmx:
        return _status(request, review, text=saved, version=review.version, failed=False)
    messages.success(request, f"{saved}. Your draft is only yours until you submit it.")
    return redirect("reviews:review", review.pk)


@login_required
@require_http_methods(["POST"])
def review_submit(request: AuthedHttpRequest, review_id: int) -> HttpResponse:
    """Step 1 (the form's Submit button): save what was typed and show what is missing or
    ask to confirm. Step 2 (confirm=on): submit."""
    review = _writable(request, review_id)
    meta = VersionForm(request.POST)
    content = framework.content_of(review)
    goal_keys = evidence.goal_keys(request.user, review)
    raw = answers_from_post(request.POST, content, goal_keys=goal_keys)
    confirm = meta.is_valid() and meta.cleaned_data.get("confirm")
    try:
        if not meta.is_valid():
            raise ValidationError(
                {"version": "Reload the page: the form lost track of its version."}
            )
        version = meta.cleaned_data["version"]
        if confirm:
            writing.submit(review, answers=None, version=version, by=request.user)
        elif raw:
            writing.save_draft(
                review,
                answers=raw,
                version=version,
                active_seconds=meta.cleaned_data.get("active_seconds") or 0,
                by=request.user,
            )
        else:
            writing.check_writable(review, event="submit")
    except ValidationError as error:
        errors = _messages_of(error)
        posted = meta.cleaned_data.get("version") if meta.is_valid() else review.version
        values = raw if raw else None
        context = _page_context(request, review, values=values, errors=errors, version=posted)
        return render(request, "reviews/writing/review.html", context)
    if confirm:
        count_review_submission(request.user, review, request.POST)
        messages.success(
            request,
            "Submitted. It can no longer be changed; HR can reopen it if something is wrong.",
        )
        return redirect("reviews:review", review.pk)
    missing = missing_required(content, review.answers, goal_keys=goal_keys)
    return render(
        request,
        "reviews/writing/submit_confirm.html",
        {
            "review": review,
            "missing": missing,
            "audience": queries.audience(review),
            "version": review.version,
            # What the coach showed while the answers were written, carried to the confirm
            # step so the submission's counts know it (coach/panel.py).
            "coach_seen": request.POST.getlist(SEEN)[:MAX_SEEN],
        },
    )


@login_required
@require_http_methods(["GET"])
def evidence_panel(request: AuthedHttpRequest, review_id: int) -> HttpResponse:
    """The evidence packet alone: a fragment for htmx, a page otherwise."""
    review = _writable(request, review_id)
    context = {"review": review, "packet": evidence.packet(request.user, review)}
    template = "reviews/writing/_evidence.html" if request.htmx else "reviews/writing/evidence.html"
    return render(request, template, context)


# --- Reopen and history ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def review_reopen(request: AuthedHttpRequest, review_id: int) -> HttpResponse:
    review = queries.review_for(request.user, review_id)
    require(request.user, "review.reopen", review)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sharing.reopen(review, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            for name, found in _messages_of(error).items():
                form.add_error("reason" if name == "reason" else None, found)
        else:
            messages.success(
                request,
                f"Reopened. {review.reviewer.display_name} can change it and submit it again; "
                "the version before is kept in the history.",
            )
            return redirect("reviews:review", review.pk)
    return render(
        request,
        "reviews/writing/reopen.html",
        {
            "review": review,
            "form": form,
            "state_label": states.label(review.state),
            "window": queries.window(review),
            "due_on": queries.due_on(review),
            "may_reopen": queries.may_reopen(request.user, review),
            "why_not": phases.not_running(review.cycle, "reviews can no longer be reopened")
            or "Only a submitted, shared or acknowledged review can be reopened.",
        },
    )


@login_required
@require_http_methods(["GET"])
def review_history(request: AuthedHttpRequest, review_id: int) -> HttpResponse:
    review = queries.review_for(request.user, review_id)
    if not queries.may_see_history(request.user, review):
        require(request.user, "review.reopen", review)
    goals = queries.goal_names(request.user, review)
    content = framework.content_of(review)
    kept: list[dict[str, Any]] = [
        {
            "when": revision.created_at,
            "revision": revision,
            "state_label": states.label(revision.state),
            "sections": queries.questions_view(content, revision.answers, goals=goals),
        }
        for revision in queries.revisions(review)
    ]
    events = queries.history_events(request.user, review)
    timeline: list[dict[str, Any]] = sorted(
        [*kept, *({"when": when, "event": text} for when, text in events)],
        key=lambda entry: entry["when"],
        reverse=True,
    )
    return render(
        request,
        "reviews/writing/history.html",
        {
            "review": review,
            "timeline": timeline,
            "has_events": bool(events),
            "state_label": states.label(review.state),
        },
    )


# --- A participant: share, acknowledge ------------------------------------------------------------


def _participant_context(
    request: AuthedHttpRequest, participant: Any, **extra: Any
) -> dict[str, Any]:
    user = request.user
    reviews = queries.reviews_of_participant(user, participant)
    managers = queries.manager_reviews(participant)
    goals: dict[str, str] = {}
    if reviews:
        goals = queries.goal_names(user, reviews[0])
    reads = queries.read_views(user, reviews, goals)
    record = queries.rating_of_record(user, participant, reviews)
    queries.with_calibration(user, reads, participant, record)
    context = {
        "participant": participant,
        "cycle": participant.cycle,
        "snapshot": queries.snapshot(participant),
        "reads": reads,
        "rating": record,
        # What the person reviewed is shown of a calibrated rating, said to the others.
        "calibration_shown": record is not None
        and record.calibrated
        and participant.person_id != user.pk
        and Program.current().calibration_shown_to_employee,
        "manager_states": [states.label(r.state) for r in managers],
        "may_share": queries.can_share_now(user, participant, managers),
        "share_refusal": queries.share_refusal(user, participant, managers),
        "may_acknowledge": queries.can_acknowledge_now(user, participant, managers),
        "is_reviewee": participant.person_id == user.pk,
        "ack_form": extra.get("ack_form") or AcknowledgeForm(),
        "error_list": extra.get("error_list", []),
        "manager_relationship": Relationship.MANAGER,
        "score_lines": _score_lines(user, participant),
        "groups": anonymous.groups_for(user, participant),
        "closed_note": phases.not_running(
            participant.cycle, "nothing more is shared or acknowledged"
        )
        or "",
    }
    return context


def _score_lines(user: Any, participant: Any) -> list[str]:
    """The overall score and how it was made: for HR and the managers above at once, for
    the person reviewed once their review is shared."""
    if participant.person_id == user.pk and participant.shared_at is None:
        return []
    return scores.explain(participant)


@login_required
@require_http_methods(["GET"])
def participant_page(request: AuthedHttpRequest, participant_id: int) -> HttpResponse:
    participant = queries.participant_for(request.user, participant_id)
    return render(
        request, "reviews/writing/participant.html", _participant_context(request, participant)
    )


@login_required
@require_http_methods(["POST"])
def share(request: AuthedHttpRequest, participant_id: int) -> HttpResponse:
    participant = queries.participant_for(request.user, participant_id)
    require(request.user, "participant.share", participant)
    try:
        sharing.share(participant, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages) + " Nothing was shared.")
    else:
        messages.success(
            request,
            f"Shared with {participant.person.display_name}, who now reads it and can "
            "acknowledge it.",
        )
    return redirect("reviews:participant", participant.pk)


@login_required
@require_http_methods(["POST"])
def acknowledge(request: AuthedHttpRequest, participant_id: int) -> HttpResponse:
    participant = queries.participant_for(request.user, participant_id)
    require(request.user, "participant.acknowledge", participant)
    form = AcknowledgeForm(request.POST)
    refused: list[str] = []
    if form.is_valid():
        try:
            sharing.acknowledge(participant, comment=form.cleaned_data["comment"], by=request.user)
        except ValidationError as error:
            for name, found in _messages_of(error).items():
                if name == "comment":
                    form.add_error("comment", found)
                else:
                    refused.extend(found)
        else:
            messages.success(request, "Acknowledged. Your manager hears of it.")
            return redirect("reviews:participant", participant.pk)
    context = _participant_context(request, participant, ack_form=form, error_list=refused)
    return render(request, "reviews/writing/participant.html", context)


@login_required
@require_http_methods(["POST"])
def release_all(request: AuthedHttpRequest, cycle_id: int) -> HttpResponse:
    cycle = queries.cycle_for(request.user, cycle_id)
    require(request.user, "reviews.manage", cycle)
    try:
        released = sharing.release_all(cycle, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages) + " Nothing was shared.")
    else:
        text = f"Shared {released.shared} submitted manager reviews at once."
        if released.held_back:
            text += (
                f" {released.held_back} {'is' if released.held_back == 1 else 'are'} held back: "
                "their rating is being calibrated in an open session; their managers share "
                "them once the session is locked."
            )
        messages.success(request, text)
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("reviews:cycle", cycle.pk)
