"""The demo's protected attributes (fairness.demo): deterministic, nearly complete, and with
a small gap in the finished cycle's raw manager ratings between women and men."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from tandem.access.models import Role, RoleGrant
from tandem.fairness import demo as fairness_demo
from tandem.fairness.models import PersonAttribute, ProtectedAttribute
from tandem.org import demo
from tandem.org.models import Person
from tandem.reviews.queries.ratings import latest_finished_cycle, rated_participants

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)
SEED = 11
PEOPLE = 400


@pytest.fixture
def loaded() -> None:
    demo.load_demo(people=PEOPLE, seed=SEED, today=TODAY)


def _rows() -> list[tuple[int, str, str]]:
    return list(
        PersonAttribute.objects.order_by("person_id", "attribute__key").values_list(
            "person_id", "attribute__key", "value"
        )
    )


def _top_share(values: list[tuple[int, int]]) -> float:
    return sum(1 for raw, points in values if raw == points) / len(values)


def test_the_same_seed_gives_the_same_attributes(loaded: None) -> None:
    first = _rows()
    PersonAttribute.objects.all().delete()
    fairness_demo.load_demo(seed=SEED, today=TODAY, progress=lambda *args: None)

    assert _rows() == first


def test_another_seed_gives_other_attributes(loaded: None) -> None:
    first = _rows()
    PersonAttribute.objects.all().delete()
    fairness_demo.load_demo(seed=SEED + 1, today=TODAY, progress=lambda *args: None)

    assert _rows() != first


def test_nearly_everyone_has_given_each_attribute_but_not_everyone(loaded: None) -> None:
    people = Person.objects.count()
    for key in ("gender", "age_band"):
        given = PersonAttribute.objects.filter(attribute__key=key).count()
        assert 0.9 * people < given < people, key


def test_the_demo_defines_gender_and_age_band(loaded: None) -> None:
    assert set(ProtectedAttribute.objects.values_list("key", flat=True)) >= {"gender", "age_band"}


def test_women_reach_the_top_rating_less_often_than_men_in_raw_ratings(loaded: None) -> None:
    cycle = latest_finished_cycle()
    assert cycle is not None
    gender = dict(
        PersonAttribute.objects.filter(attribute__key="gender").values_list("person_id", "value")
    )
    by_group: dict[str, list[tuple[int, int]]] = {"Woman": [], "Man": []}
    for person_id, raw, points in rated_participants(cycle).values_list(
        "person_id", "raw_rating", "points"
    ):
        if raw is not None and gender.get(person_id) in by_group:
            by_group[gender[person_id]].append((raw, points))

    ratio = _top_share(by_group["Woman"]) / _top_share(by_group["Man"])
    assert 0.65 <= ratio <= 0.8  # flagged by the four-fifths rule, and no more than that
    sizes = Counter({group: len(values) for group, values in by_group.items()})
    assert abs(sizes["Woman"] - sizes["Man"]) <= 0.1 * sum(sizes.values())


def test_the_demo_hr_admin_holds_the_people_analytics_role(loaded: None) -> None:
    hr = Person.objects.get(email=f"hr@{demo.DEMO_DOMAIN}")

    assert RoleGrant.objects.filter(person=hr, role=Role.PEOPLE_ANALYTICS).exists()


def test_the_demo_log_ins_say_the_hr_admin_does_people_analytics(loaded: None) -> None:
    roles = {login.key: login.role for login in demo.demo_logins()}

    assert "people analytics" in roles["hr"]
