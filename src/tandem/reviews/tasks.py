"""Background work for review cycles (django-tasks), queued after commit and given ids."""

from __future__ import annotations

from django_tasks import task


@task()
def launch_cycle_task(cycle_id: int) -> int:
    """Launch a cycle marked "launching" (see services.cycles.launch_cycle); returns the
    number of participants, 0 when there was nothing to do."""
    from tandem.reviews.services.launch import run_launch

    cycle = run_launch(cycle_id)
    return cycle.participants.count() if cycle is not None else 0


@task()
def notify_launch_task(cycle_id: int) -> int:
    """Tell the reviewers of a just-launched cycle; returns how many were told."""
    from tandem.reviews.services.launch import notify_launch

    return notify_launch(cycle_id)
