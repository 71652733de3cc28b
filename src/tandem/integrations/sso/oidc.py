"""The OpenID Connect protocol, for providers configured in the database.

Authlib's `OAuth2Session` builds the authorization request (PKCE with S256, state, nonce)
and exchanges the code; joserfc (Authlib's JOSE library) verifies the ID token: its
signature against the provider's published keys (JWKS, from the discovery document), then
the issuer, the audience (and `azp` when there are several), the expiry and issue time
with at most `CLOCK_SKEW` seconds of leeway, and the nonce of this sign-in.

Every failure raises `SignInFailed` with two texts: `problem`, in plain words for the person
at the sign-in page, and `reason`, the technical cause for the log and for IT. Nothing here
touches the database or the session: services.py does.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from django.core.cache import cache
from django.utils import timezone
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet

from tandem.integrations.sign_in_check import values_for_display

# Leeway for the clocks of Tandem and the provider (OIDC Core 3.1.3.7: "a small leeway").
CLOCK_SKEW = 60
# A discovery document or a key set is read again after an hour; a key set at once when a
# token names a key it does not hold (the provider rotated its keys).
CACHE_SECONDS = 3600
HTTP_TIMEOUT = (5, 10)
# Asymmetric signatures only: never "none", never a MAC keyed with the client secret.
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"]
MAX_DOCUMENT = 512 * 1024


class SignInFailed(Exception):
    """A sign-in that cannot go on: `problem` for the person, `reason` for IT and the log."""

    def __init__(self, problem: str, reason: str) -> None:
        super().__init__(reason)
        self.problem = problem
        self.reason = reason


@dataclass(frozen=True)
class Client:
    """What Tandem knows of one provider, decrypted for the length of a request."""

    name: str
    issuer: str
    client_id: str
    client_secret: str
    scopes: list[str]


def issuer_problem(issuer: str) -> str:
    """Why `issuer` cannot be an OIDC issuer ("" when it can): HTTPS, except on this
    machine's loopback (a provider running beside Tandem, as in the tests)."""
    parts = urlsplit(issuer.strip())
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        return "Enter the issuer's address, starting with https://."
    if parts.query or parts.fragment:
        return "An issuer has no “?” or “#” part; copy it from the provider's settings."
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        return "The issuer must use https:// (http:// only for a provider on this machine)."
    return ""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def sign_in_origins(issuer: str) -> list[str]:
    """Where a "Test sign-in" form's answer leads: the issuer's origin, and its
    authorization endpoint's when the discovery document is cached and names another. The
    IT page allows them in its Content-Security-Policy `form-action`, which browsers apply
    to the redirect after a form is sent."""
    issuer = issuer.strip().rstrip("/")
    origins = [_origin(issuer)]
    cached = cache.get(_key("discovery", f"{issuer}/.well-known/openid-configuration"))
    endpoint = cached.get("authorization_endpoint") if isinstance(cached, dict) else None
    if isinstance(endpoint, str) and _origin(endpoint) not in origins:
        origins.append(_origin(endpoint))
    return origins


def _key(kind: str, url: str) -> str:
    return f"sso:oidc:{kind}:{hashlib.sha256(url.encode()).hexdigest()}"


def _get_json(url: str, *, what: str, name: str) -> dict[str, Any]:
    problem = (
        f"Tandem could not reach {name} to sign you in. Try again in a minute; "
        "if it keeps happening, tell IT."
    )
    if issuer_problem(url):
        raise SignInFailed(problem, f"{what} at {url}: not an https address")
    try:
        response = requests.get(
            url, timeout=HTTP_TIMEOUT, headers={"Accept": "application/json"}, allow_redirects=False
        )
    except requests.RequestException as error:
        raise SignInFailed(problem, f"{what} at {url}: {type(error).__name__}") from error
    if response.status_code != 200:
        raise SignInFailed(problem, f"{what} at {url}: HTTP {response.status_code}")
    if len(response.content) > MAX_DOCUMENT:
        raise SignInFailed(problem, f"{what} at {url}: larger than {MAX_DOCUMENT} bytes")
    try:
        document = response.json()
    except ValueError as error:
        raise SignInFailed(problem, f"{what} at {url}: not JSON") from error
    if not isinstance(document, dict):
        raise SignInFailed(problem, f"{what} at {url}: not a JSON object")
    return document


