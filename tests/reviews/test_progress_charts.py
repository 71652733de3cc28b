"""A cycle's progress page draws completion by phase and by department as stacked bars,
with the same figures in the table behind "Show as table"."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tandem.reviews import tally
from tandem.reviews.models import Relationship, ReviewState
from tests.chart_html import bars, summary, table_rows
from tests.factories import DepartmentFactory, PersonFactory, hr_admin
from tests.reviews.factories import review_of, running_cycle

pytestmark = pytest.mark.django_db


def _set_state(cycle, person, relationship, state):  # type: ignore[no-untyped-def]
    review = review_of(cycle, person, relationship)
    review.state = state
    review.save(update_fields=["state"])
    tally.refresh(cycle_id=cycle.pk, participant_ids=[review.participant_id])


@pytest.fixture
def page():  # type: ignore[no-untyped-def]
    """Sales: a lead and two reports (one self review done, one in progress); Support: one
    person whose self review is not started."""
    sales, support = DepartmentFactory(name="Sales"), DepartmentFactory(name="Support")
    lead = PersonFactory(department=sales)
    a = PersonFactory(manager=lead, department=sales)
    b = PersonFactory(manager=lead, department=sales)
    c = PersonFactory(department=support)
    cycle = running_cycle([lead, a, b, c])
    _set_state(cycle, a, Relationship.SELF, ReviewState.SUBMITTED)
    _set_state(cycle, b, Relationship.SELF, ReviewState.IN_PROGRESS)
    return hr_admin, cycle


def _get(client_for, page, query=""):  # type: ignore[no-untyped-def]
    viewer, cycle = page
    return client_for(viewer()).get(reverse("reviews:cycle", args=[cycle.pk]) + query).text


def test_self_reviews_stack_done_in_progress_and_not_started(client_for, page):
    drawn = {bar.label: bar for bar in bars(_get(client_for, page), "phase-chart")}
    assert drawn["Self reviews"].widths == (
        ("series-0", 25.0),
        ("series-1", 25.0),
        ("series-2", 50.0),
    )
    assert drawn["Self reviews"].value == "25%"


def test_the_phase_chart_has_a_legend_of_its_three_series(client_for, page):
    text = _get(client_for, page)
    legend = text[text.index('class="chart-legend"') : text.index('class="bars"')]
    assert re.findall(r"</svg>([^<]+)</li>", legend) == ["Done", "In progress", "Not started"]


def test_the_phase_table_has_the_drawn_figures(client_for, page):
    rows = table_rows(_get(client_for, page), "phase-chart")
    assert ["Self reviews", "1", "1", "2", "25%"] in rows


def test_departments_stack_done_against_not_done(client_for, page):
    drawn = {bar.label: bar for bar in bars(_get(client_for, page), "department-chart")}
    # Sales: three self reviews and two manager reviews, one done.
    assert drawn["Sales"].widths == (("series-0", 20.0), ("series-2", 80.0))
    assert drawn["Sales"].value == "20%"


def test_a_department_with_nothing_done_is_all_not_done(client_for, page):
    drawn = {bar.label: bar for bar in bars(_get(client_for, page), "department-chart")}
    assert drawn["Support"].widths == (("series-2", 100.0),)


def test_departments_sorted_by_value_put_the_most_done_first(client_for, page):
    text = _get(client_for, page, "?sort=value")
    assert [bar.label for bar in bars(text, "department-chart")] == ["Sales", "Support"]
    rows = table_rows(text, "department-chart")
    assert [row[0] for row in rows] == ["Sales", "Support"]


def test_departments_sorted_by_name_by_default(client_for, page):
    text = _get(client_for, page, "?sort=bogus")
    assert [bar.label for bar in bars(text, "department-chart")] == ["Sales", "Support"]
    assert 'aria-current="true">A to Z</a>' in text


def test_the_department_chart_is_summarised_for_screen_readers(client_for, page):
    sentence = summary(_get(client_for, page), "department-chart")
    assert sentence.startswith("Completion by department:")
    assert "the least done is Support" in sentence


def test_a_cycle_with_nothing_to_follow_draws_no_chart(client_for):
    boss = PersonFactory()
    cycle = running_cycle([boss])
    other_manager = PersonFactory()
    PersonFactory(manager=other_manager)
    response = client_for(other_manager).get(reverse("reviews:cycle", args=[cycle.pk]))
    assert response.status_code == 200
    assert "Self reviews" in response.text  # the phase table still lists what there is
    assert 'id="phase-chart-summary"' not in response.text
