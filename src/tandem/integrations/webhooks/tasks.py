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
    """Make the messages and deliveries of these audit events and queue one task per
    delivery; returns how many were queued."""
    waiting = services.fan_out(audit_event_ids=audit_event_ids)
    for delivery_id in waiting:
        deliver.enqueue(delivery_id)
    return len(waiting)


@task()
def deliver(delivery_id: int) -> str:
    """Make one attempt at a delivery; on failure queue the next one after its back-off.
    Returns the delivery's status after it. Under a backend that cannot defer (the
    immediate one of tests) the retry is left to `requeue_stalled`."""
    outcome = services.attempt_delivery(delivery_id=delivery_id)
    if outcome.retry_in is not None and deliver.get_backend().supports_defer:
        run_after = timezone.now() + timedelta(seconds=outcome.retry_in)
        deliver.using(run_after=run_after).enqueue(delivery_id)
    return outcome.status
