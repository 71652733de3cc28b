"""HR setup pages for review cycles: scales, templates, cycles, launch and participants.

HR admins only: `queries.setup` answers everyone else with a 404. Thin: forms parse,
`services.setup` / `services.cycles` write, and a service's ValidationError lands on the
field it names with nothing saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.access.rules import require
from tandem.core.forms import show_errors
from tandem.core.http import AuthedHttpRequest
from tandem.program.models import Program
from tandem.reviews import defaults, purpose
from tandem.reviews.forms.setup import (
    AddParticipantForm,
    CycleBasicsForm,
    CycleFormsForm,
    CycleNewForm,
    CycleRulesForm,
    CycleSettingsForm,
    LaunchForm,
    MoveForm,
    PhasesForm,
    QuestionForm,
    ReasonForm,
    ReassignForm,
    ScaleForm,
    SearchForm,
    SectionForm,
    TemplateForm,
)
from tandem.reviews.models import (
    Cycle,
    CycleStatus,
    ItemsSource,
    Phase,
    Relationship,
    Template,
    TemplateSection,
    UseFor,
)
from tandem.reviews.queries import setup as queries
from tandem.reviews.services import cycles as cycle_services
from tandem.reviews.services import setup as setup_services
from tandem.reviews.services import starter

GET_POST = require_http_methods(["GET", "POST"])


def _first_error(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        for errors in error.message_dict.values():
            return errors[0]
    return error.messages[0]


# --- Overview -----------------------------------------------------------------------------------


@login_required
@require_GET
def admin(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request,
        "reviews/setup/admin.html",
        {"cycles": list(queries.cycles(request.user)[:200])},
    )


# --- Scales -------------------------------------------------------------------------------------


@login_required
@require_GET
def scales(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request, "reviews/setup/scales.html", {"scales": list(queries.scales(request.user))}
    )


def _save_scale(request: AuthedHttpRequest, form: ScaleForm, scale: Any) -> Any:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        if scale is None:
            return setup_services.create_scale(
                by=request.user,
                name=data["name"],
                description=data["description"],
                points=form.points(),
            )
        return setup_services.update_scale(
            scale,
            by=request.user,
            name=data["name"],
            description=data["description"],
            points=form.points(),
        )
    except ValidationError as error:
        show_errors(form, error)
    return None


@login_required
@GET_POST
def scale_new(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "reviews.manage")
    form = ScaleForm(request.POST or None)
    if request.method == "POST" and _save_scale(request, form, None) is not None:
        messages.success(request, "The scale is saved.")
        return redirect("reviews:scales")
    return render(request, "reviews/setup/scale_form.html", {"form": form, "scale": None})


@login_required
@GET_POST
def scale_edit(request: AuthedHttpRequest, scale_id: int) -> HttpResponse:
    scale = queries.scale_for(request.user, scale_id)
    if request.method == "POST":
        form = ScaleForm(request.POST)
        if _save_scale(request, form, scale) is not None:
            messages.success(
                request, "The scale is saved. Cycles already running keep the old one."
            )
            return redirect("reviews:scales")
    else:
        form = ScaleForm(initial=ScaleForm.initial_for(scale))
    return render(request, "reviews/setup/scale_form.html", {"form": form, "scale": scale})


@login_required
@require_POST
def scale_archive(request: AuthedHttpRequest, scale_id: int) -> HttpResponse:
    scale = queries.scale_for(request.user, scale_id)
    setup_services.archive_scale(scale, by=request.user)
    messages.success(request, f"“{scale.name}” is archived; new questions cannot pick it.")
    return redirect("reviews:scales")


# --- Templates ----------------------------------------------------------------------------------


@login_required
@require_GET
def templates(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request,
        "reviews/setup/templates.html",
        {"templates": list(queries.templates(request.user))},
    )


@login_required
@GET_POST
def template_new(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "reviews.manage")
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = setup_services.create_template(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "The template is created; add its sections and questions.")
            return redirect("reviews:template_edit", template.pk)
    return render(request, "reviews/setup/template_new.html", {"form": form})


def _editor(request: AuthedHttpRequest, template: Template, **extra: Any) -> HttpResponse:
    sections = queries.template_sections(template)
    section_forms = {
        section.pk: SectionForm(
            initial={"title": section.title, "description": section.description},
            prefix=f"s{section.pk}",
        )
        for section in sections
    }
    if "section_errors" in extra:
        section_id, bound = extra.pop("section_errors")
        section_forms[section_id] = bound
    context = {
        "template": template,
        "form": TemplateForm(
            initial={
                "name": template.name,
                "relationship": template.relationship,
                "description": template.description,
            }
        ),
        "sections": [(section, section_forms[section.pk]) for section in sections],
        "new_section": SectionForm(prefix="new"),
        "history": queries.version_history(template),
        **extra,
    }
    return render(request, "reviews/setup/template_edit.html", context)


@login_required
@GET_POST
def template_edit(request: AuthedHttpRequest, template_id: int) -> HttpResponse:
    template = queries.template_for(request.user, template_id)
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            try:
                setup_services.update_template(template, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, "Saved. Cycles already launched keep their version.")
                return redirect("reviews:template_edit", template.pk)
        return _editor(request, template, form=form)
    return _editor(request, template)


@login_required
@require_POST
def template_duplicate(request: AuthedHttpRequest, template_id: int) -> HttpResponse:
    template = queries.template_for(request.user, template_id)
    copy = setup_services.duplicate_template(template, by=request.user)
    messages.success(request, f"“{copy.name}” is a copy you can change freely.")
    return redirect("reviews:template_edit", copy.pk)


@login_required
@require_POST
def template_archive(request: AuthedHttpRequest, template_id: int) -> HttpResponse:
    template = queries.template_for(request.user, template_id)
    setup_services.archive_template(template, by=request.user)
    messages.success(request, f"“{template.name}” is archived; new cycles cannot pick it.")
    return redirect("reviews:templates")


@login_required
@require_POST
def template_section_add(request: AuthedHttpRequest, template_id: int) -> HttpResponse:
    template = queries.template_for(request.user, template_id)
    form = SectionForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            setup_services.add_section(template, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            return redirect("reviews:template_edit", template.pk)
    return _editor(request, template, new_section=form)


@login_required
@require_POST
def template_section_edit(request: AuthedHttpRequest, section_id: int) -> HttpResponse:
    section = queries.section_for(request.user, section_id)
    form = SectionForm(request.POST, prefix=f"s{section.pk}")
    if form.is_valid():
        try:
            setup_services.update_section(section, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            return redirect("reviews:template_edit", section.template_id)
    return _editor(request, section.template, section_errors=(section.pk, form))


@login_required
@require_POST
def template_section_delete(request: AuthedHttpRequest, section_id: int) -> HttpResponse:
    section = queries.section_for(request.user, section_id)
    setup_services.delete_section(section, by=request.user)
    messages.success(request, f"The section “{section.title}” is deleted.")
    return redirect("reviews:template_edit", section.template_id)


@login_required
@require_POST
def template_section_move(request: AuthedHttpRequest, section_id: int) -> HttpResponse:
    section = queries.section_for(request.user, section_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        setup_services.move_section(section, by=request.user, **form.cleaned_data)
    return redirect("reviews:template_edit", section.template_id)


def _question_page(
    request: AuthedHttpRequest, form: QuestionForm, section: TemplateSection, question: Any
) -> HttpResponse:
    return render(
        request,
        "reviews/setup/question_form.html",
        {"form": form, "section": section, "template": section.template, "question": question},
    )


def _question_fields(form: QuestionForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["items"] = form.parsed_items()
    from_framework = data.pop("from_framework", False)
    data["items_source"] = ItemsSource.FRAMEWORK if from_framework else ItemsSource.LISTED
    return data


@login_required
@GET_POST
def template_question_add(request: AuthedHttpRequest, section_id: int) -> HttpResponse:
    section = queries.section_for(request.user, section_id)
    form = QuestionForm(request.POST or None, scales=queries.scale_choices())
    if request.method == "POST" and form.is_valid():
        try:
            setup_services.add_question(section, by=request.user, **_question_fields(form))
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "The question is added.")
            return redirect("reviews:template_edit", section.template_id)
    return _question_page(request, form, section, None)


@login_required
@GET_POST
def template_question_edit(request: AuthedHttpRequest, question_id: int) -> HttpResponse:
    question = queries.question_for(request.user, question_id)
    scales_ = queries.scale_choices(question.scale)
    if request.method == "POST":
        form = QuestionForm(request.POST, scales=scales_)
        if form.is_valid():
            try:
                setup_services.update_question(question, by=request.user, **_question_fields(form))
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, "The question is saved.")
                return redirect("reviews:template_edit", question.section.template_id)
    else:
        form = QuestionForm(
            scales=scales_,
            initial={
                "kind": question.kind,
                "prompt": question.prompt,
                "help_text": question.help_text,
                "required": question.required,
                "scale": QuestionForm.scale_initial(question.kind, question.scale),
                "allow_comment": question.allow_comment,
                "items": QuestionForm.items_text(question.items or []),
                "from_framework": question.items_source == ItemsSource.FRAMEWORK,
                "is_overall": question.is_overall,
            },
        )
    return _question_page(request, form, question.section, question)


@login_required
@require_POST
def template_question_delete(request: AuthedHttpRequest, question_id: int) -> HttpResponse:
    question = queries.question_for(request.user, question_id)
    template_id = question.section.template_id
    setup_services.delete_question(question, by=request.user)
    messages.success(request, "The question is deleted.")
    return redirect("reviews:template_edit", template_id)


@login_required
@require_POST
def template_question_move(request: AuthedHttpRequest, question_id: int) -> HttpResponse:
    question = queries.question_for(request.user, question_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        setup_services.move_question(question, by=request.user, **form.cleaned_data)
    return redirect("reviews:template_edit", question.section.template_id)


# --- Cycles -------------------------------------------------------------------------------------


@login_required
@GET_POST
def cycle_new(request: AuthedHttpRequest) -> HttpResponse:
    """A draft cycle as the program would run it (`reviews.defaults`): HR names it, gives its
    review period and the day its first phase opens; the rest is the program's."""
    require(request.user, "reviews.manage")
    form = CycleNewForm(
        request.POST or None, initial=defaults.new_cycle_initial(timezone.localdate())
    )
    if request.method == "POST" and form.is_valid():
        try:
            cycle = cycle_services.create_cycle_from_program(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request,
                "The cycle is created as a draft, as the program says. Check it below; "
                "nothing reaches anyone until you launch it.",
            )
            return redirect("reviews:cycle_setup", cycle.pk)
    program = Program.current()
    taking_part = defaults.relationships(program)
    return render(
        request,
        "reviews/setup/cycle_new.html",
        {
            "form": form,
            "program": program,
            "kinds": [Relationship(r).label for r in taking_part],
            "templates": cycle_services.default_templates(taking_part),
            "use_for": UseFor(defaults.use_for(program)).label,
            "kit_missing": starter.missing(program),
        },
    )


