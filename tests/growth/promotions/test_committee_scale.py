"""The committee view at scale: its cases grouped in one table per track and target level,
its rows built in Python (escaped, the same cells as before), and the committee view, the
case page and its evidence costing the same number of queries for 3 cases as for 12."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.growth.models import CaseComment, CaseStatus, Level, Outcome, PromotionWindow
from tandem.org.models import Person
from tests.factories import PersonFactory
from tests.growth.factories_promotions import WindowFactory, case_for, place
from tests.growth.promotions.helpers import Team, team

pytestmark = pytest.mark.django_db


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _add_cases(t: Team, window: PromotionWindow, count: int, level: Level) -> None:
    for _ in range(count):
        person = PersonFactory.create(manager=t.manager)
        place(person, level)
        case = case_for(person, t.manager, window=window)
        CaseComment.objects.create(case=case, author=t.skip, text="Seen the scope first-hand.")


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_cases_to_the_same_level_share_one_table():
    t = team()
    window = WindowFactory.create(committee=[t.member])
    case_for(t.report, t.manager, window=window)
    _add_cases(t, window, 2, t.levels[1])
    _add_cases(t, window, 1, t.levels[0])
    text = _client(t.member).get(reverse("growth:promotion_window", args=[window.pk])).text
    assert text.count('class="promotion-group"') == 2
    assert '<span class="muted">(3)</span>' in text


def test_a_decided_row_shows_the_outcome_and_its_effective_date():
    t = team()
    window = WindowFactory.create(committee=[t.member])
    case_for(
        t.report,
        t.manager,
        window=window,
        status=CaseStatus.DECIDED,
        outcome=Outcome.PROMOTED,
        effective_on=date(2026, 7, 9),
    )
    text = _client(t.member).get(reverse("growth:promotion_window", args=[window.pk])).text
    assert (
        'Promoted <span class="muted">from <time datetime="2026-07-09">9 Jul 2026</time></span>'
        in text
    )


def test_a_row_escapes_names_and_shows_a_dash_for_a_missing_department():
    t = team()
    t.report.first_name = "<b>Ravi</b>"
    t.report.department = None
    t.report.save()
    window = WindowFactory.create(committee=[t.member])
    case = case_for(t.report, t.manager, window=window)
    text = _client(t.member).get(reverse("growth:promotion_window", args=[window.pk])).text
    url = reverse("growth:promotion_case", args=[case.pk])
    assert f'<a href="{url}">&lt;b&gt;Ravi&lt;/b&gt; Report</a>' in text
    assert "<td>—</td><td>IC2</td><td>Mia Manager</td>" in text


def test_the_committee_view_costs_the_same_queries_for_three_cases_and_twelve():
    t = team()
    window = WindowFactory.create(committee=[t.member])
    client = _client(t.member)
    url = reverse("growth:promotion_window", args=[window.pk])
    _add_cases(t, window, 3, t.levels[0])
    few = _queries(client, url)
    _add_cases(t, window, 9, t.levels[2])
    assert _queries(client, url) == few


@pytest.mark.parametrize(
    "address",
    ["growth:promotion_case", "/api/v1/growth/promotion-cases/{}/evidence"],
    ids=["case page", "evidence API"],
)
def test_a_case_costs_the_same_queries_in_a_window_of_three_cases_and_of_twelve(address):
    t = team()
    window = WindowFactory.create(committee=[t.member])
    case = case_for(t.report, t.manager, window=window)
    client = _client(t.member)
    url = address.format(case.pk) if address.startswith("/") else reverse(address, args=[case.pk])
    _add_cases(t, window, 2, t.levels[0])
    CaseComment.objects.create(case=case, author=t.skip, text="One comment.")
    few = _queries(client, url)
    _add_cases(t, window, 9, t.levels[0])
    for n in range(3):
        CaseComment.objects.create(case=case, author=t.skip, text=f"Comment {n}.")
    assert _queries(client, url) == few