def discover(client: Client, *, fresh: bool = False) -> dict[str, Any]:
    """The provider's discovery document (cached for an hour), checked to name the same
    issuer (OIDC Discovery 4.3) and the endpoints the code flow needs."""
    issuer = client.issuer.rstrip("/")
    url = f"{issuer}/.well-known/openid-configuration"
    cached = None if fresh else cache.get(_key("discovery", url))
    if cached is not None:
        return dict(cached)
    document = _get_json(url, what="discovery document", name=client.name)
    problem = f"{client.name} is not set up correctly in Tandem. Tell IT."
    if str(document.get("issuer", "")).rstrip("/") != issuer:
        raise SignInFailed(
            problem,
            f"discovery document names issuer {document.get('issuer')!r}, not {client.issuer!r}",
        )
    for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(document.get(endpoint), str) or issuer_problem(document[endpoint]):
            raise SignInFailed(problem, f"discovery document: no usable {endpoint}")
    cache.set(_key("discovery", url), document, CACHE_SECONDS)
    return document


def _key_set(client: Client, jwks_uri: str, *, fresh: bool) -> KeySet:
    cached = None if fresh else cache.get(_key("jwks", jwks_uri))
    document = cached or _get_json(jwks_uri, what="key set", name=client.name)
    try:
        keys = KeySet.import_key_set(document)  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise SignInFailed(
            f"{client.name} published keys Tandem cannot read. Tell IT.",
            f"key set at {jwks_uri}: {error}",
        ) from error
    if cached is None:
        cache.set(_key("jwks", jwks_uri), document, CACHE_SECONDS)
    return keys


def _session(client: Client, metadata: dict[str, Any], redirect_uri: str) -> OAuth2Session:
    methods = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    method = "client_secret_basic" if "client_secret_basic" in methods else "client_secret_post"
    return OAuth2Session(
        client.client_id,
        client.client_secret,
        scope=" ".join(client.scopes),
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method=method,
    )


def authorization_url(
    client: Client, *, redirect_uri: str, state: str, nonce: str, code_verifier: str
) -> str:
    """Where to send the browser: the provider's authorization endpoint with this sign-in's
    state, nonce and PKCE challenge."""
    metadata = discover(client)
    with _session(client, metadata, redirect_uri) as session:
        url, _ = session.create_authorization_url(
            metadata["authorization_endpoint"],
            state=state,
            code_verifier=code_verifier,
            nonce=nonce,
        )
    return str(url)


def exchange_code(
    client: Client,
    *,
    code: str,
    redirect_uri: str,
    code_verifier: str,
    nonce: str,
    needed_claim: str = "",
) -> dict[str, Any]:
    """Trade the code for tokens and return the ID token's verified claims; when
    `needed_claim` is not among them, with the UserInfo endpoint's added (never replacing
    the ID token's)."""
    metadata = discover(client)
    refused = (
        f"{client.name} did not accept Tandem's request to finish signing you in. "
        "Try again; if it keeps happening, tell IT (the client id or secret may be wrong)."
    )
    try:
        with _session(client, metadata, redirect_uri) as session:
            token = session.fetch_token(
                metadata["token_endpoint"],
                code=code,
                code_verifier=code_verifier,
                timeout=HTTP_TIMEOUT,
            )
    except AuthlibBaseError as error:
        raise SignInFailed(refused, f"token endpoint refused the code: {error}") from error
    except requests.RequestException as error:
        raise SignInFailed(
            f"Tandem could not reach {client.name} to finish signing you in. Try again.",
            f"token endpoint: {type(error).__name__}",
        ) from error
    except ValueError as error:  # a body that is not JSON
        raise SignInFailed(refused, f"token endpoint: unreadable answer ({error})") from error
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise SignInFailed(refused, "token endpoint answered without an id_token")
    claims = verify_id_token(client, metadata, id_token, nonce=nonce)
    if needed_claim and needed_claim not in claims:
        claims = {**_userinfo(client, metadata, token, sub=claims["sub"]), **claims}
    return claims