@login_required
@require_POST
def starter_kit(request: AuthedHttpRequest) -> HttpResponse:
    """The starter kit's scale and templates, each only if missing (`services.starter`)."""
    require(request.user, "reviews.manage")
    kit = starter.create_starter_kit(by=request.user)
    if kit.created:
        messages.success(
            request,
            f"Created: {', '.join(kit.created)}. Change any of them freely before launching.",
        )
    else:
        messages.info(request, "The starter kit's scale and templates are all there already.")
    return redirect("reviews:cycle_new")


SETTINGS_FIELDS = list(CycleSettingsForm.base_fields)


def _cycle_forms(cycle: Cycle, data: Any = None) -> dict[str, forms.Form]:
    """The parts of the cycle page, bound to `data` (a POST) or showing the cycle. A
    launched cycle has no people or templates part: those are frozen."""
    parts: dict[str, forms.Form] = {
        "basics": CycleBasicsForm(
            data,
            initial={
                "name": cycle.name,
                "description": cycle.description,
                "period_start": cycle.period_start,
                "period_end": cycle.period_end,
            },
            prefix="basics",
        ),
    }
    if not cycle.is_launched:
        current = {form.relationship: str(form.template_id) for form in queries.cycle_forms(cycle)}
        parts["people"] = CycleRulesForm(
            data, initial=CycleRulesForm.initial_for(cycle), prefix="people"
        )
        parts["forms"] = CycleFormsForm(
            data, templates=queries.templates_by_relationship(), initial=current, prefix="forms"
        )
    parts["settings"] = CycleSettingsForm(
        data, initial={name: getattr(cycle, name) for name in SETTINGS_FIELDS}, prefix="settings"
    )
    if cycle.status != CycleStatus.CLOSED:
        parts["phases"] = PhasesForm(
            data,
            initial=PhasesForm.initial_for(list(Phase.objects.filter(cycle=cycle))),
            prefix="phases",
        )
    return parts


