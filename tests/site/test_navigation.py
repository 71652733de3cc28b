"""The sidebar: grouped by what people come for, only links the viewer can open, the
current page marked, counts of things waiting fetched after the page, folding remembered."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from tandem.access.models import Role
from tandem.feedback.models import FeedbackRequest
from tests.factories import (
    DepartmentFactory,
    PersonFactory,
    executive,
    grant,
    hr_admin,
    hr_partner,
    it_admin,
)

GROUP = re.compile(r'<h2 class="nav-group" id="nav-group-(\w+)">')
SIDEBAR_LINK = re.compile(r'<nav id="sidebar".*?</nav>', re.S)


def _sidebar(text: str) -> str:
    found = SIDEBAR_LINK.search(text)
    assert found, "the page has no sidebar"
    return found.group(0)


def _groups(client: Any) -> list[str]:
    return GROUP.findall(_sidebar(client.get("/").text))


def _links(client: Any) -> list[str]:
    return re.findall(r'<li><a href="([^"]+)"', _sidebar(client.get("/").text))


def _manager() -> Any:
    boss = PersonFactory()
    PersonFactory(manager=boss)
    return boss


ROLES = {
    "employee": lambda: PersonFactory(),
    "manager": _manager,
    "hr admin": lambda: hr_admin(),
    "hr partner": lambda: hr_partner([DepartmentFactory()]),
    "executive": lambda: executive(),
    "it admin": lambda: it_admin(),
    "people analyst": lambda: grant(hr_admin(), Role.PEOPLE_ANALYTICS),
}


def test_an_employee_sees_me_and_company_only(client_for):
    assert _groups(client_for(PersonFactory())) == ["me", "company"]


def test_a_manager_also_sees_my_team(client_for):
    assert _groups(client_for(_manager())) == ["me", "team", "company"]


def test_an_hr_admin_also_sees_hr(client_for):
    assert _groups(client_for(hr_admin())) == ["me", "company", "hr"]


def test_an_it_admin_also_sees_admin(client_for):
    assert _groups(client_for(it_admin())) == ["me", "company", "admin"]


def test_only_an_hr_admin_with_people_analytics_sees_fairness(client_for):
    fairness = reverse("fairness:attributes")
    assert fairness in _links(client_for(grant(hr_admin(), Role.PEOPLE_ANALYTICS)))
    assert fairness not in _links(client_for(hr_admin()))


def test_managers_and_hr_admins_reach_calibration_from_the_sidebar(client_for):
    calibration = reverse("calibration:index")
    assert calibration in _links(client_for(_manager()))
    assert calibration in _links(client_for(hr_admin()))
    assert calibration not in _links(client_for(PersonFactory()))


@pytest.mark.parametrize("role", ROLES)
def test_every_sidebar_link_opens_for_its_viewer(client_for, role):
    client = client_for(ROLES[role]())
    links = _links(client)
    assert len(links) == len(set(links)), f"a link is listed twice: {links}"
    for url in links:
        assert client.get(url).status_code == 200, f"{role}: {url}"


def test_the_longest_matching_link_is_the_current_page(client_for):
    sidebar = _sidebar(client_for(hr_admin()).get(reverse("reviews:admin")).text)
    current = re.findall(r'href="([^"]+)" aria-current="page"', sidebar)
    assert current == [reverse("reviews:admin")]


def test_only_the_home_link_is_current_on_the_home_page(client_for):
    sidebar = _sidebar(client_for(PersonFactory()).get("/").text)
    assert re.findall(r'href="([^"]+)" aria-current="page"', sidebar) == ["/"]


def test_a_signed_out_visitor_gets_no_sidebar(client):
    assert 'id="sidebar"' not in client.get(reverse("login")).text


def test_the_sidebar_asks_for_its_counts_after_the_page(client_for):
    sidebar = _sidebar(client_for(PersonFactory()).get(reverse("org:directory")).text)
    assert f'hx-get="{reverse("nav_counts")}" hx-trigger="load"' in sidebar


@pytest.mark.parametrize("url_name", ["home", "notifications:inbox"])
def test_a_page_that_lists_the_inbox_draws_the_counts_itself(client_for, url_name):
    person, asker = PersonFactory(), PersonFactory()
    FeedbackRequest.objects.create(requester=asker, subject=asker).asks.create(person=person)
    sidebar = _sidebar(client_for(person).get(reverse(url_name)).text)
    assert "hx-get" not in sidebar
    assert re.search(r'id="nav-count-feedback" class="nav-count" aria-hidden="true">1<', sidebar)
    assert '<span id="nav-count-feedback-text" hidden>1 waiting</span>' in sidebar


def test_the_counts_follow_the_inbox_by_feature(client_for):
    person, asker = PersonFactory(), PersonFactory()
    for _ in range(2):
        FeedbackRequest.objects.create(requester=asker, subject=asker).asks.create(person=person)
    text = client_for(person).get(reverse("nav_counts")).text
    counts = {key: int(n) for key, n in re.findall(r'id="nav-count-(\w+)"[^>]*>(\d+)<', text)}
    assert counts["feedback"] == 2
    assert counts["inbox"] == sum(n for key, n in counts.items() if key != "inbox")
    assert 'id="nav-count-feedback-text" hidden hx-swap-oob="true">2 waiting<' in text


def test_a_feature_with_nothing_waiting_hides_its_badge(client_for):
    text = client_for(PersonFactory()).get(reverse("nav_counts")).text
    assert re.search(
        r'id="nav-count-reviews" class="nav-count" aria-hidden="true" '
        r'hx-swap-oob="true" hidden>0<',
        text,
    )


def test_the_counts_need_a_signed_in_person(client):
    response = client.get(reverse("nav_counts"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_counts_are_never_cached(client_for):
    response = client_for(PersonFactory()).get(reverse("nav_counts"))
    assert "no-store" in response["Cache-Control"]


def test_the_counts_cost_a_fixed_number_of_queries(client_for, django_assert_max_num_queries):
    person = PersonFactory()
    client = client_for(person)
    asker = PersonFactory()
    for _ in range(5):
        FeedbackRequest.objects.create(requester=asker, subject=asker).asks.create(person=person)
    with django_assert_max_num_queries(14):
        client.get(reverse("nav_counts"))


def test_a_folded_sidebar_opens_folded_on_the_next_page(client_for):
    client = client_for(PersonFactory())
    client.cookies["tandem_nav"] = "folded"
    text = client.get("/").text
    assert '<html lang="en" class="nav-folded">' in text
    assert 'data-nav-fold aria-pressed="true"' in text


@override_settings(DEBUG=False)
def test_the_design_page_is_hidden_from_people_who_are_not_it_admins(client_for):
    assert client_for(hr_admin()).get(reverse("design")).status_code == 404


@override_settings(DEBUG=False)
def test_it_admins_can_open_the_design_page(client_for):
    response = client_for(it_admin()).get(reverse("design"))
    assert response.status_code == 200 and "Design system" in response.text


@override_settings(DEBUG=True)
def test_with_debug_on_any_developer_can_open_the_design_page(client_for):
    assert client_for(PersonFactory()).get(reverse("design")).status_code == 200


def test_the_counts_carry_only_the_badges_of_the_viewers_sidebar(client_for):
    text = client_for(PersonFactory()).get(reverse("nav_counts")).text
    assert 'id="nav-count-reviews"' in text
    assert 'id="nav-count-approvals"' not in text  # a manager's link
