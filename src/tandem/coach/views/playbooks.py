"""Playbooks: the list with my progress, one playbook (mark steps done, take the quiz),
and HR's pages (completion per manager, editing with a preview, publishing). Plain forms
that work without JavaScript; thin: `forms` parse, `services` write, `queries` read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.access.rules import can, require
from tandem.coach.forms import (
    PlaybookForm,
    QuestionFormSet,
    StepFormSet,
    quiz_answers,
)
from tandem.coach.markdown import render_markdown
from tandem.coach.queries import playbooks as queries
from tandem.coach.services import playbooks as services
from tandem.core.http import AuthedHttpRequest


@login_required
@require_GET
def playbook_list(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "playbook.read")
    return render(
        request, "coach/playbooks/list.html", {"listing": queries.playbook_list(request.user)}
    )


def _page(
    request: AuthedHttpRequest, playbook: Any, result: Any = None, status: int = 200
) -> HttpResponse:
    page = queries.playbook_page(request.user, playbook)
    steps = [{"step": s, "html": render_markdown(s.body)} for s in page.steps]
    chosen = {a.question.position: a for a in result.answers} if result else {}
    questions = [{"q": q, "answer": chosen.get(q.position)} for q in page.questions]
    return render(
        request,
        "coach/playbooks/detail.html",
        {
            "playbook": playbook,
            "progress": page.progress,
            "steps": steps,
            "questions": questions,
            "result": result,
        },
        status=status,
    )


@login_required
@require_GET
def playbook_detail(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    playbook = queries.playbook_for(request.user, slug)
    return _page(request, playbook)


@login_required
@require_POST
def step_done(request: AuthedHttpRequest, slug: str, position: int) -> HttpResponse:
    playbook = queries.playbook_for(request.user, slug)
    try:
        services.mark_step_done(playbook=playbook, position=position, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{playbook_url(slug)}#step-{position}")


def playbook_url(slug: str) -> str:
    return reverse("coach:playbook", args=[slug])


@login_required
@require_POST
def quiz(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """Mark the quiz and show, under each question, whether the answer was right and why."""
    playbook = queries.playbook_for(request.user, slug)
    positions = list(playbook.questions.order_by("position").values_list("position", flat=True))
    result = services.answer_quiz(
        playbook=playbook, answers=quiz_answers(request.POST, positions), by=request.user
    )
    return _page(request, playbook, result)


# --- HR -------------------------------------------------------------------------------------


@login_required
@require_GET
def hr_playbooks(request: AuthedHttpRequest) -> HttpResponse:
    """HR: every playbook (to edit) and completion per manager in the viewer's scope."""
    require(request.user, "playbook.completion")
    error = None
    try:
        page = queries.completion(request.user, cursor=request.GET.get("cursor") or None)
    except queries.BadCursor as bad:
        error = str(bad)
        page = queries.completion(request.user)
    listing = list(queries.playbooks(request.user)) if can(request.user, "playbook.manage") else []
    return render(
        request,
        "coach/playbooks/hr.html",
        {
            "page": page,
            "cursor_error": error,
            "editable": listing,
            "later": bool(request.GET.get("cursor")) and error is None,
        },
    )


def _formsets(playbook: Any, data: Any = None) -> tuple[PlaybookForm, Any, Any]:
    if data is not None:
        return (
            PlaybookForm(data),
            StepFormSet(data, prefix="steps"),
            QuestionFormSet(data, prefix="questions"),
        )
    steps = [{"title": s.title, "body": s.body} for s in playbook.steps.order_by("position")]
    questions = [
        {
            "prompt": q.prompt,
            "choices": "\n".join(q.choices),
            "answer": q.answer + 1,
            "explanation": q.explanation,
        }
        for q in playbook.questions.order_by("position")
    ]
    return (
        PlaybookForm(initial={"title": playbook.title, "summary": playbook.summary}),
        StepFormSet(initial=steps, prefix="steps"),
        QuestionFormSet(initial=questions, prefix="questions"),
    )


def _filled(formset: Any) -> list[Any]:
    """The forms HR wrote something in (the blank extra form is left out)."""
    return [f for f in formset.forms if any(str(v).strip() for v in f.cleaned_data.values() if v)]


@login_required
@require_http_methods(["GET", "POST"])
def hr_edit(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    """HR admins: edit a playbook's title, summary, steps and quiz; "Preview" shows the
    rendered text without saving. Bad input names the field and changes nothing."""
    require(request.user, "playbook.manage")
    playbook = queries.playbook_for(request.user, slug)
    if request.method == "GET":
        form, steps, questions = _formsets(playbook)
        return _edit_page(request, playbook, form, steps, questions)
    form, steps, questions = _formsets(playbook, request.POST)
    if not (form.is_valid() and steps.is_valid() and questions.is_valid()):
        return _edit_page(request, playbook, form, steps, questions, status=400)
    step_in = [
        services.StepIn(f.cleaned_data["title"], f.cleaned_data["body"]) for f in _filled(steps)
    ]
    question_in = [
        services.QuestionIn(
            prompt=f.cleaned_data["prompt"],
            choices=f.choice_list(),
            answer=(f.cleaned_data["answer"] or 0) - 1,
            explanation=f.cleaned_data["explanation"],
        )
        for f in _filled(questions)
    ]
    if "preview" in request.POST:
        preview = [{"title": s.title, "html": render_markdown(s.body)} for s in step_in]
        return _edit_page(request, playbook, form, steps, questions, preview=preview)
    try:
        services.update_playbook(
            playbook=playbook,
            title=form.cleaned_data["title"],
            summary=form.cleaned_data["summary"],
            steps=step_in,
            questions=question_in,
            by=request.user,
        )
    except ValidationError as error:
        problems = {"steps": "Steps", "questions": "Quiz"}
        for key, found in error.message_dict.items():
            for message in found:
                if key in ("title", "summary"):
                    form.add_error(key, message)
                else:
                    form.add_error(None, f"{problems.get(key, key)}: {message}")
        return _edit_page(request, playbook, form, steps, questions, status=400)
    messages.success(request, f"“{form.cleaned_data['title']}” is saved.")
    return redirect("coach:hr_playbooks")


def _edit_page(
    request: AuthedHttpRequest,
    playbook: Any,
    form: Any,
    steps: Any,
    questions: Any,
    *,
    preview: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "coach/playbooks/edit.html",
        {
            "playbook": playbook,
            "form": form,
            "steps": steps,
            "questions": questions,
            "preview": preview,
        },
        status=status,
    )


@login_required
@require_POST
def hr_publish(request: AuthedHttpRequest, slug: str) -> HttpResponse:
    require(request.user, "playbook.manage")
    playbook = queries.playbook_for(request.user, slug)
    published = request.POST.get("published") == "1"
    services.set_published(playbook=playbook, published=published, by=request.user)
    state = "published" if published else "unpublished: readers no longer see it"
    messages.success(request, f"“{playbook.title}” is {state}.")
    return redirect("coach:hr_playbooks")