# Where a service's message about something that is not a field of the page goes.
PART_OF = {"weights": "settings", "forms": "forms", "phases": "phases"}


def _save_cycle(request: AuthedHttpRequest, cycle: Cycle, parts: dict[str, forms.Form]) -> bool:
    """Save every part of the page, or none: the page is one form with one Save button, so
    a change in one part is never lost because another part was saved. Each part's errors
    are shown on it, with everything typed kept."""
    valid = [form.is_valid() for form in parts.values()]  # every part, so each shows its errors
    if not all(valid):
        return False
    chosen = parts.get("forms")
    dated = parts.get("phases")
    try:
        cycle_services.save_setup(
            cycle,
            by=request.user,
            settings={**parts["basics"].cleaned_data, **parts["settings"].cleaned_data},
            rules=parts["people"].cleaned_data if "people" in parts else None,
            forms=chosen.chosen() if isinstance(chosen, CycleFormsForm) else None,
            dates=dated.dates() if isinstance(dated, PhasesForm) else None,
        )
    except ValidationError as error:
        _show_on_parts(error, parts)
        return False
    return True


def _show_on_parts(error: ValidationError, parts: dict[str, forms.Form]) -> None:
    """Each message beside the field it names, in whichever part has it."""
    if not hasattr(error, "error_dict"):
        show_errors(parts["basics"], error)
        return
    for name, messages_ in error.message_dict.items():
        holder = next((form for form in parts.values() if name in form.fields), None)
        if holder is not None:
            holder.add_error(name, messages_)
        else:
            parts.get(PART_OF.get(name, ""), parts["basics"]).add_error(None, messages_)


