"""Writes about outgoing webhooks: IT setting up endpoints (audited), the events the audit
trail announces, and delivering them at least once.

At least once, in order of what can go wrong:
- an event is taken from the audit trail after the write commits (a rolled-back write sends
  nothing) and queued as one task per batch of audit events, which makes one message per
  audit event (unique) and one delivery per subscribed endpoint (unique): a retried task
  adds nothing;
- each attempt first claims its delivery (waiting → sending) with a conditional UPDATE and
  POSTs outside any transaction; a failed attempt is retried with exponential back-off
  (RETRY_SCHEDULE, about 25 hours in all); a delivery left "sending" by a worker that died
  mid-POST is put back to waiting by the daily sweep and sent again — the receiver
  recognises the repeat by its `webhook-id`;
- an endpoint that has not accepted anything for a day when a delivery runs out of retries
  is switched off, and every IT admin is told."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from tandem.access.models import Role
from tandem.access.rules import require
from tandem.audit.models import AuditEvent
from tandem.audit.services import record
from tandem.core.encryption import Unreadable, seal, unseal
from tandem.core.queue import enqueue_on_commit
from tandem.integrations.webhooks import addresses, events, queries, sending
from tandem.integrations.webhooks.models import (
    Attempt,
    Delivery,
    DeliveryStatus,
    Endpoint,
    Message,
)
from tandem.notifications.services import notify
from tandem.org.models import Person

logger = logging.getLogger(__name__)

PURPOSE = "integrations:webhook-secret"
MAX_NAME = 100
# Seconds to wait after the 1st, 2nd … failed attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
# 8 h — eight attempts over about 25 hours (the Standard Webhooks' suggested schedule).
RETRY_SCHEDULE = (5, 300, 1800, 7200, 18000, 36000, 28800)
MAX_ATTEMPTS = len(RETRY_SCHEDULE) + 1
# An endpoint that accepted nothing for this long when a delivery runs out is switched off.
DISABLE_AFTER = timedelta(hours=24)
# After a rotation the previous secret signs beside the new one for this long.
ROTATION_OVERLAP = timedelta(hours=24)
# A delivery "sending" for longer than this was abandoned by its worker.
STALLED_AFTER = timedelta(minutes=15)
FAN_OUT_CHUNK = 500
# Deliveries per delivery task, and the POSTs one task makes at once.
DELIVERY_BATCH = 50
POST_THREADS = 8


# --- Endpoints ----------------------------------------------------------------------------------


def _check(*, name: str, url: str | None, event_types: Sequence[str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["Give the endpoint a name IT recognises, such as “HRIS sync”."]
    elif len(name) > MAX_NAME:
        errors["name"] = [f"Keep the name under {MAX_NAME} characters."]
    if url is not None and (problem := addresses.problem(url)):
        errors["url"] = [problem]
    unknown = [t for t in event_types if t not in events.KEYS]
    if not event_types:
        errors["event_types"] = ["Choose at least one kind of event to send."]
    elif unknown:
        errors["event_types"] = [
            f"Unknown event type {unknown[0]!r}; choose from: {', '.join(events.KEYS)}."
        ]
    return errors


def _types(event_types: Sequence[str]) -> list[str]:
    return [t for t in events.KEYS if t in set(event_types)]


def secrets_of(endpoint: Endpoint) -> list[str]:
    """The secrets that sign now: the current one, and the previous one for a day after a
    rotation. Raises Unreadable when the encryption key changed."""
    found = [unseal(endpoint.secret_sealed, purpose=PURPOSE)]
    until = endpoint.previous_secret_until
    if endpoint.previous_secret_sealed and until and until > timezone.now():
        with suppress(Unreadable):
            found.append(unseal(endpoint.previous_secret_sealed, purpose=PURPOSE))
    return found


def _snapshot(endpoint: Endpoint) -> dict[str, Any]:
    return {
        "name": endpoint.name,
        "url": endpoint.url,
        "event_types": list(endpoint.event_types),
        "private_data": endpoint.private_data,
        "enabled": endpoint.enabled,
    }


def create_endpoint(
    *,
    name: str,
    url: str,
    event_types: Sequence[str],
    private_data: bool = False,
    enabled: bool = True,
    by: Any,
) -> tuple[Endpoint, str]:
    """Add an endpoint with a new signing secret; returns it and the secret, to be shown
    once (it is stored encrypted). Audited (without the secret)."""
    require(by, "webhook_endpoint.manage")
    errors = _check(name=name, url=url, event_types=event_types)
    if errors:
        raise ValidationError(errors)
    secret = sending.new_secret()
    with transaction.atomic():
        endpoint = Endpoint.objects.create(
            name=name.strip(),
            url=url.strip(),
            event_types=_types(event_types),
            private_data=private_data,
            enabled=enabled,
            secret_sealed=seal(secret, purpose=PURPOSE),
            created_by=by if getattr(by, "pk", None) else None,
        )
        record(
            actor=by,
            kind="webhook_endpoint.create",
            obj=endpoint,
            object_label=str(endpoint),
            changes=_snapshot(endpoint),
        )
    return endpoint, secret


def update_endpoint(
    *,
    endpoint: Endpoint,
    name: str,
    url: str,
    event_types: Sequence[str],
    private_data: bool,
    enabled: bool,
    by: Any,
) -> dict[str, list[Any]]:
    """Change an endpoint; switching it back on clears its failure. Returns the changes as
    {field: [old, new]} (audited)."""
    require(by, "webhook_endpoint.manage", endpoint)
    new_url = url.strip()
    errors = _check(
        name=name, url=new_url if new_url != endpoint.url else None, event_types=event_types
    )
    if errors:
        raise ValidationError(errors)
    before = _snapshot(endpoint)
    endpoint.name = name.strip()
    endpoint.url = new_url
    endpoint.event_types = _types(event_types)
    endpoint.private_data = private_data
    endpoint.enabled = enabled
    after = _snapshot(endpoint)
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if not changes:
        return changes
    fields = ["name", "url", "event_types", "private_data", "enabled"]
    if enabled and not before["enabled"]:
        endpoint.disabled_reason = ""
        endpoint.failing_since = None
        fields += ["disabled_reason", "failing_since"]
    with transaction.atomic():
        endpoint.save(update_fields=fields)
        record(
            actor=by,
            kind="webhook_endpoint.update",
            obj=endpoint,
            object_label=str(endpoint),
            changes=changes,
        )
    return changes


def rotate_secret(*, endpoint: Endpoint, by: Any) -> str:
    """A new signing secret, returned to be shown once; the previous one keeps signing beside
    it for a day (ROTATION_OVERLAP). Audited."""
    require(by, "webhook_endpoint.manage", endpoint)
    secret = sending.new_secret()
    with transaction.atomic():
        endpoint.previous_secret_sealed = endpoint.secret_sealed
        endpoint.previous_secret_until = timezone.now() + ROTATION_OVERLAP
        endpoint.secret_sealed = seal(secret, purpose=PURPOSE)
        endpoint.save(
            update_fields=["previous_secret_sealed", "previous_secret_until", "secret_sealed"]
        )
        record(
            actor=by,
            kind="webhook_endpoint.rotate_secret",
            obj=endpoint,
            object_label=str(endpoint),
            changes={"previous secret signs until": endpoint.previous_secret_until},
        )
    return secret


def delete_endpoint(*, endpoint: Endpoint, by: Any) -> None:
    """Delete an endpoint and its delivery log. Audited."""
    require(by, "webhook_endpoint.manage", endpoint)
    with transaction.atomic():
        record(
            actor=by,
            kind="webhook_endpoint.delete",
            obj=endpoint,
            object_label=str(endpoint),
            changes={"url": endpoint.url},
        )
        endpoint.delete()


def send_test_event(*, endpoint: Endpoint, by: Any) -> sending.Answer:
    """Send a `webhook.test` event now (one attempt, logged like any delivery) and say what
    came of it. Audited."""
    require(by, "webhook_endpoint.manage", endpoint)
    now = timezone.now()
    with transaction.atomic():
        message = Message.objects.create(
            id=events.new_message_id(),
            event_type=events.TEST_EVENT,
            occurred_at=now,
            data={"message": "A test event from Tandem: this endpoint receives events."},
        )
        delivery = Delivery.objects.create(
            message=message, endpoint=endpoint, event_type=events.TEST_EVENT
        )
    done = attempt_deliveries(delivery_ids=[delivery.pk], retry=False)
    answer = done[delivery.pk][0]
    record(
        actor=by,
        kind="webhook_endpoint.test",
        obj=endpoint,
        object_label=str(endpoint),
        changes={"outcome": answer.message[:200]},
    )
    return answer


def redeliver(*, delivery: Delivery, by: Any) -> None:
    """Send a delivery again (same `webhook-id`), with a fresh set of retries. Audited."""
    require(by, "webhook_endpoint.manage", delivery.endpoint)
    if not delivery.endpoint.enabled:
        raise ValidationError(
            {"delivery": "This endpoint is switched off: switch it on before redelivering."}
        )
    if delivery.status in (DeliveryStatus.PENDING, DeliveryStatus.SENDING):
        raise ValidationError({"delivery": "This event is still being delivered."})
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=None, finished_at=None
        )
        record(
            actor=by,
            kind="webhook_endpoint.redeliver",
            obj=delivery.endpoint,
            object_label=str(delivery.endpoint),
            changes={"event": delivery.message_id, "type": delivery.event_type},
        )
        enqueue_on_commit("tandem.integrations.webhooks.tasks.deliver", delivery.pk)


# --- Events from the audit trail -------------------------------------------------------------


def on_audit_events(written: Sequence[AuditEvent]) -> None:
    """The audit listener: remember the events that may become webhook events and look at
    them once the write commits. Queries nothing (it runs inside every service write)."""
    wanted = {
        e.pk: kind
        for e in written
        if e.kind in events.KINDS and (kind := events.event_type(e.kind, e.changes))
    }
    if wanted:
        transaction.on_commit(lambda: emit(wanted))


def emit(wanted: dict[int, str]) -> int:
    """Queue the fan-out of these audit events ({id: event type}) if any endpoint that is
    switched on asks for one of their types; returns how many tasks were queued. Never
    fails the write that caused it (it runs after the commit)."""
    try:
        hooks = queries.enabled_endpoints()
        types = set(wanted.values())
        if not any(queries.subscribers(hooks, t) for t in types):
            return 0
        ids = sorted(wanted)
        chunks = [ids[i : i + FAN_OUT_CHUNK] for i in range(0, len(ids), FAN_OUT_CHUNK)]
        for chunk in chunks:
            enqueue_on_commit("tandem.integrations.webhooks.tasks.fan_out_events", chunk)
    except Exception:  # the write is done; say why its events are missing, do not fail it
        logger.exception("Outgoing webhooks: could not queue events %s", sorted(wanted)[:20])
        return 0
    return len(chunks)


def fan_out(*, audit_event_ids: list[int]) -> list[int]:
    """One message per audit event whose type an endpoint asks for, and one delivery per
    such endpoint; returns the ids of the deliveries waiting. Safe to run again."""
    hooks = queries.enabled_endpoints()
    found = AuditEvent.objects.filter(pk__in=audit_event_ids).select_related("subject")
    messages = []
    for event in found:
        event_type = events.event_type(event.kind, event.changes)
        if event_type and queries.subscribers(hooks, event_type):
            fields = events.message_fields(event, event_type)
            messages.append(Message(id=events.new_message_id(), **fields))
    if not messages:
        return []
    Message.objects.bulk_create(messages, ignore_conflicts=True, batch_size=FAN_OUT_CHUNK)
    # A task run twice made its messages the first time: use those (the same webhook-id).
    stored = list(
        Message.objects.filter(audit_event_id__in=[m.audit_event_id for m in messages]).values_list(
            "id", "event_type"
        )
    )
    rows = [
        Delivery(message_id=message_id, endpoint=hook, event_type=event_type)
        for message_id, event_type in stored
        for hook in queries.subscribers(hooks, event_type)
    ]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=FAN_OUT_CHUNK)
    return queries.waiting_ids([message_id for message_id, _ in stored])


# --- Delivering -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to: `retry_in` seconds before the next one, or None when the
    delivery is finished (delivered, failed, or not this task's to make)."""

    status: str
    retry_in: int | None = None


