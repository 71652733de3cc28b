"""Review cycles over the API: templates (HR admins), cycles with their phases and plain-words
settings, the people reviewed, and progress figures. Read-only."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router

from tandem.access.rules import NotAllowed, can, require, scope
from tandem.core import pagination
from tandem.core.api import ERRORS, MAX_ID
from tandem.org.queries import SORT_NAME_LENGTH
from tandem.program.models import Program
from tandem.reviews import phases, purpose, versions
from tandem.reviews.api.common import (
    NOT_FOUND,
    after_id,
    bad_query,
    cycle_for,
    id_page,
    participant_for,
    participants_out,
)
from tandem.reviews.models import (
    Cycle,
    CycleForm,
    CycleStatus,
    Participant,
    PhaseKind,
    Relationship,
    ScoreMethod,
    Template,
    TemplateQuestion,
    TemplateSection,
    TemplateVersion,
    UseFor,
)
from tandem.reviews.queries import progress as progress_queries
from tandem.reviews.schemas import (
    CycleDetailOut,
    CycleFilters,
    CyclePageOut,
    ManagerProgressFilters,
    ManagerProgressPageOut,
    ParticipantFilters,
    ParticipantOut,
    ParticipantPageOut,
    ProgressOut,
    TemplateDetailOut,
    TemplateFilters,
    TemplatePageOut,
)

router = Router(tags=["reviews"])


# --- Plain words -----------------------------------------------------------------------------


def _relationship_words(cycle: Cycle, relationship: str) -> str:
    hr = "HR" if not cycle.peer_names_hidden_from_hr else "HR (without the writer's name)"
    reviewee_reads = (
        "the person reviewed reads them once the reviews are shared"
        + (", without the writer's name" if cycle.peers_anonymous_to_reviewee else "")
        if cycle.reviewee_sees_peer_reviews
        else "the person reviewed does not read them"
    )
    words = {
        Relationship.SELF: "Self reviews are read by the person who wrote them, their managers "
        "and HR.",
        Relationship.MANAGER: "Manager reviews are read by the managers above the writer and "
        "HR, and by the person reviewed once the manager shares them.",
        Relationship.PEER: f"Peer reviews are read by the person's managers (with the peer's "
        f"name) and {hr}; {reviewee_reads}.",
        Relationship.UPWARD: "Upward reviews are anonymous: the manager reviewed and their "
        "managers read the answers only per question, shuffled, once the phase has closed "
        "and enough people answered — never who wrote what. "
        + (
            "HR may also read each upward review one by one"
            + (
                ", without the writer's name."
                if cycle.peer_names_hidden_from_hr
                else ", with the writer's name."
            )
            if Program.current().hr_reads_upward_reviews
            else "HR reads them the same way and never sees who wrote what."
        ),
        Relationship.SKIP_LEVEL: "Skip-level reviews are read by the person's managers and HR; "
        + (
            "the person reviewed reads them once the reviews are shared."
            if cycle.reviewee_sees_peer_reviews
            else "the person reviewed does not read them."
        ),
    }
    return words[Relationship(relationship)]


def who_reads(cycle: Cycle, relationships: list[str]) -> list[str]:
    """Who reads what and what it is used for, one sentence each, for the relationships."""
    return [
        purpose.used_for(cycle, relationships=relationships),
        *(_relationship_words(cycle, r) for r in relationships),
    ]


# --- Templates -------------------------------------------------------------------------------


def _versions_prefetch() -> Prefetch:
    return Prefetch(
        "versions",
        queryset=TemplateVersion.objects.only("pk", "template_id", "number", "created_at").order_by(
            "-number"
        ),
    )


def _template_out(template: Template) -> dict[str, Any]:
    return {
        "id": template.pk,
        "name": template.name,
        "relationship": template.relationship,
        "description": template.description,
        "archived_at": template.archived_at,
        "updated_at": template.updated_at,
        "versions": [
            {"id": v.pk, "number": v.number, "created_at": v.created_at}
            for v in template.versions.all()
        ],
    }


def _question_out(question: TemplateQuestion) -> dict[str, Any]:
    scale = question.scale
    return {
        "id": question.pk,
        "position": question.position,
        **versions.question_settings(question),
        "scale": None
        if scale is None
        else {"id": scale.pk, "name": scale.name, "points": list(scale.points)},
        "items": list(question.items or []),
        "items_source": question.items_source,
    }


def _templates(request: HttpRequest) -> QuerySet[Template]:
    require(request.user, "reviews.manage")
    return scope(request.user, Template.objects.all())


@router.get(
    "/reviews/templates",
    response={200: TemplatePageOut, **NOT_FOUND},
    summary="Review templates with their frozen versions (HR admins)",
)
def list_review_templates(request: HttpRequest, filters: Query[TemplateFilters]) -> dict[str, Any]:
    templates = _templates(request)
    if filters.relationship:
        templates = templates.filter(relationship=filters.relationship)
    if not filters.archived:
        templates = templates.filter(archived_at__isnull=True)
    after = after_id(filters.cursor)
    if after is not None:
        templates = templates.filter(pk__gt=after)
    rows = list(
        templates.prefetch_related(_versions_prefetch()).order_by("pk")[: filters.limit + 1]
    )
    rows, following = id_page(rows, filters.limit)
    return {"items": [_template_out(t) for t in rows], "next_cursor": following}


@router.get(
    "/reviews/templates/{template_id}",
    response={200: TemplateDetailOut, **NOT_FOUND},
    summary="One review template: its sections, questions and versions (HR admins)",
)
def get_review_template(request: HttpRequest, template_id: int) -> dict[str, Any]:
    template = (
        _templates(request)
        .filter(pk=min(template_id, MAX_ID))
        .prefetch_related(
            _versions_prefetch(),
            Prefetch(
                "sections",
                queryset=TemplateSection.objects.order_by("position", "pk").prefetch_related(
                    Prefetch(
                        "questions",
                        queryset=TemplateQuestion.objects.select_related("scale").order_by(
                            "position", "pk"
                        ),
                    )
                ),
            ),
        )
        .first()
    )
    if template is None:
        raise NotAllowed("template not found")
    return {
        **_template_out(template),
        "sections": [
            {
                "id": s.pk,
                "position": s.position,
                "title": s.title,
                "description": s.description,
                "questions": [_question_out(q) for q in s.questions.all()],
            }
            for s in template.sections.all()
        ],
    }


# --- Cycles ----------------------------------------------------------------------------------


def _cycle_out(cycle: Cycle) -> dict[str, Any]:
    return {
        "id": cycle.pk,
        "name": cycle.name,
        "description": cycle.description,
        "period_start": cycle.period_start,
        "period_end": cycle.period_end,
        "status": cycle.status,
        "status_label": CycleStatus(cycle.status).label,
        "use_for": cycle.use_for,
        "use_for_label": UseFor(cycle.use_for).label,
        "launched_at": cycle.launched_at,
        "closed_at": cycle.closed_at,
    }


@router.get(
    "/reviews/cycles",
    response={200: CyclePageOut, **ERRORS},
    summary="Review cycles, newest first (drafts for HR admins only)",
)
def list_review_cycles(request: HttpRequest, filters: Query[CycleFilters]) -> dict[str, Any]:
    cycles = scope(request.user, Cycle.objects.all())
    if filters.status:
        cycles = cycles.filter(status=filters.status)
    after = after_id(filters.cursor)
    if after is not None:
        cycles = cycles.filter(pk__lt=after)
    rows = list(cycles.order_by("-pk")[: filters.limit + 1])
    rows, following = id_page(rows, filters.limit)
    return {"items": [_cycle_out(c) for c in rows], "next_cursor": following}


@router.get(
    "/reviews/cycles/{cycle_id}",
    response={200: CycleDetailOut, **NOT_FOUND},
    summary="One cycle: phases, forms, settings, score weights and who reads what",
)
def get_review_cycle(request: HttpRequest, cycle_id: int) -> dict[str, Any]:
    cycle = cycle_for(request, cycle_id)
    forms = sorted(
        CycleForm.objects.filter(cycle=cycle).select_related("template", "version"),
        key=lambda f: list(Relationship.values).index(f.relationship),
    )
    found = phases.phases_of(cycle)
    ordered = [found[kind] for kind in (k.value for k in PhaseKind) if kind in found]
    current = phases.current_phase(cycle) if cycle.status == CycleStatus.ACTIVE else None
    return {
        **_cycle_out(cycle),
        "forms": [
            {
                "relationship": form.relationship,
                "label": Relationship(form.relationship).label,
                "template": {"id": form.template_id, "name": form.template.name},
                "version": form.version.number if form.version else None,
            }
            for form in forms
        ],
        "phases": [
            {
                "kind": phase.kind,
                "label": PhaseKind(phase.kind).label,
                "opens_on": phase.opens_on,
                "due_on": phase.due_on,
                "window": phases.window_state(phase),
            }
            for phase in ordered
        ],
        "current_phase": current.kind if current else None,
        "settings": {
            "peers_anonymous_to_reviewee": cycle.peers_anonymous_to_reviewee,
            "peer_names_hidden_from_hr": cycle.peer_names_hidden_from_hr,
            "reviewee_sees_peer_reviews": cycle.reviewee_sees_peer_reviews,
            "peers_min": cycle.peers_min,
            "peers_max": cycle.peers_max,
            "peer_review_cap": cycle.peer_review_cap,
            "release_on": cycle.release_on,
            "released_at": cycle.released_at,
        },
        "scores": {
            "method": cycle.score_method,
            "label": ScoreMethod(cycle.score_method).label,
            "weights": cycle.weights(),
        },
        "who_reads": who_reads(cycle, [f.relationship for f in forms]),
        "launch": {
            "total": cycle.launch_total,
            "done": cycle.launch_done,
            "error": cycle.launch_error,
        }
        if can(request.user, "reviews.manage")
        else None,
    }


# --- Participants ----------------------------------------------------------------------------


@router.get(
    "/reviews/cycles/{cycle_id}/participants",
    response={200: ParticipantPageOut, **NOT_FOUND},
    summary="People reviewed in a cycle that you may follow, in name order",
)
def list_cycle_participants(
    request: HttpRequest, cycle_id: int, filters: Query[ParticipantFilters]
) -> dict[str, Any]:
    """Yourself, the people below you (in the reporting tree at launch or now) and, for HR,
    the departments you look after; each with their launch snapshot and how many of their
    reviews are in each state."""
    cycle = cycle_for(request, cycle_id)
    participants = scope(request.user, Participant.objects.filter(cycle=cycle))
    if not filters.removed:
        participants = participants.filter(removed_at__isnull=True)
    if filters.manager is not None:
        participants = participants.filter(manager_id=filters.manager)
    if filters.department is not None:
        participants = participants.filter(department_id=filters.department)
    if filters.cursor:
        try:
            sort_name, pk = pagination.decode_text_cursor(
                filters.cursor, max_length=SORT_NAME_LENGTH
            )
        except pagination.BadCursor as bad:
            raise bad_query("cursor", str(bad)) from None
        participants = participants.filter(
            Q(person__sort_name__gt=sort_name) | Q(person__sort_name=sort_name, pk__gt=pk)
        )
    rows = list(
        participants.select_related("person", "department").order_by("person__sort_name", "pk")[
            : filters.limit + 1
        ]
    )
    following = None
    if len(rows) > filters.limit:
        rows = rows[: filters.limit]
        following = pagination.encode_cursor(rows[-1].person.sort_name, rows[-1].pk)
    return {"items": participants_out(request.user, rows, cycle=cycle), "next_cursor": following}


@router.get(
    "/reviews/participants/{participant_id}",
    response={200: ParticipantOut, **NOT_FOUND},
    summary="One person reviewed in a cycle, as they were at launch",
)
def get_review_participant(request: HttpRequest, participant_id: int) -> dict[str, Any]:
    return participants_out(request.user, [participant_for(request, participant_id)])[0]


# --- Progress --------------------------------------------------------------------------------


def _group_out(group: progress_queries.GroupFigure) -> dict[str, Any]:
    return {
        "id": group.key or None,
        "name": group.name,
        "people": group.people,
        "shared": group.shared,
        "total": group.total,
        "done": group.done,
        "manager_total": group.manager_total,
        "manager_done": group.manager_done,
        "percent": group.percent,
    }


def _figure_out(figure: progress_queries.PhaseFigure) -> dict[str, Any]:
    hidden = figure.counts_hidden
    return {
        "key": figure.key,
        "label": figure.label,
        "phase": figure.phase_kind or None,
        "window": figure.window,
        "due_on": figure.phase.due_on if figure.phase is not None else None,
        "total": figure.total,
        "done": None if hidden else figure.done,
        "in_progress": None if hidden else figure.in_progress,
        "not_started": None if hidden else figure.not_started,
        "overdue": None if hidden else figure.overdue,
        "waiting": 0 if hidden else figure.waiting,
        "waiting_label": figure.waiting_label,
        "percent": None if hidden else figure.percent,
        "counts_hidden": hidden,
    }


@router.get(
    "/reviews/cycles/{cycle_id}/progress",
    response={200: ProgressOut, **NOT_FOUND},
    summary="Completion by phase and by department (HR, and managers for their people)",
)
def get_cycle_progress(request: HttpRequest, cycle_id: int) -> dict[str, Any]:
    """The same figures as the progress page, over the same people: HR admins everyone, HR
    partners their departments, a manager everyone under them."""
    cycle = progress_queries.cycle_for(request.user, min(cycle_id, MAX_ID))
    progress, departments = progress_queries.completion_and_departments(request.user, cycle)
    return {
        "cycle": {"id": cycle.pk, "name": cycle.name},
        "current_phase": progress.current.kind if progress.current else None,
        "participants": progress.participants,
        "reviews_total": progress.reviews_total,
        "reviews_done": progress.reviews_done,
        "overdue": progress.overdue,
        "phases": [_figure_out(f) for f in progress.phases],
        "departments": [_group_out(g) for g in departments],
    }


@router.get(
    "/reviews/cycles/{cycle_id}/progress/managers",
    response={200: ManagerProgressPageOut, **NOT_FOUND},
    summary="Completion by manager at launch, in name order",
)
def list_cycle_progress_by_manager(
    request: HttpRequest, cycle_id: int, filters: Query[ManagerProgressFilters]
) -> dict[str, Any]:
    cycle = progress_queries.cycle_for(request.user, min(cycle_id, MAX_ID))
    try:
        page = progress_queries.by_manager(
            request.user, cycle, cursor=filters.cursor, limit=filters.limit
        )
    except pagination.BadCursor as bad:
        raise bad_query("cursor", str(bad)) from None
    return {"items": [_group_out(g) for g in page.rows], "next_cursor": page.next_cursor}
