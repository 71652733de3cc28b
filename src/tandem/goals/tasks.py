"""Background work for goals (django-tasks), queued after commit and given ids: recounting
the goal tally (tandem.goals.tally) when people change department or status, or after an
import of people — changes made by the org services, which do not import goals."""

from __future__ import annotations

from django_tasks import task

from tandem.goals import tally


@task()
def refresh_tally(department_ids: list[int | None]) -> None:
    """Recount every period's tally rows of these departments (None: no department)."""
    tally.refresh(departments=department_ids)


@task()
def rebuild_tally() -> int:
    """Recount the whole tally."""
    return tally.rebuild()
