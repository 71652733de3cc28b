"""The demo company's review cycles: a finished one and one in its peer phase.

Called by `tandem.org.demo.load_demo` inside its transaction once the people, goals and
feedback exist. Scales and templates are made with the ORM and frozen with
`versions.freeze`, like a launch does. Everyone else is drawn in Python from the seed —
participants with their launch snapshots, peer nominations, reviews with their answers,
ratings and timestamps — and written in chunks (COPY on PostgreSQL, executemany
elsewhere), without services, notifications or audit events per row: the demo load is
recorded once by the org demo. The same seed and the same "today" always give the same
reviews.

Competency questions draw their items from each person's career framework, as a launch
does (`reviews.framework`): the growth demo places everyone first, each (track, level)
snapshot row is looked up or stored once, every participant references theirs, and each
review rates the reviewee's own competencies.

- The finished cycle covers the half-year that ended with the last goal period (so its
  goals question has scored goals): self, manager, 2-4 peer and upward reviews, nearly all
  submitted; manager reviews shared and most acknowledged; a few reopened once by HR.
- The running cycle covers the current goal period and is in its peer phase: self reviews
  mostly submitted, nominations mostly approved (some waiting, a few declined), peer and
  upward reviews in every state, manager reviews not started or drafted.

Ratings follow each person's (hidden) performance plus a leniency drawn for each manager,
so some managers rate high and some low, as calibration expects.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import models

from tandem.core.bulk import RowSink, next_id, reset_sequences
from tandem.goals.queries.goals import all_goals_overlapping
from tandem.goals.services.periods import bounds
from tandem.org.demo import DEMO_DOMAIN, register_demo
from tandem.org.models import CompanyValue, Department, Person, PersonStatus
from tandem.program.models import Program
from tandem.reviews import demo_content as content
from tandem.reviews import framework, scores, tally, versions
from tandem.reviews.models import (
    Cycle,
    CycleForm,
    CycleStatus,
    FrameworkSnapshot,
    ItemsSource,
    Nomination,
    NominationStatus,
    Participant,
    Phase,
    PhaseKind,
    QuestionKind,
    RatingScale,
    Relationship,
    Review,
    ReviewRevision,
    ReviewState,
    ScoreMethod,
    SubmittedRating,
    Template,
    TemplateQuestion,
    TemplateSection,
    UseFor,
)

Progress = Callable[[str, int, int], None]
CHUNK = 5000
PEERS = (2, 4)
PEER_CAP = 5

R = Relationship
S = ReviewState

# Phase windows in days from today: (kind, opens, due). The finished cycle's are moved to
# start right after its period when there is room (see _finished_phases).
FINISHED_PHASES = (
    (PhaseKind.SELF, 0, 13),
    (PhaseKind.NOMINATION, 5, 16),
    (PhaseKind.PEER, 17, 30),
    (PhaseKind.MANAGER, 31, 44),
    (PhaseKind.SHARING, 45, 54),
    (PhaseKind.ACKNOWLEDGEMENT, 55, 66),
)
ACTIVE_PHASES = (
    (PhaseKind.SELF, -28, -10),
    (PhaseKind.NOMINATION, -21, -4),
    (PhaseKind.PEER, -3, 10),
    (PhaseKind.MANAGER, 11, 24),
    (PhaseKind.SHARING, 25, 32),
    (PhaseKind.ACKNOWLEDGEMENT, 33, 46),
)


# --- Writing in chunks -------------------------------------------------------------------


# The columns each table's rows give, in order.
PARTICIPANT_COLUMNS = (
    "id", "cycle", "person", "title", "level", "department", "department_name", "manager",
    "manager_name", "path", "added_at", "added_late", "removed_at", "removed_reason",
    "shared_at", "shared_by", "acknowledged_at", "acknowledgement_comment", "overall_score",
    "score_parts", "manager_rating", "framework_snapshot",
)  # fmt: skip
NOMINATION_COLUMNS = (
    "cycle", "participant", "peer", "status", "nominated_by", "decided_by", "decided_at",
    "decline_reason", "created_at",
)  # fmt: skip
REVIEW_COLUMNS = (
    "id", "cycle", "participant", "reviewee", "reviewer", "relationship", "template_version",
    "state", "answers", "version", "active_seconds", "started_at", "saved_at", "submitted_at",
    "shared_at", "acknowledged_at", "reopened_at", "created_at",
)  # fmt: skip
RATING_COLUMNS = (
    "review", "cycle", "participant", "relationship", "question_key", "question_kind",
    "item_key", "value", "points", "normalised",
)  # fmt: skip
REVISION_COLUMNS = (
    "review", "answers", "state", "submitted_at", "reopened_by", "reason", "created_at",
)  # fmt: skip


class _Sink(RowSink):
    """Rows for one table, written CHUNK at a time (core.bulk.RowSink), reporting progress
    after each write; `put(*values)` adds one row."""

    def __init__(self, model: type[models.Model], names: Sequence[str], progress: Progress):
        super().__init__(model, names, chunk=CHUNK)
        self.label = f"reviews: {model._meta.verbose_name_plural}"
        self.progress = progress

    def put(self, *row: Any) -> None:
        self.add(row)

    def flushed(self, written: int) -> None:
        self.progress(self.label, self.count, self.count)


# --- Building blocks ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Question:
    key: str
    kind: str
    points: int
    items: tuple[str, ...]
    required: bool
    pool: str
    # A competency question drawn from each reviewee's framework: `items` is empty and each
    # review rates the reviewee's own competencies (`_Person.competencies`).
    from_framework: bool = False


def _scales() -> dict[str, RatingScale]:
    made = {}
    for key, (name, description, points) in (
        ("performance", content.PERFORMANCE_SCALE),
        ("competency", content.COMPETENCY_SCALE),
    ):
        made[key], _ = RatingScale.objects.get_or_create(
            name=name,
            defaults={
                "description": description,
                "points": [
                    {"value": value, "label": label, "description": text}
                    for value, (label, text) in enumerate(points, start=1)
                ],
            },
        )
    return made


@dataclass(frozen=True)
class _Form:
    template: int
    version: int
    questions: list[_Question]


def demo_template(relationship: str) -> Template:
    """The demo company's template for one relationship, with its scales, sections and
    questions (made once; the browser tests measure the review form on the same one)."""
    scales = _scales()
    _, name, description, sections = next(t for t in content.TEMPLATES if t[0] == relationship)
    template, _ = Template.objects.get_or_create(
        name=name, relationship=relationship, defaults={"description": description}
    )
    if template.sections.exists():
        return template
    for position, (title, text, questions) in enumerate(sections):
        section = TemplateSection.objects.create(
            template=template, position=position, title=title, description=text
        )
        for number, (kind, prompt, help_text, scale, required, overall, _) in enumerate(questions):
            TemplateQuestion.objects.create(
                section=section,
                position=number,
                kind=kind,
                prompt=prompt,
                help_text=help_text,
                required=required,
                scale=scales[scale] if scale else None,
                # Competencies are each person's own, from their career framework.
                items=[],
                items_source=ItemsSource.FRAMEWORK
                if kind == QuestionKind.COMPETENCIES
                else ItemsSource.LISTED,
                is_overall=overall,
            )
    return template


def _templates(by: Person | None) -> dict[str, _Form]:
    """Each relationship's template, frozen like a launch freezes it."""
    frozen = {}
    for relationship, _, _, sections in content.TEMPLATES:
        template = demo_template(relationship)
        pools = [question[6] for _, _, questions in sections for question in questions]
        version = versions.freeze(template, by=by)
        plan = [
            _Question(
                key=question["key"],
                kind=question["kind"],
                points=versions.points_of(question),
                items=tuple(item["key"] for item in question.get("items") or []),
                required=bool(question["required"]),
                pool=pool,
                from_framework=framework.is_framework_question(question),
            )
            for question, pool in zip(versions.questions(version.content), pools, strict=True)
        ]
        frozen[relationship] = _Form(template.pk, version.pk, plan)
    return frozen


