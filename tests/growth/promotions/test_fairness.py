"""Promotion rates by group: figures equal to pandas/scipy computed here from the outcomes
the test made, small groups suppressed, no department view revealing a small group by
differencing against the whole company, and only people analysts reading them."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pandas as pd
import pytest
from django.test import Client
from scipy.stats import chi2_contingency

from tandem.access.rules import NotAllowed
from tandem.fairness.models import PersonAttribute, ProtectedAttribute
from tandem.growth.models import CaseStatus, Outcome, PromotionWindow
from tandem.growth.queries import promotions as queries
from tandem.org.models import Department
from tests.factories import DepartmentFactory, PersonFactory, hr_admin
from tests.fairness.groups_helpers import people_analyst
from tests.growth.factories_promotions import CaseFactory, LevelFactory, WindowFactory

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Decided:
    group: str | None
    promoted: bool
    department: str = "a"


def _window(
    rows: list[Decided],
) -> tuple[PromotionWindow, ProtectedAttribute, dict[str, Department]]:
    departments = {
        k: DepartmentFactory.create(name=f"Dept {k}") for k in sorted({r.department for r in rows})
    }
    window = WindowFactory.create()
    level = LevelFactory.create()
    attribute = ProtectedAttribute.objects.create(key="gender", label="Gender")
    for row in rows:
        person = PersonFactory.create(department=departments[row.department])
        CaseFactory.create(
            window=window,
            person=person,
            target_level=level,
            status=CaseStatus.DECIDED,
            outcome=Outcome.PROMOTED if row.promoted else Outcome.NOT_YET,
        )
        if row.group is not None:
            PersonAttribute.objects.create(person=person, attribute=attribute, value=row.group)
    # A case in review is not counted.
    CaseFactory.create(window=window, target_level=level, status=CaseStatus.IN_REVIEW)
    return window, attribute, departments


def _mixed() -> list[Decided]:
    rng = random.Random(7)
    rows: list[Decided] = []
    for group, size, chance in (("Alpha", 14, 0.6), ("Beta", 11, 0.3), ("Gamma", 2, 0.5)):
        rows += [Decided(group, rng.random() < chance) for _ in range(size)]
    rows += [Decided(None, rng.random() < 0.5) for _ in range(6)]
    return rows


def test_the_rates_equal_pandas_and_scipy_computed_independently():
    rows = _mixed()
    window, attribute, _ = _window(rows)
    found = queries.promotion_fairness(people_analyst(), window, attribute=attribute)

    frame = pd.DataFrame(
        {"group": [r.group or "Not given" for r in rows], "promoted": [r.promoted for r in rows]}
    )
    sizes = frame.groupby("group").size()
    shown = sizes[sizes >= 5].index
    rates = frame[frame.group.isin(shown)].groupby("group").promoted.mean()
    by_group = {g.group: g for g in found.groups}
    for group in shown:
        assert by_group[group].n == sizes[group]
        assert by_group[group].rate == pytest.approx(rates[group])
        assert by_group[group].impact_ratio == pytest.approx(rates[group] / rates.max())
    table = pd.crosstab(frame[frame.group.isin(shown)].group, frame.promoted)
    expected = chi2_contingency(table.values)
    assert found.test.statistic == pytest.approx(expected.statistic)
    assert found.test.p_value == pytest.approx(expected.pvalue)
    assert found.test.dof == expected.dof


def test_a_group_below_the_minimum_is_suppressed_without_figures():
    window, attribute, _ = _window(_mixed())
    found = queries.promotion_fairness(people_analyst(), window, attribute=attribute)
    gamma = next(g for g in found.groups if g.group == "Gamma")
    assert gamma.suppressed
    assert (gamma.n, gamma.rate, gamma.impact_ratio) == (None, None, None)


def test_a_department_view_does_not_reveal_a_small_group_by_differencing():
    # Zorblax: five in A, two in B. Shown in A, "whole minus A" would reveal B's two.
    rows = (
        [Decided("Zorblax", True, "a") for _ in range(5)]
        + [Decided("Zorblax", False, "b") for _ in range(2)]
        + [Decided("Alpha", i % 2 == 0, d) for d in "ab" for i in range(6)]
    )
    window, attribute, departments = _window(rows)
    analyst = people_analyst()
    whole = queries.promotion_fairness(analyst, window, attribute=attribute)
    in_a = queries.promotion_fairness(
        analyst, window, attribute=attribute, department=departments["a"]
    )
    assert next(g for g in whole.groups if g.group == "Zorblax").n == 7
    zorblax_in_a = next(g for g in in_a.groups if g.group == "Zorblax")
    assert zorblax_in_a.suppressed
    assert zorblax_in_a.rate is None
    assert next(g for g in in_a.groups if g.group == "Alpha").n == 6


def test_an_hr_admin_without_the_people_analytics_role_may_not_read_them():
    window, attribute, _ = _window(_mixed())
    with pytest.raises(NotAllowed):
        queries.promotion_fairness(hr_admin(), window, attribute=attribute)


def test_the_api_answers_the_same_figures_with_the_reviews_shape():
    window, attribute, _ = _window(_mixed())
    client = Client()
    client.force_login(people_analyst())
    answer = client.get(f"/api/v1/growth/promotion-windows/{window.pk}/fairness?attribute=gender")
    body = answer.json()
    assert answer.status_code == 200
    assert body["attribute"] == "gender"
    assert {"group", "n", "promotion_rate", "impact_ratio", "suppressed"} == set(body["groups"][0])
    assert body["test"]["method"] == "chi-square"


def test_the_api_answers_422_for_an_unknown_attribute():
    window, _, _ = _window(_mixed())
    client = Client()
    client.force_login(people_analyst())
    answer = client.get(f"/api/v1/growth/promotion-windows/{window.pk}/fairness?attribute=shoe")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["loc"] == ["query", "attribute"]


def test_the_api_answers_404_to_an_hr_admin_without_the_role():
    window, _, _ = _window(_mixed())
    client = Client()
    client.force_login(hr_admin())
    answer = client.get(f"/api/v1/growth/promotion-windows/{window.pk}/fairness?attribute=gender")
    assert answer.status_code == 404


def test_the_window_page_shows_people_analysts_the_rates():
    window, _, _ = _window(_mixed())
    client = Client()
    client.force_login(people_analyst())
    page = client.get(f"/growth/promotions/{window.pk}/?attribute=gender")
    assert "Promotion rates by group" in page.content.decode()
