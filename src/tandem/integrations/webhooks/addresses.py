"""Which endpoint addresses Tandem will send to: no requests into the company's own network.

A webhook makes Tandem's server send a request wherever IT points it, so an address inside
the network (a database's admin port, the cloud's metadata service at 169.254.169.254) would
turn it into a way in (server-side request forgery). In production an endpoint must be
https and every address its host resolves to must be public; this is checked when the
endpoint is saved and again at each delivery, and the delivery connects to the very address
it checked (a host that re-resolves to a private address in between gains nothing).
With TANDEM_WEBHOOKS_ALLOW_LOCAL (debug and tests) http and private addresses are allowed."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

MAX_URL = 2000
NOT_AN_ADDRESS = "This is not a web address; paste the endpoint's whole URL, starting https://."


class Refused(ValueError):
    """An address Tandem will not send to, with the reason in plain words."""


@dataclass(frozen=True)
class Target:
    """Where to connect: the checked IP (None: connect by name, local addresses allowed),
    with the host name for the Host header and the TLS certificate."""

    url: str
    host: str
    ip: str | None


def allow_local() -> bool:
    return bool(settings.WEBHOOKS_ALLOW_LOCAL)


def _public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _syntax(url: str) -> tuple[str, str, int]:
    text = url.strip()
    if not text or len(text) > MAX_URL or any(c.isspace() for c in text):
        raise Refused(NOT_AN_ADDRESS)
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        raise Refused(NOT_AN_ADDRESS) from None
    if parts.scheme not in ("http", "https") or not host:
        raise Refused(NOT_AN_ADDRESS)
    if parts.username or parts.password:
        raise Refused("The address must not contain a user name or password.")
    if parts.scheme != "https" and not allow_local():
        raise Refused(
            "The address must start with https:// — events would travel in the clear otherwise."
        )
    return parts.scheme, host, port or (443 if parts.scheme == "https" else 80)


def resolve(url: str) -> Target:
    """The address to connect to for `url`, or Refused with the reason."""
    _scheme, host, port = _syntax(url)
    if allow_local():
        return Target(url=url.strip(), host=host, ip=None)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Refused(f"The host {host} cannot be found; check the address.") from None
    ips = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]
    if not ips:
        raise Refused(f"The host {host} cannot be found; check the address.")
    private = [ip for ip in ips if not _public(ip)]
    if private:
        raise Refused(
            f"{host} leads to {private[0]}, an address inside a private network (loopback, "
            "private or link-local); Tandem only sends events to public addresses."
        )
    return Target(url=url.strip(), host=host, ip=str(ips[0]))


def problem(url: str) -> str | None:
    """Why Tandem will not send to `url`, in a sentence; None when it will."""
    try:
        resolve(url)
    except Refused as refused:
        return str(refused)
    return None
