"""The goal pages' charts: a goal's progress over time, alignment coverage and goal churn
by department — each drawn with the same figures as the table behind "Show as table"."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.goals.models import CheckIn, GoalLevel, Health
from tests.chart_html import bars, summary, table_rows
from tests.factories import DepartmentFactory, PersonFactory, hr_admin
from tests.goals.factories import GoalFactory, PeriodFactory

pytestmark = pytest.mark.django_db


def _checkin(goal, day, progress):
    moment = timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=12))
    return CheckIn.objects.create(
        goal=goal,
        created_at=moment,
        progress=Decimal(progress),
        health=Health.ON_TRACK,
        confidence=7,
    )


@pytest.fixture
def goal():
    period = PeriodFactory()
    return GoalFactory(period=period, title="Ship the app")


def test_the_goal_page_draws_one_point_per_check_in_with_its_tooltip(client_for, goal):
    start = goal.period.start_date
    _checkin(goal, start + timedelta(days=3), "0.2")
    _checkin(goal, start + timedelta(days=20), "0.45")
    page = client_for(goal.owner).get(reverse("goals:detail", args=[goal.pk])).text
    assert page.count('class="chart-point"') == 2
    day = start + timedelta(days=20)
    assert f"<title>{day.day} {day:%b} {day.year}: 45%</title>" in page


def test_the_goal_page_table_lists_the_check_ins_oldest_first(client_for, goal):
    start = goal.period.start_date
    _checkin(goal, start + timedelta(days=20), "0.45")
    _checkin(goal, start + timedelta(days=3), "0.2")
    page = client_for(goal.owner).get(reverse("goals:detail", args=[goal.pk])).text
    rows = table_rows(page, "progress-chart")
    assert [row[1] for row in rows] == ["20%", "45%"]
    assert "<summary>Show as table</summary>" in page


def test_the_goal_page_draws_the_expected_pace_over_the_period(client_for, goal):
    _checkin(goal, goal.period.start_date, "0.1")
    page = client_for(goal.owner).get(reverse("goals:detail", args=[goal.pk])).text
    assert 'class="chart-pace"' in page and "Expected pace over the period" in page


def test_the_goal_page_summarises_the_trend_for_screen_readers(client_for, goal):
    _checkin(goal, goal.period.start_date, "0.1")
    _checkin(goal, goal.period.start_date + timedelta(days=1), "0.3")
    page = client_for(goal.owner).get(reverse("goals:detail", args=[goal.pk])).text
    assert 'aria-labelledby="progress-chart-title progress-chart-desc"' in page
    assert "Progress from 10% on" in page and "to 30% on" in page


def test_a_goal_without_check_ins_shows_the_empty_state_and_no_chart(client_for, goal):
    page = client_for(goal.owner).get(reverse("goals:detail", args=[goal.pk])).text
    assert "No check-ins yet." in page
    assert "progress-chart" not in page


@pytest.fixture
def world():
    """Engineering (with Platform under it) half aligned, Sales fully aligned."""
    period = PeriodFactory()
    engineering = DepartmentFactory(name="Chart Engineering")
    platform = DepartmentFactory(name="Chart Platform", parent=engineering)
    sales = DepartmentFactory(name="Chart Sales")
    company = GoalFactory(
        level=GoalLevel.COMPANY, owner=PersonFactory(department=sales), period=period
    )
    lead = PersonFactory(department=engineering)
    GoalFactory(owner=lead, period=period, parent=company)
    PersonFactory(department=platform)
    return {"period": period}


def _ours(drawn):
    return [bar for bar in drawn if bar.label.startswith("Chart ")]


def test_coverage_bars_indent_sub_departments_under_their_parent(client_for, world):
    url = reverse("goals:coverage") + f"?period={world['period'].pk}"
    page = client_for(hr_admin()).get(url).text
    drawn = [(bar.label, bar.depth, bar.value) for bar in _ours(bars(page, "coverage-chart"))]
    assert drawn == [
        ("Chart Engineering", 0, "50%"),
        ("Chart Platform", 1, "0%"),
        ("Chart Sales", 0, "100%"),
    ]


def test_coverage_bars_are_as_long_as_the_coverage_percent(client_for, world):
    url = reverse("goals:coverage") + f"?period={world['period'].pk}"
    page = client_for(hr_admin()).get(url).text
    widths = {bar.label: bar.widths for bar in _ours(bars(page, "coverage-chart"))}
    assert widths["Chart Engineering"] == (("bar-fill", 50.0),)
    assert widths["Chart Sales"] == (("bar-fill", 100.0),)


def test_coverage_sorted_by_value_puts_the_best_covered_first(client_for, world):
    url = reverse("goals:coverage") + f"?period={world['period'].pk}&sort=value"
    page = client_for(hr_admin()).get(url).text
    labels = [bar.label for bar in _ours(bars(page, "coverage-chart"))]
    assert labels == ["Chart Sales", "Chart Engineering", "Chart Platform"]


def test_coverage_table_follows_the_charts_order(client_for, world):
    url = reverse("goals:coverage") + f"?period={world['period'].pk}&sort=value"
    page = client_for(hr_admin()).get(url).text
    rows = [row for row in table_rows(page, "coverage-chart") if row[0].startswith("Chart ")]
    assert [(row[0], row[-1]) for row in rows] == [
        ("Chart Sales", "100%"),
        ("Chart Engineering", "50%"),
        ("Chart Platform", "0%"),
    ]


def test_coverage_sort_links_keep_the_period(client_for, world):
    url = reverse("goals:coverage") + f"?period={world['period'].pk}"
    page = client_for(hr_admin()).get(url).text
    assert f'href="?period={world["period"].pk}&amp;sort=value#departments"' in page


def test_coverage_with_a_made_up_sort_shows_the_tree(client_for, world):
    url = reverse("goals:coverage") + f"?period={world['period'].pk}&sort=%3Cscript%3E"
    response = client_for(hr_admin()).get(url)
    assert response.status_code == 200
    labels = [bar.label for bar in _ours(bars(response.text, "coverage-chart"))]
    assert labels == ["Chart Engineering", "Chart Platform", "Chart Sales"]


def test_churn_bars_show_changes_per_goal_by_department(client_for, world):
    url = reverse("goals:company") + f"?period={world['period'].pk}"
    page = client_for(hr_admin()).get(url).text
    drawn = {bar.label: bar.value for bar in _ours(bars(page, "churn-chart"))}
    assert drawn == {"Chart Engineering": "0.00", "Chart Sales": "0.00"}


def test_churn_bars_scale_to_the_most_churned_department(client_for, world):
    GoalFactory(
        owner=PersonFactory(department=DepartmentFactory(name="Chart Ops")),
        period=world["period"],
        churn=4,
    )
    url = reverse("goals:company") + f"?period={world['period'].pk}&sort=value"
    page = client_for(hr_admin()).get(url).text
    drawn = _ours(bars(page, "churn-chart"))
    assert (drawn[0].label, drawn[0].value, drawn[0].widths) == (
        "Chart Ops",
        "4.00",
        (("bar-fill", 100.0),),
    )
    assert "the most per goal in Chart Ops, 4.00 per goal" in summary(page, "churn-chart")


def test_churn_table_has_the_same_figures(client_for, world):
    url = reverse("goals:company") + f"?period={world['period'].pk}"
    page = client_for(hr_admin()).get(url).text
    rows = [row for row in table_rows(page, "churn-chart") if row[0].startswith("Chart ")]
    assert rows == [["Chart Engineering", "1", "0", "0.00"], ["Chart Sales", "1", "0", "0.00"]]
