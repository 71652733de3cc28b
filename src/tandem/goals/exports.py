"""Goal exports: the goals a person may export, as CSV or XLSX, streamed.

Who may export which goals (their *reach*), always narrowed by the goal access scope, so a
private goal never reaches someone who may not see it:

- everyone: their own goals;
- managers: the goals of everyone in their subtree (private ones included: they may see them);
- HR partners: goals of the departments they are granted (sub-departments included);
- executives: every goal — the scope leaves them the public ones (and their own subtree's);
- HR admins: every goal.

The filters are the alignment tree's and the company goals page's: period (the current
one when not given), department (sub-departments included; a goal without a department of
its own counts in its owner's) and level; ``people=team`` keeps the goals of the people
below the viewer (the "My team's goals" page). Each export is audited as a sensitive read
with its filters and number of rows. An XLSX of more than `TANDEM_EXPORT_BACKGROUND_ROWS`
goals is prepared in the background (`tandem.exports`): its builder is `build_background`,
which runs the same reach and scope as the requester when the task runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import tzinfo
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.http import HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from tandem.access.rules import actor_for, scope
from tandem.audit.services import record
from tandem.core import exports
from tandem.core.http import AuthedHttpRequest
from tandem.exports import pages as export_pages
from tandem.exports import services as export_services
from tandem.exports.registry import Table
from tandem.goals import scoring
from tandem.goals.models import Goal, GoalLevel, GoalState, Health, Period
from tandem.goals.queries.goals import current_period
from tandem.goals.queries.tree import department_q
from tandem.org.models import Department, Person
from tandem.program.models import Program

CHUNK_SIZE = 2000
TEAM = "team"

HEADER = (
    "Goal id",
    "Title",
    "Level",
    "Owner",
    "Owner e-mail",
    "Department",
    "Period",
    "Parent goal id",
    "Parent goal",
    "Progress %",
    "Health",
    "Last check-in",
    "Churn",
    "State",
    "Score",
)

LEVEL_LABELS = dict(GoalLevel.choices)
HEALTH_LABELS = dict(Health.choices)
STATE_LABELS = dict(GoalState.choices)


class GoalExportForm(forms.Form):
    period = forms.ModelChoiceField(
        queryset=Period.objects.all(), required=False, label="Period", empty_label="Current period"
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.all(), required=False, label="Department"
    )
    level = forms.ChoiceField(
        choices=[("", "Every level"), *GoalLevel.choices], required=False, label="Level"
    )
    people = forms.ChoiceField(
        choices=[("", "Everyone I may export"), (TEAM, "The people below me")],
        required=False,
        label="Whose goals",
    )


@dataclass(frozen=True)
class GoalExportFilters:
    period: Period | None = None
    department: Department | None = None
    level: str = ""
    people: str = ""

    def as_audit(self) -> dict[str, Any]:
        return {
            "period": self.period.name if self.period else None,
            "department": self.department.name if self.department else None,
            "level": self.level or None,
            "people": self.people or None,
        }


def _reach(user: Any) -> Q | None:
    """The goals `user` may export before the visibility scope, or None for nothing."""
    actor = actor_for(user)
    if actor is None:
        return None
    if actor.is_hr_admin or actor.is_executive:
        return Q()
    me = actor.person
    reach = Q(owner_id=me.pk)
    if me.path:
        # The people under the user by their path index, as ids: as an OR across the
        # join to the owner, PostgreSQL hashed every person against every goal of the
        # period (an employee's export of one goal: 3 s to its first byte at 100k).
        under = Person.objects.filter(path__startswith=me.path).order_by().values("pk")
        reach = Q(owner_id__in=under)
    if actor.is_hr_partner:
        reach |= actor.partner_scope_q() | actor.partner_scope_q("owner__")
    return reach


def exportable_goals(user: Any, filters: GoalExportFilters) -> QuerySet[Goal]:
    """The goals `user` may export under `filters`, through the access scope, with the
    columns of the export and `parent_visible` (may the user see the parent goal?)."""
    reach = _reach(user)
    if reach is None or filters.period is None:
        return Goal.objects.none()
    # The walk in id order starts at the period's first goal (`goal_period_id_idx`): from
    # the start of the primary key, the export's cursor skipped every goal of the periods
    # before it (204,772 at 100k people, ~50 ms before the first row). Same rows.
    first_of_period = Goal.objects.filter(period=filters.period).order_by("pk").values("pk")[:1]
    goals = Goal.objects.filter(reach, period=filters.period, pk__gte=Subquery(first_of_period))
    if filters.department is not None:
        goals = goals.filter(department_q(filters.department))
    if filters.level:
        goals = goals.filter(level=filters.level)
    if filters.people == TEAM:
        path = user.path or ""
        goals = goals.filter(owner__path__startswith=path).exclude(owner_id=user.pk)
        if not path:
            goals = goals.none()
    # When the viewer's scope keeps every goal (HR admins), every parent is visible: no
    # subquery per row. Its estimated cost (311,000 index probes at 100k) pushed the plan
    # past PostgreSQL's JIT inlining and optimisation thresholds, compiled before the
    # first row (1.8-3.1 s to HR's first byte; docs/benchmarks.md).
    parent_visible: Any
    if scope(user, Goal.objects.all()).query.has_filters():
        parent_visible = Exists(scope(user, Goal.objects.filter(pk=OuterRef("parent_id"))))
    else:
        parent_visible = Value(True, output_field=BooleanField())
    return (
        scope(user, goals)
        .select_related("owner", "owner__department", "department", "period")
        .only(
            "id",
            "title",
            "level",
            "visibility",
            "progress",
            "health",
            "last_checkin_at",
            "churn",
            "state",
            "score",
            "parent_id",
            "owner__first_name",
            "owner__preferred_name",
            "owner__last_name",
            "owner__email",
            "owner__department__name",
            "department__name",
            "period__name",
        )
        .annotate(parent_visible=parent_visible, parent_title=F("parent__title"))
        .order_by("pk")
    )


def _percent(progress: Decimal | None) -> Decimal:
    return (Decimal(progress or 0) * 100).quantize(Decimal("0.1"))


def goal_rows(goals: QuerySet[Goal], *, tz: tzinfo, scale: str) -> Iterator[list[Any]]:
    """One list per goal, in HEADER's order, read 2,000 goals at a time."""
    for goal in exports.stream(goals, chunk_size=CHUNK_SIZE):
        owner = goal.owner
        department = goal.department or owner.department
        parent_shown = goal.parent_id is not None and goal.parent_visible  # type: ignore[attr-defined]
        yield [
            goal.pk,
            goal.title,
            LEVEL_LABELS.get(goal.level, goal.level),
            owner.display_name,
            owner.email,
            department.name if department is not None else "",
            goal.period.name,
            goal.parent_id if parent_shown else None,
            goal.parent_title if parent_shown else None,  # type: ignore[attr-defined]
            _percent(goal.progress),
            HEALTH_LABELS.get(goal.health, goal.health),
            goal.last_checkin_at.astimezone(tz).date().isoformat()
            if goal.last_checkin_at
            else None,
            goal.churn,
            STATE_LABELS.get(goal.state, goal.state),
            scoring.display(goal.score, scale),
        ]


