"""Reads of promotions: the windows, a window's cases side by side (the committee view), a
case with its evidence packet, as the viewer may see them.

The evidence packet is assembled live, each part through the app that owns it and as the
VIEWER may read it: the competency profile against the target level (growth's profile),
the person's goals of the last year (goals), the feedback and praise they received that the
viewer may read (feedback: a case never shows private feedback its reader could not open
elsewhere), their shared reviews the viewer may read (reviews) and their time at level. Each
list is capped, so the packet costs the same number of queries for everyone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tandem.access.rules import NotAllowed, can, require, scope
from tandem.fairness.queries import outcomes
from tandem.feedback.queries import received
from tandem.goals.queries.goals import goals_for
from tandem.growth.models import (
    CaseComment,
    CaseStatus,
    Level,
    LevelChange,
    Outcome,
    Placement,
    PromotionCase,
    PromotionWindow,
    Track,
)
from tandem.growth.queries import profile
from tandem.reviews.queries.summaries import ReviewSummary, shared_reviews_of

EVIDENCE_LIMIT = 20
GOALS_SINCE_DAYS = 365
HISTORY_LIMIT = 10


# --- Windows ----------------------------------------------------------------------------------


def windows(user: Any) -> QuerySet[PromotionWindow]:
    """Every window the viewer sees (all of them: names and dates), newest first."""
    return scope(user, PromotionWindow.objects.all()).order_by("-opens_on", "-pk")


def window_for(user: Any, window_id: int) -> PromotionWindow:
    found = windows(user).filter(pk=window_id).first()
    if found is None:
        raise Http404("No such promotion window.")
    return found


def reviewable_window(user: Any, window_id: int) -> PromotionWindow:
    """The window, for its committee and HR admins; 404 for anyone else."""
    found = window_for(user, window_id)
    require(user, "growth.promotion_window.review", found)
    return found


def accepts_cases(window: PromotionWindow, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return window.closed_at is None and window.opens_on <= today <= window.cases_due_on


def open_windows(user: Any, today: date | None = None) -> list[PromotionWindow]:
    """The windows cases may be opened in today."""
    today = today or timezone.localdate()
    return list(windows(user).filter(closed_at=None, opens_on__lte=today, cases_due_on__gte=today))


def reviewable_window_ids(user: Any, window_ids: list[int]) -> set[int]:
    """Which of these windows the viewer reads side by side (HR admins: all; else the
    windows they sit on the committee of), in at most one query."""
    if can(user, "growth.promotions.manage"):
        return set(window_ids)
    return set(
        PromotionWindow.committee.through.objects.filter(
            person_id=user.pk, promotionwindow_id__in=window_ids
        ).values_list("promotionwindow_id", flat=True)
    )


def committee_of(window: PromotionWindow) -> list[Any]:
    return list(window.committee.order_by("sort_name", "pk"))


# --- Cases ------------------------------------------------------------------------------------


def _cases(user: Any) -> QuerySet[PromotionCase]:
    return scope(user, PromotionCase.objects.all()).select_related(
        "window",
        "person",
        "author",
        "from_level",
        "target_level__track",
        "decided_by",
    )


def cases(user: Any, *, window_id: int | None = None) -> QuerySet[PromotionCase]:
    """The cases the viewer may see, newest window first."""
    found = _cases(user)
    if window_id is not None:
        found = found.filter(window_id=window_id)
    return found.order_by("-window__opens_on", "window_id", "pk")


def my_cases(user: Any, *, limit: int = 50) -> list[PromotionCase]:
    """Cases the viewer wrote or that are about them (once decided), for their list."""
    return list(cases(user).filter(Q(author_id=user.pk) | Q(person_id=user.pk))[:limit])


def case_for(user: Any, case_id: int) -> PromotionCase:
    found = _cases(user).filter(pk=case_id).first()
    if found is None or not can(user, "growth.promotion_case.view", found):
        raise Http404("No such promotion case.")
    return found


def comments(case: PromotionCase) -> list[CaseComment]:
    return list(case.comments.select_related("author").order_by("created_at", "pk"))


def placement_of(person: Any) -> Placement | None:
    return Placement.objects.select_related("track", "level__track").filter(person=person).first()


def target_levels(person: Any) -> list[Level]:
    """The levels of the person's track above their current one."""
    placement = placement_of(person)
    if placement is None:
        return []
    return list(
        Level.objects.filter(
            track_id=placement.track_id, position__gt=placement.level.position
        ).order_by("position", "pk")
    )


