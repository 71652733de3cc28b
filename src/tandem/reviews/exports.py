"""A cycle's progress and results as CSV or XLSX, streamed through `tandem.core.exports`
(cells that would start a formula are neutralised there).

- *Progress*: one row per participant the viewer follows (HR what they cover, a manager
  their subtree): name, e-mail, department and manager at launch, each relationship's
  state, nominations, shared, acknowledged, overdue reviews. Upward reviews are anonymous:
  while their phase is open the column says only "enough so far" or "not yet enough"
  (docs/anonymity.md), unless the program lets HR follow them.
- *Results* (HR only, `cycle.export_results`): one row per participant with the overall
  score, the final rating (calibration's once its session locked, else the manager's overall
  rating) with the rating before and the reason when calibration changed it, the score's
  components, and the manager's and the self review's rating and comment on
  every question. Only submitted (or shared, acknowledged) reviews are exported: a draft
  is not a result. Goal questions are exported as their comment and "g<id>=rating" pairs.

Both are audited as sensitive reads with their format and number of rows. An XLSX of more
than `TANDEM_EXPORT_BACKGROUND_ROWS` participants is prepared in the background
(`tandem.exports`, builder `build_background`, the same checks run as the requester then).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    JSONField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from tandem.access.rules import actor_for, require
from tandem.audit.services import record
from tandem.core import anonymity, exports
from tandem.core.http import AuthedHttpRequest
from tandem.exports import pages as export_pages
from tandem.exports import services as export_services
from tandem.exports.registry import Table
from tandem.program.models import Program
from tandem.reviews import framework, phases, rules, scores, versions
from tandem.reviews.models import (
    DONE_STATES,
    CalibrationState,
    Cycle,
    CycleForm,
    Participant,
    PhaseKind,
    QuestionKind,
    Relationship,
    Review,
    ReviewState,
)
from tandem.reviews.queries.progress import (
    cycle_for,
    followed_participants,
    overdue_relationships,
)

CHUNK = 2000
STATE_LABELS = dict(ReviewState.choices)
COUNTED = (Relationship.PEER, Relationship.UPWARD, Relationship.SKIP_LEVEL)

PROGRESS_HEADER = (
    "Name",
    "E-mail",
    "Department at launch",
    "Manager at launch",
    "Self review",
    "Manager review",
    "Peer reviews submitted",
    "Upward reviews submitted",
    "Skip-level reviews submitted",
    "Peer nominations",
    "Shared",
    "Acknowledged",
    "Overdue reviews",
)


def _state_of(relationship: str) -> Subquery:
    return Subquery(
        Review.objects.filter(participant=OuterRef("pk"), relationship=relationship)
        .order_by("pk")
        .values("state")[:1]
    )


def progress_rows_queryset(user: Any, cycle: Cycle, today: date | None = None) -> QuerySet[Any]:
    # The `<relationship>_total/_done` counts and the nominations are the participant's
    # progress counters (reviews.tally); open reviews of a closed phase are total - done.
    # For a viewer who may not follow upward reviews, late upward reviews are not counted
    # and the upward column says only "enough" or "not yet enough" while the phase is open
    # (answers counted to the start of today; docs/anonymity.md).
    hide_upward = rules.upward_states_hidden(actor_for(user), cycle)
    overdue: Any = Value(0)
    for relationship in overdue_relationships(cycle, today):
        if relationship == Relationship.UPWARD and hide_upward:
            continue
        overdue = overdue + F(f"{relationship}_total") - F(f"{relationship}_done")
    upward_early = Subquery(
        Review.objects.filter(
            participant=OuterRef("pk"),
            relationship=Relationship.UPWARD,
            state__in=DONE_STATES,
            submitted_at__lt=anonymity.counted_before(),
        )
        .order_by()
        .values("participant")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )
    return (
        followed_participants(user, cycle)
        .select_related("person")
        .annotate(
            upward_early=Coalesce(upward_early, 0),
            self_state=_state_of(Relationship.SELF),
            manager_state=_state_of(Relationship.MANAGER),
            nominations_count=ExpressionWrapper(
                F("peers_approved") + F("peers_proposed"), output_field=IntegerField()
            ),
            overdue_count=ExpressionWrapper(overdue, output_field=IntegerField()),
        )
        .order_by("pk")
    )


@dataclass(frozen=True)
class UpwardColumn:
    """How the upward column reads for one viewer: counts, or only enough / not yet."""

    hidden: bool  # the viewer may not follow upward reviews and their phase is open
    minimum: int


def upward_column(user: Any, cycle: Cycle, today: date | None = None) -> UpwardColumn:
    phase = phases.phases_of(cycle).get(PhaseKind.PEER)
    open_now = phases.window_state(phase, today) != "closed"
    return UpwardColumn(
        hidden=open_now and rules.upward_states_hidden(actor_for(user), cycle),
        minimum=anonymity.group_minimum(Program.current().anonymity_minimum),
    )


def _counted(p: Any, relationship: str, upward: UpwardColumn) -> str:
    total = getattr(p, f"{relationship}_total")
    if relationship == Relationship.UPWARD and upward.hidden:
        if not total:
            return "none"
        return "enough so far" if p.upward_early >= upward.minimum else "not yet enough"
    return f"{getattr(p, f'{relationship}_done')} of {total}"


def progress_rows(participants: QuerySet[Any], upward: UpwardColumn) -> Iterator[list[Any]]:
    for p in exports.stream(participants, chunk_size=CHUNK):
        yield [
            p.person.display_name,
            p.person.email,
            p.department_name,
            p.manager_name,
            STATE_LABELS.get(p.self_state, "None"),
            STATE_LABELS.get(p.manager_state, "None"),
            *(_counted(p, r, upward) for r in COUNTED),
            p.nominations_count or 0,
            p.shared_at is not None,
            p.acknowledged_at is not None,
            p.overdue_count,
        ]


# --- Results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    relationship: str
    question: str
    item: str | None  # an item key, or None for the question itself
    part: str  # "rating", "comment" or "goals"
    title: str
    # The manager review's overall rating: "the rating" the rating of record stands for.
    overall: bool = False


def result_columns(cycle: Cycle) -> list[Column]:
    """One or two columns per question of the manager and the self templates, in order."""
    forms = {
        form.relationship: form.version.content
        for form in CycleForm.objects.filter(
            cycle=cycle, relationship__in=[Relationship.MANAGER, Relationship.SELF]
        ).select_related("version")
        if form.version is not None
    }
    columns: list[Column] = []
    for relationship, who in ((Relationship.MANAGER, "Manager"), (Relationship.SELF, "Self")):
        content = forms.get(relationship)
        if content is None:
            continue
        for q in versions.questions(content):
            prompt, key, rated = q["prompt"], q["key"], bool(q.get("scale"))
            kind = q["kind"]
            if kind == QuestionKind.GOALS and rated:
                columns.append(Column(relationship, key, None, "goals", f"{who}: {prompt} — goals"))
            elif framework.is_framework_question(q) and rated:
                # Each person is rated on their own framework's competencies: one cell of
                # "competency key=rating" pairs, like goals, rather than a column per key.
                title = f"{who}: {prompt} — competencies (key=rating)"
                columns.append(Column(relationship, key, None, "goals", title))
            elif q.get("items") and rated:
                for item in q["items"]:
                    columns.append(
                        Column(
                            relationship,
                            key,
                            item["key"],
                            "rating",
                            f"{who}: {prompt} — {item['name']} — rating",
                        )
                    )
            elif rated:
                columns.append(
                    Column(
                        relationship,
                        key,
                        None,
                        "rating",
                        f"{who}: {prompt} — rating",
                        overall=relationship == Relationship.MANAGER and bool(q.get("is_overall")),
                    )
                )
            if kind == QuestionKind.TEXT or q.get("allow_comment", True):
                title = (
                    f"{who}: {prompt}"
                    if kind == QuestionKind.TEXT
                    else f"{who}: {prompt} — comment"
                )
                columns.append(Column(relationship, key, None, "comment", title))
    return columns


def _cell(answers: dict[str, Any] | None, column: Column) -> Any:
    if not answers:
        return None
    answer = answers.get(column.question) or {}
    if column.part == "comment":
        return answer.get("comment") or None
    if column.part == "goals":
        items = answer.get("items") or {}
        pairs = [f"{k}={v.get('rating')}" for k, v in items.items() if v.get("rating") is not None]
        return "; ".join(pairs) or None
    if column.item is not None:
        return ((answer.get("items") or {}).get(column.item) or {}).get("rating")
    return answer.get("rating")


# The rating of record: calibration's final rating once its session locked, else the
# manager's overall rating; with the rating before and the reason when calibration changed it.
RECORD_HEADER = ("Final rating", "Calibrated from", "Calibration reason")


def _record_cells(p: Participant, answers: Any, overall: Column | None) -> list[Any]:
    if p.calibration_state == CalibrationState.LOCKED and p.final_rating is not None:
        return [p.final_rating, p.calibrated_from, p.calibration_reason or None]
    return [_cell(answers, overall) if overall is not None else None, None, None]


def results_header(columns: list[Column]) -> list[str]:
    components = [f"{scores.LABELS[name]} (0–100)" for name in scores.COMPONENTS]
    return [
        "Name",
        "E-mail",
        "Department at launch",
        "Manager at launch",
        "Overall score (0–100)",
        *RECORD_HEADER,
        *components,
        *(column.title for column in columns),
    ]


def _answers_of(relationship: str) -> Subquery:
    # The latest submitted (or shared, acknowledged) review of this relationship.
    return Subquery(
        Review.objects.filter(
            participant=OuterRef("pk"), relationship=relationship, state__in=DONE_STATES
        )
        .order_by("-pk")
        .values("answers")[:1],
        output_field=JSONField(),
    )


def results_queryset(participants: QuerySet[Participant]) -> QuerySet[Participant]:
    """The participants with their manager's and their own submitted answers, as two
    subqueries of one query: read through one cursor, the export runs the same number of
    queries for 50 participants or 95,000 (a keyset page and a look-up per 500 rows ran
    392 at 95,000)."""
    return participants.annotate(
        manager_answers=_answers_of(Relationship.MANAGER),
        self_answers=_answers_of(Relationship.SELF),
    ).order_by("pk")


def results_rows(participants: QuerySet[Participant], columns: list[Column]) -> Iterator[list[Any]]:
    """One list per participant, in `results_header` order, 2,000 rows per fetch (read
    through `exports.stream`, so the first rows leave before the last are computed)."""
    overall = next((c for c in columns if c.overall), None)
    for p in exports.stream(results_queryset(participants), chunk_size=CHUNK):
        parts = (p.score_parts or {}).get("components") or {}
        answers: dict[str, Any] = {
            Relationship.MANAGER: p.manager_answers,  # type: ignore[attr-defined]
            Relationship.SELF: p.self_answers,  # type: ignore[attr-defined]
        }
        yield [
            p.person.display_name,
            p.person.email,
            p.department_name,
            p.manager_name,
            p.overall_score,
            *_record_cells(p, p.manager_answers, overall),  # type: ignore[attr-defined]
            *((parts.get(name) or {}).get("value") for name in scores.COMPONENTS),
            *(_cell(answers.get(c.relationship), c) for c in columns),
        ]


# --- Views -----------------------------------------------------------------------------------


def _respond(kind: str, *, cycle: Cycle, what: str, header: Any, rows: Any) -> HttpResponseBase:
    filename = exports.export_filename(cycle.name, what, extension=kind)
    if kind == "xlsx":
        return exports.xlsx_response(
            filename=filename, header=header, rows=rows, sheet_title=what.capitalize()
        )
    return exports.csv_response(filename=filename, header=header, rows=rows)


def _table(user: Any, cycle: Cycle, what: str, today: date) -> Table:
    """The header and rows of `what` ("progress" or "results") as `user` may export them."""
    if what == "results":
        require(user, "cycle.export_results", cycle)
        participants = followed_participants(user, cycle).select_related("person")
        columns = result_columns(cycle)
        return Table(
            header=results_header(columns),
            rows=results_rows(participants, columns),
            sheet_title="Results",
        )
    return Table(
        header=PROGRESS_HEADER,
        rows=progress_rows(
            progress_rows_queryset(user, cycle, today), upward_column(user, cycle, today)
        ),
        sheet_title="Progress",
    )


def build_background(person: Any, params: dict[str, Any]) -> Table:
    """A cycle export prepared in the background (`tandem.exports` runs it in its task), with
    the same checks as the immediate one, for `person` now: 404 when they lost the right."""
    cycle = cycle_for(person, int(params["cycle"]))
    today = timezone.localdate(timezone=ZoneInfo(params.get("tz") or "UTC"))
    return _table(person, cycle, str(params["what"]), today)


def _export(request: AuthedHttpRequest, cycle_id: int, kind: str, what: str) -> HttpResponseBase:
    cycle = cycle_for(request.user, cycle_id)
    today = timezone.localdate()
    table = _table(request.user, cycle, what, today)
    count = followed_participants(request.user, cycle).count()
    if kind == "xlsx" and export_services.runs_in_background(count):
        if request.method != "POST":
            return export_pages.offer(request, title=f"{cycle.name}, {what}", rows=count)
        export = export_services.request_export(
            by=request.user,
            source="reviews.cycle",
            format=kind,
            params={"cycle": cycle.pk, "what": what, "tz": str(timezone.get_current_timezone())},
            title=f"{cycle.name}, {what}",
            filename=exports.export_filename(cycle.name, what, extension=kind),
            rows=count,
        )
        return export_pages.queued(request, export, rows=count)
    record(
        actor=request.user,
        kind=f"review.export_{what}",
        obj=cycle,
        changes={"format": kind, "rows": count},
    )
    return _respond(kind, cycle=cycle, what=what, header=table.header, rows=table.rows)


@login_required
@require_GET
def progress_csv(request: AuthedHttpRequest, cycle_id: int) -> HttpResponseBase:
    return _export(request, cycle_id, "csv", "progress")


@login_required
@require_http_methods(["GET", "POST"])
def progress_xlsx(request: AuthedHttpRequest, cycle_id: int) -> HttpResponseBase:
    return _export(request, cycle_id, "xlsx", "progress")


@login_required
@require_GET
def results_csv(request: AuthedHttpRequest, cycle_id: int) -> HttpResponseBase:
    return _export(request, cycle_id, "csv", "results")


@login_required
@require_http_methods(["GET", "POST"])
def results_xlsx(request: AuthedHttpRequest, cycle_id: int) -> HttpResponseBase:
    return _export(request, cycle_id, "xlsx", "results")
