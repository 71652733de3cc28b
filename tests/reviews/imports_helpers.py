"""A small organisation and ratings files for the history import's tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from tandem.org.models import Person
from tests.factories import PersonFactory

HEADER = (
    "cycle",
    "period_start",
    "period_end",
    "employee_id",
    "reviewer_employee_id",
    "relationship",
    "rating",
    "scale_points",
)


def people() -> dict[str, Person]:
    """A manager (M1) with two reports (R1, R2)."""
    manager = PersonFactory(employee_id="M1", first_name="Marguerite", last_name="Okonkwo")
    return {
        "M1": manager,
        "R1": PersonFactory(employee_id="R1", manager=manager, level="IC3"),
        "R2": PersonFactory(employee_id="R2", manager=manager),
    }


def rows(cycle: str = "2023 H1", points: int = 5) -> list[dict[str, Any]]:
    common = {"cycle": cycle, "period_start": "2023-01-01", "period_end": "2023-06-30"}
    return [
        {
            **common,
            "employee_id": "R1",
            "reviewer_employee_id": "M1",
            "relationship": "manager",
            "rating": 4,
            "scale_points": points,
        },
        {
            **common,
            "employee_id": "R2",
            "reviewer_employee_id": "M1",
            "relationship": "",
            "rating": 2,
            "scale_points": points,
        },
        {
            **common,
            "employee_id": "R1",
            "reviewer_employee_id": "",
            "relationship": "self",
            "rating": 5,
            "scale_points": points,
        },
        {
            **common,
            "employee_id": "M1",
            "reviewer_employee_id": "R2",
            "relationship": "upward",
            "rating": 3,
            "scale_points": points,
        },
    ]


def csv_bytes(records: Sequence[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER)
    writer.writeheader()
    for record in records:
        writer.writerow({key: record.get(key, "") for key in HEADER})
    return out.getvalue().encode()
