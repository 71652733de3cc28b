"""The demo company's goals: last, current and next period, from the mission down to each
person's week.

Called by `tandem.org.demo.load_demo` inside its transaction once the people exist. Like
the org demo, everything is drawn in Python first — ids, alignment paths, key-result values
after each check-in, progress through `tandem.goals.progress` — and then written in bulk
(COPY on PostgreSQL, executemany on SQLite), so a 100,000-person company gets its goals
in a minute or two. The same seed and the same "today" always give the same goals.

What it draws:
- periods: the previous (closed: goals scored, reflections written, some carried over),
  the current and the next one, from the program's switches;
- company goals per period, owned by the CEO and the executives reporting to them;
- team goals for department heads and managers, cascading down the reporting tree; most
  align to a goal above, some deliberately do not;
- individual goals (GOALS_PER_PERSON per person), most aligned to their manager's team
  goal, some unaligned, a few private, a few bulk-assigned to a whole team;
- check-ins over the last CHECKIN_WEEKS weeks at each person's own rhythm, with values,
  health and confidence; some target changes after the period started (churn);
- weekly check-ins with priorities, most linked to a goal, done or not done.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone

from tandem.core.bulk import RowSink, next_id, reset_sequences
from tandem.goals import demo_content as content
from tandem.goals import progress as maths
from tandem.goals import tally
from tandem.goals.models import (
    CheckIn,
    Goal,
    GoalChange,
    GoalComment,
    GoalLevel,
    GoalState,
    Health,
    KeyResult,
    KeyResultKind,
    Milestone,
    Period,
    Priority,
    Visibility,
    WeeklyCheckIn,
)
from tandem.goals.services.goals import KEY_RESULT_FIELDS
from tandem.goals.services.periods import bounds
from tandem.org.demo import register_demo
from tandem.org.models import Department, Person, PersonStatus
from tandem.program.models import Program

Progress = Callable[[str, int, int], None]
T = TypeVar("T")

# Individual goals a person has in the current period (inclusive range). The benchmark
# raises it to reach ~5 goals a person.
GOALS_PER_PERSON = (2, 4)
PREVIOUS_GOALS_PER_PERSON = (1, 3)
CHECKIN_WEEKS = 12
ALIGNED_SHARE = 0.85  # individual goals aligned to a goal above
CROSS_TEAM_SHARE = 0.03  # aligned to another team's goal
PRIVATE_SHARE = 0.04
CHURN_SHARE = 0.08
CARRY_OVER_SHARE = 0.25  # of unfinished individual goals at the end of the previous period
ASSIGNED_TEAM_SHARE = 0.12  # managers who bulk-assigned one goal to their team
CHUNK = 20_000

DEMO_LOGINS = ("employee", "manager", "director", "exec")

ZERO = Decimal(0)
HUNDREDTH = Decimal("0.01")


# --- Writing in bulk ---------------------------------------------------------------------


class _Sink(RowSink):
    """Rows for one table, written CHUNK at a time; every row written counts in `counter`
    (the progress report's figure)."""

    def __init__(self, model: type[models.Model], names: Sequence[str], counter: list[int]):
        super().__init__(model, names, chunk=CHUNK)
        self.counter = counter

    def flushed(self, written: int) -> None:
        self.counter[0] += written


# --- The shape of the data ---------------------------------------------------------------


@dataclass
class _KR:
    id: int
    title: str
    kind: str
    unit: str
    start: Decimal
    target: Decimal
    stretch: Decimal | None
    current: Decimal
    weight: Decimal
    steps: list[str] = field(default_factory=list)
    step_ids: list[int] = field(default_factory=list)
    done_at: list[datetime | None] = field(default_factory=list)
    places: int = 0


@dataclass
class _Person:
    id: int
    manager: int | None
    department: int | None
    category: str
    active: bool
    on_leave: bool
    reports: list[int] = field(default_factory=list)
    rhythm: int = 2  # weeks between goal check-ins; 0 = never checks in
    weekly_share: float = 0.5  # share of weeks with a weekly check-in
    login: str = ""
    start: date = date.min


@dataclass
class _PeriodPlan:
    period: Period
    start: date
    end: date
    kind: str  # "previous", "current", "next"
    company: list[int] = field(default_factory=list)
    team: dict[int, list[int]] = field(default_factory=dict)  # owner → team goal ids
    individual: dict[int, list[int]] = field(default_factory=dict)  # owner → own goal ids


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def _number(value: float, places: int) -> Decimal:
    return Decimal(f"{value:.{places}f}")


def _places(start: float, target: float) -> int:
    span = abs(target - start)
    if isinstance(start, int) and isinstance(target, int) and span >= 10:
        return 0
    return 2 if span < 5 else 1


def _stretch(kind: str, start: float, target: float, places: int) -> Decimal | None:
    """A stretch a quarter of the way further than the target, kept inside what the
    quantity can be: never below zero when start and target are counts or amounts (latency
    from 40 down to 5 stretches to 4, not -4), never above 100 for a share of something
    that stays within 100 %. None when the target already sits on that bound."""
    low = 0.0 if min(start, target) >= 0 else None
    high = 100.0 if kind == KeyResultKind.PERCENTAGE and max(start, target) <= 100 else None
    value = target + (target - start) * 0.25
    bound = low if target < start else high
    if bound is not None and (value < bound if target < start else value > bound):
        value = target + (bound - target) * 0.25
    stretch = _number(value, places)
    if (stretch - _number(target, places)) * Decimal(str(target - start)) <= 0:
        return None
    return stretch


class _Generator:
    def __init__(self, *, seed: int, today: date, progress: Progress) -> None:
        self.rng = random.Random(f"goals-{seed}")  # noqa: S311 (demo data, not secrets)
        self.random = self.rng.random
        self.today = today
        now = timezone.now()
        self.now = now if today >= timezone.localdate() else _at(today, 18)
        self.report = progress
        self.written = [0]
        self.ids: dict[type[models.Model], int] = {
            model: next_id(model)
            for model in (
                Goal,
                KeyResult,
                Milestone,
                CheckIn,
                GoalChange,
                GoalComment,
                WeeklyCheckIn,
                Priority,
            )
        }
        self.private_allowed = Program.load().private_goals_allowed
        c = self.written
        self.goals = _Sink(
            Goal,
            (
                "id",
                "title",
                "description",
                "level",
                "owner_id",
                "department_id",
                "period_id",
                "parent_id",
                "visibility",
                "state",
                "health",
                "progress",
                "manual_progress",
                "score",
                "reflection",
                "closed_at",
                "carried_from_id",
                "assignment",
                "path",
                "depth",
                "root_id",
                "last_checkin_at",
                "churn",
                "created_by_id",
                "created_at",
                "updated_at",
            ),
            c,
        )
        self.krs = _Sink(
            KeyResult,
            ("id", "goal_id", *KEY_RESULT_FIELDS, "position", "progress"),
            c,
        )
        self.milestones = _Sink(
            Milestone, ("id", "key_result_id", "title", "done_at", "position"), c
        )
        self.checkins = _Sink(
            CheckIn,
            (
                "id",
                "goal_id",
                "author_id",
                "created_at",
                "health",
                "confidence",
                "note",
                "progress",
                "values",
            ),
            c,
        )
        self.changes = _Sink(
            GoalChange,
            (
                "id",
                "goal_id",
                "key_result_id",
                "by_id",
                "at",
                "field",
                "old",
                "new",
                "reason",
                "counts_as_churn",
            ),
            c,
        )
        self.comments = _Sink(GoalComment, ("id", "goal_id", "author_id", "body", "created_at"), c)
        self.weeklies = _Sink(
            WeeklyCheckIn, ("id", "person_id", "week_start", "note", "submitted_at"), c
        )
        self.priorities = _Sink(
            Priority,
            ("id", "checkin_id", "title", "goal_id", "done", "carried_from_id", "position"),
            c,
        )
        self.assignments: dict[tuple[str, int | None], tuple[uuid.UUID, content.GoalTemplate]] = {}
        self.estimate = 1
        self.paths: dict[int, str] = {}
        self.titles: dict[int, str] = {}
        self.unfinished: dict[int, list[tuple[int, str, Sequence[content.KR]]]] = {}

    def randint(self, low: int, high: int) -> int:
        # random.randint is ~8x slower than random(); this draws millions of numbers.
        return low + int(self.random() * (high - low + 1))

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.random() * len(items))]

    def next_id(self, model: type[models.Model]) -> int:
        value = self.ids[model]
        self.ids[model] = value + 1
        return value

    # -- people --

    def load_people(self) -> None:
        departments = {
            pk: (name, path)
            for pk, name, path in Department.objects.values_list("pk", "name", "path")
        }
        names = {pk: name for pk, (name, _) in departments.items()}

        def category(dept: int | None) -> str:
            if dept is None or dept not in departments:
                return "business"
            root = int(departments[dept][1].strip("/").split("/")[0])
            return content.CATEGORY_OF.get(names.get(root, ""), "business")

        self.heads = set(Department.objects.exclude(head=None).values_list("head_id", flat=True))
        self.people: dict[int, _Person] = {}
        rows = Person.objects.order_by("pk").values_list(
            "pk", "manager_id", "department_id", "status", "email", "start_date"
        )
        logins = {f"{key}@": key for key in DEMO_LOGINS}
        for pk, manager, dept, status, email, started in rows:
            person = _Person(
                id=pk,
                manager=manager,
                department=dept,
                category=category(dept),
                active=status != PersonStatus.LEFT,
                on_leave=status == PersonStatus.ON_LEAVE,
                start=started or date.min,
            )
            person.login = next((v for k, v in logins.items() if email.startswith(k)), "")
            self.people[pk] = person
        for person in self.people.values():
            if person.active and person.manager in self.people:
                self.people[person.manager].reports.append(person.id)
        rng = self.rng
        for person in self.people.values():
            person.rhythm = rng.choices((1, 2, 3, 0), (30, 45, 15, 10))[0]
            person.weekly_share = rng.choices((0.95, 0.7, 0.35, 0.0), (30, 30, 25, 15))[0]
            if person.login:
                person.rhythm, person.weekly_share = 1, 1.0
        self.ceo = next(p.id for p in self.people.values() if p.manager is None and p.active)
        self.executives = [self.ceo] + [r for r in self.people[self.ceo].reports if r in self.heads]
        self.active = [p for p in self.people.values() if p.active]
        self.estimate = len(self.active) * 60
        # Managers top-down, so a manager's team goals exist before their reports align.
        depth: dict[int, int] = {}
        for person in self.people.values():
            chain, node = 0, person.manager
            while node is not None and chain < 64:
                chain += 1
                node = self.people[node].manager if node in self.people else None
            depth[person.id] = chain
        self.managers = sorted(
            (p for p in self.active if p.reports), key=lambda p: (depth[p.id], p.id)
        )

    # -- one goal --

    def key_results(self, goal_id: int, specs: Sequence[content.KR]) -> list[_KR]:
        krs = []
        for spec in specs:
            kr_id = self.next_id(KeyResult)
            title, kind = spec[0], spec[1]
            weight = Decimal(self.pick((1, 1, 1, 2)))
            if kind == KeyResultKind.MILESTONES:
                steps = list(spec[2])
                krs.append(
                    _KR(
                        kr_id,
                        title,
                        kind,
                        "",
                        ZERO,
                        Decimal(1),
                        None,
                        ZERO,
                        weight,
                        steps=steps,
                        step_ids=[self.next_id(Milestone) for _ in steps],
                    )
                )
                continue
            unit, start, target = spec[2], spec[3], spec[4]
            places = _places(start, target)
            stretch = None
            if kind != KeyResultKind.BOOLEAN and self.rng.random() < 0.2:
                stretch = _stretch(kind, start, target, places)
            krs.append(
                _KR(
                    kr_id,
                    title,
                    kind,
                    unit,
                    _number(start, places),
                    _number(target, places),
                    stretch,
                    _number(start, places),
                    weight,
                    places=places,
                )
            )
        return krs

    def write_goal(
        self,
        *,
        plan: _PeriodPlan,
        owner: _Person,
        level: str,
        title: str,
        specs: Sequence[content.KR],
        parent: int | None,
        visibility: str = Visibility.PUBLIC,
        assignment: uuid.UUID | None = None,
        carried_from: int | None = None,
        created_by: int | None = None,
        pace: float | None = None,
    ) -> int:
        """Draw one goal with its key results, check-ins, history and closing, and queue
        every row. Returns the goal's id."""
        rng = self.rng
        goal_id = self.next_id(Goal)
        path = f"{self.paths[parent] if parent is not None else '/'}{goal_id}/"
        if level != GoalLevel.INDIVIDUAL:
            self.paths[goal_id] = path
        self.titles[goal_id] = title
        root = int(path.strip("/").split("/")[0])
        depth = path.count("/") - 2
        krs = self.key_results(goal_id, specs)
        manual: Decimal | None = None

        start, end = plan.start, plan.end
        created_day = start - timedelta(days=self.randint(0, 12))
        if carried_from is not None:
            created_day = start + timedelta(days=self.randint(0, 4))
        if plan.kind == "next":
            created_day = min(self.today, start) - timedelta(days=self.randint(0, 10))
        created_at = min(_at(created_day, self.randint(8, 17), self.randint(0, 59)), self.now)

        # How far along the goal is: the share of the period gone, times how well it goes.
        period_days = (end - start).days + 1
        if plan.kind == "previous":
            horizon = end
            elapsed = 1.0
        elif plan.kind == "current":
            horizon = self.today
            elapsed = max(0.0, min(1.0, ((self.today - start).days + 1) / period_days))
        else:
            horizon = start
            elapsed = 0.0
        if pace is None:
            pace = max(0.0, min(1.35, rng.gauss(0.95, 0.3)))
        achieved = elapsed * pace

        # Check-ins: every `rhythm` weeks from the second week, within the last weeks.
        times: list[datetime] = []
        rhythm = owner.rhythm
        if plan.kind != "next" and rhythm:
            first = _monday(start) + timedelta(weeks=1 + self.randint(0, rhythm - 1))
            stop = horizon
            if owner.on_leave:
                stop = min(stop, self.today - timedelta(days=self.randint(25, 60)))
            elif plan.kind == "current" and self.random() < 0.06:
                stop = min(stop, self.today - timedelta(days=self.randint(22, 40)))
            weeks = [
                first + timedelta(weeks=k * rhythm)
                for k in range((stop - first).days // (7 * rhythm) + 1 if stop >= first else 0)
            ]
            if plan.kind == "previous":
                if len(weeks) > 4:  # older check-ins: a few per goal is enough to read
                    weeks = [weeks[i] for i in sorted(rng.sample(range(len(weeks)), 4))]
            else:
                window = _monday(self.today - timedelta(weeks=CHECKIN_WEEKS))
                weeks = [w for w in weeks if w >= window]
            for week in weeks:
                moment = _at(
                    week + timedelta(days=self.randint(0, 4)),
                    self.randint(8, 18),
                    self.randint(0, 59),
                )
                if moment.date() <= stop and created_at < moment <= self.now:
                    times.append(moment)
        last_fraction = achieved
        if times:
            last_day = times[-1].date()
            last_fraction = pace * max(0.0, min(1.0, ((last_day - start).days + 1) / period_days))

        # Final values (as of the last check-in), then the path to them.
        finals: list[float] = []
        for kr in krs:
            share = max(0.0, last_fraction + rng.gauss(0, 0.12)) if times else 0.0
            finals.append(share)
            self.set_value(kr, share, times)
        if not krs:
            manual = _number(max(0.0, min(1.0, last_fraction)) if times else 0.0, 2)
        kr_progress = [self.kr_progress(kr, None) for kr in krs]
        goal_progress = maths.goal_progress(
            [(p, kr.weight) for p, kr in zip(kr_progress, krs, strict=True)], manual
        )

        health = ""
        last_checkin: datetime | None = None
        previous_values = {kr.id: kr.start for kr in krs}
        # Each check-in's "values" JSON is put together from pieces encoded once (titles)
        # or needing no escaping (ids, decimals): the same text json.dumps gives, without
        # encoding a list of dicts per check-in.
        heads = {kr.id: f'{{"key_result": {kr.id}, "title": {json.dumps(kr.title)}' for kr in krs}
        for number, moment in enumerate(times, start=1):
            share_of_final = number / len(times)
            values_now: list[str] = []
            parts = []
            for kr, final in zip(krs, finals, strict=True):
                if kr.kind == KeyResultKind.MILESTONES:
                    parts.append((self.kr_progress(kr, moment), kr.weight))
                    continue
                if number == len(times):
                    value = kr.current
                else:
                    value = self.value_at(kr, final * share_of_final)
                old = previous_values[kr.id]
                if value != old:
                    values_now.append(f'{heads[kr.id]}, "old": "{old}", "new": "{value}"}}')
                    previous_values[kr.id] = value
                parts.append(
                    (maths.linear(start=kr.start, target=kr.target, current=value), kr.weight)
                )
            if krs:
                at_time = maths.goal_progress(parts, None)
            else:
                at_time = maths.clamp((manual or ZERO) * Decimal(share_of_final))
            moment_elapsed = ((moment.date() - start).days + 1) / period_days
            health = self.health_for(float(at_time), moment_elapsed)
            confidence = {"on_track": (6, 10), "at_risk": (3, 7), "off_track": (0, 4)}[health]
            self.checkins.add(
                (
                    self.next_id(CheckIn),
                    goal_id,
                    owner.id,
                    moment,
                    health,
                    self.randint(*confidence),
                    self.pick(content.CHECKIN_NOTES[health]),
                    at_time,
                    f"[{', '.join(values_now)}]",
                )
            )
            last_checkin = moment

        # Honest history: some targets moved after the period started.
        churn = 0
        numeric = [
            kr for kr in krs if kr.kind not in (KeyResultKind.MILESTONES, KeyResultKind.BOOLEAN)
        ]
        if numeric and plan.kind != "next" and rng.random() < CHURN_SHARE:
            kr = self.pick(numeric)
            latest = min(horizon, self.today)
            earliest = start + timedelta(days=10)
            if earliest < latest:
                # Walk back from the target as stored to the target first set.
                targets = [kr.target]
                for _ in range(self.pick((1, 1, 2))):
                    factor = Decimal(self.pick(("0.8", "0.9", "1.2", "1.25")))
                    earlier = _number(float(kr.start + (targets[0] - kr.start) * factor), kr.places)
                    if earlier not in (kr.start, targets[0]):
                        targets.insert(0, earlier)
                moments = sorted(
                    _at(
                        earliest + timedelta(days=self.randint(0, (latest - earliest).days)),
                        self.randint(8, 18),
                    )
                    for _ in targets[1:]
                )
                for old, new, moment in zip(targets, targets[1:], moments, strict=False):
                    self.changes.add(
                        (
                            self.next_id(GoalChange),
                            goal_id,
                            kr.id,
                            owner.manager or owner.id,
                            min(moment, self.now),
                            "target_value",
                            str(old),
                            str(new),
                            self.pick(content.CHURN_REASONS),
                            True,
                        )
                    )
                    churn += 1
        if parent is not None and plan.kind == "current" and rng.random() < 0.03:
            moment = min(_at(start + timedelta(days=self.randint(1, 20)), 10), self.now)
            self.changes.add(
                (
                    self.next_id(GoalChange),
                    goal_id,
                    None,
                    owner.id,
                    moment,
                    "parent",
                    "",
                    self.titles.get(parent, str(parent))[:300],
                    "Aligned after the team's planning session.",
                    False,
                )
            )

        # Key results and milestones.
        for position, (kr, value) in enumerate(zip(krs, kr_progress, strict=True)):
            self.krs.add(
                (
                    kr.id,
                    goal_id,
                    kr.title,
                    kr.kind,
                    kr.unit,
                    kr.start,
                    kr.target,
                    kr.stretch,
                    kr.current,
                    kr.weight,
                    position,
                    value,
                )
            )
            for step, (step_id, title_, done_at) in enumerate(
                zip(kr.step_ids, kr.steps, kr.done_at, strict=True)
            ):
                self.milestones.add((step_id, kr.id, title_, done_at, step))

        # Closing the previous period: a score and a reflection.
        state, score, reflection, closed_at = GoalState.ACTIVE, None, "", None
        if plan.kind == "previous":
            state = GoalState.CLOSED
            raw = max(0.0, min(1.0, float(goal_progress) + rng.gauss(0, 0.08)))
            score = _number(round(raw * 20) / 20, 2)
            reflection = next(text for floor, text in content.REFLECTIONS if raw >= floor)
            closed_at = min(_at(end + timedelta(days=self.randint(1, 9)), 16), self.now)
            if level == GoalLevel.INDIVIDUAL and goal_progress < Decimal("0.7"):
                self.unfinished.setdefault(owner.id, []).append((goal_id, title, specs))

        updated_at = max(created_at, last_checkin or created_at)
        self.goals.add(
            (
                goal_id,
                title,
                "",
                level,
                owner.id,
                owner.department,
                plan.period.pk,
                parent,
                visibility,
                state,
                health,
                goal_progress,
                manual,
                score,
                reflection,
                closed_at,
                carried_from,
                assignment,
                path,
                depth,
                root,
                last_checkin,
                churn,
                created_by or owner.id,
                created_at,
                updated_at,
            )
        )
        if carried_from is not None:
            self.changes.add(
                (
                    self.next_id(GoalChange),
                    goal_id,
                    None,
                    owner.id,
                    created_at,
                    "carried_from",
                    "",
                    self.titles.get(carried_from, "")[:300],
                    "Unfinished at the end of the previous period.",
                    False,
                )
            )
        return goal_id

    def set_value(self, kr: _KR, share: float, times: list[datetime]) -> None:
        if kr.kind == KeyResultKind.MILESTONES:
            total = len(kr.steps)
            done = min(total, int(share * total + self.rng.random() * 0.5)) if times else 0
            # Steps were ticked off at check-ins, spread over the period so far.
            kr.done_at = [
                times[min(len(times) - 1, ((i + 1) * len(times)) // done - 1)] if i < done else None
                for i in range(total)
            ]
            return
        kr.current = self.value_at(kr, share)

    def value_at(self, kr: _KR, share: float) -> Decimal:
        if kr.kind == KeyResultKind.BOOLEAN:
            return Decimal(1) if share >= 0.92 else ZERO
        span = float(kr.target - kr.start)
        return _number(float(kr.start) + span * min(share, 1.3), kr.places)

    def kr_progress(self, kr: _KR, moment: datetime | None) -> Decimal:
        if kr.kind == KeyResultKind.MILESTONES:
            done = sum(1 for d in kr.done_at if d is not None and (moment is None or d <= moment))
            return maths.milestones(done, len(kr.steps))
        return maths.linear(start=kr.start, target=kr.target, current=kr.current)

    @staticmethod
    def health_for(progress: float, elapsed: float) -> str:
        expected = max(0.05, min(1.0, elapsed))
        if progress >= expected * 0.8:
            return Health.ON_TRACK
        if progress >= expected * 0.5:
            return Health.AT_RISK
        return Health.OFF_TRACK

    # -- a period --

    def period_goals(self, plan: _PeriodPlan) -> None:
        rng = self.rng
        ordered = list(content.COMPANY_GOALS)
        rng.shuffle(ordered)
        count = self.randint(4, 6)
        for index, (title, specs) in enumerate(ordered[:count]):
            owner = self.people[self.executives[index % len(self.executives)]]
            if index == 0:
                owner = self.people[self.ceo]
            plan.company.append(
                self.write_goal(
                    plan=plan,
                    owner=owner,
                    level=GoalLevel.COMPANY,
                    title=title,
                    specs=specs,
                    parent=None,
                    created_by=self.ceo,
                )
            )
        self.report("goals", self.written[0], self.estimate)
        managers = self.managers
        if plan.kind == "next":
            managers = [m for m in managers if m.id in self.heads]
        for manager in managers:
            self.team_goals(plan, manager)
        self.report("goals", self.written[0], self.estimate)
        if plan.kind == "next":
            return
        for index, person in enumerate(self.active):
            if plan.kind == "previous" and person.start > plan.end:
                continue  # joined after the period ended
            self.individual_goals(plan, person)
            if index % 2000 == 0:
                self.report("goals", self.written[0], self.estimate)

    def _above(self, plan: _PeriodPlan, person: _Person) -> list[int]:
        """Team goals of the nearest manager above who has any."""
        node = person.manager
        while node is not None:
            goals = plan.team.get(node)
            if goals:
                return goals
            node = self.people[node].manager if node in self.people else None
        return []

    def team_goals(self, plan: _PeriodPlan, manager: _Person) -> None:
        rng = self.rng
        templates = content.TEAM_GOALS[manager.category]
        is_head = manager.id in self.heads
        count = self.randint(2, 3) if is_head else self.randint(1, 2)
        if plan.kind == "next":
            count = 1
        chosen = rng.sample(templates, min(count, len(templates)))
        for title, specs in chosen:
            above = [] if is_head else self._above(plan, manager)
            roll = rng.random()
            if above and roll < 0.85:
                parent: int | None = self.pick(above)
            elif roll < 0.95 or manager.login:
                parent = self.pick(plan.company)
            else:
                parent = None  # deliberately unaligned
            goal = self.write_goal(
                plan=plan,
                owner=manager,
                level=GoalLevel.TEAM,
                title=title,
                specs=specs,
                parent=parent,
            )
            plan.team.setdefault(manager.id, []).append(goal)

    def individual_goal(
        self,
        plan: _PeriodPlan,
        person: _Person,
        title: str,
        specs: Sequence[content.KR],
        **options: Any,
    ) -> None:
        """Write one of `person`'s own goals (`options` as for write_goal) and list it under
        them in the plan."""
        goal = self.write_goal(
            plan=plan,
            owner=person,
            level=GoalLevel.INDIVIDUAL,
            title=title,
            specs=specs,
            **options,
        )
        plan.individual.setdefault(person.id, []).append(goal)

    def individual_goals(self, plan: _PeriodPlan, person: _Person) -> None:
        rng = self.rng
        low, high = GOALS_PER_PERSON if plan.kind == "current" else PREVIOUS_GOALS_PER_PERSON
        count = self.randint(low, high)
        if person.login:
            count = max(count, 3)
        templates = content.INDIVIDUAL_GOALS[person.category]
        own_team = plan.team.get(person.id, [])
        above = self._above(plan, person)
        choices = rng.sample(templates, min(count, len(templates)))
        while len(choices) < count:
            choices.append(self.pick(templates))
        if plan.kind == "current":
            for original, title, specs in self.unfinished.get(person.id, [])[:1]:
                if rng.random() < CARRY_OVER_SHARE or person.login == "employee":
                    parent = self.pick(above) if above else None
                    self.individual_goal(
                        plan, person, title, specs, parent=parent, carried_from=original
                    )
                    choices = choices[1:]
        assigned = self.assignments.get((plan.kind, person.manager))
        if assigned is not None and choices:
            key, (title, specs) = assigned
            self.individual_goal(
                plan,
                person,
                title,
                specs,
                parent=self.pick(above) if above else None,
                assignment=key,
                created_by=person.manager,
            )
            choices = choices[1:]
        for position, (title, specs) in enumerate(choices):
            roll = rng.random()
            pool = own_team + above
            private = rng.random() < PRIVATE_SHARE
            if person.login == "employee":
                private = position == len(choices) - 1  # the demo employee has one private goal
            visibility = (
                Visibility.PRIVATE if private and self.private_allowed else Visibility.PUBLIC
            )
            if person.login == "employee" and position == 1:
                parent = None  # the demo employee has one unaligned goal to fix
            elif pool and roll < ALIGNED_SHARE:
                parent = self.pick(pool)
            elif roll < ALIGNED_SHARE + CROSS_TEAM_SHARE and plan.team:
                owners = list(plan.team)
                parent = self.pick(plan.team[owners[rng.randrange(len(owners))]])
            elif not pool and plan.company and roll < ALIGNED_SHARE:
                parent = self.pick(plan.company)
            else:
                parent = None
            self.individual_goal(
                plan,
                person,
                title,
                specs,
                parent=parent,
                visibility=visibility,
                pace=0.45 if person.login and position == 0 else None,
            )

    # -- comments and weekly check-ins --

    def comments_on(self, plan: _PeriodPlan) -> None:
        rng = self.rng
        logins = {p.id for p in self.people.values() if p.login}
        targets = list(plan.company)
        for owner, goals in plan.individual.items():
            if owner in logins or rng.random() < 0.03:
                targets.extend(goals[:1])
        for owner, goals in plan.team.items():
            if owner in logins or rng.random() < 0.05:
                targets.extend(goals[:1])
        start = plan.start
        for goal in targets:
            for _ in range(self.randint(1, 3)):
                author = (
                    self.pick(self.executives) if rng.random() < 0.3 else self.pick(self.active).id
                )
                day = start + timedelta(days=self.randint(1, max(1, (self.today - start).days)))
                moment = min(_at(min(day, self.today), self.randint(8, 18)), self.now)
                self.comments.add(
                    (self.next_id(GoalComment), goal, author, self.pick(content.COMMENTS), moment)
                )

    def weekly(self, plans: list[_PeriodPlan]) -> None:
        rng = self.rng
        this_week = _monday(self.today)
        weeks = [this_week - timedelta(weeks=n) for n in range(CHECKIN_WEEKS - 1, -1, -1)]

        def plan_for(week: date) -> _PeriodPlan | None:
            for plan in plans:
                if plan.kind != "next" and plan.start <= week + timedelta(days=4) <= plan.end:
                    return plan
            return None

        week_plans = [plan_for(w) for w in weeks]
        for index, person in enumerate(self.active):
            if index % 2000 == 0:
                self.report("weekly check-ins", self.written[0], self.estimate)
            if not person.weekly_share:
                continue
            undone: list[tuple[int, str, int | None]] = []  # last week's, to carry over
            pool = content.PRIORITIES[person.category]
            for week, plan in zip(weeks, week_plans, strict=True):
                if person.on_leave and week > self.today - timedelta(days=35):
                    break
                if rng.random() >= person.weekly_share:
                    undone = []
                    continue
                submitted = _at(
                    week + timedelta(days=self.randint(0, 1)),
                    self.randint(8, 11),
                    self.randint(0, 59),
                )
                weekly_id = self.next_id(WeeklyCheckIn)
                self.weeklies.add(
                    (
                        weekly_id,
                        person.id,
                        week,
                        self.pick(content.WEEKLY_NOTES),
                        min(submitted, self.now),
                    )
                )
                goals: list[int] = []
                if plan is not None:
                    goals = plan.individual.get(person.id, []) + plan.team.get(person.id, [])
                is_current = week == this_week
                made: list[tuple[int, str, int | None, bool | None]] = []
                for carried_id, title, goal in undone[: self.randint(0, 2)]:
                    made.append(
                        self.priority(weekly_id, title, goal, is_current, carried_id, len(made))
                    )
                for _ in range(self.randint(2, 4) - min(len(made), 1)):
                    linked: int | None = None
                    if goals and rng.random() < 0.8:
                        linked, title = self.pick(goals), self.pick(pool)
                    else:
                        title = self.pick(content.UNLINKED_PRIORITIES)
                    made.append(
                        self.priority(weekly_id, title, linked, is_current, None, len(made))
                    )
                undone = [(pid, title, goal) for pid, title, goal, done in made if done is False]

    def priority(
        self,
        weekly_id: int,
        title: str,
        goal: int | None,
        is_current: bool,
        carried_from: int | None,
        position: int,
    ) -> tuple[int, str, int | None, bool | None]:
        """Queue one priority: done or not for past weeks, unknown for this week."""
        pid = self.next_id(Priority)
        done = None if is_current else self.rng.random() < 0.75
        self.priorities.add((pid, weekly_id, title, goal, done, carried_from, position))
        return pid, title, goal, done

    def flush(self) -> None:
        for sink in (
            self.goals,
            self.krs,
            self.milestones,
            self.checkins,
            self.changes,
            self.comments,
            self.weeklies,
            self.priorities,
        ):
            sink.flush()


def _period(day: date) -> Period:
    """The program's period containing `day`, named and bounded like
    goals.services.periods.ensure_periods does, made without an audit event of its own: the
    demo load is recorded once, by the org demo."""
    program = Program.load()
    length = str(program.goal_period_length)
    name, start, end = bounds(
        day, length=length, fiscal_start_month=program.fiscal_year_start_month
    )
    period, _ = Period.objects.get_or_create(
        kind=length, start_date=start, end_date=end, defaults={"name": name}
    )
    return period


def _periods(today: date) -> tuple[Period, Period, Period]:
    current = _period(today)
    previous = _period(current.start_date - timedelta(days=1))
    following = _period(current.end_date + timedelta(days=1))
    return previous, current, following


@register_demo
def load_demo(*, seed: int, today: date, progress: Progress) -> None:
    """Write the demo company's goals. Runs inside the org demo's transaction."""
    previous, current, following = _periods(today)
    generator = _Generator(seed=seed, today=today, progress=progress)
    generator.load_people()
    plans = [
        _PeriodPlan(previous, previous.start_date, previous.end_date, "previous"),
        _PeriodPlan(current, current.start_date, current.end_date, "current"),
        _PeriodPlan(following, following.start_date, following.end_date, "next"),
    ]
    rng = generator.rng
    for plan in plans[:2]:
        for manager in generator.managers:
            if rng.random() < ASSIGNED_TEAM_SHARE:
                generator.assignments[(plan.kind, manager.id)] = (
                    uuid.UUID(int=rng.getrandbits(128)),
                    generator.pick(content.ASSIGNED_GOALS),
                )
    for plan in plans:
        generator.period_goals(plan)
        generator.comments_on(plan)
    generator.weekly(plans)
    generator.flush()
    closed_at = min(_at(previous.end_date + timedelta(days=10), 17), generator.now)
    Period.objects.filter(pk=previous.pk).update(closed_at=closed_at)
    reset_sequences(
        [Goal, KeyResult, Milestone, CheckIn, GoalChange, GoalComment, WeeklyCheckIn, Priority]
    )
    # Written in bulk, past the services: the pages' tally is counted once at the end.
    tally.rebuild()
    progress("goals", generator.written[0], generator.written[0])
