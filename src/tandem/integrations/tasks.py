"""Background posting of notifications to chat (django-tasks): one delivery per task, so a
slow endpoint delays nothing else; retries deferred through the queue itself."""

from __future__ import annotations

import time
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from tandem.integrations import services

# Only where the task backend cannot defer (the immediate backend of tests and quick demos)
# is a retry made in-process, after a pause of at most this many seconds.
INLINE_PAUSE_CAP = 1.0


@task()
def post_to_chat(notification_ids: list[int]) -> int:
    """Make the deliveries of these notifications (queued by notifications.services.notify)
    and queue one task per delivery; returns how many were queued."""
    waiting = services.create_deliveries(notification_ids=notification_ids)
    for delivery_id in waiting:
        send_chat_delivery.enqueue(delivery_id, True)
    return len(waiting)


@task()
def send_chat_delivery(delivery_id: int, early: bool = False) -> str:
    """Post one delivery once; on a 429, a 5xx or a timeout queue the next attempt after the
    back-off (bounded: chat.MAX_ATTEMPTS). Returns the delivery's status after it. `early`:
    an in-process retry that already paused as long as it may, before the attempt is due."""
    attempt = services.attempt_delivery(delivery_id=delivery_id, early=early)
    if attempt.retry_in is not None:
        _again(delivery_id, attempt.retry_in)
    return attempt.status


def _again(delivery_id: int, seconds: int) -> None:
    if send_chat_delivery.get_backend().supports_defer:
        run_after = timezone.now() + timedelta(seconds=seconds)
        send_chat_delivery.using(run_after=run_after).enqueue(delivery_id)
        return
    time.sleep(min(seconds, INLINE_PAUSE_CAP))
    send_chat_delivery.enqueue(delivery_id, True)
