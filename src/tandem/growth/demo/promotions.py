"""Demo data: promotions. A finished window, closed, with its decisions — a mix of
"promoted" (the person's placement moved up a level from the effective date, with the step
in their level history) and "not yet" (with development actions), each with a reason — and
a running window with cases in review, a few drafts and the reviewers' comments. The demo's
HR admin and director sit on both committees; the demo manager has a case in review for
the demo employee when both are placed.

Run by `tandem.org.demo.load_demo` inside its transaction, after the placements exist
(frameworks' loader) and after calibration's. Rows are written in bulk, without an audit
event each (the demo load is recorded once by the org demo); a few hundred cases at most,
whatever the company's size. Nothing is written when nobody is placed on a track.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from tandem.growth.models import (
    CaseComment,
    CaseStatus,
    Level,
    LevelChange,
    LevelChangeSource,
    Outcome,
    Placement,
    PromotionCase,
    PromotionWindow,
)
from tandem.org.demo import DEMO_DOMAIN, Progress, register_demo
from tandem.org.models import Person, PersonStatus

FINISHED_CASES = 160
RUNNING_CASES = 120
PROMOTED_SHARE = 0.55
DRAFT_SHARE = 0.15

CASE_TEXTS = (
    "{name} has operated at {level} scope for two quarters: they led the {project} from design "
    "to launch, set the direction for two colleagues and raised the bar in reviews.",
    "Over the last year {name} took ownership of the {project}, handled the hard trade-offs "
    "with other teams and mentored a new joiner. This is what {level} expects.",
    "{name} consistently delivers beyond their level: the {project} shipped early, the "
    "feedback from peers is strong and their goals scored well two periods running.",
)
PROJECTS = (
    "billing migration",
    "onboarding redesign",
    "reporting platform",
    "regional launch",
    "support tooling",
    "data pipeline rebuild",
)
PROMOTED_REASONS = (
    "The evidence shows sustained impact at the target level's scope; the committee agreed "
    "unanimously.",
    "Strong competency ratings against the target expectations and consistent goal results; "
    "the skip-level manager's comments confirmed the scope.",
    "Operating at the next level for more than two quarters, with peers' feedback to match.",
)
NOT_YET_REASONS = (
    "Strong in their own area, but the target level expects influence across teams that the "
    "evidence does not show yet.",
    "Good results, but for less than a full period at this scope; the committee wants to see "
    "it sustained.",
    "The competency profile shows gaps against the target level in two areas.",
)
ACTIONS = (
    "Lead one cross-team project next period, with a written design others review.",
    "Mentor a new joiner for a quarter and run one of the team's planning sessions.",
    "Take ownership of an area outside the team's usual scope and present the results.",
)
COMMENTS = (
    "I have seen the scope first-hand in the planning meetings; it matches the target level.",
    "Could the case say more about influence outside the team?",
    "Agree with the manager: the evidence is strong.",
)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _ladders() -> dict[int, list[Level]]:
    ladders: dict[int, list[Level]] = {}
    for level in Level.objects.order_by("track_id", "position", "pk"):
        ladders.setdefault(level.track_id, []).append(level)
    return ladders


def _next(ladders: dict[int, list[Level]], placement: Placement) -> Level | None:
    ladder = ladders.get(placement.track_id, [])
    ids = [level.pk for level in ladder]
    if placement.level_id not in ids:
        return None
    at = ids.index(placement.level_id)
    return ladder[at + 1] if at + 1 < len(ladder) else None


def _candidates(
    ladders: dict[int, list[Level]], rng: random.Random, count: int, *, placed_before: date
) -> list[tuple[Placement, Level]]:
    """Up to `count` placed people with a manager and a level above theirs, placed before
    `placed_before` and started by then: a sample of ids first (cheap at any size)."""
    ids = list(
        Placement.objects.filter(
            person__manager__isnull=False,
            person__status=PersonStatus.ACTIVE,
            since__lt=placed_before,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    picked = rng.sample(ids, min(len(ids), count * 2))
    rows = Placement.objects.filter(pk__in=picked).select_related("person").order_by("pk")
    found = []
    for placement in rows:
        target = _next(ladders, placement)
        start = placement.person.start_date
        if target is None or (start is not None and start >= placed_before):
            continue
        found.append((placement, target))
    rng.shuffle(found)
    return found[:count]


def _manager_of(person: Person) -> int:
    # The candidates all have a manager (see _candidates); they write the case.
    assert person.manager_id is not None
    return person.manager_id


def _text(rng: random.Random, person: Person, level: Level) -> str:
    return rng.choice(CASE_TEXTS).format(
        name=person.display_name, level=level.code, project=rng.choice(PROJECTS)
    )


@register_demo
def load_demo(*, seed: int, today: date, progress: Progress) -> None:
    """Write the finished and the running promotion windows."""
    if not Placement.objects.exists():
        return
    rng = random.Random(seed * 31 + 15)  # noqa: S311 (demo data from the seed)
    ladders = _ladders()
    logins = {
        p.email.split("@")[0]: p
        for p in Person.objects.filter(
            email__in=[f"{key}@{DEMO_DOMAIN}" for key in ("hr", "director", "manager", "employee")]
        )
    }
    committee = [p for key, p in logins.items() if key in ("hr", "director")]
    decider = logins.get("hr") or (committee[0] if committee else None)
    year = today.year
    finished = PromotionWindow.objects.create(
        name=f"Spring {year}" if today.month > 7 else f"Autumn {year - 1}",
        opens_on=today - timedelta(days=200),
        cases_due_on=today - timedelta(days=175),
        decisions_due_on=today - timedelta(days=150),
        closed_at=_at(today - timedelta(days=145)),
        created_by=decider,
    )
    running = PromotionWindow.objects.create(
        name=f"Autumn {year}" if today.month > 7 else f"Spring {year}",
        opens_on=today - timedelta(days=14),
        cases_due_on=today + timedelta(days=16),
        decisions_due_on=today + timedelta(days=40),
        created_by=decider,
    )
    for window in (finished, running):
        window.committee.set(committee)
    _finished(finished, ladders, rng, decider)
    _running(running, ladders, rng, logins)


def _finished(
    window: PromotionWindow,
    ladders: dict[int, list[Level]],
    rng: random.Random,
    decider: Person | None,
) -> None:
    chosen = _candidates(ladders, rng, FINISHED_CASES, placed_before=window.opens_on)
    effective = window.decisions_due_on + timedelta(days=1)
    decided_at = _at(window.decisions_due_on - timedelta(days=2), 15)
    cases = []
    for placement, target in chosen:
        person = placement.person
        promoted = rng.random() < PROMOTED_SHARE
        cases.append(
            PromotionCase(
                window=window,
                person=person,
                author_id=_manager_of(person),
                from_level_id=placement.level_id,
                target_level=target,
                text=_text(rng, person, target),
                status=CaseStatus.DECIDED,
                submitted_at=_at(window.cases_due_on - timedelta(days=rng.randint(0, 10))),
                outcome=Outcome.PROMOTED if promoted else Outcome.NOT_YET,
                decision_reason=rng.choice(PROMOTED_REASONS if promoted else NOT_YET_REASONS),
                development_actions="" if promoted else rng.choice(ACTIONS),
                decided_by=decider,
                decided_at=decided_at,
                effective_on=effective if promoted else None,
            )
        )
    PromotionCase.objects.bulk_create(cases)
    moved: list[Placement] = []
    changes: list[LevelChange] = []
    by_person = {placement.person_id: placement for placement, _ in chosen}
    for case in cases:
        if case.outcome != Outcome.PROMOTED:
            continue
        placement = by_person[case.person_id]
        changes.append(
            LevelChange(
                person_id=case.person_id,
                from_level_id=placement.level_id,
                to_level=case.target_level,
                effective_on=effective,
                source=LevelChangeSource.PROMOTION,
                reason=case.decision_reason,
                promotion_case=case,
                created_by=decider,
            )
        )
        placement.level = case.target_level
        placement.since = effective
        moved.append(placement)
    Placement.objects.bulk_update(moved, ["level", "since"])
    LevelChange.objects.bulk_create(changes)


def _running(
    window: PromotionWindow,
    ladders: dict[int, list[Level]],
    rng: random.Random,
    logins: dict[str, Person],
) -> None:
    taken = set(
        PromotionCase.objects.filter(outcome=Outcome.PROMOTED).values_list("person_id", flat=True)
    )
    chosen = [
        (placement, target)
        for placement, target in _candidates(
            ladders, rng, RUNNING_CASES, placed_before=window.opens_on
        )
        if placement.person_id not in taken
    ]
    employee, manager = logins.get("employee"), logins.get("manager")
    if employee is not None and manager is not None and employee.manager_id == manager.pk:
        own = Placement.objects.filter(person=employee).select_related("person").first()
        target = _next(ladders, own) if own is not None else None
        chosen = [(p, t) for p, t in chosen if p.person_id != employee.pk]
        if own is not None and target is not None:
            chosen.insert(0, (own, target))
    cases = []
    for index, (placement, target) in enumerate(chosen):
        person = placement.person
        draft = index > 0 and rng.random() < DRAFT_SHARE
        cases.append(
            PromotionCase(
                window=window,
                person=person,
                author_id=_manager_of(person),
                from_level_id=placement.level_id,
                target_level=target,
                text=_text(rng, person, target),
                status=CaseStatus.DRAFT if draft else CaseStatus.IN_REVIEW,
                submitted_at=None
                if draft
                else _at(window.opens_on + timedelta(days=rng.randint(1, 10))),
            )
        )
    PromotionCase.objects.bulk_create(cases)
    skip_of = dict(
        Person.objects.filter(pk__in={c.author_id for c in cases}).values_list("pk", "manager_id")
    )
    comments = []
    for case in cases:
        if case.status != CaseStatus.IN_REVIEW or rng.random() < 0.5:
            continue
        skip = skip_of.get(case.author_id)
        if skip is None:
            continue
        comments.append(
            CaseComment(
                case=case,
                author_id=skip,
                text=rng.choice(COMMENTS),
            )
        )
    CaseComment.objects.bulk_create(comments)


load_demo.demo_part = "promotions"  # type: ignore[attr-defined]  # the part's name in the table