def _userinfo(
    client: Client, metadata: dict[str, Any], token: dict[str, Any], *, sub: str
) -> dict[str, Any]:
    """The UserInfo claims (OIDC Core 5.3), for a provider that keeps the e-mail out of the
    ID token; {} when it has no UserInfo endpoint, or its answer is about someone else
    (its `sub` must be the ID token's, 5.3.2)."""
    endpoint = metadata.get("userinfo_endpoint")
    access_token = token.get("access_token")
    if not isinstance(endpoint, str) or issuer_problem(endpoint) or not access_token:
        return {}
    try:
        response = requests.get(
            endpoint,
            timeout=HTTP_TIMEOUT,
            headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
            allow_redirects=False,
        )
        answer = response.json() if response.status_code == 200 else {}
    except (requests.RequestException, ValueError):
        answer = {}
    return answer if isinstance(answer, dict) and answer.get("sub") == sub else {}


def verify_id_token(
    client: Client, metadata: dict[str, Any], id_token: str, *, nonce: str
) -> dict[str, Any]:
    """The claims of `id_token` once its signature, issuer, audience, times and nonce hold."""
    untrusted = (
        f"The answer from {client.name} could not be trusted, so Tandem did not sign you in. "
        "Tell IT if it happens again."
    )
    try:
        token = _decode(client, metadata, id_token, fresh=False)
    except (BadSignatureError, ValueError):
        # Perhaps signed with a key published since the set was cached: read it again, once.
        try:
            token = _decode(client, metadata, id_token, fresh=True)
        except (BadSignatureError, ValueError) as error:
            raise SignInFailed(untrusted, f"ID token signature: {error!r}") from error
        except JoseError as error:
            raise SignInFailed(untrusted, f"ID token: {error!r}") from error
    except JoseError as error:
        raise SignInFailed(untrusted, f"ID token: {error!r}") from error
    claims: dict[str, Any] = dict(token.claims)
    registry = jwt.JWTClaimsRegistry(
        now=int(timezone.now().timestamp()),
        leeway=CLOCK_SKEW,
        iss={"essential": True, "value": metadata["issuer"]},
        sub={"essential": True},
        aud={"essential": True, "value": client.client_id},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except ExpiredTokenError as error:
        raise SignInFailed(
            f"The sign-in from {client.name} had already expired when it reached Tandem. "
            "Try again; if it keeps happening, tell IT (the two clocks may disagree).",
            f"ID token expired: exp={claims.get('exp')}, now={registry.now}, leeway={CLOCK_SKEW}s",
        ) from error
    except (InvalidClaimError, MissingClaimError) as error:
        field = getattr(error, "claim", "")
        if field == "aud":
            problem = (
                f"{client.name} answered with a sign-in meant for another application, so "
                "Tandem did not sign you in. Tell IT (the client id may be wrong)."
            )
        elif field == "nonce":
            problem = (
                f"The answer from {client.name} did not belong to this sign-in. "
                "Start again from the sign-in page."
            )
        elif field == "iat":
            problem = (
                f"The sign-in from {client.name} is dated in the future. Try again; if it "
                "keeps happening, tell IT (the two clocks may disagree)."
            )
        else:
            problem = untrusted
        raise SignInFailed(problem, f"ID token claim {field!r}: {error}") from error
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != client.client_id:
        raise SignInFailed(
            f"{client.name} answered with a sign-in meant for another application, so "
            "Tandem did not sign you in. Tell IT (the client id may be wrong).",
            f"ID token has several audiences and azp {claims.get('azp')!r}",
        )
    return claims


def _decode(client: Client, metadata: dict[str, Any], id_token: str, *, fresh: bool) -> jwt.Token:
    keys = _key_set(client, metadata["jwks_uri"], fresh=fresh)
    return jwt.decode(id_token, keys, algorithms=ALGORITHMS)


def claims_for_display(claims: dict[str, Any]) -> list[tuple[str, str]]:
    """The claims as (name, value) text pairs, for IT's "Test sign-in" result."""
    return values_for_display(claims)
