"""Background work of reviews (django-tasks): every @task() of the app. The services queue
these by dotted path after commit (`tandem.core.queue.enqueue_on_commit`), passing ids; a
task runs a service and never the reverse.

- `launch_cycle_task`: launching a cycle marked "launching"
- `notify_launch_task`: telling the reviewers of a just-launched cycle
- `notify_bulk_approval`: telling every peer at once after HR approved all pending
  nominations (100,000 people would otherwise wait on the request)
- `send_cycle_reminders`: HR's one-click reminder
"""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from tandem.org.models import Person
from tandem.reviews.models import Cycle
from tandem.reviews.services import launch, nominations, reminders


@task()
def launch_cycle_task(cycle_id: int) -> int:
    """Launch a cycle marked "launching" (see services.cycles.launch_cycle); returns the
    number of participants, 0 when there was nothing to do."""
    cycle = launch.run_launch(cycle_id)
    return cycle.participants.count() if cycle is not None else 0


@task()
def notify_launch_task(cycle_id: int) -> int:
    """Tell the reviewers of a just-launched cycle; returns how many were told."""
    return launch.notify_launch(cycle_id)


@task()
def notify_bulk_approval(cycle_id: int, decided_at: str) -> int:
    """One message per peer whose nominations were approved at `decided_at` (ISO time).
    Safe to run twice: each message has a once-only key. Returns how many were new."""
    cycle = Cycle.objects.prefetch_related("phases").filter(pk=cycle_id).first()
    if cycle is None:
        return 0
    return nominations.tell_bulk_approval(cycle, datetime.fromisoformat(decided_at))


@task()
def send_cycle_reminders(cycle_id: int, by_id: int, phase: str, relationship: str) -> int:
    """HR's one-click reminder, in the background. Empty strings mean "every"."""
    cycle = Cycle.objects.prefetch_related("phases").filter(pk=cycle_id).first()
    by = Person.objects.filter(pk=by_id, is_active=True).first()
    if cycle is None or by is None:
        return 0
    return reminders.remind(cycle, by=by, phase=phase or None, relationship=relationship or None)
