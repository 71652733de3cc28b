"""SSRF: in production an endpoint must be https and resolve only to public addresses,
checked when it is saved and again when each event is sent."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from pytest_django.fixtures import Settings as SettingsWrapper

from tandem.integrations.webhooks import addresses, services
from tandem.integrations.webhooks.models import Delivery, DeliveryStatus, Endpoint
from tandem.org.models import Person
from tests.integrations.webhooks.conftest import Receiver


@pytest.fixture
def production(settings: SettingsWrapper) -> SettingsWrapper:
    settings.WEBHOOKS_ALLOW_LOCAL = False
    return settings


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """A resolver the test controls: host → addresses (no network needed)."""
    table: dict[str, list[str]] = {}

    def resolve(host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (
                socket.AF_INET6 if ":" in ip else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (ip, port),
            )
            for ip in table[host]
        ]

    monkeypatch.setattr(addresses.socket, "getaddrinfo", resolve)
    return table


@pytest.mark.parametrize(
    "ip",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.5",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "fd00::1",
        "::ffff:127.0.0.1",
        "0.0.0.0",  # noqa: S104 (an address to refuse, not one to bind)
        "100.64.0.1",
    ],
)
def test_a_host_resolving_to_a_private_address_is_refused(
    production: SettingsWrapper, dns: dict[str, list[str]], ip: str
) -> None:
    dns["hooks.example.com"] = [ip]
    problem = addresses.problem("https://hooks.example.com/in")
    assert problem is not None
    assert "private network" in problem


def test_a_host_with_one_private_address_among_public_ones_is_refused(
    production: SettingsWrapper, dns: dict[str, list[str]]
) -> None:
    dns["hooks.example.com"] = ["93.184.216.34", "10.0.0.7"]
    assert "10.0.0.7" in (addresses.problem("https://hooks.example.com/in") or "")


def test_a_public_https_address_is_accepted(
    production: SettingsWrapper, dns: dict[str, list[str]]
) -> None:
    dns["hooks.example.com"] = ["93.184.216.34"]
    assert addresses.problem("https://hooks.example.com/in") is None


def test_plain_http_is_refused_in_production(
    production: SettingsWrapper, dns: dict[str, list[str]]
) -> None:
    dns["hooks.example.com"] = ["93.184.216.34"]
    assert "https://" in (addresses.problem("http://hooks.example.com/in") or "")


def test_an_unknown_host_is_refused_with_its_name(
    production: SettingsWrapper, dns: dict[str, list[str]]
) -> None:
    assert "nowhere.example.com cannot be found" in (
        addresses.problem("https://nowhere.example.com/") or ""
    )


@pytest.mark.parametrize(
    "url", ["", "hooks.example.com", "ftp://hooks.example.com/", "https://", "https://a b.com/"]
)
def test_what_is_not_a_web_address_is_refused(production: SettingsWrapper, url: str) -> None:
    assert addresses.problem(url) == addresses.NOT_AN_ADDRESS


def test_a_user_name_in_the_address_is_refused(production: SettingsWrapper) -> None:
    assert "user name" in (addresses.problem("https://me:pw@hooks.example.com/") or "")


def test_saving_a_private_address_names_the_url_field_and_saves_nothing(
    it: Person, production: SettingsWrapper, dns: dict[str, list[str]]
) -> None:
    dns["intranet.example.com"] = ["10.0.0.7"]
    with pytest.raises(ValidationError) as raised:
        services.create_endpoint(
            name="Intranet", url="https://intranet.example.com/", event_types=["goal.closed"], by=it
        )
    assert "private network" in raised.value.message_dict["url"][0]
    assert not Endpoint.objects.exists()


def test_an_address_that_turned_private_since_it_was_saved_gets_nothing(
    it: Person,
    make_endpoint: Callable[..., Endpoint],
    receiver: Receiver,
    settings: SettingsWrapper,
) -> None:
    endpoint = make_endpoint("person.created")  # saved while local addresses were allowed
    settings.WEBHOOKS_ALLOW_LOCAL = False
    endpoint.url = receiver.url.replace("http://", "https://")
    endpoint.save(update_fields=["url"])
    answer = services.send_test_event(endpoint=endpoint, by=it)
    assert not answer.delivered
    assert "private network" in answer.message
    assert receiver.requests == []
    assert Delivery.objects.get(endpoint=endpoint).status == DeliveryStatus.FAILED


def test_a_delivery_connects_to_the_address_it_checked(
    production: SettingsWrapper, dns: dict[str, list[str]]
) -> None:
    dns["hooks.example.com"] = ["93.184.216.34"]
    target = addresses.resolve("https://hooks.example.com:8443/in")
    assert (target.host, target.ip) == ("hooks.example.com", "93.184.216.34")


def test_the_post_goes_to_the_checked_ip_naming_the_host_for_http_and_tls(
    production: SettingsWrapper, dns: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    import httpx

    from tandem.integrations.webhooks import sending

    dns["hooks.example.com"] = ["93.184.216.34"]
    seen: dict[str, Any] = {}

    def post(self: httpx.Client, url: str, **kwargs: Any) -> httpx.Response:
        seen.update(url=url, **kwargs)
        return httpx.Response(204)

    monkeypatch.setattr(httpx.Client, "post", post)
    answer = sending.post(
        "https://hooks.example.com:8443/in?x=1",
        message_id="msg_1",
        secrets_=[sending.new_secret()],
        payload=b"{}",
    )
    assert answer.delivered
    assert seen["url"] == "https://93.184.216.34:8443/in?x=1"
    assert seen["headers"]["host"] == "hooks.example.com:8443"
    assert seen["extensions"] == {"sni_hostname": "hooks.example.com"}