def _filters_from(request: AuthedHttpRequest) -> GoalExportFilters | HttpResponseBase:
    form = GoalExportForm(request.GET)
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[name].label}: {' '.join(str(m) for m in messages)}"
            for name, messages in form.errors.items()
        )
        return HttpResponseBadRequest(
            f"The export was not made. {problems}", content_type="text/plain; charset=utf-8"
        )
    data = form.cleaned_data
    return GoalExportFilters(
        period=data.get("period") or current_period(),
        department=data.get("department"),
        level=data.get("level") or "",
        people=data.get("people") or "",
    )


def _params(filters: GoalExportFilters, tz: tzinfo) -> dict[str, Any]:
    """The filters as plain values, for an export prepared in the background."""
    return {
        "period": filters.period.pk if filters.period else None,
        "department": filters.department.pk if filters.department else None,
        "level": filters.level,
        "people": filters.people,
        "tz": str(tz),
    }


def build_background(person: Person, params: dict[str, Any]) -> Table:
    """The rows of a goals export prepared in the background, as `person` may export them
    now (`tandem.exports` runs it in its task)."""
    department_id = params.get("department")
    filters = GoalExportFilters(
        period=Period.objects.filter(pk=int(params.get("period") or 0)).first(),
        department=Department.objects.filter(pk=int(department_id)).first()
        if department_id
        else None,
        level=params.get("level") or "",
        people=params.get("people") or "",
    )
    goals = exportable_goals(person, filters)
    scale = Program.current().goal_scoring_scale
    rows = goal_rows(goals, tz=ZoneInfo(params.get("tz") or "UTC"), scale=scale)
    return Table(header=HEADER, rows=rows, sheet_title="Goals")


def _export(request: AuthedHttpRequest, kind: str) -> HttpResponseBase:
    filters = _filters_from(request)
    if isinstance(filters, HttpResponseBase):
        return filters
    goals = exportable_goals(request.user, filters)
    count = goals.count()
    tz = timezone.get_current_timezone()
    period_name = filters.period.name if filters.period else "no-period"
    filename = exports.export_filename("goals", period_name, extension=kind)
    if kind == "xlsx" and export_services.runs_in_background(count):
        if request.method != "POST":
            return export_pages.offer(request, title=f"Goals, {period_name}", rows=count)
        return export_pages.queued(
            request,
            export_services.request_export(
                by=request.user,
                source="goals",
                format=kind,
                params=_params(filters, tz),
                title=f"Goals, {period_name}",
                filename=filename,
                rows=count,
            ),
            rows=count,
        )
    program = Program.current()
    # The stream is read after the view returns: fix the viewer's time zone now.
    rows = goal_rows(goals, tz=tz, scale=program.goal_scoring_scale)
    record(
        actor=request.user,
        kind="goals.export",
        object_type="goals.goal",
        object_label=f"Goals export ({kind.upper()})",
        changes={"format": kind, **filters.as_audit(), "rows": count},
    )
    if kind == "xlsx":
        return exports.xlsx_response(
            filename=filename, header=HEADER, rows=rows, sheet_title="Goals"
        )
    return exports.csv_response(filename=filename, header=HEADER, rows=rows)


@login_required
@require_GET
def export_csv(request: AuthedHttpRequest) -> HttpResponseBase:
    """The goals the viewer may export, as CSV (see the module docstring for who sees what)."""
    return _export(request, "csv")


@login_required
@require_http_methods(["GET", "POST"])
def export_xlsx(request: AuthedHttpRequest) -> HttpResponseBase:
    """The same rows as the CSV export, as an Excel workbook; above the background threshold,
    a page offering to prepare it (GET) and the queued export (POST)."""
    return _export(request, "xlsx")
