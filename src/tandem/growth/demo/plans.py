"""Demo data: development plans for about half of the company.

Each plan has one to three focus areas — competencies of the person's track when the
frameworks demo placed them, otherwise one of their goals — with actions in every state
(some overdue) and a few check-ins. Drawn in Python from the seed and streamed as plain rows
(`core.bulk.RowSink`: COPY on PostgreSQL), so 100,000 people stay fast.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from tandem.access.rules import SYSTEM
from tandem.core.bulk import RowSink, next_id, reset_sequences
from tandem.goals.queries import goals as goal_queries
from tandem.growth.models import (
    Action,
    ActionKind,
    ActionStatus,
    Competency,
    FocusArea,
    Placement,
    Plan,
    PlanCheckin,
    PlanStatus,
)
from tandem.org import tree
from tandem.org.demo import Progress, register_demo
from tandem.org.models import Person, PersonStatus

CHUNK = 5000
SHARE = 0.5
PLAN_DAYS = 182
ACTIONS = {
    ActionKind.COURSE: [
        "Take the internal course on {topic}",
        "Finish an online course on {topic}",
    ],
    ActionKind.STRETCH: ["Lead a small project that needs {topic}", "Own {topic} for one release"],
    ActionKind.MENTORING: ["Monthly sessions with a mentor on {topic}"],
    ActionKind.SHADOWING: ["Shadow a senior colleague on {topic} for two weeks"],
    ActionKind.READING: ["Read and discuss a book on {topic}"],
    ActionKind.PRACTICE: ["Practise {topic} in the next three pieces of work"],
}
CHECKINS = (
    "Good progress: the course is half done and the first project is under way.",
    "Slower than hoped this month; agreed to drop one action and focus on the project.",
    "Talked it through in our 1:1: the stretch project is where most of the learning is.",
)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


@register_demo
def load_demo(*, seed: int, today: date, progress: Progress) -> None:
    """Write development plans for about half of the active people."""
    rng = random.Random(seed * 7919 + 15)  # noqa: S311 (demo data from the seed)
    people = list(
        Person.objects.filter(status=PersonStatus.ACTIVE).order_by("pk").values_list("pk", "path")
    )
    chosen = [(pk, path) for pk, path in people if rng.random() < SHARE]
    if not chosen:
        return
    tracks = dict(Placement.objects.values_list("person_id", "track_id"))
    competencies: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, track_id, name in Competency.objects.order_by("track_id", "position", "pk").values_list(
        "pk", "track_id", "name"
    ):
        competencies[track_id].append((pk, name))
    goals: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if any(pk not in tracks for pk, _ in chosen):
        period = goal_queries.current_period(today) or goal_queries.latest_period(today)
        if period is not None:
            for owner_id, goal_id, title in (
                goal_queries.goals_for(SYSTEM, period=period)
                .order_by()
                .values_list("owner_id", "pk", "title")
                .iterator(chunk_size=CHUNK)
            ):
                if len(goals[owner_id]) < 3:
                    goals[owner_id].append((goal_id, title))

    plans = RowSink(
        Plan,
        (
            "id",
            "person",
            "title",
            "starts_on",
            "ends_on",
            "status",
            "created_at",
            "updated_at",
            "created_by",
        ),
        chunk=CHUNK,
    )
    areas = RowSink(
        FocusArea,
        ("id", "plan", "position", "title", "competency", "goal", "notes"),
        chunk=CHUNK,
    )
    actions = RowSink(
        Action,
        ("id", "focus_area", "kind", "text", "owner", "due_on", "status", "done_at", "position"),
        chunk=CHUNK,
    )
    checkins = RowSink(PlanCheckin, ("id", "plan", "author", "text", "created_at"), chunk=CHUNK)
    plan_id, area_id, action_id, checkin_id = (
        next_id(Plan),
        next_id(FocusArea),
        next_id(Action),
        next_id(PlanCheckin),
    )
    kinds = list(ACTIONS)
    progress("development plans", 0, len(chosen))
    for index, (person_id, path) in enumerate(chosen):
        topics = competencies.get(tracks.get(person_id, -1), [])
        linked = "competency" if topics else "goal"
        if not topics:
            topics = goals.get(person_id, [])
        if not topics:
            continue
        above = [pk for pk in tree.ids_in(path) if pk != person_id]
        manager_id = above[-1] if above else None
        draw = rng.random()
        if draw < 0.1:
            status, starts = PlanStatus.COMPLETED, today - timedelta(days=rng.randint(200, 380))
        elif draw < 0.2:
            status, starts = PlanStatus.DRAFT, today + timedelta(days=rng.randint(0, 20))
        else:
            status, starts = PlanStatus.ACTIVE, today - timedelta(days=rng.randint(10, 150))
        ends = starts + timedelta(days=PLAN_DAYS)
        created = _at(starts - timedelta(days=3))
        plans.add(
            (
                plan_id,
                person_id,
                f"Growth plan {starts:%B %Y}",
                starts,
                ends,
                str(status.value),
                created,
                created,
                manager_id or person_id,
            )
        )
        picked = rng.sample(topics, k=min(len(topics), rng.randint(1, 3)))
        for position, (topic_id, topic) in enumerate(picked):
            areas.add(
                (
                    area_id,
                    plan_id,
                    position,
                    topic,
                    topic_id if linked == "competency" else None,
                    topic_id if linked == "goal" else None,
                    "",
                )
            )
            for order in range(rng.randint(1, 3)):
                kind = rng.choice(kinds)
                due = starts + timedelta(days=rng.randint(20, PLAN_DAYS))
                owner = person_id
                if kind == ActionKind.MENTORING and manager_id is not None:
                    owner = manager_id
                if status == PlanStatus.COMPLETED or (due < today and rng.random() < 0.6):
                    state = ActionStatus.DONE if rng.random() < 0.9 else ActionStatus.DROPPED
                elif status == PlanStatus.DRAFT:
                    state = ActionStatus.TODO
                else:
                    state = rng.choice((ActionStatus.TODO, ActionStatus.DOING))
                done_at = _at(min(due, today)) if state == ActionStatus.DONE else None
                text = rng.choice(ACTIONS[kind]).format(topic=topic.lower())
                actions.add(
                    (
                        action_id,
                        area_id,
                        kind.value,
                        text[:300],
                        owner,
                        due,
                        state.value,
                        done_at,
                        order,
                    )
                )
                action_id += 1
            area_id += 1
        if status != PlanStatus.DRAFT and rng.random() < 0.3:
            author = manager_id if manager_id is not None and rng.random() < 0.5 else person_id
            day = min(today, starts + timedelta(days=rng.randint(7, 60)))
            checkins.add((checkin_id, plan_id, author, rng.choice(CHECKINS), _at(day, 16)))
            checkin_id += 1
        plan_id += 1
        if index % CHUNK == 0:
            progress("development plans", index, len(chosen))
    for sink in (plans, areas, actions, checkins):
        sink.flush()
    reset_sequences([Plan, FocusArea, Action, PlanCheckin])
    progress("development plans", len(chosen), len(chosen))


load_demo.demo_part = "development plans"  # type: ignore[attr-defined]  # the part's name in the table
