from datetime import date

import pytest

from tandem.org.models import PersonStatus
from tandem.site.queries import headcount_and_top_departments
from tests.factories import DepartmentFactory, PersonFactory, executive, hr_admin, it_admin


def test_home_greets_the_signed_in_person(client_for):
    person = PersonFactory(first_name="Ana", preferred_name="")
    response = client_for(person).get("/")
    assert response.status_code == 200
    assert "Welcome, Ana" in response.text


def test_home_asks_anonymous_visitors_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_home_shows_headcount_to_executives(client_for):
    boss = executive()
    PersonFactory.create_batch(3)
    response = client_for(boss).get("/")
    assert "active, 0 on leave" in response.text


def test_home_shows_a_manager_their_reports(client_for):
    manager = PersonFactory()
    PersonFactory(first_name="Rui", preferred_name="", manager=manager)
    text = client_for(manager).get("/").text
    assert "Your team" in text
    assert "Rui" in text


def test_home_does_not_show_the_team_section_to_individual_contributors(client_for):
    assert "Your team" not in client_for(PersonFactory()).get("/").text


def test_home_links_hr_admins_to_people_operations(client_for):
    text = client_for(hr_admin()).get("/").text
    assert "People operations" in text
    assert "/hr/import/" in text


def test_home_shows_it_admins_their_section_but_no_headcount(client_for):
    text = client_for(it_admin()).get("/").text
    assert "IT administration" in text
    assert "The organisation" not in text


def test_home_shows_no_placeholder_text(client_for):
    manager = PersonFactory()
    PersonFactory(manager=manager)
    text = client_for(manager).get("/").text
    assert "coming next" not in text.lower()
    assert "lorem" not in text.lower()


def test_navigation_shows_hr_links_only_to_hr(client_for):
    assert 'href="/hr/people/"' not in client_for(PersonFactory()).get("/").text
    assert 'href="/hr/people/"' in client_for(hr_admin()).get("/").text


def test_home_counts_everyone_below_a_top_level_department(client_for):
    engineering = DepartmentFactory(name="Engineering")
    platform = DepartmentFactory(name="Platform", parent=engineering)
    PersonFactory(department=engineering)
    PersonFactory.create_batch(3, department=platform)
    PersonFactory(
        department=platform,
        status=PersonStatus.LEFT,
        start_date=date(2024, 1, 8),
        end_date=date(2026, 1, 31),
    )

    response = client_for(executive()).get("/")

    row = next(d for d in response.context["top_departments"] if d.name == "Engineering")
    assert row.people == 4
    assert "Platform" not in [d.name for d in response.context["top_departments"]]


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [1, 4])
def test_headcount_and_department_counts_take_two_queries_however_deep_the_tree(
    depth, django_assert_num_queries
):
    parent = None
    for level in range(depth):
        parent = DepartmentFactory(name=f"Level {level}", parent=parent)
        PersonFactory.create_batch(2, department=parent)

    with django_assert_num_queries(2):
        headcount, top = headcount_and_top_departments()

    assert [(d.name, d.people) for d in top] == [("Level 0", 2 * depth)]
    assert headcount == {"active": 2 * depth, "on_leave": 0, "left": 0}
