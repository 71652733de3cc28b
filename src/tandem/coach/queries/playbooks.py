"""Reads of playbooks: the list with my progress, one playbook's page, the hints other
features show in context (the review form, the team hub), and HR's completion per manager.

Who counts as a *new manager*: someone with at least one current report whose first
reporting line to them (org's `ReportingLine`, kept for every change of manager and for
every person created) started within the last `NEW_MANAGER_DAYS` days, as counted in the
viewer's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from tandem.access.rules import Actor, actor_for, scope
from tandem.coach.models import (
    Playbook,
    PlaybookPath,
    PlaybookPathItem,
    PlaybookProgress,
    PlaybookQuestion,
    PlaybookStep,
)
from tandem.core.pagination import BadCursor, decode_text_cursor, encode_cursor
from tandem.org.models import Person, PersonStatus, ReportingLine

NEW_MANAGER_DAYS = 90
NEW_MANAGER_PATH = "first-weeks-as-a-manager"
FAIR_REVIEW = "writing-a-fair-review"
FIRST_ONE_ON_ONE = "running-a-first-one-on-one"
COMPLETION_PAGE = 50

__all__ = ["BadCursor"]


@dataclass
class Progress:
    """Where one person stands on one playbook."""

    playbook: Playbook
    steps_total: int
    steps_done: frozenset[int] = frozenset()
    quiz_passed: bool = False
    started: bool = False
    completed_at: datetime | None = None

    @property
    def done_count(self) -> int:
        return len(self.steps_done)

    @property
    def completed(self) -> bool:
        return self.completed_at is not None

    @property
    def state(self) -> str:
        if self.completed:
            return "Completed"
        return "In progress" if self.started else "Not started"


@dataclass
class PathView:
    path: PlaybookPath
    items: list[Progress]

    @property
    def completed_count(self) -> int:
        return sum(1 for item in self.items if item.completed)

    @property
    def next(self) -> Progress | None:
        return next((item for item in self.items if not item.completed), None)


@dataclass
class PlaybookList:
    items: list[Progress]
    path: PathView | None
    new_manager: bool


@dataclass
class PlaybookPage:
    progress: Progress
    steps: list[PlaybookStep]
    questions: list[PlaybookQuestion]


def playbooks(user: Any) -> QuerySet[Playbook]:
    """The playbooks `user` may read, in their order."""
    return scope(user, Playbook.objects.all()).order_by("ordering", "title", "id")


def playbook_for(user: Any, slug: str) -> Playbook:
    """One playbook by slug; a missing one and one the user may not read alike are 404."""
    found = playbooks(user).filter(slug=slug).first()
    if found is None:
        raise Http404
    return found


def _progress_rows(user: Any, playbook_ids: list[int]) -> dict[int, PlaybookProgress]:
    rows = scope(user, PlaybookProgress.objects.filter(playbook_id__in=playbook_ids))
    return {row.playbook_id: row for row in rows.filter(person_id=user.pk)}


def _progress(playbook: Playbook, total: int, row: PlaybookProgress | None) -> Progress:
    if row is None:
        return Progress(playbook=playbook, steps_total=total)
    done = frozenset(int(n) for n in row.steps_done if 1 <= int(n) <= total)
    return Progress(
        playbook=playbook,
        steps_total=total,
        steps_done=done,
        quiz_passed=row.quiz_passed,
        started=True,
        completed_at=row.completed_at,
    )


def managing_since(person: Person) -> date | None:
    """The day `person`'s first report started reporting to them, while they still have a
    report; None for someone without reports. One query."""
    first = (
        ReportingLine.objects.filter(manager_id=OuterRef("pk"))
        .order_by()
        .values("manager_id")
        .annotate(first=Min("start_date"))
        .values("first")
    )
    reports = Person.objects.filter(manager_id=OuterRef("pk")).exclude(status=PersonStatus.LEFT)
    row = (
        Person.objects.filter(pk=person.pk)
        .annotate(first=Subquery(first), current=Exists(reports))
        .values("first", "current")
        .first()
    )
    if row is None or not row["current"]:
        return None
    return row["first"]


def is_new_manager(person: Person, *, today: date | None = None) -> bool:
    """True for a manager whose first report arrived within the last 90 days (see the
    module's docstring)."""
    since = managing_since(person)
    if since is None:
        return False
    today = today or timezone.localdate()
    return since > today - timedelta(days=NEW_MANAGER_DAYS)


def _path_view(user: Any, progress: dict[int, Progress]) -> PathView | None:
    path = PlaybookPath.objects.filter(slug=NEW_MANAGER_PATH).first()
    if path is None:
        return None
    ids = list(path.items.order_by("position").values_list("playbook_id", flat=True))
    items = [progress[pk] for pk in ids if pk in progress]
    return PathView(path=path, items=items) if items else None


def playbook_list(user: Any, *, today: date | None = None) -> PlaybookList:
    """Every playbook I may read with my progress, and the new-manager path (first on the
    page for a new manager). A fixed number of queries."""
    found = list(playbooks(user).annotate(step_count=Count("steps")))
    rows = _progress_rows(user, [p.pk for p in found])
    progress = {p.pk: _progress(p, p.step_count, rows.get(p.pk)) for p in found}
    return PlaybookList(
        items=list(progress.values()),
        path=_path_view(user, progress),
        new_manager=is_new_manager(user, today=today),
    )


def playbook_page(user: Any, playbook: Playbook) -> PlaybookPage:
    steps = list(playbook.steps.order_by("position"))
    questions = list(playbook.questions.order_by("position"))
    row = _progress_rows(user, [playbook.pk]).get(playbook.pk)
    return PlaybookPage(
        progress=_progress(playbook, len(steps), row), steps=steps, questions=questions
    )


def playbook_progress(user: Any, playbook: Playbook) -> Progress:
    total = playbook.steps.count()
    return _progress(playbook, total, _progress_rows(user, [playbook.pk]).get(playbook.pk))


# --- In context ---------------------------------------------------------------------------


def unfinished_playbook(user: Any, slug: str) -> Playbook | None:
    """The published playbook `slug` while `user` has not completed it, for a feature to
    link in context ("Writing a fair review" on the review form); None once completed."""
    completed = PlaybookProgress.objects.filter(
        person_id=user.pk, playbook_id=OuterRef("pk"), completed_at__isnull=False
    )
    # One query: the review page's budget counts it (tests/reviews/test_writing_pages.py).
    return playbooks(user).filter(published=True, slug=slug).exclude(Exists(completed)).first()


@dataclass
class HubSuggestion:
    """What the team hub suggests to a new manager: the path and its next playbook."""

    path: PathView
    next: Progress


def hub_suggestion(user: Any, *, today: date | None = None) -> HubSuggestion | None:
    """For a new manager who has not finished the new-manager path: the path and its next
    playbook (the first 1:1 first); None for everyone else. Always two queries, new
    manager or not, so the hub's query count does not depend on who is new."""
    new = is_new_manager(user, today=today)
    done = PlaybookProgress.objects.filter(
        person_id=user.pk, playbook_id=OuterRef("playbook_id")
    ).values("completed_at")[:1]
    items = list(
        PlaybookPathItem.objects.filter(
            path__slug=NEW_MANAGER_PATH, playbook__in=playbooks(user).values("pk")
        )
        .select_related("path", "playbook")
        .annotate(step_count=Count("playbook__steps"), completed_at=Subquery(done))
        .order_by("position")
    )
    if not new or not items:
        return None
    path = PathView(
        path=items[0].path,
        items=[
            Progress(
                playbook=item.playbook,
                steps_total=item.step_count,
                started=item.completed_at is not None,
                completed_at=item.completed_at,
            )
            for item in items
        ],
    )
    following = path.next
    return HubSuggestion(path=path, next=following) if following else None


# --- HR: completion per manager -----------------------------------------------------------


@dataclass
class ManagerRow:
    person: Person
    started: int
    completed: int
    quiz_passed: int
    states: list[str] = field(default_factory=list)  # per playbook, in the columns' order


@dataclass
class CompletionPage:
    playbooks: list[Playbook]
    rows: list[ManagerRow]
    managers: int
    completed_by: list[tuple[Playbook, int]]  # managers in scope who completed each
    next_cursor: str | None


def _managers_in_scope(actor: Actor) -> QuerySet[Person]:
    reports = Person.objects.filter(manager_id=OuterRef("pk")).exclude(status=PersonStatus.LEFT)
    managers = Person.objects.exclude(status=PersonStatus.LEFT).filter(Exists(reports))
    if actor.is_hr_admin:
        return managers
    if actor.is_hr_partner:
        return managers.filter(actor.partner_scope_q())
    return managers.none()


def completion(user: Any, *, cursor: str | None = None) -> CompletionPage:
    """Per manager in HR's scope, 50 at a time by name: how many playbooks they started,
    completed and passed the quiz of, and each playbook's state; with the scope's totals.
    Counted in the database: four queries whatever the size.

    The page's managers are read first, by name, and only theirs are counted: counting
    every manager's progress before cutting the page grouped all ~16,800 managers of a
    100,000-person company (335 ms). The totals are one aggregate over the managers, each
    playbook's completions a hashed `IN` list (the few completed progress rows)."""
    actor = actor_for(user)
    if actor is None:
        raise Http404
    published = list(Playbook.objects.filter(published=True).order_by("ordering", "title", "id"))
    ids = [p.pk for p in published]
    managers = _managers_in_scope(actor)
    page = managers.order_by("sort_name", "id")
    if cursor:
        name, pk = decode_text_cursor(cursor, max_length=210)
        page = page.filter(Q(sort_name__gt=name) | Q(sort_name=name, id__gt=pk))
    people = list(page[: COMPLETION_PAGE + 1])
    more = len(people) > COMPLETION_PAGE
    people = people[:COMPLETION_PAGE]
    counts = _progress_counts([p.pk for p in people], ids)
    rows = []
    for person in people:
        found = counts.get(person.pk, {})
        rows.append(
            ManagerRow(
                person=person,
                started=found.get("n_started", 0),
                completed=found.get("n_completed", 0),
                quiz_passed=found.get("n_quiz", 0),
                states=[
                    "Completed"
                    if found.get(f"c_{pk}")
                    else ("In progress" if found.get(f"s_{pk}") else "Not started")
                    for pk in ids
                ],
            )
        )
    totals = _totals(managers, ids)
    last = people[-1] if people else None
    return CompletionPage(
        playbooks=published,
        rows=rows,
        managers=totals["managers"] or 0,
        completed_by=[(p, totals[f"done_{p.pk}"] or 0) for p in published],
        next_cursor=encode_cursor(last.sort_name, last.pk) if more and last else None,
    )


def _progress_counts(person_ids: list[int], playbook_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per person of `person_ids` (one page): progress rows on `playbook_ids` started,
    completed and with the quiz passed, and per playbook started (`s_<id>`) and completed
    (`c_<id>`). One grouped query over at most a page's rows."""
    if not person_ids or not playbook_ids:
        return {}
    completed = Q(completed_at__isnull=False)
    annotations: dict[str, Any] = {
        "n_started": Count("id"),
        "n_completed": Count("id", filter=completed),
        "n_quiz": Count("id", filter=Q(quiz_passed=True)),
    }
    for pk in playbook_ids:
        annotations[f"s_{pk}"] = Count("id", filter=Q(playbook_id=pk))
        annotations[f"c_{pk}"] = Count("id", filter=Q(playbook_id=pk) & completed)
    rows = (
        PlaybookProgress.objects.filter(person_id__in=person_ids, playbook_id__in=playbook_ids)
        .order_by()
        .values("person_id")
        .annotate(**annotations)
    )
    return {row.pop("person_id"): row for row in rows}


def _totals(managers: QuerySet[Person], playbook_ids: list[int]) -> dict[str, Any]:
    """How many managers are in scope and, per playbook, how many of them completed it: one
    aggregate. A join to the progress rows would repeat each manager once per row (and
    need a DISTINCT count); `id IN (the playbook's completed readers)` is hashed once."""
    return managers.aggregate(
        managers=Count("id"),
        **{
            f"done_{pk}": Count(
                "id",
                filter=Q(
                    id__in=PlaybookProgress.objects.filter(
                        playbook_id=pk, completed_at__isnull=False
                    ).values("person_id")
                ),
            )
            for pk in playbook_ids
        },
    )