def attempt_delivery(*, delivery_id: int) -> Outcome:
    """Claim the delivery (if it is waiting and due), POST it once, and record the answer:
    delivered; waiting again with the time of the next attempt; or failed for good (the
    retries ran out, or the endpoint was switched off)."""
    done = attempt_deliveries(delivery_ids=[delivery_id])
    return done[delivery_id][1] if delivery_id in done else Outcome(status="skipped")


def _claim(delivery_ids: list[int], *, due_only: bool) -> list[Delivery]:
    """Take the waiting (and, for a retry, due) deliveries among `delivery_ids` for this
    worker: waiting → sending, in one transaction that skips rows another worker holds."""
    with transaction.atomic():
        waiting = Delivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.PENDING)
        if due_only:
            now = timezone.now()
            waiting = waiting.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        ids = list(waiting.select_for_update(skip_locked=True).values_list("pk", flat=True))
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.SENDING, attempts=F("attempts") + 1
        )
    return list(Delivery.objects.select_related("message", "endpoint").filter(pk__in=ids))


def _post(delivery: Delivery) -> sending.Answer:
    """One POST of a claimed delivery (no database access: safe in a thread)."""
    endpoint = delivery.endpoint
    if not endpoint.enabled:
        return sending.Answer(False, None, "Not sent: the endpoint is switched off.")
    try:
        signing = secrets_of(endpoint)
    except Unreadable:
        return sending.Answer(
            False,
            None,
            "Not sent: the signing secret cannot be read (the encryption key changed); "
            "rotate the secret.",
        )
    message = delivery.message
    payload = sending.encode(
        events.body(
            event_type=message.event_type,
            occurred_at=message.occurred_at,
            data=message.data,
            private=message.private,
            with_private=endpoint.private_data,
        )
    )
    return sending.post(endpoint.url, message_id=message.id, secrets_=signing, payload=payload)


