"""The frameworks API: tracks with levels, a track with its expectations, a person's
placement (as visible as the person), HR's PUT of a placement."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from tandem.growth.models import Placement
from tandem.growth.services import placements
from tandem.org.models import Person, PersonStatus
from tests.factories import PersonFactory, api_token, hr_admin
from tests.growth.factories_frameworks import ladder

pytestmark = pytest.mark.django_db


def _get(client: Client, person: Person, path: str, token: str | None = None) -> Any:
    token = token or api_token(person)
    return client.get(f"/api/v1{path}", HTTP_AUTHORIZATION=f"Bearer {token}")


def _put(client: Client, person: Person, path: str, body: dict[str, Any]) -> Any:
    return client.put(
        f"/api/v1{path}",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_token(person)}",
    )


def test_the_tracks_list_has_each_tracks_levels_in_order(client, django_assert_max_num_queries):
    ladder(codes=("IC1", "IC2"), key="eng")
    ladder(codes=("S1",), key="sales")
    reader = PersonFactory()
    token = api_token(reader)
    with django_assert_max_num_queries(8):
        response = _get(client, reader, "/growth/tracks", token)
    body = response.json()
    assert [t["key"] for t in body] == ["eng", "sales"]
    assert [lv["code"] for lv in body[0]["levels"]] == ["IC1", "IC2"]


def test_a_track_has_its_expectations_by_level_code(client):
    track = ladder(codes=("IC1", "IC2"), competencies=1)
    body = _get(client, PersonFactory(), f"/growth/tracks/{track.pk}").json()
    assert body["competencies"][0]["expectations"] == {
        "IC1": "Competency 1 at IC1",
        "IC2": "Competency 1 at IC2",
    }


def test_a_missing_track_is_404(client):
    assert _get(client, PersonFactory(), "/growth/tracks/999999").status_code == 404


def test_a_colleagues_placement_is_readable(client):
    track = ladder()
    person = PersonFactory()
    placements.place(by=hr_admin(), person=person, level=track.levels.get(code="IC3"))
    body = _get(client, PersonFactory(), f"/growth/people/{person.pk}/placement").json()
    assert body["level"]["code"] == "IC3"
    assert body["track"]["key"] == track.key


def test_an_unplaced_person_has_no_track_or_level(client):
    person = PersonFactory()
    body = _get(client, PersonFactory(), f"/growth/people/{person.pk}/placement").json()
    assert body == {"person_id": person.pk, "track": None, "level": None, "since": None}


def test_the_placement_of_someone_who_left_is_404_for_a_colleague(client):
    gone = PersonFactory(
        status=PersonStatus.LEFT, start_date=date(2020, 1, 1), end_date=date(2024, 1, 1)
    )
    assert _get(client, PersonFactory(), f"/growth/people/{gone.pk}/placement").status_code == 404


def test_hr_places_a_person_through_the_api(client):
    track = ladder()
    person = PersonFactory(start_date=date(2020, 1, 1))
    level = track.levels.get(code="IC2")
    response = _put(
        client,
        hr_admin(),
        f"/growth/people/{person.pk}/placement",
        {"level_id": level.pk, "since": "2024-01-15", "reason": "Hired as IC2"},
    )
    assert response.status_code == 200
    assert response.json()["since"] == "2024-01-15"
    assert Placement.objects.get(person=person).level == level


def test_an_unknown_level_is_422_naming_the_field(client):
    person = PersonFactory()
    response = _put(
        client, hr_admin(), f"/growth/people/{person.pk}/placement", {"level_id": 999999}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "level_id"


def test_an_employee_may_not_place_anyone(client):
    track = ladder()
    person = PersonFactory()
    response = _put(
        client,
        PersonFactory(),
        f"/growth/people/{person.pk}/placement",
        {"level_id": track.levels.get(code="IC1").pk},
    )
    assert response.status_code == 404
    assert not Placement.objects.exists()
