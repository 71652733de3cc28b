from django.utils import timezone

from tandem.access.models import Role
from tandem.org.models import PersonStatus
from tests.factories import PersonFactory, grant, hr_admin


def test_me_describes_the_signed_in_person(client_for):
    person = PersonFactory(first_name="Ana", last_name="Lima", preferred_name="")
    body = client_for(person).get("/api/v1/me").json()
    assert (body["id"], body["email"], body["display_name"]) == (
        person.pk,
        person.email,
        "Ana Lima",
    )


def test_me_shows_the_person_their_own_private_fields(client_for):
    person = PersonFactory(employee_id="E-77", level="IC3")
    body = client_for(person).get("/api/v1/me").json()
    assert (body["employee_id"], body["level"]) == ("E-77", "IC3")


def test_me_lists_no_roles_for_an_employee(client_for):
    body = client_for(PersonFactory()).get("/api/v1/me").json()
    assert (body["roles"], body["is_manager"]) == ([], False)


def test_me_lists_granted_roles_in_order(client_for):
    person = grant(hr_admin(), Role.EXECUTIVE)
    body = client_for(person).get("/api/v1/me").json()
    assert body["roles"] == ["executive", "hr_admin"]


def test_me_says_someone_with_reports_is_a_manager(client_for):
    boss = PersonFactory()
    PersonFactory(manager=boss)
    assert client_for(boss).get("/api/v1/me").json()["is_manager"] is True


def test_me_does_not_count_reports_who_left(client_for):
    boss = PersonFactory()
    PersonFactory(manager=boss, status=PersonStatus.LEFT, end_date=timezone.localdate())
    assert client_for(boss).get("/api/v1/me").json()["is_manager"] is False
