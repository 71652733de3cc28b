"""The hub's pages and endpoints: what they show, their query budgets and bad input."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.feedback.models import Visibility
from tandem.goals.models import Health
from tandem.org.models import Person
from tests.factories import DepartmentFactory, PersonFactory, hr_partner
from tests.feedback.factories import FeedbackFactory
from tests.goals.factories import GoalFactory
from tests.meetings.factories import SeriesFactory, action_item, add_meeting
from tests.reviews.factories import running_cycle
from tests.team.helpers import NOW, days_ago, goal, held_one_on_one, report_of

pytestmark = [pytest.mark.dates, pytest.mark.usefixtures("pinned")]


def _busy_team(size: int) -> Any:
    """A manager whose `size` reports each have goals, feedback, a 1:1 series with meetings
    and action items, and a running review."""
    manager = PersonFactory()
    reports = [report_of(manager) for _ in range(size)]
    for report in reports:
        goal(report, progress="0.4", health=Health.AT_RISK, checked_in=days_ago(4))
        FeedbackFactory(recipient=report, visibility=Visibility.PUBLIC, created_at=days_ago(3))
        FeedbackFactory(giver=report, visibility=Visibility.PUBLIC, created_at=days_ago(3))
        series = held_one_on_one(manager, report, days_ago(7))
        upcoming = add_meeting(series, NOW + timedelta(days=2))
        action_item(upcoming, report, "Follow up")
    running_cycle(reports)
    return manager


def _queries(client: Any, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("address", ["/team/", "/team/?view=all", "/api/v1/team/"])
def test_the_hub_costs_the_same_queries_for_3_and_30_reports(
    address, client_for, django_assert_max_num_queries
):
    small = _queries(client_for(_busy_team(3)), address)
    big = client_for(_busy_team(30))
    big.get(address)  # warm the session and the program's switches, as for the small team
    with django_assert_max_num_queries(small):
        big.get(address)
    # 20, plus the growth slot's one grouped query over the page's active plans.
    assert small <= 21


def test_the_person_page_costs_the_same_queries_whatever_the_history(
    client_for, django_assert_max_num_queries
):
    manager = PersonFactory()
    quiet, busy = report_of(manager), report_of(manager)
    for _ in range(10):
        goal(busy, checked_in=days_ago(5))
        FeedbackFactory(recipient=busy, visibility=Visibility.PUBLIC, created_at=days_ago(5))
    held_one_on_one(manager, busy, days_ago(3))
    client = client_for(manager)
    small = _queries(client, f"/team/{quiet.pk}/")
    with django_assert_max_num_queries(small):
        client.get(f"/team/{busy.pk}/")


def test_the_hub_is_not_found_for_people_without_reports(client_for):
    assert client_for(PersonFactory()).get("/team/").status_code == 404


def test_the_hub_lists_direct_reports_not_grand_reports(client_for):
    manager = PersonFactory()
    ana = report_of(manager, first_name="Ana", preferred_name="")
    gus = report_of(ana, first_name="Gus", preferred_name="")

    page = client_for(manager).get("/team/").text

    # By row, not by name: "Gus" is inside "August" and "Angus".
    assert f'data-person="{ana.pk}"' in page
    assert f'data-person="{gus.pk}"' not in page


def test_everyone_below_me_lists_the_whole_subtree_with_their_manager(client_for):
    manager = PersonFactory()
    ana = report_of(manager, first_name="Ana", preferred_name="")
    report_of(ana, first_name="Gus", preferred_name="")

    page = client_for(manager).get("/team/?view=all").text

    assert "Gus" in page
    assert f"reports to {ana.display_name}" in page


def test_the_subtree_is_paged_50_at_a_time_without_repeats(client_for):
    manager = PersonFactory()
    reports = [report_of(manager) for _ in range(52)]
    client = client_for(manager)

    first = client.get("/api/v1/team/?subtree=true").json()
    second = client.get(f"/api/v1/team/?subtree=true&cursor={first['next_cursor']}").json()

    seen = [r["person_id"] for r in first["items"] + second["items"]]
    assert len(first["items"]) == 50
    assert second["next_cursor"] is None
    assert sorted(seen) == sorted(r.pk for r in reports)


def test_people_who_left_are_not_on_the_hub(client_for):
    manager = PersonFactory()
    gone = report_of(manager, first_name="Leaverina", preferred_name="", status="left")
    report_of(manager)

    page = client_for(manager).get("/team/").text

    # A name no generated colleague can contain ("Lee" was inside "Ashlee" once), and their row.
    assert "Leaverina" not in page
    assert f'data-person="{gone.pk}"' not in page


def test_the_hub_never_shows_feedback_text(client_for):
    manager = PersonFactory()
    ana = report_of(manager)
    FeedbackFactory(
        recipient=ana, visibility=Visibility.WITH_MANAGER, text="A sentence only Ana reads here."
    )

    client = client_for(manager)

    assert "only Ana reads" not in client.get("/team/").text
    assert "only Ana reads" not in client.get(f"/team/{ana.pk}/").text
    assert "only Ana reads" not in client.get(f"/api/v1/team/{ana.pk}").text


def test_a_tampered_page_link_says_so_and_shows_the_first_page(client_for):
    manager = PersonFactory()
    report_of(manager, first_name="Ana", preferred_name="")

    answer = client_for(manager).get("/team/?view=all&cursor=not-a-cursor")

    assert answer.status_code == 200
    assert "This page link is not valid; start again from the first page." in answer.text
    assert "Ana" in answer.text


def test_a_tampered_cursor_is_a_422_naming_the_cursor_in_the_api(client_for):
    manager = PersonFactory()
    report_of(manager)

    answer = client_for(manager).get("/api/v1/team/?cursor=bm90LWEtY3Vyc29y")

    assert answer.status_code == 422
    assert answer.json()["errors"][0]["loc"] == ["query", "cursor"]


@pytest.mark.parametrize(
    "address",
    ["/team/abc/", "/team/0/", "/team/99999999999999999999/", "/team/4611686018427387904/"],
)
def test_a_person_page_for_a_bad_or_unknown_id_is_not_found(address, client_for):
    manager = PersonFactory()
    report_of(manager)

    assert client_for(manager).get(address).status_code == 404


@pytest.mark.parametrize(
    "address", ["/api/v1/team/abc", "/api/v1/team/0", "/api/v1/team/99999999999999999999"]
)
def test_the_api_answers_a_bad_or_unknown_id_with_an_error_body(address, client_for):
    manager = PersonFactory()
    report_of(manager)

    answer = client_for(manager).get(address)

    assert answer.status_code in (404, 422)
    assert "detail" in answer.json()


def test_a_manager_asking_for_a_report_outside_their_tree_gets_404(client_for):
    manager, other_manager = PersonFactory(), PersonFactory()
    report_of(manager)
    theirs = report_of(other_manager)

    client = client_for(manager)

    assert client.get(f"/team/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/v1/team/{theirs.pk}").status_code == 404
    assert client.get(f"/api/v1/team/?manager={other_manager.pk}").status_code == 404


def test_a_manager_of_managers_opens_a_grand_reports_page(client_for):
    skip = PersonFactory()
    manager = report_of(skip)
    ana = report_of(manager)

    assert client_for(skip).get(f"/team/{ana.pk}/").status_code == 200


def test_the_person_page_shows_the_last_90_days_newest_first(client_for):
    manager = PersonFactory()
    ana = report_of(manager, first_name="Ana", preferred_name="")
    made = GoalFactory(owner=ana, title="Ship the importer")
    made.checkins.create(author=ana, health=Health.ON_TRACK, confidence=7, created_at=days_ago(4))
    FeedbackFactory(
        giver=manager, recipient=ana, visibility=Visibility.PUBLIC, created_at=days_ago(9)
    )
    held_one_on_one(manager, ana, days_ago(2))
    FeedbackFactory(recipient=ana, visibility=Visibility.PUBLIC, created_at=days_ago(120))

    page = client_for(manager).get(f"/team/{ana.pk}/").text

    timeline = page.split("The last 90 days", 1)[1]
    held = timeline.index("1:1 held")
    checkin = timeline.index("Checked in on “Ship the importer”: on track")
    praise = timeline.index(f"Praise from {manager.display_name}")
    assert held < checkin < praise
    assert timeline.count("<li>") == 3


def test_a_report_with_nothing_yet_gets_a_helpful_empty_timeline(client_for):
    manager = PersonFactory()
    ana = report_of(manager)

    page = client_for(manager).get(f"/team/{ana.pk}/").text

    assert "Nothing in the last 90 days yet." in page
    assert f'href="/one-on-ones/new/?report={ana.pk}"' in page


def test_the_person_page_links_into_each_feature(client_for):
    manager = PersonFactory()
    ana = report_of(manager)
    series = SeriesFactory(manager=manager, report=ana, first_start=days_ago(1))
    cycle = running_cycle([ana])
    participant = cycle.participants.get()

    page = client_for(manager).get(f"/team/{ana.pk}/").text

    assert f'href="/one-on-ones/{series.pk}/"' in page
    assert f'href="/reviews/participants/{participant.pk}/"' in page
    assert f'href="/feedback/give/?to={ana.pk}"' in page
    assert f'href="/people/{ana.pk}/"' in page


def test_the_meetings_page_preselects_the_report_named_in_the_link(client_for):
    manager = PersonFactory()
    ana = report_of(manager)
    report_of(manager)

    page = client_for(manager).get(f"/one-on-ones/new/?report={ana.pk}").text

    assert f'<option value="{ana.pk}" selected>' in page


@pytest.mark.parametrize("raw", ["abc", "²", "99999999999999999999999", "-1"])
def test_the_meetings_page_ignores_a_bad_report_in_the_link(raw, client_for):
    manager = PersonFactory()
    report_of(manager)

    answer = client_for(manager).get("/one-on-ones/new/", {"report": raw})

    assert answer.status_code == 200
    assert '<option value="" selected>Choose a person</option>' in answer.text


def test_a_manager_with_no_place_in_the_tree_sees_no_one_rather_than_everyone(client_for):
    manager = PersonFactory()
    report_of(manager)
    PersonFactory()  # someone elsewhere in the company
    Person.objects.filter(pk=manager.pk).update(path="")

    rows = client_for(manager).get("/api/v1/team/?subtree=true").json()["items"]

    assert rows == []


def test_an_hr_partner_sees_only_the_people_of_a_team_in_the_departments_they_cover(client_for):
    engineering, sales = DepartmentFactory(), DepartmentFactory()
    partner = hr_partner([engineering])
    manager = PersonFactory(department=engineering)
    inside = report_of(manager)
    report_of(manager, department=sales)

    answer = client_for(partner).get(f"/api/v1/team/?manager={manager.pk}")

    assert [row["person_id"] for row in answer.json()["items"]] == [inside.pk]
