"""The HR pages: protected attributes (import, group counts) and a cycle's fairness figures
(before and after calibration side by side, flags, the test in plain words, the chart, the
suppression note), each within a fixed query budget, and 404 for anyone else."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tandem.fairness.models import PersonAttribute, ProtectedAttribute
from tandem.org.models import Person
from tests.access.matrix import no_writes
from tests.factories import DepartmentFactory, PersonFactory, executive, hr_admin, hr_partner
from tests.fairness.groups_helpers import Rated, RatedCycle, people_analyst, rated_cycle

pytestmark = pytest.mark.django_db

ClientFor = Callable[[Person | None], Client]
ATTRIBUTES = reverse("fairness:attributes")


def _cycle_url(built: RatedCycle, query: str = "") -> str:
    return reverse("fairness:cycle", args=[built.cycle.pk]) + query


@pytest.fixture
def built() -> RatedCycle:
    # Alpha: half at the top before, all after; Beta: a fifth at the top, unchanged.
    rows = [Rated("Alpha", 5 if i < 5 else 3, final=5) for i in range(10)]
    rows += [Rated("Beta", 5 if i < 2 else 3) for i in range(10)]
    rows += [Rated("Zorblax", 4) for _ in range(2)]
    return rated_cycle(rows)


# --- The attributes page --------------------------------------------------------------------------


def test_the_attributes_page_shows_group_counts_and_hides_small_groups(
    built: RatedCycle, client_for: ClientFor, django_assert_max_num_queries
) -> None:
    client = client_for(people_analyst())
    with django_assert_max_num_queries(12):
        page = client.get(ATTRIBUTES)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Alpha" in text
    assert "Zorblax" in text  # the group's name, but not its size
    groups = {g.group: g for g in page.context["summaries"][0].groups}
    assert groups["Alpha"].people == 10
    assert groups["Zorblax"].people is None
    assert "fewer than 5" in text


def test_the_attributes_page_explains_itself_when_there_are_none(client_for: ClientFor) -> None:
    page = client_for(people_analyst()).get(ATTRIBUTES)
    assert "No attributes yet" in page.content.decode()


def _upload(text: str, name: str = "attrs.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_checking_a_file_shows_what_would_change_and_saves_nothing(client_for: ClientFor) -> None:
    PersonFactory(employee_id="PG-1")
    page = client_for(people_analyst()).post(
        ATTRIBUTES, {"action": "check", "file": _upload("employee_id,gender\nPG-1,Woman\n")}
    )
    assert page.status_code == 200
    assert "ready to import" in page.content.decode()
    assert not PersonAttribute.objects.exists()


def test_importing_a_file_saves_it(client_for: ClientFor) -> None:
    PersonFactory(employee_id="PG-1")
    page = client_for(people_analyst()).post(
        ATTRIBUTES, {"action": "import", "file": _upload("employee_id,gender\nPG-1,Woman\n")}
    )
    assert page.status_code == 200
    assert "Imported attrs.csv" in page.content.decode()
    assert PersonAttribute.objects.get().value == "Woman"


def test_a_bad_file_shows_its_problems_by_row_and_saves_nothing(client_for: ClientFor) -> None:
    PersonFactory(employee_id="PG-1")
    page = client_for(people_analyst()).post(
        ATTRIBUTES,
        {"action": "import", "file": _upload("employee_id,gender\nPG-1,Woman\nPG-404,Man\n")},
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert "was not imported" in text
    assert "No one in Tandem has employee id “PG-404”." in text
    assert not PersonAttribute.objects.exists()
    assert not ProtectedAttribute.objects.exists()


# --- The fairness page ----------------------------------------------------------------------------


def test_the_fairness_page_shows_before_and_after_side_by_side(
    built: RatedCycle, client_for: ClientFor, django_assert_max_num_queries
) -> None:
    client = client_for(people_analyst())
    with django_assert_max_num_queries(16):
        page = client.get(_cycle_url(built, "?attribute=gender"))
    assert page.status_code == 200
    rows = {row.group: row for row in page.context["rows"]}
    assert rows["Alpha"].before.top_share == pytest.approx(0.5)
    assert rows["Alpha"].after.top_share == pytest.approx(1.0)
    assert rows["Beta"].after.impact_ratio == pytest.approx(0.2)
    text = page.content.decode()
    assert "Before calibration" in text and "After calibration" in text
    assert "below 0.8" in text


def test_the_fairness_page_says_the_test_in_plain_words(
    built: RatedCycle, client_for: ClientFor
) -> None:
    text = client_for(people_analyst()).get(_cycle_url(built)).content.decode()
    assert "Ratings differ between groups more than chance would explain (p " in text
    assert "No evidence of a difference in ratings between groups (p = " in text


def test_the_fairness_page_draws_top_shares_and_notes_suppressed_groups(
    built: RatedCycle, client_for: ClientFor
) -> None:
    page = client_for(people_analyst()).get(_cycle_url(built))
    labels = [bar.label for bar in page.context["chart"].bars]
    assert labels == [
        "Alpha, before calibration",
        "Alpha, after calibration",
        "Beta, before calibration",
        "Beta, after calibration",
    ]
    text = page.content.decode()
    assert 'class="bar-chart"' in text
    assert "1 group with fewer than 5 rated people is not shown" in text


def test_the_fairness_page_filters_by_department_within_the_budget(
    built: RatedCycle, client_for: ClientFor, django_assert_max_num_queries
) -> None:
    department = built.departments["a"]
    client = client_for(people_analyst())
    with django_assert_max_num_queries(18):
        page = client.get(_cycle_url(built, f"?attribute=gender&department={department.pk}"))
    assert page.status_code == 200
    assert page.context["department"] == department


def test_the_fairness_page_without_attributes_points_to_the_import(client_for: ClientFor) -> None:
    built = rated_cycle([Rated("Alpha", 3)])
    ProtectedAttribute.objects.all().delete()
    text = client_for(people_analyst()).get(_cycle_url(built)).content.decode()
    assert "No protected attributes have been imported yet" in text
    assert ATTRIBUTES in text


def test_an_unknown_attribute_on_the_page_is_a_clear_400(
    built: RatedCycle, client_for: ClientFor
) -> None:
    page = client_for(people_analyst()).get(_cycle_url(built, "?attribute=shoe_size"))
    assert page.status_code == 400
    assert "Select a valid choice" in page.content.decode()


# --- Who may open them ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["hr_admin", "hr_partner", "executive", "manager", "employee"])
def test_everyone_but_people_analysts_gets_404_on_both_pages(
    built: RatedCycle, client_for: ClientFor, who: str
) -> None:
    person = {
        "hr_admin": lambda: hr_admin(),
        "hr_partner": lambda: hr_partner(list(built.departments.values())),
        "executive": lambda: executive(),
        "manager": lambda: built.people[0].manager,
        "employee": lambda: PersonFactory(department=DepartmentFactory()),
    }[who]()
    client = client_for(person)
    assert client.get(_cycle_url(built)).status_code == 404
    assert client.get(ATTRIBUTES).status_code == 404


def test_people_analysts_open_both_pages(built: RatedCycle, client_for: ClientFor) -> None:
    client = client_for(people_analyst())
    assert client.get(_cycle_url(built)).status_code == 200
    assert client.get(ATTRIBUTES).status_code == 200


def test_the_department_choice_offers_top_level_departments_only(
    built: RatedCycle, client_for: ClientFor
) -> None:
    DepartmentFactory(name="Fairness sub-team Quorvath", parent=built.departments["a"])
    page = client_for(people_analyst()).get(_cycle_url(built))
    text = page.content.decode()
    assert built.departments["a"].name in text
    assert "Quorvath" not in text


def test_the_attributes_page_links_to_each_launched_cycles_figures(
    built: RatedCycle, client_for: ClientFor
) -> None:
    text = client_for(people_analyst()).get(ATTRIBUTES).content.decode()
    assert _cycle_url(built) in text


def test_a_people_analyst_reading_the_pages_and_the_api_writes_nothing(
    built: RatedCycle, client_for: ClientFor
) -> None:
    client = client_for(people_analyst())
    api = f"/api/v1/reviews/cycles/{built.cycle.pk}/fairness?attribute=gender"
    for target in (_cycle_url(built), ATTRIBUTES, api):
        with no_writes(f"GET {target} as a people analyst"):
            assert client.get(target).status_code == 200
