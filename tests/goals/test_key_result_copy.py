"""How key results read on the goal page: a decreasing key result in plain words, its
stretch in its unit and never negative, progress said once, percentages without a space
and large amounts without an exponent."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tandem.goals import amounts, scoring
from tandem.goals.models import KeyResultKind
from tandem.program.models import ScoringScale
from tests.factories import PersonFactory
from tests.goals.factories import GoalFactory, KeyResultFactory, PeriodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return PersonFactory(first_name="Olu", last_name="Owner")


@pytest.fixture
def goal(owner):
    return GoalFactory(owner=owner, period=PeriodFactory(), title="Faster invoicing API")


def key_results_section(page: str) -> str:
    start = page.index('id="krs-h"')
    return page[start : page.index("</section>", start)]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def detail(client_for, owner, goal) -> str:
    response = client_for(owner).get(reverse("goals:detail", args=[goal.pk]))
    return text_of(key_results_section(response.content.decode()))


def test_a_decreasing_key_result_reads_from_its_start_down_to_its_target(client_for, owner, goal):
    KeyResultFactory(
        goal=goal, unit="ms", start_value=40, target_value=5, stretch_value=4, current_value=30
    )
    text = detail(client_for, owner, goal)
    assert "now 30 ms — from 40 to 5 (stretch 4 ms)" in text
    assert "-4" not in text


def test_a_key_results_progress_is_said_once(client_for, owner, goal):
    KeyResultFactory(
        goal=goal, unit="ms", start_value=40, target_value=5, current_value=30, progress="0.2857"
    )
    text = detail(client_for, owner, goal)
    assert text.count("29%") == 1
    assert "29 %" not in text
    assert "29% · now 30 ms" in text  # the progress, then the value: one of each


def test_a_percentage_key_result_has_no_space_before_the_percent_sign(client_for, owner, goal):
    KeyResultFactory(
        goal=goal,
        kind=KeyResultKind.PERCENTAGE,
        unit="%",
        start_value=30,
        target_value=100,
        stretch_value=Decimal("99.5"),
        current_value=Decimal("45.5"),
    )
    text = detail(client_for, owner, goal)
    assert "now 45.5% — from 30 to 100 (stretch 99.5%)" in text
    assert " %" not in text


def test_a_large_amount_reads_in_grouped_digits_not_an_exponent(client_for, owner, goal):
    KeyResultFactory(
        goal=goal,
        kind=KeyResultKind.CURRENCY,
        unit="EUR",
        start_value=0,
        target_value=2_400_000,
        current_value=1_000_000,
    )
    text = detail(client_for, owner, goal)
    assert "now 1,000,000 EUR — from 0 to 2,400,000" in text
    assert "E+" not in text


def test_the_key_result_form_offers_large_values_without_an_exponent(client_for, owner, goal):
    KeyResultFactory(goal=goal, kind=KeyResultKind.CURRENCY, unit="EUR", target_value=2_400_000)
    page = client_for(owner).get(reverse("goals:key_results", args=[goal.pk])).content.decode()
    assert 'value="2400000"' in page
    assert "E+" not in page


def test_a_milestone_key_result_shows_its_progress_once(client_for, owner, goal):
    KeyResultFactory(goal=goal, kind=KeyResultKind.MILESTONES, target_value=1, progress="0.5")
    text = detail(client_for, owner, goal)
    assert text.count("50%") == 1


def test_a_score_on_the_percent_scale_has_no_space_before_the_percent_sign():
    assert scoring.display(Decimal("0.29"), ScoringScale.PERCENT) == "29%"


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (Decimal("5.0000"), "ms", "5 ms"),
        (Decimal("29"), "%", "29%"),
        (Decimal("2400000"), "USD", "2,400,000 USD"),
        (Decimal("300"), "$", "$300"),
        (Decimal("-12"), "NPS points", "-12 NPS points"),
        (Decimal("1.5"), "", "1.5"),
        (Decimal("0.0000"), "errors", "0 errors"),
    ],
)
def test_an_amount_reads_with_its_unit(value, unit, shown):
    assert amounts.amount(value, unit) == shown


def test_a_percentage_key_result_without_a_unit_reads_in_percent(client_for, owner, goal):
    KeyResultFactory(
        goal=goal,
        kind=KeyResultKind.PERCENTAGE,
        unit="",
        start_value=2,
        target_value=1,
        current_value=Decimal("1.5"),
    )
    assert "now 1.5% — from 2 to 1" in detail(client_for, owner, goal)
