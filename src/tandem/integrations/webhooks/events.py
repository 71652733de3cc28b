"""The event types an endpoint can ask for, and an event built from an audit event.

Every service write records an audit event (audit/services.py), so the trail is the one
place events come from: no feature calls webhooks, and this package imports none. Each
event type names the audit kinds it is made of; an audit kind outside this table sends
nothing.

What an event says. Always: its type, when it happened, the object (its type and id), who
did it (their person id) and whom it concerns (id, work e-mail, employee id, name — what IT
already manages through SCIM). Only to endpoints marked "may receive private data": the
object's title and what changed (a goal's new title, a person's new department). Feedback's
text never leaves Tandem: the audit trail does not hold it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from tandem.audit.models import AuditEvent

TEST_EVENT = "webhook.test"


@dataclass(frozen=True)
class EventType:
    key: str
    label: str
    kinds: tuple[str, ...]


EVENT_TYPES: tuple[EventType, ...] = (
    EventType("person.created", "A person joined", ("person.create",)),
    EventType(
        "person.updated",
        "A person's record changed (name, title, department, manager, status)",
        ("person.update", "person.manager_change", "person.status_change"),
    ),
    EventType("person.left", "A person left the company", ()),
    EventType("goal.created", "A goal was set", ("goal.created",)),
    EventType(
        "goal.updated",
        "A goal changed (title, progress, key results, alignment)",
        (
            "goal.updated",
            "goal.key_result_added",
            "goal.key_result_updated",
            "goal.key_result_removed",
            "goal.aligned",
        ),
    ),
    EventType("goal.closed", "A goal was closed with its score", ("goal.closed",)),
    EventType("feedback.given", "Private feedback was given (never its text)", ()),
    EventType("praise.given", "Public praise was given", ()),
    EventType("review.submitted", "A review was submitted", ("review.submitted",)),
    EventType("review.shared", "Reviews were shared with the person", ("review.shared",)),
    EventType(
        "review.acknowledged", "A person acknowledged their review", ("review.acknowledged",)
    ),
    EventType("cycle.launched", "A review cycle was launched", ("review.cycle_launch",)),
    EventType("cycle.closed", "A review cycle was closed", ("review.cycle_close",)),
)
KEYS: tuple[str, ...] = tuple(t.key for t in EVENT_TYPES)
LABELS: dict[str, str] = {t.key: t.label for t in EVENT_TYPES} | {TEST_EVENT: "Test event"}
_BY_KIND: dict[str, str] = {kind: t.key for t in EVENT_TYPES for kind in t.kinds}
# Kinds whose event type depends on what the audit event says (see `event_type`).
_SPLIT_KINDS = frozenset({"feedback.give", "person.update", "person.status_change"})
KINDS: frozenset[str] = frozenset(_BY_KIND) | _SPLIT_KINDS


def _left(changes: dict[str, Any]) -> bool:
    status = changes.get("status")
    return isinstance(status, list) and len(status) == 2 and status[1] == "left"


def event_type(kind: str, changes: dict[str, Any]) -> str | None:
    """The event type of an audit event of `kind` with `changes`, or None (none is sent)."""
    if kind == "feedback.give":
        return "praise.given" if changes.get("visibility") == "public" else "feedback.given"
    if kind in ("person.update", "person.status_change") and _left(changes):
        return "person.left"
    return _BY_KIND.get(kind)


def new_message_id() -> str:
    """A `webhook-id`: unique, and the same on every retry of the message."""
    return f"msg_{secrets.token_hex(12)}"


def _person(person: Any) -> dict[str, Any] | None:
    if person is None:
        return None
    return {
        "id": person.pk,
        "email": person.email,
        "employee_id": person.employee_id,
        "name": person.display_name,
    }


def message_fields(event: AuditEvent, event_type: str) -> dict[str, Any]:
    """The public part (`data`) and the private part of the message for `event`, whose
    subject is loaded. Plain JSON."""
    return {
        "event_type": event_type,
        "audit_event_id": event.pk,
        "occurred_at": event.at,
        "data": {
            "object": {"type": event.object_type, "id": event.object_id},
            "actor_id": event.actor_id,
            "person": _person(event.subject),
        },
        "private": {"title": event.object_label, "changes": event.changes},
    }


def body(
    *,
    event_type: str,
    occurred_at: Any,
    data: dict[str, Any],
    private: dict[str, Any],
    with_private: bool,
) -> dict[str, Any]:
    """What is POSTed: Standard Webhooks' {type, timestamp, data}, with the private part
    inside `data` only for an endpoint that may receive it."""
    return {
        "type": event_type,
        "timestamp": occurred_at.isoformat(),
        "data": {**data, **(private if with_private else {})},
    }
