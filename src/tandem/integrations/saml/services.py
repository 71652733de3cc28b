"""Writes for SAML sign-in: IT adding, changing and removing identity providers (audited),
fetching an IdP's metadata from its URL, and the two halves of a sign-in (sending the
browser to the IdP; checking what it sends back and signing the person in).

A sign-in that fails ends with a plain sentence for the person and the technical reason in
the log and in `SignInAttempt` (for IT): never an error page."""

from __future__ import annotations

import base64
import ipaddress
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, samlp
from saml2.response import StatusError, UnsolicitedResponse, VerificationError
from saml2.sigver import SignatureError
from saml2.validate import ResponseLifetimeExceed, ToEarly
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from tandem.access.external_sign_in import complete_external_sign_in
from tandem.access.rules import require
from tandem.audit.services import record
from tandem.integrations.saml import sp
from tandem.integrations.saml.models import IdentityProvider, SignInAttempt
from tandem.integrations.sign_in_check import values_for_display

logger = logging.getLogger(__name__)

MAX_NAME = 100
MAX_METADATA_BYTES = 1_000_000
FETCH_TIMEOUT_SECONDS = 10
# A sign-in started here must come back within this time.
REQUEST_LIFETIME_SECONDS = 15 * 60
MAX_OUTSTANDING = 5
LOOPBACK_HOSTS = {"localhost"}


# --- IT: identity providers ---------------------------------------------------------------


def _loopback(host: str) -> bool:
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def fetch_metadata(url: str) -> str:
    """The metadata at `url` (HTTPS; plain HTTP only on this machine), or ValidationError
    naming the field."""
    parts = urlsplit(url.strip())
    if parts.scheme != "https" and not (parts.scheme == "http" and _loopback(parts.hostname or "")):
        raise ValidationError(
            {
                "metadata_url": [
                    "Use an https:// address, so the metadata cannot be swapped on the way."
                ]
            }
        )
    try:
        answer = httpx.get(url.strip(), timeout=FETCH_TIMEOUT_SECONDS, follow_redirects=True)
    except httpx.HTTPError as error:
        logger.warning("SAML metadata fetch from %s failed: %r", url, error)
        raise ValidationError(
            {"metadata_url": ["Tandem could not reach this address. Check it, or upload the file."]}
        ) from error
    if answer.status_code != 200:
        raise ValidationError(
            {"metadata_url": [f"The address answered {answer.status_code}, not the metadata."]}
        )
    if len(answer.content) > MAX_METADATA_BYTES:
        raise ValidationError({"metadata_url": ["The metadata there is larger than 1 MB."]})
    return answer.text


