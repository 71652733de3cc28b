"""Tandem as a SAML service provider, with pysaml2 (xmlsec1 checks the signatures).

pysaml2 reads keys and certificates from files, so each use writes Tandem's key pair to a
private temporary directory (mode 0700) that is removed when the use ends; at rest the key
is only in the database, sealed. The configuration is built from the database on every use,
so an IdP IT adds or switches off counts at once, on every process.

What pysaml2 checks for us on a response: the signature on the assertion (we require one),
the Destination and the SubjectConfirmation Recipient (our ACS address), the audience (our
entity id), NotBefore/NotOnOrAfter with CLOCK_SKEW_SECONDS of slack, and InResponseTo (a
request this browser started). We add: the issuer is an enabled IdP, the assertion id has
not been used before, and the e-mail's domain is allowed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import saml2
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.mdstore import InMemoryMetaData
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from tandem.core.encryption import Unreadable, seal, unseal
from tandem.integrations.saml.models import IdentityProvider, ServiceProviderKey, UsedAssertion

logger = logging.getLogger(__name__)

KEY_PURPOSE = "integrations:saml-sp-key"
# Clocks of the IdP and of Tandem may differ this much (both ways) before a response is
# refused as too early or expired.
CLOCK_SKEW_SECONDS = 120
# Tandem's SP metadata is built once per configuration (key pair, addresses, settings) and
# kept this long; a change of any input changes the cache key, so it shows at once.
METADATA_CACHED_FOR = 24 * 60 * 60


def entity_id() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("integrations_saml:metadata")


def acs_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("integrations_saml:acs")


def _new_key_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tandem SAML service provider")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return certificate.public_bytes(serialization.Encoding.PEM).decode(), key_pem


def service_provider_key() -> ServiceProviderKey:
    """Tandem's key pair, made the first time it is needed (the oldest row wins a race).

    A key sealed under another encryption key (TANDEM_ENCRYPTION_KEY changed) cannot be
    used: it is replaced, and IT gives the identity providers the new metadata."""
    existing = ServiceProviderKey.objects.order_by("id").first()
    if existing is not None:
        try:
            unseal(existing.private_key_sealed, purpose=KEY_PURPOSE)
        except Unreadable:
            logger.error("The SAML key cannot be read with the current key: making a new one.")
            ServiceProviderKey.objects.filter(pk=existing.pk).delete()
        else:
            return existing
    certificate, key = _new_key_pair()
    ServiceProviderKey.objects.create(
        certificate_pem=certificate, private_key_sealed=seal(key, purpose=KEY_PURPOSE)
    )
    first = ServiceProviderKey.objects.order_by("id").first()
    assert first is not None
    return first


@contextmanager
def _key_files(pair: ServiceProviderKey | None = None) -> Iterator[tuple[str, str]]:
    pair = pair or service_provider_key()
    with tempfile.TemporaryDirectory(prefix="tandem-saml-") as directory:
        key_path = os.path.join(directory, "sp.key")
        cert_path = os.path.join(directory, "sp.crt")
        descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(unseal(pair.private_key_sealed, purpose=KEY_PURPOSE))
        with open(cert_path, "w") as handle:
            handle.write(pair.certificate_pem)
        yield key_path, cert_path


def _settings(key_path: str, cert_path: str, metadata: list[str]) -> dict[str, object]:
    conf: dict[str, object] = {
        "entityid": entity_id(),
        "signing_algorithm": SIG_RSA_SHA256,
        "digest_algorithm": DIGEST_SHA256,
        "xmlsec_binary": shutil.which("xmlsec1"),
        "key_file": key_path,
        "cert_file": cert_path,
        "encryption_keypairs": [{"key_file": key_path, "cert_file": cert_path}],
        "accepted_time_diff": CLOCK_SKEW_SECONDS,
        "service": {
            "sp": {
                "name": "Tandem",
                "endpoints": {"assertion_consumer_service": [(acs_url(), BINDING_HTTP_POST)]},
                "allow_unsolicited": False,
                "authn_requests_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "name_id_format": NAMEID_FORMAT_EMAILADDRESS,
            }
        },
    }
    if metadata:
        conf["metadata"] = {"inline": metadata}
    return conf


def _config(key_path: str, cert_path: str, metadata: list[str]) -> SPConfig:
    config = SPConfig()
    config.load(_settings(key_path, cert_path, metadata))
    return config


@contextmanager
def client(providers: list[IdentityProvider]) -> Iterator[Saml2Client]:
    with _key_files() as (key_path, cert_path):
        yield Saml2Client(config=_config(key_path, cert_path, [p.metadata_xml for p in providers]))


def metadata_xml() -> str:
    """Tandem's SP metadata: entity id, ACS address and certificate, for IT to give the IdP.

    Building it (pysaml2 loads a configuration and writes the key pair to files) took about
    280 ms a request, so it is cached under a hash of everything it is made from: the key
    pair, the pysaml2 configuration (entity id, ACS address, algorithms...) and pysaml2's
    version. A new key or another address is another key, served at once."""
    pair = service_provider_key()
    inputs = json.dumps(
        [
            pair.pk,
            pair.certificate_pem,
            _settings("KEY", "CERT", []),
            saml2.__version__,
        ],
        sort_keys=True,
        default=str,
    )
    key = "integrations:saml-sp-metadata:" + hashlib.sha256(inputs.encode()).hexdigest()
    cached = cache.get(key)
    if isinstance(cached, str):
        return cached
    document = _build_metadata(pair)
    cache.set(key, document, timeout=METADATA_CACHED_FOR)
    return document


def _build_metadata(pair: ServiceProviderKey) -> str:
    with _key_files(pair) as (key_path, cert_path):
        config = _config(key_path, cert_path, [])
        return str(create_metadata_string(None, config=config, valid=None, sign=False).decode())


@dataclass(frozen=True)
class IdPMetadata:
    entity_id: str
    sso_url: str


class BadMetadata(ValueError):
    """Metadata Tandem cannot use, with a sentence saying why."""


def read_idp_metadata(xml: str) -> IdPMetadata:
    """The one IdP described by `xml` (entity id and HTTP-Redirect sign-in address), or
    BadMetadata saying what is missing."""
    store = InMemoryMetaData(None, xml)
    try:
        store.load()
    except Exception as error:  # pysaml2 raises bare Exceptions for unreadable XML
        raise BadMetadata(
            "This is not SAML metadata Tandem can read (an XML EntityDescriptor)."
        ) from error
    if not list(store.items()):
        raise BadMetadata("This is not SAML metadata Tandem can read (an XML EntityDescriptor).")
    idps = [eid for eid, entity in store.items() if "idpsso_descriptor" in entity]
    if len(idps) != 1:
        raise BadMetadata(
            f"The metadata must describe exactly one identity provider (it describes {len(idps)})."
        )
    found = idps[0]
    descriptor = store[found]["idpsso_descriptor"][0]
    services = [
        service
        for service in descriptor.get("single_sign_on_service", [])
        if service.get("binding") == BINDING_HTTP_REDIRECT
    ]
    if not services:
        raise BadMetadata(
            "The identity provider offers no sign-in address with the HTTP-Redirect binding."
        )
    if not store.certs(found, "idpsso", "signing"):
        raise BadMetadata(
            "The metadata has no signing certificate, so no signature could be checked."
        )
    return IdPMetadata(entity_id=found, sso_url=services[0]["location"])


def remember_assertion(assertion_id: str, expires_at: dt.datetime) -> bool:
    """Record an accepted assertion id; False when it was already used (a replay)."""
    now = timezone.now()
    UsedAssertion.objects.filter(expires_at__lt=now).delete()
    try:
        with transaction.atomic():
            UsedAssertion.objects.create(assertion_id=assertion_id, expires_at=expires_at)
    except IntegrityError:
        return False
    return True