def _post_all(claimed: list[Delivery]) -> list[sending.Answer]:
    if len(claimed) == 1:
        return [_post(claimed[0])]
    # POSTs in parallel, so one slow endpoint holds the batch up once, not once per event.
    with ThreadPoolExecutor(max_workers=min(POST_THREADS, len(claimed))) as pool:
        return list(pool.map(_post, claimed))


def attempt_deliveries(
    *, delivery_ids: list[int], retry: bool = True
) -> dict[int, tuple[sending.Answer, Outcome]]:
    """`attempt_delivery` for many deliveries at once (a fan-out's batch), with a fixed
    number of queries per batch. `retry=False`: one attempt only (a test event)."""
    claimed = _claim(delivery_ids, due_only=retry)
    if not claimed:
        return {}
    answers = _post_all(claimed)
    now = timezone.now()
    Attempt.objects.bulk_create(
        Attempt(
            delivery_id=d.pk,
            at=now,
            status_code=a.status_code,
            answer=a.message[:300],
            duration_ms=a.duration_ms,
        )
        for d, a in zip(claimed, answers, strict=True)
    )
    done: dict[int, tuple[sending.Answer, Outcome]] = {}
    succeeded: set[int] = set()
    failed: set[int] = set()
    gave_up: set[int] = set()
    for delivery, answer in zip(claimed, answers, strict=True):
        outcome = _record(delivery, answer, now=now, retry=retry)
        done[delivery.pk] = (answer, outcome)
        (succeeded if answer.delivered else failed).add(delivery.endpoint_id)
        if outcome.status == DeliveryStatus.FAILED and retry and delivery.endpoint.enabled:
            gave_up.add(delivery.endpoint_id)
    Delivery.objects.bulk_update(
        claimed,
        ["status", "last_answer", "last_status_code", "next_attempt_at", "finished_at"],
    )
    if succeeded:
        # One write a minute at most per endpoint while all is well (no hot row at volume).
        Endpoint.objects.filter(pk__in=succeeded).filter(
            Q(failing_since__isnull=False)
            | Q(last_success_at__isnull=True)
            | Q(last_success_at__lt=now - timedelta(minutes=1))
        ).update(last_success_at=now, failing_since=None)
    if failed - succeeded:
        Endpoint.objects.filter(pk__in=failed - succeeded).update(last_failure_at=now)
        Endpoint.objects.filter(pk__in=failed - succeeded, failing_since__isnull=True).update(
            failing_since=now
        )
    for endpoint_id in sorted(gave_up):
        _disable_if_failing(endpoint_id, now=now)
    return done


