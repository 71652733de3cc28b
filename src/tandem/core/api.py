"""What every API router shares: the error shapes its operations answer and the largest id
a filter or path accepts.

Schema component names come from the class names, so these keep their names wherever they
live (src/tandem/openapi.json names ErrorOut, FieldErrorOut and BadInputOut)."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field


class ErrorOut(Schema):
    """An error without a field: 401 (no or bad credentials) or 404 (missing or not yours)."""

    detail: str


class FieldErrorOut(Schema):
    loc: list[str | int] = Field(description='Where the bad input is, e.g. ["query", "limit"]')
    msg: str
    type: str


class BadInputOut(Schema):
    """422: the request was understood but a field is wrong; each error names its field."""

    detail: list[FieldErrorOut]


ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 422: BadInputOut}

# Ids travel as 64-bit integers in every database we support; a larger number in a filter
# is bad input (422 naming the field), not a database overflow (500).
MAX_ID = 2**63 - 1