def level_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Every level, grouped by track, for a menu (the service checks the person's track)."""
    grouped: dict[str, list[tuple[int, str]]] = {}
    for level in Level.objects.select_related("track").order_by(
        "track__position", "track__name", "position", "pk"
    ):
        grouped.setdefault(level.track.name, []).append((level.pk, f"{level.code} {level.title}"))
    return list(grouped.items())


def level_by_id(level_id: int | None) -> Level | None:
    if level_id is None:
        return None
    return Level.objects.select_related("track").filter(pk=level_id).first()


# --- The committee view ------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    track: int | None = None
    level: int | None = None
    status: str = ""

    @property
    def any(self) -> bool:
        return bool(self.track or self.level or self.status)


@dataclass(frozen=True)
class CaseRow:
    """One case of the committee view, as plain values: a window has hundreds of cases and
    the page shows a handful of fields of each (no model instances to build)."""

    pk: int
    person: str
    title: str
    department: str
    from_level: str
    author: str
    status: str
    status_label: str
    outcome: str
    outcome_label: str
    effective_on: date | None


@dataclass
class Group:
    track: str
    level: str
    code: str = ""
    cases: list[CaseRow] = field(default_factory=list)


@dataclass
class CommitteeView:
    groups: list[Group]
    counts: dict[str, int]
    outcomes: dict[str, int]
    total: int
    shown: int


def _name(first: str | None, preferred: str | None, last: str | None) -> str:
    """Person.display_name from the columns."""
    return f"{preferred or first or ''} {last or ''}".strip()


ROW_COLUMNS = (
    "pk",
    "status",
    "outcome",
    "effective_on",
    "person__first_name",
    "person__preferred_name",
    "person__last_name",
    "person__title",
    "person__department__name",
    "author__first_name",
    "author__preferred_name",
    "author__last_name",
    "from_level__code",
    "target_level__code",
    "target_level__title",
    "target_level__track__name",
)


def committee_view(user: Any, window: PromotionWindow, filters: Filters) -> CommitteeView:
    """Every case of the window side by side, grouped by track and target level, with the
    counts per status of the whole window: three queries at any size (no evidence here)."""
    require(user, "growth.promotion_window.review", window)
    every = PromotionCase.objects.filter(window=window)
    counts = Counter(
        {
            row["status"]: row["n"]
            for row in every.values("status").annotate(n=Count("pk")).order_by()
        }
    )
    outcomes = Counter(
        {
            row["outcome"]: row["n"]
            for row in every.exclude(outcome="")
            .values("outcome")
            .annotate(n=Count("pk"))
            .order_by()
        }
    )
    rows = every
    if filters.track:
        rows = rows.filter(target_level__track_id=filters.track)
    if filters.level:
        rows = rows.filter(target_level_id=filters.level)
    if filters.status:
        rows = rows.filter(status=filters.status)
    ordered = rows.order_by(
        "target_level__track__position",
        "target_level__track__name",
        "target_level__position",
        "person__sort_name",
        "pk",
    ).values_list(*ROW_COLUMNS)
    status_labels = dict(CaseStatus.choices)
    outcome_labels = dict(Outcome.choices)
    groups: list[Group] = []
    shown = 0
    for (
        pk,
        status,
        outcome,
        effective_on,
        first,
        preferred,
        last,
        title,
        department,
        author_first,
        author_preferred,
        author_last,
        from_code,
        level_code,
        level_title,
        track,
    ) in ordered:
        if not groups or groups[-1].code != level_code or groups[-1].track != track:
            groups.append(Group(track=track, level=f"{level_code} {level_title}", code=level_code))
        groups[-1].cases.append(
            CaseRow(
                pk=pk,
                person=_name(first, preferred, last),
                title=title or "",
                department=department or "",
                from_level=from_code or "",
                author=_name(author_first, author_preferred, author_last),
                status=status,
                status_label=status_labels.get(status, status),
                outcome=outcome,
                outcome_label=outcome_labels.get(outcome, outcome),
                effective_on=effective_on,
            )
        )
        shown += 1
    return CommitteeView(
        groups=groups,
        counts={status: counts.get(status, 0) for status in CaseStatus.values},
        outcomes=dict(outcomes),
        total=sum(counts.values()),
        shown=shown,
    )


def filter_options() -> tuple[list[Track], list[Level]]:
    return (
        list(Track.objects.order_by("position", "name")),
        list(Level.objects.select_related("track").order_by("track__position", "position")),
    )


# --- The evidence packet ---------------------------------------------------------------------


@dataclass
class Evidence:
    profile: list[profile.CompetencyRow]
    profile_note: str
    goals: list[Any]
    feedback: list[Any]
    feedback_total: int
    praise: int
    reviews: list[ReviewSummary]
    placement: Placement | None
    days_at_level: int | None
    history: list[LevelChange]


def _profile(viewer: Any, case: PromotionCase) -> tuple[list[profile.CompetencyRow], str]:
    try:
        rows = profile.competency_profile(viewer, case.person, level=case.target_level)
    except (NotAllowed, Http404):
        return [], "You may not read this person's competency ratings."
    if not rows:
        return [], "No competency of this track has been rated yet."
    return rows, ""


def evidence(viewer: Any, case: PromotionCase, today: date | None = None) -> Evidence:
    """The case's evidence packet as `viewer` may read it (see the module docstring)."""
    require(viewer, "growth.promotion_case.evidence", case)
    today = today or timezone.localdate()
    person = case.person
    rows, note = _profile(viewer, case)
    since = today - timedelta(days=GOALS_SINCE_DAYS)
    goals = list(
        goals_for(viewer, person=person)
        .filter(period__end_date__gte=since, period__start_date__lte=today)
        .select_related("period")
        .order_by("-period__end_date", "title", "pk")[:EVIDENCE_LIMIT]
    )
    visible = received(viewer, person)
    feedback = list(visible.select_related("giver").order_by("-created_at", "-pk")[:EVIDENCE_LIMIT])
    tally = visible.aggregate(total=Count("pk"), praise=Count("pk", filter=Q(visibility="public")))
    placement = placement_of(person)
    history = list(
        LevelChange.objects.filter(person=person)
        .select_related("from_level__track", "to_level__track")
        .order_by("-effective_on", "-pk")[:HISTORY_LIMIT]
    )
    return Evidence(
        profile=rows,
        profile_note=note,
        goals=goals,
        feedback=feedback,
        feedback_total=tally["total"] or 0,
        praise=tally["praise"] or 0,
        reviews=shared_reviews_of(viewer, person),
        placement=placement,
        days_at_level=(today - placement.since).days if placement else None,
        history=history,
    )


# --- Promotion fairness ------------------------------------------------------------------------


def decided_cases(window: PromotionWindow) -> QuerySet[PromotionCase]:
    """The window's decided cases: the people a promotion rate counts."""
    return PromotionCase.objects.filter(window=window, status=CaseStatus.DECIDED)


def promotion_fairness(
    user: Any, window: PromotionWindow, *, attribute: Any, department: Any = None
) -> Any:
    """The promotion rate per group of `attribute` among the window's decided cases, with
    fairness's suppression and differencing rules (people analysts only)."""
    require(user, "fairness.view")
    return outcomes.rate_figures(
        user,
        decided_cases(window),
        person_field="person",
        outcome_field="outcome",
        yes=Outcome.PROMOTED,
        attribute=attribute,
        department=department,
    )


def fairness_window(user: Any, window_id: int) -> PromotionWindow:
    """The window, for a reader of fairness figures; 404 (NotAllowed) for anyone else."""
    require(user, "fairness.view")
    return window_for(user, window_id)
