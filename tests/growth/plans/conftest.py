"""The competency profile is built by another part of growth: these tests stand in for it
(`competency_profile` monkeypatched), with no rows unless a test gives some."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tandem.growth.queries import profile

Rows = list[profile.CompetencyRow]


def row(competency_id: int, name: str, gap: float | None) -> profile.CompetencyRow:
    return profile.CompetencyRow(
        competency_id=competency_id,
        key=f"k{competency_id}",
        group="Craft",
        name=name,
        expected="",
        manager=None,
        self_rating=None,
        peers=None,
        scale_points=5,
        gap=gap,
    )


@pytest.fixture(autouse=True)
def profile_rows(monkeypatch: pytest.MonkeyPatch) -> Callable[[Rows], None]:
    """Call with the rows `competency_profile` answers (none until then)."""
    current: dict[str, Rows] = {"rows": []}

    def fake(viewer: Any, person: Any, *, level: Any = None) -> Rows:
        return list(current["rows"])

    monkeypatch.setattr(profile, "competency_profile", fake)

    def set_rows(rows: Rows) -> None:
        current["rows"] = rows

    return set_rows
