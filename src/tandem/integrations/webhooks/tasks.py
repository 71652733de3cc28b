"""Background work of outgoing webhooks (django-tasks): the fan-out of audit events into
deliveries, and one task per delivery so a slow endpoint delays nothing else. A retry is
queued through the queue itself, to run after its back-off."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from tandem.integrations.webhooks import services


@task()
def fan_out_events(audit_event_ids: list[int]) -> int:
    """Make the messages and deliveries of these audit events and queue their first
    attempts, DELIVERY_BATCH to a task; returns how many deliveries were queued."""
    waiting = services.fan_out(audit_event_ids=audit_event_ids)
    size = services.DELIVERY_BATCH
    for start in range(0, len(waiting), size):
        deliver_batch.enqueue(waiting[start : start + size])
    return len(waiting)


@task()
def deliver_batch(delivery_ids: list[int]) -> int:
    """First attempts of a fan-out's deliveries, POSTed in parallel; each failure queues
    its own retry (`deliver`) after its back-off. Returns how many were delivered."""
    done = services.attempt_deliveries(delivery_ids=delivery_ids)
    for delivery_id, (_answer, outcome) in done.items():
        if outcome.retry_in is not None:
            _retry(delivery_id, outcome.retry_in)
    return sum(1 for _answer, outcome in done.values() if outcome.status == "delivered")


@task()
def deliver(delivery_id: int) -> str:
    """Make one attempt at a delivery; on failure queue the next one after its back-off.
    Returns the delivery's status after it. Under a backend that cannot defer (the
    immediate one of tests) the retry is left to `requeue_stalled`."""
    outcome = services.attempt_delivery(delivery_id=delivery_id)
    if outcome.retry_in is not None:
        _retry(delivery_id, outcome.retry_in)
    return outcome.status


def _retry(delivery_id: int, seconds: int) -> None:
    if deliver.get_backend().supports_defer:
        run_after = timezone.now() + timedelta(seconds=seconds)
        deliver.using(run_after=run_after).enqueue(delivery_id)