# --- People ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Person:
    pk: int
    manager: int | None
    first: str
    name: str
    title: str
    level: str
    department: int | None
    path: str
    status: str
    performance: float = 0.0  # hidden "true" performance, in points of the 5-point scale
    leniency: float = 0.0  # how much higher than the truth this person rates as a manager
    self_bias: float = 0.0
    upward: float = 0.0  # how their reports experience them as a manager
    reports: list[int] = field(default_factory=list)
    # Their career framework snapshot (a FrameworkSnapshot id) and its competency keys.
    snapshot: int | None = None
    competencies: tuple[str, ...] = ()


def _people(rng: random.Random) -> tuple[dict[int, _Person], dict[int, str]]:
    rows = (
        Person.objects.exclude(status=PersonStatus.LEFT)
        .order_by("pk")
        .values_list(
            "pk",
            "manager_id",
            "first_name",
            "preferred_name",
            "last_name",
            "title",
            "level",
            "department_id",
            "path",
            "status",
        )
    )
    people: dict[int, _Person] = {}
    for pk, manager, first, preferred, last, title, level, dept, path, status in rows:
        shown = preferred or first or ""
        people[pk] = _Person(
            pk=pk,
            manager=manager,
            first=shown or "they",
            name=f"{shown} {last or ''}".strip(),
            title=title or "",
            level=level or "",
            department=dept,
            path=path or "",
            status=status,
            performance=max(-1.6, min(1.6, rng.gauss(0, 0.7))),
            # Some managers are lenient, some strict: what calibration is for.
            leniency=max(-1.2, min(1.2, rng.gauss(0, 0.55))),
            self_bias=rng.gauss(0.25, 0.35),
            upward=max(-1.5, min(1.2, rng.gauss(0.2, 0.6))),
        )
    for person in people.values():
        if person.manager in people:
            people[person.manager].reports.append(person.pk)
    departments = dict(Department.objects.values_list("pk", "name"))
    return people, departments


