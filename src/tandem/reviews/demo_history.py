"""The demo company's imported history: the two half-year cycles before the finished one,
as if brought from the tool the company used before Tandem.

Registered with the org demo after the reviews demo (from `ReviewsConfig.ready()`), it
draws one manager rating per person for each half-year — near the person's rating in the
finished cycle, so people keep their rank from cycle to cycle, with some noise — and
writes them through the ratings import (`services.imports.import_ratings`), exactly as
`tandem import-ratings` would, so the history is closed, read-only and marked imported.
Only people who had started by the end of a half-year, still work here and have a manager
(their current one: the import records who people are now) are rated. Deterministic for a
seed and a "today".
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from tandem.access.rules import SYSTEM
from tandem.org.demo import register_demo
from tandem.org.models import Person, PersonStatus
from tandem.reviews.queries.ratings import latest_finished_cycle, raw_manager_ratings
from tandem.reviews.services.imports import import_ratings

Progress = Callable[[str, int, int], None]
SOURCE = "previous-tool-export.csv"
POINTS = 5
HALF_YEARS = 2


def _half_years_before(start: date, count: int) -> list[tuple[date, date]]:
    """The `count` half-years (Jan–Jun, Jul–Dec) that end before `start`, oldest first."""
    periods: list[tuple[date, date]] = []
    end = start - timedelta(days=1)
    for _ in range(count):
        first = date(end.year, 1 if end.month <= 6 else 7, 1)
        periods.append((first, end))
        end = first - timedelta(days=1)
    return list(reversed(periods))


def history_rows(*, seed: int, today: date) -> list[dict[str, Any]]:
    """The rows of the demo's history file (also what its tests read)."""
    finished = latest_finished_cycle()
    if finished is None:
        return []
    rng = random.Random(seed * 7919 + 47)  # noqa: S311 (demo data: reproducible from the seed)
    recent = raw_manager_ratings(finished)
    people = list(
        Person.objects.exclude(status=PersonStatus.LEFT)
        .exclude(manager=None)
        .exclude(employee_id=None)
        .order_by("pk")
        .values_list("pk", "employee_id", "manager__employee_id", "start_date")
    )
    rows: list[dict[str, Any]] = []
    for start, end in _half_years_before(finished.period_start, HALF_YEARS):
        name = f"Performance review {start:%B}–{end:%B %Y}"
        for pk, employee_id, manager_id, started in people:
            if not manager_id or (started is not None and started > end):
                continue
            raw, points = recent.get(pk, (3, POINTS))
            centre = 1 + (raw - 1) * (POINTS - 1) / max(points - 1, 1)
            rating = max(1, min(POINTS, round(centre + rng.gauss(0, 0.8))))
            rows.append(
                {
                    "cycle": name,
                    "period_start": start.isoformat(),
                    "period_end": end.isoformat(),
                    "employee_id": employee_id,
                    "reviewer_employee_id": manager_id,
                    "relationship": "manager",
                    "rating": rating,
                    "scale_points": POINTS,
                }
            )
    return rows


def load_demo(*, seed: int, today: date, progress: Progress) -> None:
    """Import the demo's history. Runs inside the org demo's transaction."""
    rows = history_rows(seed=seed, today=today)
    if not rows:
        return
    # No audit entry of its own: the org demo records the whole load as one.
    result = import_ratings(by=SYSTEM, rows=rows, file_name=SOURCE, progress=progress, audit=False)
    if not result.ok:  # the rows are drawn from the database: a problem is a bug here
        raise RuntimeError(f"The demo's ratings history was refused: {result.problems[:3]}")


load_demo.demo_part = "ratings history"  # type: ignore[attr-defined]
register_demo(load_demo)