@login_required
@GET_POST
def cycle_edit(request: AuthedHttpRequest, cycle_id: int) -> HttpResponse:
    cycle = queries.cycle_for(request.user, cycle_id)
    parts = _cycle_forms(cycle, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if _save_cycle(request, cycle, parts):
            messages.success(request, "The cycle's set-up is saved.")
            return redirect("reviews:cycle_setup", cycle.pk)
        cycle.refresh_from_db()
    phases_form = parts.get("phases")
    return render(
        request,
        "reviews/setup/cycle_edit.html",
        {
            "cycle": cycle,
            "forms": parts,
            "phase_rows": phases_form.rows() if isinstance(phases_form, PhasesForm) else [],
            "launched": cycle.is_launched,
            "failed": request.method == "POST",
            "program_days": Program.current().review_phase_days,
        },
    )


def _setup_context(cycle: Cycle) -> dict[str, Any]:
    draft = cycle.status == CycleStatus.DRAFT
    phases = list(Phase.objects.filter(cycle=cycle).order_by("opens_on", "id"))
    cycle_forms = queries.cycle_forms(cycle)
    problems = cycle_services.launch_problems(cycle) if draft else {}
    return {
        "cycle": cycle,
        "cycle_forms": cycle_forms,
        "phases": phases,
        "preview": cycle_services.preview_participants(cycle) if draft else None,
        "problems": problems,
        "checklist": checklist(cycle, problems) if draft else [],
        "departures": defaults.departures(
            cycle,
            Program.current(),
            taking_part={form.relationship for form in cycle_forms},
            phases=phases,
        )
        if not cycle.is_imported
        else [],
        "percent": _percent(cycle),
        "used_for": purpose.used_for(cycle, phases=phases),
        "calibration_step": purpose.has_calibration_step(cycle, phases=phases),
    }


# The launch checklist: each step, the problems of `launch_problems` it gathers, and where
# on the set-up page (or which page) it is fixed.
CHECKLIST = (
    ("Name, review period and settings", None, "settings"),
    ("Templates for each kind of review", ("forms", "questions", "score"), "forms"),
    ("Phase dates", ("phases",), "phases"),
    ("Who takes part", ("participants",), "people"),
)


@dataclass(frozen=True)
class Step:
    label: str
    done: bool
    problems: list[str]
    url: str


def checklist(cycle: Cycle, problems: dict[str, str]) -> list[Step]:
    """What a launch needs, step by step: done, or what is missing with a link to where it
    is fixed. Every problem lands in exactly one step (settings takes the rest)."""
    edit = reverse("reviews:cycle_edit", args=[cycle.pk])
    claimed = {field for _, fields, _ in CHECKLIST if fields for field in fields}
    steps = []
    for label, fields, anchor in CHECKLIST:
        found = [
            message
            for field, message in problems.items()
            if (field in fields if fields else field not in claimed)
        ]
        url = f"{edit}#{anchor}"
        if fields and "questions" in fields and "forms" not in problems and found:
            url = reverse("reviews:templates")
        steps.append(Step(label=label, done=not found, problems=found, url=url))
    return steps


def _percent(cycle: Cycle) -> int:
    if not cycle.launch_total:
        return 0
    return min(100, cycle.launch_done * 100 // cycle.launch_total)


@login_required
@require_GET
def cycle_setup(request: AuthedHttpRequest, cycle_id: int) -> HttpResponse:
    cycle = queries.cycle_for(request.user, cycle_id)
    return render(request, "reviews/setup/cycle_setup.html", _setup_context(cycle))


@login_required
@GET_POST
def cycle_launch(request: AuthedHttpRequest, cycle_id: int) -> HttpResponse:
    """GET: what launching would do (people, reviews, who is told and how, who has never
    signed in), or what is missing first. POST: the confirmed launch; refused when the
    numbers confirmed are no longer today's."""
    cycle = queries.cycle_for(request.user, cycle_id)
    if cycle.status != CycleStatus.DRAFT:
        return redirect("reviews:cycle_setup", cycle.pk)
    if request.method == "POST":
        return _launch_confirmed(request, cycle)
    problems = cycle_services.launch_problems(cycle)
    preview = cycle_services.launch_preview(cycle)
    return render(
        request,
        "reviews/setup/launch_confirm.html",
        {
            "cycle": cycle,
            "problems": problems,
            "checklist": checklist(cycle, problems),
            "preview": preview,
            "others": max(0, preview.reviewers - len(preview.names)),
            "reviews": [
                (Relationship(relationship).label, count)
                for relationship, count in preview.reviews.items()
            ],
            "peers": cycle.forms.filter(relationship=Relationship.PEER).exists(),
            "form": LaunchForm(
                initial={"people": preview.people, "reviews": preview.total_reviews}
            ),
            "invitation_days": settings.INVITATION_TIMEOUT // 86400,
        },
    )


def _launch_confirmed(request: AuthedHttpRequest, cycle: Cycle) -> HttpResponse:
    again = redirect("reviews:cycle_launch", cycle.pk)
    form = LaunchForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not launched: check what launching does below, then confirm.")
        return again
    preview = cycle_services.launch_preview(cycle)
    confirmed = (form.cleaned_data["people"], form.cleaned_data["reviews"])
    if confirmed != (preview.people, preview.total_reviews):
        messages.error(
            request,
            f"Not launched: the cycle now has {preview.people} people and "
            f"{preview.total_reviews} reviews, not the {confirmed[0]} and {confirmed[1]} you "
            "confirmed (someone changed it or the people data meanwhile). Check below and "
            "confirm again.",
        )
        return again
    try:
        cycle_services.launch_cycle(cycle, by=request.user)
    except ValidationError as error:
        messages.error(request, f"Not launched: {_first_error(error)}")
        return again
    messages.success(request, "The launch has started; this page shows its progress.")
    return redirect("reviews:cycle_setup", cycle.pk)


@login_required
@require_GET
def cycle_launch_progress(request: AuthedHttpRequest, cycle_id: int) -> HttpResponse:
    cycle = queries.cycle_for(request.user, cycle_id)
    return render(
        request,
        "reviews/setup/_launch_progress.html",
        {"cycle": cycle, "percent": _percent(cycle)},
    )


@login_required
@GET_POST
def cycle_phases(request: AuthedHttpRequest, cycle_id: int) -> HttpResponse:
    cycle = queries.cycle_for(request.user, cycle_id)
    phases = list(Phase.objects.filter(cycle=cycle))
    if request.method == "POST":
        form = PhasesForm(request.POST)
        if form.is_valid():
            try:
                cycle_services.set_phases(cycle, by=request.user, dates=form.dates())
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, "The phase dates are saved.")
                return redirect("reviews:cycle_setup", cycle.pk)
    else:
        form = PhasesForm(initial=PhasesForm.initial_for(phases))
    return render(request, "reviews/setup/phases.html", {"cycle": cycle, "form": form})


@login_required
@require_POST
def cycle_close(request: AuthedHttpRequest, cycle_id: int) -> HttpResponse:
    cycle = queries.cycle_for(request.user, cycle_id)
    try:
        cycle_services.close_cycle(cycle, by=request.user)
    except ValidationError as error:
        messages.error(request, _first_error(error))
    else:
        messages.success(request, f"“{cycle.name}” is finished.")
    return redirect("reviews:cycle_setup", cycle.pk)


# --- Participants ---------------------------------------------------------------------------


def _participants_page(
    request: AuthedHttpRequest, cycle: Cycle, *, add_form: Any = None, status: int = 200
) -> HttpResponse:
    search = SearchForm(request.GET)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    cursor = request.GET.get("cursor") or None
    bad_cursor = None
    try:
        page = queries.participants_page(request.user, cycle, q=q, cursor=cursor)
    except queries.BadCursor as error:
        bad_cursor = str(error)
        page = queries.participants_page(request.user, cycle, q=q)
        cursor = None
    base = reverse("reviews:cycle_participants", args=[cycle.pk])
    query = f"{urlencode({'q': q})}&" if q else ""
    return render(
        request,
        "reviews/setup/participants.html",
        {
            "cycle": cycle,
            "page": page,
            "search": search,
            "q": q,
            "bad_cursor": bad_cursor,
            "next_url": f"{base}?{query}cursor={page.next_cursor}" if page.next_cursor else "",
            "first_url": f"{base}?{query}".rstrip("?&") if cursor else "",
            "add_form": add_form or AddParticipantForm(),
        },
        status=status,
    )


@login_required
@require_GET
def cycle_participants(request: AuthedHttpRequest, cycle_id: int) -> HttpResponse:
    cycle = queries.cycle_for(request.user, cycle_id)
    return _participants_page(request, cycle)


@login_required
@require_POST
def participant_add(request: AuthedHttpRequest, cycle_id: int) -> HttpResponse:
    cycle = queries.cycle_for(request.user, cycle_id)
    form = AddParticipantForm(request.POST)
    if form.is_valid():
        person = form.cleaned_data["email"]
        try:
            cycle_services.add_participant(
                cycle, person, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{person} now takes part, with their reviews.")
            return redirect("reviews:cycle_participants", cycle.pk)
    return _participants_page(request, cycle, add_form=form)


@login_required
@require_POST
def participant_remove(request: AuthedHttpRequest, participant_id: int) -> HttpResponse:
    participant = queries.participant_for(request.user, participant_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not removed: give a reason; it is kept in the audit log.")
    else:
        try:
            cycle_services.remove_participant(
                participant, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, f"Not removed: {_first_error(error)}")
        else:
            messages.success(request, f"{participant.person} no longer takes part.")
    return redirect("reviews:cycle_participants", participant.cycle_id)


@login_required
@require_POST
def participant_reassign(request: AuthedHttpRequest, participant_id: int) -> HttpResponse:
    participant = queries.participant_for(request.user, participant_id)
    form = ReassignForm(request.POST)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"Not handed on: {label}: {errors[0]}")
    else:
        try:
            cycle_services.reassign_manager_review(
                participant,
                form.cleaned_data["email"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, f"Not handed on: {_first_error(error)}")
        else:
            messages.success(
                request,
                f"{form.cleaned_data['email']} now writes {participant.person}'s manager review.",
            )
    return redirect("reviews:cycle_participants", participant.cycle_id)
