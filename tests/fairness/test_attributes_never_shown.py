"""A person's protected attributes are never shown outside the fairness pages: not in the
directory, the profile, the org chart, the HR people pages, the people API, search, the
team hub or any export — not even to a people analyst, who may read them only there."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.http import StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse

from tandem.org.models import Person
from tests.factories import DepartmentFactory
from tests.fairness.groups_helpers import Rated, people_analyst, rated_cycle

pytestmark = pytest.mark.django_db

SECRET = "Zorblax"
SECRET_BAND = "Quuxfeld"
OWNER_NAME = "Vandersnoot"


def _text(response: HttpResponseBase) -> str:
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content).decode("utf-8-sig", "replace")  # type: ignore[arg-type]
    return response.content.decode("utf-8", "replace")


@pytest.fixture
def world() -> Iterator[tuple[Person, Person, int]]:
    built = rated_cycle([Rated(SECRET, 5), Rated(SECRET, 3), Rated("Other", 4)])
    owner = built.people[0]
    owner.last_name = OWNER_NAME
    owner.save(update_fields=["last_name"])
    from tandem.fairness.models import PersonAttribute, ProtectedAttribute

    band = ProtectedAttribute.objects.create(key="age_band", label="Age band")
    PersonAttribute.objects.create(person=owner, attribute=band, value=SECRET_BAND)
    yield owner, owner.manager, built.cycle.pk  # type: ignore[misc]


def _addresses(owner: Person, cycle_id: int) -> list[str]:
    return [
        reverse("org:directory"),
        reverse("org:person", args=[owner.pk]),
        reverse("org:chart"),
        reverse("org:hr_people"),
        reverse("org:hr_person_edit", args=[owner.pk]),
        reverse("team:hub"),
        reverse("team:person", args=[owner.pk]),
        reverse("reviews:cycle", args=[cycle_id]),
        reverse("reviews:export_progress_csv", args=[cycle_id]),
        reverse("reviews:export_results_csv", args=[cycle_id]),
        reverse("goals:export_csv"),
        "/api/v1/people",
        f"/api/v1/people/{owner.pk}",
        "/api/v1/me",
        f"/api/v1/reviews/cycles/{cycle_id}/participants",
    ]


@pytest.mark.parametrize("viewer", ["people_analyst", "owner", "manager"])
def test_no_page_api_or_export_contains_an_attribute_value(
    world: tuple[Person, Person, int],
    client_for: Callable[[Person | None], Client],
    viewer: str,
) -> None:
    owner, manager, cycle_id = world
    person = {
        "people_analyst": lambda: people_analyst(department=DepartmentFactory()),
        "owner": lambda: owner,
        "manager": lambda: manager,
    }[viewer]()
    client = client_for(person)
    opened = 0
    for address in _addresses(owner, cycle_id):
        response = client.get(address)
        assert response.status_code in (200, 302, 404), (address, response.status_code)
        text = _text(response)
        assert SECRET not in text, address
        assert SECRET_BAND not in text, address
        opened += response.status_code == 200
    assert opened >= 8  # the check read real pages, not only refusals


def test_the_fairness_page_does_show_the_group_to_a_people_analyst(
    world: tuple[Person, Person, int], client_for: Callable[[Person | None], Client]
) -> None:
    page = client_for(people_analyst()).get(reverse("fairness:attributes"))
    assert SECRET in page.content.decode()  # so the test above would have seen it


@pytest.mark.parametrize("address", ["org:directory", "org:hr_people"])
def test_searching_people_by_an_attribute_value_finds_no_one(
    world: tuple[Person, Person, int],
    client_for: Callable[[Person | None], Client],
    address: str,
) -> None:
    page = client_for(people_analyst()).get(reverse(address) + f"?q={SECRET}")
    assert page.status_code == 200
    assert OWNER_NAME not in page.content.decode()
    assert OWNER_NAME in client_for(people_analyst()).get(reverse(address)).content.decode()


def test_searching_the_people_api_by_an_attribute_value_finds_no_one(
    world: tuple[Person, Person, int], client_for: Callable[[Person | None], Client]
) -> None:
    answer = client_for(people_analyst()).get(f"/api/v1/people?q={SECRET}").json()
    assert answer["items"] == []