def _record(delivery: Delivery, answer: sending.Answer, *, now: Any, retry: bool) -> Outcome:
    """Set the delivery's fields after an attempt (saved in bulk by the caller)."""
    delivery.last_answer = answer.message[:300]
    delivery.last_status_code = answer.status_code
    if answer.delivered:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.finished_at = now
        return Outcome(status=DeliveryStatus.DELIVERED)
    if retry and delivery.endpoint.enabled and delivery.attempts < MAX_ATTEMPTS:
        wait = RETRY_SCHEDULE[delivery.attempts - 1]
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = now + timedelta(seconds=wait)
        delivery.last_answer = f"{answer.message} Trying again {_in_words(wait)}."[:300]
        return Outcome(status=DeliveryStatus.PENDING, retry_in=wait)
    if retry and delivery.endpoint.enabled:
        delivery.last_answer = f"{answer.message} Gave up after {delivery.attempts} attempts."[:300]
    delivery.status = DeliveryStatus.FAILED
    delivery.finished_at = now
    return Outcome(status=DeliveryStatus.FAILED)


def _in_words(seconds: int) -> str:
    if seconds < 60:
        return f"in {seconds} s"
    if seconds < 3600:
        return f"in {seconds // 60} min"
    return f"in {seconds // 3600} h"