def _check(*, name: str, metadata_xml: str, field: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["Give the identity provider a name people recognise, such as “Okta”."]
    elif len(name) > MAX_NAME:
        errors["name"] = [f"Keep the name under {MAX_NAME} characters."]
    try:
        sp.read_idp_metadata(metadata_xml)
    except sp.BadMetadata as problem:
        errors[field] = [str(problem)]
    return errors


def _domains(text: str) -> str:
    return "\n".join(d.strip().lower().lstrip("@") for d in text.replace(",", " ").split())


def _snapshot(provider: IdentityProvider) -> dict[str, Any]:
    return {
        "name": provider.name,
        "entity_id": provider.entity_id,
        "metadata_url": provider.metadata_url,
        "email_attribute": provider.email_attribute or "NameID",
        "allowed_domains": provider.allowed_domains.replace("\n", ", ") or "any",
        "enabled": provider.enabled,
    }


def _duplicate(entity_id: str, field: str, exclude: int | None = None) -> dict[str, list[str]]:
    others = IdentityProvider.objects.filter(entity_id=entity_id)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        return {field: ["Another identity provider already uses this metadata (same entity id)."]}
    return {}


def create_provider(
    *,
    name: str,
    metadata_xml: str = "",
    metadata_url: str = "",
    email_attribute: str = "",
    allowed_domains: str = "",
    enabled: bool = True,
    by: Any,
) -> IdentityProvider:
    """Trust a new identity provider, from its uploaded metadata or its metadata URL."""
    require(by, "saml_provider.manage")
    field = "metadata_file"
    if not metadata_xml.strip():
        if not metadata_url.strip():
            raise ValidationError(
                {"metadata_file": ["Upload the identity provider's metadata, or give its URL."]}
            )
        metadata_xml = fetch_metadata(metadata_url)
        field = "metadata_url"
    errors = _check(name=name, metadata_xml=metadata_xml, field=field)
    if errors:
        raise ValidationError(errors)
    found = sp.read_idp_metadata(metadata_xml)
    if errors := _duplicate(found.entity_id, field):
        raise ValidationError(errors)
    with transaction.atomic():
        provider = IdentityProvider.objects.create(
            name=name.strip(),
            entity_id=found.entity_id,
            metadata_xml=metadata_xml,
            metadata_url=metadata_url.strip(),
            email_attribute=email_attribute.strip(),
            allowed_domains=_domains(allowed_domains),
            enabled=enabled,
            created_by=by if getattr(by, "pk", None) else None,
        )
        record(
            actor=by,
            kind="saml_provider.create",
            obj=provider,
            object_label=str(provider),
            changes=_snapshot(provider),
        )
    return provider


def update_provider(
    *,
    provider: IdentityProvider,
    name: str,
    metadata_xml: str = "",
    metadata_url: str = "",
    refresh: bool = False,
    email_attribute: str = "",
    allowed_domains: str = "",
    enabled: bool = True,
    by: Any,
) -> dict[str, list[Any]]:
    """Change a provider; new metadata comes from an upload, or from its URL when `refresh`
    or when the URL changed. Returns {field: [old, new]} (audited)."""
    require(by, "saml_provider.manage", provider)
    field = "metadata_file"
    new_url = metadata_url.strip()
    if not metadata_xml.strip() and new_url and (refresh or new_url != provider.metadata_url):
        metadata_xml = fetch_metadata(new_url)
        field = "metadata_url"
    new_xml = metadata_xml if metadata_xml.strip() else provider.metadata_xml
    errors = _check(name=name, metadata_xml=new_xml, field=field)
    if errors:
        raise ValidationError(errors)
    found = sp.read_idp_metadata(new_xml)
    if errors := _duplicate(found.entity_id, field, exclude=provider.pk):
        raise ValidationError(errors)
    before = _snapshot(provider)
    metadata_changed = new_xml != provider.metadata_xml
    provider.name = name.strip()
    provider.metadata_xml = new_xml
    provider.entity_id = found.entity_id
    provider.metadata_url = new_url
    provider.email_attribute = email_attribute.strip()
    provider.allowed_domains = _domains(allowed_domains)
    provider.enabled = enabled
    after = _snapshot(provider)
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if metadata_changed:
        changes["metadata"] = ["previous", "new"]
    if not changes:
        return changes
    with transaction.atomic():
        provider.save(
            update_fields=[
                "name",
                "metadata_xml",
                "entity_id",
                "metadata_url",
                "email_attribute",
                "allowed_domains",
                "enabled",
            ]
        )
        record(
            actor=by,
            kind="saml_provider.update",
            obj=provider,
            object_label=str(provider),
            changes=changes,
        )
    return changes


def delete_provider(*, provider: IdentityProvider, by: Any) -> None:
    """Stop trusting a provider. Audited."""
    require(by, "saml_provider.manage", provider)
    with transaction.atomic():
        record(
            actor=by,
            kind="saml_provider.delete",
            obj=provider,
            object_label=str(provider),
            changes=_snapshot(provider),
        )
        provider.delete()


# --- A sign-in ----------------------------------------------------------------------------


# The sign-ins a browser started (kept in its signed cookie, views.PENDING_COOKIE): request id
# -> the time it expires, or [that time, the provider's id] for IT's "Test sign-in".
Pending = dict[str, Any]


def _expiry(value: Any) -> float | None:
    if isinstance(value, list) and len(value) == 2 and type(value[1]) is int:
        value = value[0]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def live_requests(pending: Pending) -> Pending:
    """The sign-ins this browser started that may still be answered (newest few)."""
    now = time.time()
    live = {str(k): v for k, v in pending.items() if (_expiry(v) or 0) > now}
    return dict(sorted(live.items(), key=lambda item: _expiry(item[1]) or 0)[-MAX_OUTSTANDING:])


def tested_provider(pending: Pending, request_id: str) -> int | None:
    """The provider IT is testing when `request_id` is one of this browser's test sign-ins."""
    value = live_requests(pending).get(request_id)
    return value[1] if isinstance(value, list) else None


def start_sign_in(
    *, provider: IdentityProvider, pending: Pending, test: bool = False
) -> tuple[str, Pending]:
    """The IdP address to send the browser to (a signed AuthnRequest), and the browser's
    pending requests with this one added: only an answer to one of them is accepted.

    A test (IT's "Test sign-in") is checked to be asked by an IT admin by the view; its
    request is marked in the pending requests, so its answer signs nobody in. A switched-off
    provider can be tested."""
    with sp.client([provider]) as saml_client:
        request_id, info = saml_client.prepare_for_authenticate(
            entityid=provider.entity_id,
            binding=BINDING_HTTP_REDIRECT,
            relay_state="",
            sigalg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
    expires = time.time() + REQUEST_LIFETIME_SECONDS
    pending = {**live_requests(pending), request_id: [expires, provider.pk] if test else expires}
    return str(dict(info["headers"])["Location"]), live_requests(pending)


@dataclass(frozen=True)
class Outcome:
    """How a SAML sign-in ended: `person` signed in, or `problem` in plain words. A test
    sign-in (`test`) signs nobody in: it carries what the IdP sent (`received`) or the
    problem and its technical `reason`, for IT."""

    person: Any
    problem: str = ""
    pending: Pending | None = None  # the browser's pending requests, when changed
    test: bool = False
    provider_id: int | None = None
    reason: str = ""
    received: dict[str, Any] | None = None


TRY_AGAIN = "Try again; if it keeps happening, tell your IT team."


def _plain(error: Exception) -> str:
    """A sentence for the person from pysaml2's exception (some are bare Exceptions)."""
    text = str(error)
    if isinstance(error, SignatureError) or "Signature" in text or "signature" in text:
        return (
            "Tandem could not check the identity provider's signature on this sign-in "
            f"(it was missing or did not match), so it refused it. {TRY_AGAIN}"
        )
    if isinstance(error, ResponseLifetimeExceed):
        return f"This sign-in expired before it reached Tandem. {TRY_AGAIN}"
    if isinstance(error, ToEarly):
        return (
            "This sign-in is dated in the future: the identity provider's clock and "
            f"Tandem's disagree. {TRY_AGAIN}"
        )
    if isinstance(error, UnsolicitedResponse):
        return (
            "This sign-in was not started here, or took too long. Start again from "
            "Tandem's sign-in page."
        )
    if "AudienceRestrictions" in text:
        return f"The identity provider sent a sign-in meant for another application. {TRY_AGAIN}"
    if isinstance(error, VerificationError) or "destination" in text.lower():
        return f"The identity provider sent this sign-in to another address. {TRY_AGAIN}"
    if isinstance(error, StatusError):
        return "The identity provider did not sign you in. " + TRY_AGAIN
    return f"Tandem could not read the identity provider's answer. {TRY_AGAIN}"


def _failed(
    provider: IdentityProvider | None, problem: str, reason: str, tested: int | None = None
) -> Outcome:
    test = tested is not None
    logger.warning(
        "SAML sign-in refused (%s%s): %s",
        provider or "unknown IdP",
        ", test" if test else "",
        reason,
    )
    if tested is not None and provider is None:
        provider = IdentityProvider.objects.filter(pk=tested).first()
    SignInAttempt.objects.create(provider=provider, succeeded=False, test=test, reason=reason[:300])
    return Outcome(None, problem, test=test, provider_id=tested, reason=reason)


def _answering(saml_response: str) -> str:
    """The request a response says it answers (InResponseTo), read before any check: only
    to find whether it claims to answer one of this browser's test sign-ins, so that IT
    sees why a test failed. What the response is trusted for is decided by the checks."""
    try:
        parsed = samlp.response_from_string(base64.b64decode(saml_response))
    except Exception:  # not base64, not XML, not a Response: nothing claimed
        return ""
    return str(getattr(parsed, "in_response_to", "") or "")


def _received(response: Any, email: str) -> dict[str, Any]:
    """What the IdP sent, for IT's test result: the e-mail Tandem read, the NameID, and
    every attribute (name, values)."""
    name_id = response.name_id
    return {
        "email": email,
        "name_id": str(name_id.text) if name_id is not None and name_id.text else "",
        "name_id_format": str(getattr(name_id, "format", "") or "") if name_id is not None else "",
        "attributes": values_for_display(dict(response.ava or {})),
    }


def _email(response: Any, provider: IdentityProvider) -> str:
    if provider.email_attribute:
        values = (response.ava or {}).get(provider.email_attribute) or []
        return str(values[0]) if values else ""
    name_id = response.name_id
    return str(name_id.text) if name_id is not None and name_id.text else ""


def finish_sign_in(request: HttpRequest, *, saml_response: str, pending: Pending) -> Outcome:
    """Check the IdP's answer posted to the ACS and sign the person in through
    `complete_external_sign_in`; every refusal is an Outcome with a plain problem. The
    answer to a test sign-in goes through every check but signs nobody in: the Outcome
    carries what the IdP sent (or why it was refused) for IT."""
    if not saml_response:
        # Not an attempt (a stray POST, a bookmarked ACS): logged, not counted as a failure.
        logger.info("SAML ACS without a SAMLResponse")
        return Outcome(
            None,
            "Tandem received no sign-in from the identity provider. Start again from the "
            "sign-in page.",
        )
    tested = tested_provider(pending, _answering(saml_response))
    trusted = Q(enabled=True) | Q(pk=tested) if tested else Q(enabled=True)
    providers = list(IdentityProvider.objects.filter(trusted))
    if not providers:
        return _failed(
            None,
            "Single sign-on is switched off. Sign in with your password.",
            "no enabled IdP",
            tested,
        )
    now = time.time()
    outstanding = dict.fromkeys(live_requests(pending), "/")
    try:
        with sp.client(providers) as saml_client:
            response = saml_client.parse_authn_request_response(
                saml_response, BINDING_HTTP_POST, outstanding=outstanding
            )
    except Exception as error:  # pysaml2 raises bare Exceptions too (the audience check)
        return _failed(None, _plain(error), f"{type(error).__name__}: {error}", tested)
    if response is None:
        return _failed(None, _plain(ValueError()), "pysaml2 returned no response", tested)
    if getattr(response, "assertion", None) is None:
        # pysaml2 answers a Response it would not verify (a Destination that is not our
        # ACS, for one) with no assertion rather than an exception.
        destination = getattr(getattr(response, "response", None), "destination", None)
        if destination and destination != sp.acs_url():
            unverified: Exception = VerificationError(f"destination {destination!r}")
        else:
            unverified = ValueError("no verified assertion in the response")
        return _failed(None, _plain(unverified), str(unverified), tested)
    issuer = response.issuer()
    provider = next((p for p in providers if p.entity_id == issuer), None)
    if provider is None or (tested and provider.pk != tested):
        return _failed(
            None,
            "This identity provider is not one Tandem trusts. " + TRY_AGAIN,
            f"issuer {issuer!r}" + (" (not the provider being tested)" if provider else ""),
            tested,
        )
    email = _email(response, provider).strip().lower()
    source = f"SAML: {provider.name}"
    domain = email.rpartition("@")[2]
    if email and provider.domains and domain not in provider.domains:
        return _failed(
            provider,
            f"{provider.name} may not sign in addresses at {domain}. Ask your IT team.",
            f"domain {domain!r} not allowed",
            tested,
        )
    expires = response.not_on_or_after or (now + REQUEST_LIFETIME_SECONDS)
    expires_at = datetime.fromtimestamp(expires, tz=UTC) + timedelta(seconds=sp.CLOCK_SKEW_SECONDS)
    if not sp.remember_assertion(str(response.assertion.id), expires_at):
        return _failed(
            provider,
            "This sign-in was already used. Start again from the sign-in page.",
            f"replayed assertion {response.assertion.id}",
            tested,
        )
    # The request is answered: it cannot be answered twice.
    left = {k: v for k, v in live_requests(pending).items() if k != response.in_response_to}
    if tested:
        SignInAttempt.objects.create(provider=provider, succeeded=True, test=True)
        return Outcome(
            None, "", left, test=True, provider_id=tested, received=_received(response, email)
        )
    done = complete_external_sign_in(
        request, email=email, source=source, attributes=dict(response.ava or {})
    )
    if done.person is None:
        failed = _failed(provider, done.problem, f"not signed in: {done.problem}")
        return Outcome(None, failed.problem, left)
    SignInAttempt.objects.create(provider=provider, succeeded=True, at=timezone.now())
    return Outcome(done.person, "", left)
