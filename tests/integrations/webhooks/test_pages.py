"""IT's pages for outgoing webhooks and the IT overview."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.integrations.status import StatusLine
from tandem.integrations.webhooks import status
from tandem.integrations.webhooks.models import Endpoint
from tandem.org.models import Person
from tests.integrations.webhooks.conftest import Receiver

pytestmark = pytest.mark.django_db


def test_adding_an_endpoint_shows_its_secret_once_and_not_on_later_pages(
    client_for: Any, it: Person, receiver: Receiver
) -> None:
    client = client_for(it)
    response = client.post(
        reverse("integrations_webhooks:endpoints"),
        {
            "name": "HRIS sync",
            "url": receiver.url,
            "event_types": ["person.created"],
            "enabled": "on",
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = response.context["secret"]
    assert secret.startswith("whsec_")
    endpoint = Endpoint.objects.get()
    page = client.get(reverse("integrations_webhooks:endpoint", args=[endpoint.pk]))
    assert secret not in page.content.decode()


def test_a_private_address_is_refused_on_the_url_field(
    client_for: Any, it: Person, settings: Any
) -> None:
    settings.WEBHOOKS_ALLOW_LOCAL = False
    response = client_for(it).post(
        reverse("integrations_webhooks:endpoints"),
        {"name": "Box", "url": "https://127.0.0.1/in", "event_types": ["goal.closed"]},
    )
    assert response.status_code == 400
    assert "private network" in response.context["form"].errors["url"][0]
    assert not Endpoint.objects.exists()


def test_no_event_type_chosen_is_refused_in_plain_words(client_for: Any, it: Person) -> None:
    response = client_for(it).post(
        reverse("integrations_webhooks:endpoints"), {"name": "Box", "url": "http://127.0.0.1:9/"}
    )
    assert response.context["form"].errors["event_types"] == [
        "Choose at least one kind of event to send."
    ]


def test_the_test_button_logs_the_response_code(
    client_for: Any, it: Person, make_endpoint: Callable[..., Endpoint], receiver: Receiver
) -> None:
    endpoint = make_endpoint("person.created")
    client = client_for(it)
    client.post(reverse("integrations_webhooks:test", args=[endpoint.pk]))
    page = client.get(reverse("integrations_webhooks:endpoint", args=[endpoint.pk]))
    assert "<code>200</code>" in page.content.decode()


def test_switching_an_endpoint_back_on_clears_its_failure(
    client_for: Any, it: Person, make_endpoint: Callable[..., Endpoint], receiver: Receiver
) -> None:
    endpoint = make_endpoint("person.created")
    Endpoint.objects.filter(pk=endpoint.pk).update(
        enabled=False, disabled_reason="Switched off by Tandem", failing_since=timezone.now()
    )
    client_for(it).post(
        reverse("integrations_webhooks:endpoint", args=[endpoint.pk]),
        {
            "name": endpoint.name,
            "url": endpoint.url,
            "event_types": ["person.created"],
            "enabled": "on",
        },
    )
    endpoint.refresh_from_db()
    assert (endpoint.enabled, endpoint.disabled_reason, endpoint.failing_since) == (True, "", None)


def test_the_status_line_is_off_without_endpoints(db: None) -> None:
    assert [(line.state, line.summary) for line in status.lines()] == [("off", "No endpoints yet.")]


def test_the_status_line_flags_an_endpoint_switched_off_after_failing(
    make_endpoint: Callable[..., Endpoint],
) -> None:
    endpoint = make_endpoint("person.created", name="Warehouse")
    Endpoint.objects.filter(pk=endpoint.pk).update(enabled=False, disabled_reason="Failing")
    [line] = status.lines()
    assert line.state == "failing"
    assert "Warehouse" in line.summary


def test_the_status_line_needs_a_look_while_an_endpoint_is_retrying(
    make_endpoint: Callable[..., Endpoint],
) -> None:
    endpoint = make_endpoint("person.created", name="Warehouse")
    Endpoint.objects.filter(pk=endpoint.pk).update(failing_since=timezone.now())
    assert status.lines()[0].state == "attention"


def test_the_it_page_lists_every_integration_with_its_state_and_manage_link(
    client_for: Any, it: Person, make_endpoint: Callable[..., Endpoint]
) -> None:
    make_endpoint("person.created")
    page = client_for(it).get(reverse("integrations:it_overview"))
    text = page.content.decode()
    lines: list[StatusLine] = page.context["lines"]
    names = [line.integration for line in lines]
    for name in ("Chat webhooks", "API tokens", "E-mail", "Outgoing webhooks"):
        assert name in names
    assert f'href="{reverse("integrations_webhooks:endpoints")}"' in text
    assert f'href="{reverse("integrations:chat_webhooks")}"' in text


def test_the_it_page_shows_last_activity_in_the_viewers_time_zone(
    client_for: Any, it: Person, make_endpoint: Callable[..., Endpoint]
) -> None:
    endpoint = make_endpoint("person.created")
    at = timezone.now().replace(microsecond=0) - timedelta(hours=2)
    Endpoint.objects.filter(pk=endpoint.pk).update(last_success_at=at)
    it.time_zone = "Asia/Tokyo"
    it.save(update_fields=["time_zone"])
    page = client_for(it).get(reverse("integrations:it_overview")).content.decode()
    local = timezone.localtime(at, timezone=__import__("zoneinfo").ZoneInfo("Asia/Tokyo"))
    assert local.strftime("%H:%M") in page


def test_the_it_admins_home_page_and_sidebar_link_to_the_it_page(
    client_for: Any, it: Person
) -> None:
    page = client_for(it).get("/").content.decode()
    assert page.count(f'href="{reverse("integrations:it_overview")}"') >= 2
