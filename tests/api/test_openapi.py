"""The committed OpenAPI schema (src/tandem/openapi.json) is valid and current."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from openapi_spec_validator import validate

import tandem

COMMITTED = Path(tandem.__file__).parent / "openapi.json"


def current_schema_text() -> str:
    out = StringIO()
    call_command("export_openapi", stdout=out)
    return out.getvalue()


def test_the_committed_openapi_schema_is_current():
    assert COMMITTED.read_text(encoding="utf-8") == current_schema_text(), (
        "src/tandem/openapi.json is stale: the API changed since it was written. "
        "Run `make schema` and commit the result."
    )


def test_the_committed_openapi_schema_is_valid_openapi_3():
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_the_schema_is_exported_with_sorted_keys_and_a_trailing_newline():
    text = current_schema_text()
    assert text.endswith("}\n")
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_the_served_schema_is_the_committed_one(client):
    response = client.get("/api/v1/openapi.json")
    assert response.json() == json.loads(COMMITTED.read_text(encoding="utf-8"))


def test_the_schema_documents_every_v1_endpoint():
    paths = json.loads(COMMITTED.read_text(encoding="utf-8"))["paths"]
    assert {
        "/api/v1/me",
        "/api/v1/people",
        "/api/v1/people/{person_id}",
        "/api/v1/departments",
    } <= set(paths)


def test_the_schema_declares_bearer_and_session_authentication():
    schemes = json.loads(COMMITTED.read_text(encoding="utf-8"))["components"]["securitySchemes"]
    kinds = {(s["type"], s.get("scheme") or s.get("in")) for s in schemes.values()}
    assert kinds == {("http", "bearer"), ("apiKey", "cookie")}


def test_the_schema_is_built_once_and_served_from_then_on(client):
    from tandem.api import api

    # Building it takes about a second; /openapi.json used to rebuild it on every request.
    assert api.get_openapi_schema() is api.get_openapi_schema()
    first = client.get("/api/v1/openapi.json").json()
    assert client.get("/api/v1/openapi.json").json() == first


def test_no_two_api_schemas_share_a_name():
    """django-ninja files schemas under their class name: a second `ReviewOut` (the team
    hub's) silently replaced the reviews one in the published schema."""
    import importlib
    import pkgutil
    from collections import defaultdict

    from ninja import Schema

    import tandem

    for module in pkgutil.walk_packages(tandem.__path__, "tandem."):
        if module.name.endswith(("schemas", "api")) or ".api." in module.name:
            importlib.import_module(module.name)
    seen: dict[str, set[str]] = defaultdict(set)
    pending = list(Schema.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("tandem."):
            seen[cls.__name__].add(cls.__module__)
    clashes = {name: sorted(mods) for name, mods in seen.items() if len(mods) > 1}
    assert not clashes, clashes
