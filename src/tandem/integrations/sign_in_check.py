"""What IT's "Test sign-in" (OIDC on /it/sso/, SAML on /it/saml/) shows of what an identity
provider sent: shared by both, so the two result pages read the same."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.http import HttpResponse

MAX_SHOWN = 300  # characters of one value; a longer one ends with "…"


def _text(value: Any) -> str:
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        text = ", ".join(value)  # SAML attributes are lists of strings
    else:
        text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def values_for_display(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The claims or attributes as (name, value) text pairs sorted by name, each value at
    most MAX_SHOWN characters (lists of text joined with commas)."""
    return [(str(name), _text(value)) for name, value in sorted(values.items())]


def allow_test_forms(response: HttpResponse, origins: Iterable[str]) -> HttpResponse:
    """A "Test sign-in" form is answered with a redirect to the identity provider: browsers
    check that redirect against the page's CSP `form-action`, so the providers' origins
    (scheme://host[:port]) join it."""
    allowed = sorted({origin for origin in origins if origin})
    if allowed:
        response._csp_update = {"form-action": allowed}  # type: ignore[attr-defined]
    return response
