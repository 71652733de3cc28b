"""Feedback pages: my feedback, give, one piece, the praise feed, per-value view, requests,
anonymous upward feedback, and the timeline section of a profile. Thin: parse, call, render."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from tandem.access.rules import scope
from tandem.coach import services as coach_services
from tandem.coach.panel import seen_rules
from tandem.core import charts
from tandem.core.forms import show_errors
from tandem.core.http import AuthedHttpRequest
from tandem.feedback import queries, services
from tandem.feedback.forms import (
    AnswerForm,
    DeclineForm,
    FeedFilterForm,
    GiveFeedbackForm,
    ListFilterForm,
    ReactForm,
    RequestFeedbackForm,
    UpwardForm,
    goal_choices,
)
from tandem.feedback.models import AskStatus, Visibility
from tandem.org.models import Person, PersonStatus
from tandem.org.queries import person_for
from tandem.program.models import Program


def _page(
    request: AuthedHttpRequest, feedback: Any, cursor: str | None
) -> tuple[queries.FeedbackPage, str | None]:
    try:
        return queries.feedback_page(feedback, cursor=cursor, viewer=request.user), None
    except queries.BadCursor as bad:
        return queries.feedback_page(feedback, cursor=None, viewer=request.user), str(bad)


def _next_query(request: AuthedHttpRequest, cursor: str | None) -> str:
    if not cursor:
        return ""
    params = request.GET.copy()
    params["cursor"] = cursor
    return params.urlencode()


@login_required
@require_http_methods(["GET", "POST"])
def mine(request: AuthedHttpRequest) -> HttpResponse:
    """My feedback: received, given, and requests (waiting for me, and mine).

    Searching the text is a POST (it writes nothing): the words looked for are words of
    private feedback, and in an address they would land in every access log on the way.
    Paging through the results posts the search again with the next cursor."""
    data = request.POST if request.method == "POST" else request.GET
    form = ListFilterForm(data or None)
    filters = form.cleaned_data if form.is_valid() else {}
    tab = filters.get("tab") or "received"
    q = filters.get("q", "") if request.method == "POST" else ""
    context: dict[str, Any] = {"form": form, "tab": tab, "q": q}
    if tab == "requests":
        context["waiting"] = queries.pending_asks(request.user)
        context["requests"] = queries.my_requests(request.user)
    else:
        finder = queries.received if tab == "received" else queries.given
        feedback = finder(request.user, request.user, q=q)
        page, error = _page(request, feedback, filters.get("cursor") or None)
        next_query = ""
        if page.next_cursor and not q:
            next_query = urlencode({"tab": tab, "cursor": page.next_cursor})
        context.update(page=page, cursor_error=error, next_query=next_query)
    template = "feedback/_list.html" if request.htmx else "feedback/mine.html"
    return render(request, template, context)


def _give_form_parts(
    request: AuthedHttpRequest, data: Any
) -> tuple[Person | None, str | None, dict[str, Any]]:
    """Who the form is for (if it names someone we can find), and the choices to offer."""
    program = Program.current()
    raw = (data.get("recipient") if data else None) or request.GET.get("to")
    recipient: Person | None = None
    problem: str | None = None
    if raw:
        try:
            recipient = queries.resolve_person(request.user, raw)
        except ValidationError as error:
            problem = " ".join(error.message_dict.get("recipient", error.messages))
    return (
        recipient,
        problem,
        {
            "visibilities": queries.allowed_visibilities(program),
            "goals": goal_choices(request.user, recipient),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def give(request: AuthedHttpRequest) -> HttpResponse:
    """Give feedback or praise. When the recipient or the visibility changes, htmx posts the
    form with `preview=audience` and only the "who will read this" sentence is rendered
    again, with names; nothing is saved. A POST, not a GET: the form holds the feedback's
    text, and a GET would put it in the address, and so in every access log on the way."""
    data = request.POST if request.method == "POST" else None
    recipient, problem, choices = _give_form_parts(request, data)
    if request.method == "POST" and request.POST.get("preview") == "audience":
        return render(
            request,
            "feedback/_audience.html",
            {
                "audience": queries.audience(
                    giver=request.user,
                    recipient=recipient,
                    visibility=request.POST.get("visibility", ""),
                ),
                "recipient_problem": problem,
            },
        )
    initial: dict[str, Any] = {}
    if request.method == "GET":
        if recipient is not None:
            initial["recipient"] = recipient
        allowed = [v for v, _ in choices["visibilities"]]
        initial["visibility"] = request.GET.get("visibility") or (allowed[0] if allowed else "")
        if request.GET.get("goal", "").isdigit():
            initial["goal"] = request.GET["goal"]
    form = GiveFeedbackForm(data, initial=initial, **choices)
    if request.method == "POST" and form.is_valid():
        try:
            target = queries.resolve_person(request.user, form.cleaned_data["recipient"])
            feedback = services.give_feedback(
                by=request.user,
                recipient=target,
                text=form.cleaned_data["text"],
                visibility=form.cleaned_data["visibility"],
                values=form.cleaned_data["values"],
                goal=_goal(request, form.cleaned_data.get("goal")),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            # Counts for HR's coach page (no text kept); never blocks the send.
            coach_services.count_submission(
                author=request.user,
                kind="praise" if feedback.is_praise else "feedback",
                text=form.cleaned_data["text"],
                seen=seen_rules(request.POST, "text"),
            )
            what = "Praise" if feedback.is_praise else "Feedback"
            messages.success(request, f"{what} sent to {target.display_name}.")
            if feedback.is_praise:
                return redirect("feedback:praise_feed")
            return redirect("feedback:detail", feedback.pk)
    visibility = (form.data.get("visibility") if form.is_bound else initial.get("visibility")) or ""
    context = {
        "form": form,
        "recipient": recipient,
        "audience": queries.audience(
            giver=request.user, recipient=recipient, visibility=str(visibility)
        ),
        "recipient_problem": problem if request.method == "GET" else None,
        "nothing_allowed": not choices["visibilities"],
    }
    return render(request, "feedback/give.html", context, status=200)


def _goal(request: AuthedHttpRequest, raw: str | None) -> Any:
    if not raw:
        return None
    if not raw.isdigit() or int(raw) > queries.MAX_ID:
        raise ValidationError({"goal": "Choose a goal from the list."})
    goal_model = apps.get_model("goals", "Goal")
    goal = scope(request.user, goal_model.objects.filter(pk=int(raw))).first()
    if goal is None:
        raise ValidationError({"goal": "No goal with that number that you can see."})
    return goal


@login_required
def detail(request: AuthedHttpRequest, feedback_id: int) -> HttpResponse:
    feedback = queries.feedback_for(request.user, feedback_id)
    return render(
        request,
        "feedback/detail.html",
        {
            "feedback": feedback,
            "goal": queries.goal_visible_to(request.user, feedback),
            "reactions": queries.reaction_summary([feedback], request.user).get(feedback.pk, [])
            if feedback.is_praise
            else [],
            "readers": _readers(feedback),
        },
    )


def _readers(feedback: Any) -> str:
    giver = feedback.giver.display_name
    recipient = feedback.recipient.display_name
    hr = Program.current().hr_reads_private_feedback
    hr_words = " HR admins may also read it (company policy)." if hr else ""
    if feedback.visibility == Visibility.PUBLIC:
        return "Everyone in the company can read this praise."
    if feedback.visibility == Visibility.WITH_MANAGER and feedback.recipient_manager:
        return (
            f"{giver}, {recipient} and {recipient}'s manager when it was given, "
            f"{feedback.recipient_manager.display_name}, can read this.{hr_words}"
        )
    return f"Only {giver} and {recipient} can read this.{hr_words}"


@login_required
def praise_feed(request: AuthedHttpRequest) -> HttpResponse:
    form = FeedFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    value = filters.get("value")
    feed = queries.praise_feed(request.user, value_id=value.pk if value else None)
    page, error = _page(request, feed, filters.get("cursor") or None)
    since_key = request.GET.get("since") or "month"
    if since_key not in PRAISE_SINCE:
        since_key = "month"
    months, since_label = PRAISE_SINCE[since_key]
    values = queries.praise_counts_per_value(_months_back(queries.month_start(), months - 1))
    context = {
        "form": form,
        "page": page,
        "cursor_error": error,
        "next_query": _next_query(request, page.next_cursor),
        "value": value,
        "values": values,
        "values_chart": _values_chart(values, since_label),
        "since_label": since_label,
        "since_key": since_key,
        "since_links": _since_links(request, since_key),
        "can_praise": Program.current().praise_public_allowed,
    }
    template = "feedback/_feed.html" if request.htmx else "feedback/praise_feed.html"
    return render(request, template, context)


# Praise by value over: this month, or the last 3 or 12 months (each from a month's start).
PRAISE_SINCE: dict[str, tuple[int, str]] = {
    "month": (1, "this month"),
    "quarter": (3, "in the last 3 months"),
    "year": (12, "in the last 12 months"),
}


def _months_back(start: date, months: int) -> date:
    index = start.year * 12 + start.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _since_links(request: AuthedHttpRequest, current: str) -> list[dict[str, Any]]:
    links = []
    for key, (_, label) in PRAISE_SINCE.items():
        params = request.GET.copy()
        params.pop("cursor", None)
        params["since"] = key
        links.append({"label": label, "query": params.urlencode(), "current": key == current})
    return links


def _values_chart(values: list[Any], since_label: str) -> charts.BarChart:
    """Public praise per company value over the chosen months, most praised first."""
    total = sum(v.praise for v in values)
    if total:
        top = max(values, key=lambda v: (v.praise, v.name))
        summary = (
            f"Company values named in public praise {since_label}: {total} "
            f"time{'s' if total != 1 else ''} across {len(values)} values; most often "
            f"{top.name}, {top.praise} time{'s' if top.praise != 1 else ''}."
        )
    else:
        summary = f"No public praise {since_label} yet."
    return charts.bar_chart(
        [charts.BarInput(key=str(v.pk), label=v.name, value=v.praise) for v in values],
        sort="value",
        summary=summary,
    )


@login_required
def praise_value(request: AuthedHttpRequest, value_id: int) -> HttpResponse:
    """Who lived this value this month, and the praise that says so."""
    value = queries.value_for(value_id)
    since = queries.month_start()
    feed = queries.praise_feed(request.user, value_id=value.pk)
    page, error = _page(request, feed, request.GET.get("cursor") or None)
    return render(
        request,
        "feedback/praise_value.html",
        {
            "value": value,
            "since": since,
            "leaders": queries.value_leaders(value, since=since),
            "page": page,
            "cursor_error": error,
            "next_query": _next_query(request, page.next_cursor),
        },
    )


@login_required
@require_POST
def react(request: AuthedHttpRequest, feedback_id: int) -> HttpResponse:
    feedback = queries.feedback_for(request.user, feedback_id)
    if not feedback.is_praise:
        raise Http404("No such praise.")
    form = ReactForm(request.POST)
    if form.is_valid():
        services.toggle_reaction(by=request.user, feedback=feedback, kind=form.cleaned_data["kind"])
    elif not request.htmx:
        messages.error(request, "Choose a reaction.")
    if request.htmx:
        summary = queries.reaction_summary([feedback], request.user)
        return render(
            request,
            "feedback/_reactions.html",
            {"item": feedback, "reactions": summary.get(feedback.pk, [])},
        )
    next_url = request.POST.get("next_url") or ""
    return redirect(next_url if _safe(request, next_url) else reverse("feedback:praise_feed"))


def _safe(request: AuthedHttpRequest, url: str) -> bool:
    # Django's own check: "/\\evil.example" passes a startswith("/") test, and browsers
    # follow it to another site (an open redirect).
    return url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def _subject_choices(request: AuthedHttpRequest) -> list[tuple[str, str]]:
    reports = (
        scope(request.user, Person.objects.filter(manager_id=request.user.pk))
        .exclude(status=PersonStatus.LEFT)
        .order_by("sort_name", "pk")[:200]
    )
    return [("", "Myself"), *((str(p.pk), p.display_name) for p in reports)]


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: AuthedHttpRequest) -> HttpResponse:
    program = Program.current()
    visibilities = queries.allowed_visibilities(program)
    initial = {"visibility": visibilities[0][0] if visibilities else ""}
    form = RequestFeedbackForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        subjects=_subject_choices(request),
        visibilities=visibilities,
    )
    if request.method == "POST" and form.is_valid():
        try:
            raw_subject = form.cleaned_data["subject"]
            subject = person_for(request.user, int(raw_subject)) if raw_subject else request.user
            asked = queries.resolve_people(request.user, form.cleaned_data["asked"])
            created = services.create_feedback_request(
                by=request.user,
                subject=subject,
                asked=asked,
                visibility=form.cleaned_data["visibility"],
                questions=form.cleaned_data["questions"],
                due_date=form.cleaned_data["due_date"],
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Request sent.")
            return redirect("feedback:request_detail", created.pk)
    return render(request, "feedback/request_new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request: AuthedHttpRequest, request_id: int) -> HttpResponse:
    """The request: who was asked and who answered; for someone asked, answer or decline."""
    feedback_request = queries.request_for(request.user, request_id)
    ask = queries.my_ask(request.user, feedback_request)
    pending = ask is not None and ask.status == AskStatus.PENDING
    answer_form = AnswerForm()
    decline_form = DeclineForm()
    if request.method == "POST":
        if ask is None:
            raise Http404("Nothing to answer here.")
        if not pending:
            # A second tab, or a form left open after answering: say so, change nothing.
            messages.info(
                request,
                f"You already {ask.get_status_display().lower()} this request; "
                "nothing was changed.",
            )
            return redirect("feedback:request_detail", feedback_request.pk)
        try:
            if request.POST.get("action") == "decline":
                decline_form = DeclineForm(request.POST)
                if decline_form.is_valid():
                    services.decline_feedback_request(
                        by=request.user, ask=ask, reason=decline_form.cleaned_data["reason"]
                    )
                    messages.success(request, "You declined; the person who asked can see why.")
                    return redirect("feedback:request_detail", feedback_request.pk)
            else:
                answer_form = AnswerForm(request.POST)
                if answer_form.is_valid():
                    services.answer_feedback_request(
                        by=request.user,
                        ask=ask,
                        text=answer_form.cleaned_data["text"],
                        values=answer_form.cleaned_data["values"],
                    )
                    coach_services.count_submission(
                        author=request.user,
                        kind="request",
                        text=answer_form.cleaned_data["text"],
                        seen=seen_rules(request.POST, "text"),
                    )
                    messages.success(request, "Thank you: your answer was sent.")
                    return redirect("feedback:request_detail", feedback_request.pk)
        except ValidationError as error:
            target = decline_form if request.POST.get("action") == "decline" else answer_form
            show_errors(target, error)
    asks = queries.asks_of(request.user, feedback_request)
    readable = set(
        queries.visible_feedback(request.user)
        .filter(pk__in=[a.feedback_id for a in asks if a.feedback_id])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "feedback/request_detail.html",
        {
            "req": feedback_request,
            "asks": asks,
            "readable": readable,
            "ask": ask,
            "pending": pending,
            "answer_form": answer_form,
            "decline_form": decline_form,
            "audience": queries.audience(
                giver=request.user,
                recipient=feedback_request.subject,
                visibility=feedback_request.visibility,
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def upward(request: AuthedHttpRequest) -> HttpResponse:
    """Write anonymously to my manager; as a manager, read released batches."""
    form = UpwardForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.write_upward_feedback(by=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            coach_services.count_submission(
                author=request.user,
                kind="upward",
                text=form.cleaned_data["text"],
                seen=seen_rules(request.POST, "text"),
            )
            messages.success(
                request,
                "Thank you. Your feedback was stored without your name; your manager will "
                "see it only in a batch, once enough people have written.",
            )
            return redirect("feedback:upward")
    return render(
        request,
        "feedback/upward.html",
        {
            "form": form,
            "status": queries.upward_status(request.user),
            "batches": queries.released_batches(request.user),
        },
    )


@login_required
def person_timeline(request: AuthedHttpRequest, person_id: int) -> HttpResponse:
    """A person's feedback received and given, as far as the viewer may read it. The
    profile loads it with htmx; without htmx it is a page of its own."""
    person = person_for(request.user, person_id)
    direction = "given" if request.GET.get("direction") == "given" else "received"
    finder = queries.given if direction == "given" else queries.received
    page, error = _page(request, finder(request.user, person), request.GET.get("cursor") or None)
    context = {
        "person": person,
        "direction": direction,
        "page": page,
        "cursor_error": error,
        "next_query": _next_query(request, page.next_cursor),
    }
    template = "feedback/_timeline.html" if request.htmx else "feedback/timeline.html"
    return render(request, template, context)
