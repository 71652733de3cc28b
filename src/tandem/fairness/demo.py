"""Demo protected attributes: gender, age band, ethnicity and disability for everyone (some
not given), with a small, visible gap in the finished cycle's ratings before calibration.

The gap comes from where people sit, not from a rule about them: reports of the stricter
managers of the finished cycle are a little more often women, so women's ratings before
calibration are a little lower; calibration, which evens out managers' strictness, narrows
it. The demo HR admin also holds the people-analytics role, so the fairness pages open.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date

from tandem.access.models import Role, RoleGrant
from tandem.access.rules import SYSTEM
from tandem.fairness.models import PersonAttribute, ProtectedAttribute
from tandem.org.demo import DEMO_DOMAIN, register_demo
from tandem.org.models import Person, PersonStatus
from tandem.reviews.queries.ratings import raw_manager_rating_rows
from tandem.reviews.queries.setup import cycles

Progress = Callable[[str, int, int], None]

ATTRIBUTES = {
    "gender": "Gender",
    "age_band": "Age band",
    "ethnicity": "Ethnicity",
    "disability": "Disability",
}
AGE_BANDS = (("18–24", 8), ("25–34", 34), ("35–44", 30), ("45–54", 18), ("55 and over", 10))
ETHNICITIES = (("Asian", 18), ("Black", 12), ("Mixed", 6), ("White", 56), ("Other", 3))
NOT_GIVEN_SHARE = 0.06
ANALYST = f"hr@{DEMO_DOMAIN}"


def _pick(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _strictness() -> dict[int, float]:
    """Each manager's strictness in the finished cycle: the company's mean manager rating
    minus theirs (positive: stricter than most)."""
    finished = cycles(SYSTEM).filter(status="closed").first()
    if finished is None:
        return {}
    by_manager: dict[int, list[int]] = defaultdict(list)
    # One joined query: the load has dropped the indexes a subquery per participant
    # (rated_participants) needs, and it ran for minutes at 10,000 people on PostgreSQL.
    for _, manager_id, rating, _ in raw_manager_rating_rows(finished):
        if manager_id is not None:
            by_manager[manager_id].append(int(rating))
    everyone = [r for ratings in by_manager.values() for r in ratings]
    if not everyone:
        return {}
    mean = sum(everyone) / len(everyone)
    return {m: mean - sum(r) / len(r) for m, r in by_manager.items()}


@register_demo
def load_demo(*, seed: int, today: date, progress: Progress) -> None:
    rng = random.Random(seed * 7907 + 14)  # noqa: S311 (demo data: reproducible from the seed)
    strictness = _strictness()
    attributes = {
        key: ProtectedAttribute.objects.get_or_create(key=key, defaults={"label": label})[0]
        for key, label in ATTRIBUTES.items()
    }
    people = list(
        Person.objects.exclude(status=PersonStatus.LEFT)
        .order_by("pk")
        .values_list("pk", "manager_id")
    )
    rows: list[PersonAttribute] = []
    for index, (pk, manager_id) in enumerate(people, start=1):
        if index % 2000 == 0 or index == len(people):
            progress("Protected attributes", index, len(people))
        lean = max(-0.15, min(0.15, 0.25 * strictness.get(manager_id or 0, 0.0)))
        values = {
            "gender": rng.choices(
                ["Woman", "Man", "Non-binary"], weights=[0.47 + lean, 0.50 - lean, 0.03]
            )[0],
            "age_band": _pick(rng, AGE_BANDS),
            "ethnicity": _pick(rng, ETHNICITIES),
            "disability": "Yes" if rng.random() < 0.08 else "No",
        }
        for key, value in values.items():
            if rng.random() >= NOT_GIVEN_SHARE:
                rows.append(PersonAttribute(person_id=pk, attribute=attributes[key], value=value))
    PersonAttribute.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    analyst = Person.objects.filter(email=ANALYST).first()
    if analyst is not None:
        RoleGrant.objects.get_or_create(person=analyst, role=Role.PEOPLE_ANALYTICS)
