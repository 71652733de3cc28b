"""The program over the API: its switches, the presets, a preset's diff, applying one, the
history and undoing a change."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tandem.program import presets, services
from tandem.program.models import PRESET_FIELDS, Program, ProgramChange
from tests.factories import PersonFactory, api_token, hr_admin

pytestmark = pytest.mark.django_db

BASE = "/api/v1/program"


def _bearer(person: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token(person)}"})


def _post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


def test_everyone_reads_every_switch_with_its_meaning():
    body = _bearer(PersonFactory()).get(BASE).json()
    switches = {s["key"]: s for s in body["switches"]}
    assert list(switches) == list(PRESET_FIELDS)
    ratings = switches["review_ratings_enabled"]
    assert ratings["value"] is True and ratings["label"] == "Reviews use rating scales"
    assert ratings["meaning"].startswith("Reviews use rating scales; each point")
    assert switches["anonymity_minimum"]["value"] == 5


def test_reading_the_program_writes_nothing():
    _bearer(PersonFactory()).get(BASE)
    assert not Program.objects.exists()


def test_the_presets_come_with_every_switch():
    body = _bearer(PersonFactory()).get(f"{BASE}/presets").json()
    assert [p["key"] for p in body] == [p.key for p in presets.BUILT_IN]
    assert all(set(p["switches"]) == set(PRESET_FIELDS) for p in body)
    assert body[0]["name"] == "Growth first" and body[0]["built_in"] is True


def test_a_diff_lists_the_changes_and_saves_nothing():
    response = _post(_bearer(PersonFactory()), f"{BASE}/presets/growth-first/diff")
    ratings = next(c for c in response.json() if c["key"] == "review_ratings_enabled")
    assert (ratings["before"], ratings["after"]) == (True, False)
    assert (ratings["before_words"], ratings["after_words"]) == ("on", "off")
    assert not Program.objects.exists() and not ProgramChange.objects.exists()


def test_a_diff_of_an_unknown_preset_is_404():
    response = _post(_bearer(PersonFactory()), f"{BASE}/presets/nope/diff")
    assert response.status_code == 404


def test_hr_applies_a_preset_with_a_reason():
    response = _post(_bearer(hr_admin()), f"{BASE}/presets/enterprise/apply", {"reason": "Big"})
    assert response.status_code == 200
    body = response.json()
    assert body["source"] == "preset:enterprise" and body["reason"] == "Big"
    assert "applied the preset “Enterprise”" in body["summary"]
    assert Program.current().anonymity_minimum == 7


def test_an_employee_applying_a_preset_gets_404_and_nothing_changes():
    response = _post(_bearer(PersonFactory()), f"{BASE}/presets/enterprise/apply")
    assert response.status_code == 404
    assert not ProgramChange.objects.exists()


def test_applying_a_preset_already_in_place_is_422():
    admin = hr_admin()
    services.apply_preset(by=admin, key="scale-up")
    response = _post(_bearer(admin), f"{BASE}/presets/scale-up/apply")
    assert response.status_code == 422
    assert "already matches" in response.json()["detail"]


def test_a_reason_of_the_wrong_type_is_422_naming_it():
    response = _post(_bearer(hr_admin()), f"{BASE}/presets/scale-up/apply", {"reason": 5})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "reason"]


def test_everyone_reads_the_history_newest_first_a_page_at_a_time():
    admin = hr_admin()
    for days in (30, 40, 50):
        services.update_program(by=admin, upward_feedback_window_days=days)
    client = _bearer(PersonFactory())
    first = client.get(f"{BASE}/changes?limit=2").json()
    assert [c["changes"][0]["after"] for c in first["items"]] == [50, 40]
    second = client.get(f"{BASE}/changes?limit=2&cursor={first['next_cursor']}").json()
    assert [c["changes"][0]["after"] for c in second["items"]] == [30]
    assert second["next_cursor"] is None


def test_a_bad_history_cursor_is_422_naming_it():
    response = _bearer(PersonFactory()).get(f"{BASE}/changes?cursor=abc")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "cursor"]


def test_hr_reverts_a_change():
    admin = hr_admin()
    change = services.apply_preset(by=admin, key="growth-first")
    response = _post(_bearer(admin), f"{BASE}/changes/{change.pk}/revert", {"reason": "Oops"})
    assert response.status_code == 200
    assert response.json()["reverts_id"] == change.pk
    assert Program.current().review_ratings_enabled is True


def test_a_revert_a_later_change_overlaps_is_422_and_changes_nothing():
    admin = hr_admin()
    change = services.apply_preset(by=admin, key="growth-first")
    services.apply_preset(by=admin, key="enterprise")
    response = _post(_bearer(admin), f"{BASE}/changes/{change.pk}/revert")
    assert response.status_code == 422
    assert ProgramChange.objects.count() == 2


def test_an_employee_reverting_gets_404():
    change = services.apply_preset(by=hr_admin(), key="growth-first")
    response = _post(_bearer(PersonFactory()), f"{BASE}/changes/{change.pk}/revert")
    assert response.status_code == 404
    assert ProgramChange.objects.count() == 1


def test_reverting_a_change_that_does_not_exist_is_404():
    response = _post(_bearer(hr_admin()), f"{BASE}/changes/{2**63 + 5}/revert")
    assert response.status_code == 404


def test_the_history_keeps_its_query_budget(django_assert_max_num_queries):
    admin = hr_admin()
    for days in range(25):
        services.update_program(by=admin, upward_feedback_window_days=30 + days)
    services.apply_preset(by=admin, key="growth-first")
    client = _bearer(PersonFactory())
    with django_assert_max_num_queries(6):
        assert len(client.get(f"{BASE}/changes?limit=100").json()["items"]) == 26