# People per call of the framework providers, as a launch asks them (launch.BATCH).
SNAPSHOT_BATCH = 5000


def _frameworks(people: dict[int, _Person]) -> None:
    """Each person's framework snapshot, as a launch takes it (`reviews.framework`): one row
    per track and level, looked up or stored once whatever the number of people (the
    growth demo placed everyone before this runs)."""
    ids = list(people)
    rows: dict[str, tuple[int, tuple[str, ...]]] = {}
    for start in range(0, len(ids), SNAPSHOT_BATCH):
        found = [
            (FrameworkSnapshot.digest_of(snapshot), snapshot, person_ids)
            for snapshot, person_ids in framework.snapshots(ids[start : start + SNAPSHOT_BATCH])
        ]
        # Sorted: the rows are made in the same order whatever order the provider answers.
        for digest, snapshot, person_ids in sorted(found, key=lambda f: f[0]):
            if digest not in rows:
                keys = tuple(str(item["key"]) for item in snapshot.get("items") or [])
                rows[digest] = (framework.stored(snapshot).pk, keys)
            snapshot_id, keys = rows[digest]
            for pk in person_ids:
                people[pk].snapshot, people[pk].competencies = snapshot_id, keys


def _goals(
    start: date, end: date, owners: dict[int, _Person]
) -> dict[int, list[tuple[int, str, float]]]:
    """Each person's goals in periods overlapping start..end: (id, title, how it went 0..1),
    as the evidence packet lists them to the person and their manager."""
    found: dict[int, list[tuple[int, str, float]]] = defaultdict(list)
    rows = (
        all_goals_overlapping(start, end)
        .order_by("owner_id", "level", "title", "pk")
        .values_list("owner_id", "pk", "title", "score", "progress")
    )
    for owner, pk, title, score, progress in rows.iterator(chunk_size=20_000):
        if owner in owners:
            found[owner].append((pk, title, float(score if score is not None else progress)))
    return found


# --- Answers -----------------------------------------------------------------------------


def _clip(value: float, points: int) -> int:
    return max(1, min(points, round(value)))


def _on(points: int, center: float) -> float:
    """A centre on the 5-point scale moved to a scale of `points`."""
    return 1 + (center - 1) * (points - 1) / 4


def _tier(value: int, points: int) -> int:
    share = (value - 1) / (points - 1) if points > 1 else 0.5
    return 0 if share < 0.4 else 1 if share < 0.7 else 2


NORMALISED = {
    (value, points): (Decimal(value - 1) / Decimal(points - 1)).quantize(Decimal("0.0001"))
    for points in range(2, 11)
    for value in range(1, points + 1)
}