def _disable_if_failing(endpoint_id: int, *, now: Any) -> None:
    reason = (
        "Switched off by Tandem: the endpoint accepted no event for a day and an event ran "
        "out of retries."
    )
    with transaction.atomic():
        disabled = Endpoint.objects.filter(
            pk=endpoint_id, enabled=True, failing_since__lte=now - DISABLE_AFTER
        ).update(enabled=False, disabled_reason=reason)
        if not disabled:
            return
        endpoint = Endpoint.objects.get(pk=endpoint_id)
        record(
            actor=None,
            kind="webhook_endpoint.disable",
            obj=endpoint,
            object_label=str(endpoint),
            changes={"enabled": [True, False]},
            note=reason,
        )
        url = reverse("integrations_webhooks:endpoint", args=[endpoint.pk])
        admins = Person.objects.filter(role_grants__role=Role.IT_ADMIN, is_active=True).distinct()
        for admin in admins:
            notify(
                person=admin,
                kind="integrations.webhook_disabled",
                title=f"Webhook endpoint “{endpoint.name}” was switched off",
                body=f"{reason} Check the receiving system, then switch the endpoint back on "
                "and redeliver the failed events.",
                url=url,
                dedupe_key=f"webhook_disabled:{endpoint.pk}:{now.isoformat()}",
            )


def requeue_stalled(today: date | None = None) -> int:
    """Put back to waiting the deliveries a worker abandoned mid-POST (sending for longer
    than STALLED_AFTER) and those overdue (their task was lost), and queue them; returns
    how many. Run daily with the reminders, and safe at any time."""
    now = timezone.now()
    long_ago = now - STALLED_AFTER
    due_long_ago = Q(next_attempt_at__lt=long_ago) | Q(
        next_attempt_at__isnull=True, created_at__lt=long_ago
    )
    ids = list(
        Delivery.objects.filter(
            due_long_ago,
            status__in=[DeliveryStatus.SENDING, DeliveryStatus.PENDING],
            endpoint__enabled=True,
        ).values_list("pk", flat=True)
    )
    Delivery.objects.filter(pk__in=ids).update(status=DeliveryStatus.PENDING)
    for pk in ids:
        enqueue_on_commit("tandem.integrations.webhooks.tasks.deliver", pk)
    return len(ids)
