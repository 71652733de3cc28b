"""`tandem export-openapi`: print the API's OpenAPI schema, as committed in src/tandem/openapi.json.

`make schema` runs it; tests/api/test_openapi.py fails when the committed copy is stale.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand


def schema_text() -> str:
    """The schema as stable text: sorted keys, two-space indent, one trailing newline."""
    from tandem.api import api

    schema = api.get_openapi_schema()
    return json.dumps(schema, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Print the OpenAPI schema of /api/v1/ as JSON (make schema writes it to the repo)."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(schema_text(), ending="")