class _Writer:
    """Draws the text and ratings of answers."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.plain: dict[str, tuple[str, ...]] = {}
        self.with_goal: dict[str, tuple[str, ...]] = {}
        for pool, sentences in content.SENTENCES.items():
            self.plain[pool] = tuple(s for s in sentences if "{goal}" not in s)
            self.with_goal[pool] = sentences

    def text(self, pool: str, who: _Person, goals: Sequence[tuple[int, str, float]]) -> str:
        rng = self.rng
        sentences = self.with_goal[pool] if goals else self.plain[pool]
        chosen = rng.sample(sentences, k=min(len(sentences), rng.choice((1, 2, 2, 3))))
        goal = rng.choice(goals)[1] if goals else content.FALLBACK_GOAL
        return " ".join(s.format(name=who.first, goal=goal) for s in chosen)

    def rating_comment(self, pool: str, value: int, points: int, who: _Person) -> str:
        tiers = content.RATING_COMMENTS.get(pool)
        if not tiers:
            return ""
        return self.rng.choice(tiers[_tier(value, points)]).format(name=who.first)

    def answers(
        self,
        plan: Sequence[_Question],
        *,
        center: float,
        who: _Person,
        goals: Sequence[tuple[int, str, float]],
        values: Sequence[str],
        share: float = 1.0,
    ) -> tuple[dict[str, Any], list[tuple[str, str, str, int, int]]]:
        """Answers to the first `share` of the questions (a draft answers fewer), and the
        ratings in them as (question key, kind, item key, value, points)."""
        rng = self.rng
        answered: dict[str, Any] = {}
        ratings: list[tuple[str, str, str, int, int]] = []
        count = len(plan) if share >= 1 else max(1, int(len(plan) * share))
        for question in plan[:count]:
            if not question.required and rng.random() < 0.2:
                continue
            kind, points, key = question.kind, question.points, question.key
            if kind == QuestionKind.TEXT:
                answered[key] = {"rating": None, "comment": self.text(question.pool, who, goals)}
            elif kind == QuestionKind.RATING:
                value = _clip(_on(points, center) + rng.gauss(0, 0.35), points)
                comment = ""
                if rng.random() < 0.7:
                    comment = self.rating_comment(question.pool, value, points, who)
                answered[key] = {"rating": value, "comment": comment}
                ratings.append((key, kind, "", value, points))
            else:
                items: dict[str, dict[str, Any]] = {}
                if kind == QuestionKind.GOALS:
                    for goal_id, _, went in goals:
                        value = _clip(0.5 * (1 + 4 * went) + 0.5 * center + rng.gauss(0, 0.4), 5)
                        value = _clip(_on(points, value), points)
                        comment = ""
                        if rng.random() < 0.5:
                            comment = self.rating_comment("goal", value, points, who)
                        items[f"g{goal_id}"] = {"rating": value, "comment": comment}
                else:
                    keys = values
                    if kind == QuestionKind.COMPETENCIES:
                        keys = who.competencies if question.from_framework else question.items
                    for item in keys:
                        value = _clip(_on(points, center) + rng.gauss(0, 0.45), points)
                        comment = rng.choice(content.ITEM_COMMENTS) if rng.random() < 0.1 else ""
                        items[item] = {"rating": value, "comment": comment}
                for item, answer in items.items():
                    ratings.append((key, kind, item, answer["rating"], points))
                answered[key] = {"rating": None, "comment": "", "items": items}
        return answered, ratings


# --- The cycles --------------------------------------------------------------------------


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randrange(7, 19), rng.randrange(60)), tzinfo=UTC)


def _between(start: date, end: date, rng: random.Random) -> datetime:
    return _at(start + timedelta(days=rng.randrange(max(1, (end - start).days + 1))), rng)


def _half_year_before(end: date) -> date:
    month = end.month - 5
    year = end.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


@dataclass
class _Plan:
    """One cycle being drawn."""

    cycle: Cycle
    phases: dict[str, tuple[date, date]]
    goals: dict[int, list[tuple[int, str, float]]]
    participant_of: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Written:
    answers: dict[str, Any]
    ratings: list[tuple[str, str, str, int, int]]  # counted: the review was submitted
    shared_at: datetime | None
    acknowledged_at: datetime | None


class _Generator:
    def __init__(self, *, seed: int, today: date, progress: Progress) -> None:
        self.rng = random.Random(seed * 7919 + 5)  # noqa: S311 (demo data from the seed)
        self.today = today
        self.progress = progress
        self.people, self.departments = _people(self.rng)
        _frameworks(self.people)
        self.writer = _Writer(self.rng)
        self.values = [
            f"v{pk}"
            for pk in CompanyValue.objects.order_by("position", "name").values_list("pk", flat=True)
        ]
        emails = {f"{key}@{DEMO_DOMAIN}": key for key in ("hr", "manager", "employee", "director")}
        self.logins = {
            emails[email]: pk
            for email, pk in Person.objects.filter(email__in=list(emails)).values_list(
                "email", "pk"
            )
        }
        self.hr = self.logins.get("hr")
        self.everyone = list(self.people)
        self.by_department: dict[int | None, list[int]] = defaultdict(list)
        for person in self.people.values():
            self.by_department[person.department].append(person.pk)
        self.next_participant = next_id(Participant)
        self.next_review = next_id(Review)
        self.participants = _Sink(Participant, PARTICIPANT_COLUMNS, progress)
        self.nominations = _Sink(Nomination, NOMINATION_COLUMNS, progress)
        self.reviews = _Sink(Review, REVIEW_COLUMNS, progress)
        self.ratings = _Sink(SubmittedRating, RATING_COLUMNS, progress)
        self.revisions = _Sink(ReviewRevision, REVISION_COLUMNS, progress)

    def flush(self) -> None:
        for sink in (
            self.participants,
            self.nominations,
            self.reviews,
            self.ratings,
            self.revisions,
        ):
            sink.flush()

    # -- who takes part --

    def writes(self, pk: int | None) -> bool:
        return pk is not None and pk in self.people

    def peers_for(
        self,
        person: _Person,
        load: dict[int, int],
        count: int,
        first: Sequence[int] = (),
        taken: Collection[int] = (),
    ) -> list[int]:
        """Colleagues to review `person`: forced ones, then teammates, then people from the
        same department, then anyone; none over the per-reviewer cap."""
        rng = self.rng
        team = self.people[person.manager].reports if person.manager in self.people else []
        department = self.by_department[person.department]
        candidates = list(first)
        candidates += rng.sample(team, k=min(len(team), 8))
        candidates += [rng.choice(department) for _ in range(min(len(department), 12))]
        # A small department fills up: someone from elsewhere who works with them.
        candidates += [rng.choice(self.everyone) for _ in range(12)]
        excluded = {person.pk, person.manager, *person.reports, *taken}
        chosen: list[int] = []
        for pk in candidates:
            if len(chosen) >= count:
                break
            if pk in chosen or pk in excluded:
                continue
            if pk in first:  # reserved by the caller, already counted in `load`
                chosen.append(pk)
                continue
            if load[pk] >= PEER_CAP:
                continue
            chosen.append(pk)
            load[pk] += 1
        return chosen

    # -- one review --

    def review(
        self,
        plan: _Plan,
        forms: dict[str, _Form],
        relationship: str,
        about: _Person,
        by: _Person,
        state: str,
        window: tuple[date, date],
        *,
        shared: tuple[date, date] | None = None,
        acknowledged: tuple[date, date] | None = None,
        revision: bool = False,
    ) -> _Written:
        """Write one review (`by` about `about`) and its ratings."""
        center = self.centre(relationship, about, by)
        rng = self.rng
        version_id, questions = forms[relationship].version, forms[relationship].questions
        review_id = self.next_review
        self.next_review += 1
        participant = plan.participant_of[about.pk]
        goals = plan.goals.get(about.pk, []) if relationship in (R.SELF, R.MANAGER) else []
        start, due = window
        created = plan.cycle.launched_at
        answers: dict[str, Any] = {}
        ratings: list[tuple[str, str, str, int, int]] = []
        started = saved = submitted = shared_at = acknowledged_at = reopened_at = None
        version = seconds = 0
        if state != S.NOT_STARTED:
            done = state in (S.SUBMITTED, S.SHARED, S.ACKNOWLEDGED)
            last = due if done else min(due, self.today)
            started = _between(start, last, rng)
            latest = datetime.combine(last, time(20), tzinfo=UTC)
            saved = min(started + timedelta(minutes=rng.randrange(10, 60 * 24 * 3)), latest)
            answers, ratings = self.writer.answers(
                questions,
                center=center,
                who=about,
                goals=goals,
                values=self.values,
                share=1.0 if done else rng.uniform(0.2, 0.8),
            )
            version = rng.randrange(3, 18) if done else rng.randrange(1, 6)
            seconds = rng.randrange(600, 3600) if done else rng.randrange(60, 1200)
            if done:
                submitted = saved
            if shared is not None and state in (S.SHARED, S.ACKNOWLEDGED):
                shared_at = max(_between(*shared, rng), submitted or saved)
            if acknowledged is not None and state == S.ACKNOWLEDGED:
                acknowledged_at = max(_between(*acknowledged, rng), shared_at or saved)
        if revision and submitted is not None:
            # Reopened once by HR before sharing and submitted again; the first version kept.
            reopened_at = submitted + timedelta(days=1, hours=rng.randrange(1, 8))
            earlier = json.loads(json.dumps(answers))
            for answer in earlier.values():
                if isinstance(answer.get("rating"), int):
                    answer["rating"] = max(1, answer["rating"] - 1)
            self.revisions.put(
                review_id,
                json.dumps(earlier),
                S.SUBMITTED,
                submitted,
                self.hr,
                rng.choice(content.REOPEN_REASONS),
                reopened_at,
            )
            submitted = reopened_at + timedelta(hours=rng.randrange(2, 30))
            version += 2
            if shared_at is not None and shared_at < submitted:
                shared_at = submitted + timedelta(hours=1)
            if (
                acknowledged_at is not None
                and shared_at is not None
                and acknowledged_at < shared_at
            ):
                acknowledged_at = shared_at + timedelta(hours=2)
        self.reviews.put(
            review_id,
            plan.cycle.pk,
            participant,
            about.pk,
            by.pk,
            relationship,
            version_id,
            state,
            json.dumps(answers, ensure_ascii=False),
            version,
            seconds,
            started,
            saved,
            submitted,
            shared_at,
            acknowledged_at,
            reopened_at,
            created,
        )
        if submitted is not None:
            for key, kind, item, value, points in ratings:
                self.ratings.put(
                    review_id,
                    plan.cycle.pk,
                    participant,
                    relationship,
                    key,
                    kind,
                    item,
                    value,
                    points,
                    NORMALISED[(value, points)],
                )
        return _Written(answers, ratings if submitted else [], shared_at, acknowledged_at)

    # -- centres of the ratings, on the 5-point scale --

    def centre(self, relationship: str, about: _Person, by: _Person) -> float:
        if relationship == R.SELF:
            return self.self_centre(about)
        if relationship == R.MANAGER:
            return self.manager_centre(about, by)
        if relationship == R.PEER:
            return self.peer_centre(about)
        return self.upward_centre(about)

    def self_centre(self, person: _Person) -> float:
        return 3.2 + 0.7 * person.performance + person.self_bias

    def manager_centre(self, person: _Person, manager: _Person) -> float:
        return 3.2 + person.performance + manager.leniency

    def peer_centre(self, person: _Person) -> float:
        return 3.5 + 0.7 * person.performance + self.rng.gauss(0, 0.3)

    def upward_centre(self, manager: _Person) -> float:
        return 3.4 + manager.upward

    def pick(self, shares: Sequence[tuple[float, str]]) -> str:
        roll = self.rng.random()
        for share, state in shares:
            if roll < share:
                return state
            roll -= share
        return shares[-1][1]

    # -- participants --

    def participant(
        self,
        plan: _Plan,
        person: _Person,
        *,
        manager_names: dict[int, str],
        shared: _Written | None = None,
        comment: str = "",
        score: tuple[Decimal | None, dict[str, Any]] = (None, {}),
        manager_rating: int | None = None,
    ) -> None:
        manager = self.people.get(person.manager) if person.manager else None
        shared_at = shared.shared_at if shared else None
        self.participants.put(
            plan.participant_of[person.pk],
            plan.cycle.pk,
            person.pk,
            person.title,
            person.level,
            person.department,
            self.departments.get(person.department, "") if person.department else "",
            person.manager,
            (manager.name if manager else manager_names.get(person.manager or 0, ""))[:210],
            person.path,
            plan.cycle.launched_at,
            False,
            None,
            "",
            shared_at,
            person.manager if shared_at else None,
            shared.acknowledged_at if shared else None,
            comment if shared and shared.acknowledged_at else "",
            score[0],
            json.dumps(score[1]),
            manager_rating,
            person.snapshot,
        )

    def nominate(
        self,
        plan: _Plan,
        person: _Person,
        peer: int,
        status: str,
        *,
        decided_by: int | None = None,
        decided: tuple[date, date] | None = None,
        reason: str = "",
    ) -> None:
        start, due = plan.phases[PhaseKind.NOMINATION]
        created = _between(start, due, self.rng)
        decided_at = max(_between(*decided, self.rng), created) if decided else None
        self.nominations.put(
            plan.cycle.pk,
            plan.participant_of[person.pk],
            peer,
            status,
            person.pk,
            decided_by,
            decided_at,
            reason,
            created,
        )

    def approved(self, plan: _Plan, person: _Person, peer: int, decider: int | None) -> None:
        """`peer` nominated for this person and approved by `decider` in the nomination phase."""
        self.nominate(
            plan,
            person,
            peer,
            NominationStatus.APPROVED,
            decided_by=decider,
            decided=plan.phases[PhaseKind.NOMINATION],
        )

    # -- the finished cycle --

    def finished(self, plan: _Plan, forms: dict[str, _Form], manager_names: dict[int, str]) -> None:
        rng, phases = self.rng, plan.phases
        load: dict[int, int] = defaultdict(int)
        revision_share = min(0.02, max(0.002, 3 / len(self.people)))
        overall = next(q.key for q in forms[R.MANAGER].questions if q.pool == "manager_rating")
        employee = self.logins.get("employee")
        for person in self.people.values():
            state = self.pick(((0.97, S.SUBMITTED), (0.02, S.IN_PROGRESS), (0.01, S.NOT_STARTED)))
            if person.pk == employee:
                state = S.SUBMITTED
            self.review(plan, forms, R.SELF, person, person, state, phases[PhaseKind.SELF])
            manager = self.people.get(person.manager) if person.manager else None
            written = None
            manager_rating = None
            score: tuple[Decimal | None, dict[str, Any]] = scores.combine(plan.cycle, {})
            if manager is not None:
                state = S.IN_PROGRESS
                if rng.random() < 0.985 or person.pk == employee:
                    state = S.ACKNOWLEDGED if rng.random() < 0.85 else S.SHARED
                if person.pk == employee:
                    state = S.ACKNOWLEDGED
                written = self.review(
                    plan,
                    forms,
                    R.MANAGER,
                    person,
                    manager,
                    state,
                    phases[PhaseKind.MANAGER],
                    shared=phases[PhaseKind.SHARING],
                    acknowledged=phases[PhaseKind.ACKNOWLEDGEMENT],
                    revision=rng.random() < revision_share or not self.revisions.added,
                )
                rating = next((r for r in written.ratings if r[0] == overall and not r[2]), None)
                if rating is not None:
                    manager_rating = rating[3]
                    value = {"manager": NORMALISED[(rating[3], rating[4])]}
                    score = scores.combine(plan.cycle, value)
                # Upward: this person about their manager.
                state = self.pick(
                    ((0.9, S.SUBMITTED), (0.04, S.IN_PROGRESS), (0.06, S.NOT_STARTED))
                )
                self.review(plan, forms, R.UPWARD, manager, person, state, phases[PhaseKind.PEER])
            decider = manager.pk if manager else self.hr
            for peer in self.peers_for(person, load, rng.randint(*PEERS)):
                self.approved(plan, person, peer, decider)
                state = self.pick(
                    ((0.92, S.SUBMITTED), (0.04, S.IN_PROGRESS), (0.04, S.NOT_STARTED))
                )
                self.review(
                    plan, forms, R.PEER, person, self.people[peer], state, phases[PhaseKind.PEER]
                )
            comment = ""
            if written is not None and written.acknowledged_at and rng.random() < 0.3:
                comment = rng.choice(content.ACKNOWLEDGEMENT_COMMENTS)
            if person.pk == employee:
                comment = content.ACKNOWLEDGEMENT_COMMENTS[0]
            self.participant(
                plan,
                person,
                manager_names=manager_names,
                shared=written if written and written.shared_at else None,
                comment=comment,
                score=score,
                manager_rating=manager_rating,
            )

    # -- the cycle in its peer phase --

    def active(self, plan: _Plan, forms: dict[str, _Form], manager_names: dict[int, str]) -> None:
        rng, phases, today = self.rng, plan.phases, self.today
        load: dict[int, int] = defaultdict(int)
        employee = self.logins.get("employee")
        manager_login = self.logins.get("manager")
        # The employee log-in has a teammate's peer review to write; the manager log-in has
        # nominations of two reports to approve and a draft about the employee.
        teammate = None
        waiting: set[int] = set()
        if employee in self.people:
            boss = self.people[employee].manager
            team = self.people[boss].reports if boss in self.people else []
            teammate = next((pk for pk in team if pk != employee), None)
        if manager_login in self.people:
            reports = self.people[manager_login].reports
            waiting = {pk for pk in reports if pk not in (employee, teammate)}
            waiting = set(sorted(waiting)[:2])
        if teammate is not None and employee is not None:
            load[employee] += 1
        declines = 0
        peer_window = (phases[PhaseKind.PEER][0], today)
        for person in self.people.values():
            state = self.pick(((0.78, S.SUBMITTED), (0.14, S.IN_PROGRESS), (0.08, S.NOT_STARTED)))
            if person.pk in (employee, manager_login):
                state = S.SUBMITTED
            self.review(plan, forms, R.SELF, person, person, state, phases[PhaseKind.SELF])
            manager = self.people.get(person.manager) if person.manager else None
            if manager is not None:
                state = S.IN_PROGRESS if rng.random() < 0.12 else S.NOT_STARTED
                if person.pk == employee:
                    state = S.IN_PROGRESS
                self.review(plan, forms, R.MANAGER, person, manager, state, peer_window)
                state = self.pick(
                    ((0.3, S.SUBMITTED), (0.25, S.IN_PROGRESS), (0.45, S.NOT_STARTED))
                )
                self.review(plan, forms, R.UPWARD, manager, person, state, peer_window)
            status = self.pick(
                (
                    (0.83, NominationStatus.APPROVED),
                    (0.14, NominationStatus.PROPOSED),
                    (0.03, ""),  # nominated nobody yet
                )
            )
            forced = [employee] if person.pk == teammate and employee is not None else []
            if forced or person.pk == employee:
                status = NominationStatus.APPROVED
            if person.pk in waiting:
                status = NominationStatus.PROPOSED
            if not status:
                self.participant(plan, person, manager_names=manager_names)
                continue
            decider = manager.pk if manager else self.hr
            chosen = self.peers_for(person, load, rng.randint(*PEERS), forced)
            taken = set(chosen)
            for peer in chosen:
                if status == NominationStatus.PROPOSED:
                    self.nominate(plan, person, peer, status)
                    continue
                special = peer == employee and person.pk == teammate
                if not special and person.pk != employee and (declines < 2 or rng.random() < 0.01):
                    # The peer declined; the manager picked someone else.
                    declines += 1
                    load[peer] -= 1
                    self.nominate(
                        plan,
                        person,
                        peer,
                        NominationStatus.DECLINED,
                        decided_by=peer,
                        decided=peer_window,
                        reason=rng.choice(content.DECLINE_REASONS),
                    )
                    replacement = self.peers_for(person, load, 1, taken=taken)
                    if not replacement:
                        continue
                    peer = replacement[0]
                    taken.add(peer)
                self.approved(plan, person, peer, decider)
                state = self.pick(
                    ((0.35, S.SUBMITTED), (0.3, S.IN_PROGRESS), (0.35, S.NOT_STARTED))
                )
                if special:
                    state = S.NOT_STARTED
                self.review(plan, forms, R.PEER, person, self.people[peer], state, peer_window)
            self.participant(plan, person, manager_names=manager_names)


# --- Loading -----------------------------------------------------------------------------


def _phases(cycle: Cycle, windows: dict[str, tuple[date, date]]) -> None:
    Phase.objects.bulk_create(
        Phase(cycle=cycle, kind=kind, opens_on=opens, due_on=due)
        for kind, (opens, due) in windows.items()
    )


def _cycle(
    *,
    name: str,
    description: str,
    period: tuple[date, date],
    status: str,
    windows: dict[str, tuple[date, date]],
    forms: dict[str, _Form],
    hr: Person | None,
    participants: int,
    today: date,
    rng: random.Random,
) -> Cycle:
    launched = _at(windows[PhaseKind.SELF][0] - timedelta(days=1), rng)
    closed = None
    if status == CycleStatus.CLOSED:
        closed = _at(min(windows[PhaseKind.ACKNOWLEDGEMENT][1] + timedelta(days=3), today), rng)
    cycle = Cycle.objects.create(
        name=name,
        description=description,
        period_start=period[0],
        period_end=period[1],
        status=status,
        rule_exclude_on_leave=False,
        use_for=UseFor.CALIBRATION,
        peers_min=PEERS[0],
        peers_max=PEERS[1],
        peer_review_cap=PEER_CAP,
        score_method=ScoreMethod.MANAGER_RATING,
        launched_at=launched,
        launched_by=hr,
        launch_total=participants,
        launch_done=participants,
        closed_at=closed,
        created_by=hr,
    )
    CycleForm.objects.bulk_create(
        CycleForm(cycle=cycle, relationship=rel, template_id=form.template, version_id=form.version)
        for rel, form in forms.items()
    )
    _phases(cycle, windows)
    return cycle


def _windows(spec: Sequence[tuple[str, int, int]], start: date) -> dict[str, tuple[date, date]]:
    return {kind: (start + timedelta(days=o), start + timedelta(days=d)) for kind, o, d in spec}


@register_demo
def load_demo(*, seed: int, today: date, progress: Progress) -> None:
    """Write the demo company's review cycles. Runs inside the org demo's transaction."""
    generator = _Generator(seed=seed, today=today, progress=progress)
    people = generator.people
    if len(people) < 4:
        return
    rng = generator.rng
    hr = Person.objects.filter(pk=generator.hr).first() if generator.hr else None
    forms = _templates(hr)

    program = Program.load()
    length, month = str(program.goal_period_length), program.fiscal_year_start_month
    _, current_start, current_end = bounds(today, length=length, fiscal_start_month=month)
    finished_end = current_start - timedelta(days=1)
    finished_start = _half_year_before(finished_end)
    # The finished cycle ran right after its period, or as late as still fits before today.
    start = min(finished_end + timedelta(days=3), today - timedelta(days=70))
    finished_windows = _windows(FINISHED_PHASES, start)
    active_windows = _windows(ACTIVE_PHASES, today)

    # Both cycles: the same forms, HR admin and people, dated from today.
    cycle_of = partial(_cycle, forms=forms, hr=hr, participants=len(people), today=today, rng=rng)
    finished = cycle_of(
        name=f"Performance review {finished_start:%B}–{finished_end:%B %Y}",
        description="Our half-year review: self, manager, peer and upward reviews, "
        "calibrated before sharing.",
        period=(finished_start, finished_end),
        status=CycleStatus.CLOSED,
        windows=finished_windows,
    )
    active = cycle_of(
        name=f"Performance review {current_start:%B}–{current_end:%B %Y}",
        description="Write from the evidence: your goals, check-ins and feedback are in the "
        "side panel of every review.",
        period=(current_start, current_end),
        status=CycleStatus.ACTIVE,
        windows=active_windows,
    )

    missing = {p.manager for p in people.values() if p.manager and p.manager not in people}
    manager_names = {
        pk: f"{preferred or first} {last}".strip()
        for pk, first, preferred, last in Person.objects.filter(pk__in=missing).values_list(
            "pk", "first_name", "preferred_name", "last_name"
        )
    }
    plans = []
    for cycle, windows in ((finished, finished_windows), (active, active_windows)):
        plan = _Plan(
            cycle=cycle,
            phases=windows,
            goals=_goals(cycle.period_start, cycle.period_end, people),
        )
        for pk in people:
            plan.participant_of[pk] = generator.next_participant
            generator.next_participant += 1
        plans.append(plan)
    generator.finished(plans[0], forms, manager_names)
    generator.active(plans[1], forms, manager_names)
    generator.flush()
    reset_sequences([Participant, Nomination, Review, ReviewRevision, SubmittedRating])
    for plan in plans:
        tally.refresh(cycle_id=plan.cycle.pk)
