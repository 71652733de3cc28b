"""1:1s over the API: participants only, bad input answered as 422 naming the field."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tandem.meetings.models import ActionItem, AgendaItem, Series
from tests.meetings.factories import pair, series_with_meeting

pytestmark = pytest.mark.django_db


def _send(client, method: str, url: str, body: dict | None = None):  # type: ignore[no-untyped-def]
    return client.generic(method, url, json.dumps(body or {}), content_type="application/json")


def _fields(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [error["loc"][-1] for error in response.json()["errors"]]


def test_a_manager_starts_a_series_through_the_api(bearer_for):
    manager, report = pair()
    start = (timezone.now() + timedelta(days=3)).isoformat()
    response = _send(
        bearer_for(manager),
        "POST",
        "/api/v1/one-on-ones/series",
        {"report": report.pk, "first_start": start, "cadence": "weekly"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["report"]["id"] == report.pk


def test_a_first_meeting_in_the_past_is_a_422_naming_the_field(bearer_for):
    manager, report = pair()
    start = (timezone.now() - timedelta(days=3)).isoformat()
    response = _send(
        bearer_for(manager),
        "POST",
        "/api/v1/one-on-ones/series",
        {"report": report.pk, "first_start": start},
    )
    assert response.status_code == 422
    assert _fields(response) == ["first_start"]
    assert not Series.objects.exists()


def test_an_action_item_without_an_owner_is_a_422_naming_the_field(bearer_for):
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report)
    response = _send(
        bearer_for(report),
        "POST",
        f"/api/v1/one-on-ones/meetings/{meeting.pk}/action-items",
        {"text": "Ship it"},
    )
    assert response.status_code == 422
    assert _fields(response) == ["owner"]
    assert not ActionItem.objects.exists()


def test_an_oversized_agenda_item_is_a_422_naming_the_field(bearer_for):
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report)
    response = _send(
        bearer_for(report),
        "POST",
        f"/api/v1/one-on-ones/meetings/{meeting.pk}/agenda-items",
        {"text": "x" * 501},
    )
    assert response.status_code == 422
    assert _fields(response) == ["text"]
    assert not AgendaItem.objects.exists()


def test_participants_build_reorder_and_tick_off_the_agenda(bearer_for):
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report)
    client = bearer_for(report)
    base = f"/api/v1/one-on-ones/meetings/{meeting.pk}/agenda-items"
    first = _send(client, "POST", base, {"text": "One"}).json()
    second = _send(bearer_for(manager), "POST", base, {"text": "Two"}).json()
    _send(client, "PATCH", f"/api/v1/one-on-ones/agenda-items/{second['id']}", {"position": 1})
    done = _send(client, "PATCH", f"/api/v1/one-on-ones/agenda-items/{first['id']}", {"done": True})
    assert done.json()["done"] is True
    listed = client.get(base).json()
    assert [item["text"] for item in listed] == ["Two", "One"]


def test_an_action_item_given_through_the_api_carries_over_after_the_meeting(bearer_for):
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report, starts_at=timezone.now() - timedelta(hours=1))
    client = bearer_for(manager)
    made = _send(
        client,
        "POST",
        f"/api/v1/one-on-ones/meetings/{meeting.pk}/action-items",
        {"text": "Ship it", "owner": report.pk},
    ).json()
    upcoming = _send(client, "POST", f"/api/v1/one-on-ones/meetings/{meeting.pk}/held").json()
    listed = client.get(f"/api/v1/one-on-ones/meetings/{upcoming['id']}/action-items").json()
    assert [(i["id"], i["origin_meeting_id"]) for i in listed] == [(made["id"], meeting.pk)]
