"""The praise feed draws this month's praise by company value as bars, most praised first,
with a table of the same counts behind "Show as table"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tandem.feedback.models import Visibility
from tests.chart_html import bars, summary, table_rows
from tests.feedback.factories import CompanyValueFactory, FeedbackFactory

pytestmark = pytest.mark.django_db


def _page(person) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(person)
    return client.get("/praise/").text


def _praise(cast, values):  # type: ignore[no-untyped-def]
    return FeedbackFactory(
        giver=cast.giver, recipient=cast.recipient, visibility=Visibility.PUBLIC, values=values
    )


def test_values_are_drawn_most_praised_first_scaled_to_the_top_one(cast):
    bold, kind, calm = (CompanyValueFactory(name=n) for n in ("Be bold", "Be kind", "Stay calm"))
    _praise(cast, [kind, bold])
    _praise(cast, [kind])
    drawn = [(b.label, b.value, b.widths) for b in bars(_page(cast.outsider), "values-chart")]
    assert drawn == [
        ("Be kind", "2", (("bar-fill", 100.0),)),
        ("Be bold", "1", (("bar-fill", 50.0),)),
        ("Stay calm", "0", (("bar-fill", 0.0),)),
    ]


def test_praise_from_before_this_month_is_not_counted(cast):
    kind = CompanyValueFactory(name="Be kind")
    old = _praise(cast, [kind])
    old.value_links.update(created_at=timezone.now() - timedelta(days=70))
    drawn = [(b.label, b.value) for b in bars(_page(cast.outsider), "values-chart")]
    assert drawn == [("Be kind", "0")]


def test_private_feedback_naming_a_value_is_not_counted(cast):
    kind = CompanyValueFactory(name="Be kind")
    FeedbackFactory(giver=cast.giver, recipient=cast.recipient, values=[kind])
    assert [b.value for b in bars(_page(cast.outsider), "values-chart")] == ["0"]


def test_the_values_table_has_the_same_counts(cast):
    kind = CompanyValueFactory(name="Be kind")
    CompanyValueFactory(name="Be bold")
    _praise(cast, [kind])
    assert table_rows(_page(cast.outsider), "values-chart") == [["Be kind", "1"], ["Be bold", "0"]]


def test_the_values_chart_says_which_value_was_praised_most(cast):
    kind = CompanyValueFactory(name="Be kind")
    CompanyValueFactory(name="Be bold")
    _praise(cast, [kind])
    _praise(cast, [kind])
    assert summary(_page(cast.outsider), "values-chart") == (
        "Company values named in public praise this month: 2 times across 2 values; "
        "most often Be kind, 2 times."
    )


def test_with_no_praise_this_month_the_summary_says_so(cast):
    CompanyValueFactory(name="Be kind")
    assert summary(_page(cast.outsider), "values-chart") == "No public praise this month yet."


def test_a_company_without_values_draws_no_chart(cast):
    assert "values-chart" not in _page(cast.outsider)


def _page_for(person, query: str) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(person)
    return client.get(f"/praise/{query}").text


def test_the_last_3_months_count_praise_from_two_months_ago(cast):
    kind = CompanyValueFactory(name="Be kind")
    _praise(cast, [kind])
    earlier = _praise(cast, [kind])
    earlier.value_links.update(created_at=timezone.now() - timedelta(days=40))
    page = _page_for(cast.outsider, "?since=quarter")
    assert [b.value for b in bars(page, "values-chart")] == ["2"]
    assert "Praise by value in the last 3 months" in page


def test_the_last_3_months_leave_out_praise_from_a_year_ago(cast):
    kind = CompanyValueFactory(name="Be kind")
    old = _praise(cast, [kind])
    old.value_links.update(created_at=timezone.now() - timedelta(days=200))
    assert [b.value for b in bars(_page_for(cast.outsider, "?since=quarter"), "values-chart")] == [
        "0"
    ]
    assert [b.value for b in bars(_page_for(cast.outsider, "?since=year"), "values-chart")] == ["1"]


def test_a_made_up_period_counts_this_month(cast):
    kind = CompanyValueFactory(name="Be kind")
    old = _praise(cast, [kind])
    old.value_links.update(created_at=timezone.now() - timedelta(days=70))
    page = _page_for(cast.outsider, "?since=%27%3B--")
    assert [b.value for b in bars(page, "values-chart")] == ["0"]
    assert "Praise by value this month" in page


def test_the_period_links_keep_the_value_filter(cast):
    kind = CompanyValueFactory(name="Be kind")
    page = _page_for(cast.outsider, f"?value={kind.pk}")
    assert f'href="?value={kind.pk}&amp;since=year#values-chart-h"' in page
