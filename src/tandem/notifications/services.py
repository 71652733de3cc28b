"""Sending notifications. Every feature calls `notify`; delivery happens after commit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tandem.access.rules import require
from tandem.audit.services import record
from tandem.core.queue import enqueue_on_commit
from tandem.notifications.channels import chat_channels_for
from tandem.notifications.kinds import KINDS, Delivery
from tandem.notifications.models import Notification, NotificationSetting
from tandem.notifications.unsubscribe import DIGEST, UnsubscribeLink
from tandem.org.models import Person


def delivery_for(person: Any, kind: str) -> str:
    chosen = (
        NotificationSetting.objects.filter(person=person, kind=kind)
        .values_list("delivery", flat=True)
        .first()
    )
    return chosen or KINDS[kind].default


def notify(
    *,
    person: Any,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str | None = None,
) -> Notification | None:
    """Tell `person` about something. Exactly once per `dedupe_key`; nothing for people who
    left or who switched this kind off. The e-mail (if any) is queued after commit."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}; add it to notifications/kinds.py")
    if not getattr(person, "is_active", False):
        return None
    delivery = delivery_for(person, kind)
    if delivery == Delivery.OFF:
        return None
    if dedupe_key is not None:
        existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                person=person,
                kind=kind,
                title=title[:200],
                body=body,
                url=url[:500],
                delivery=delivery,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        # A concurrent notify() with the same key won the race; that one counts.
        return Notification.objects.filter(dedupe_key=dedupe_key).first()
    if delivery == Delivery.EMAIL:
        enqueue_on_commit("tandem.notifications.tasks.deliver_notification", notification.pk)
    elif delivery == Delivery.CHAT:
        # Posted by the integrations app (above this one, so named by its task's path).
        enqueue_on_commit("tandem.integrations.tasks.post_to_chat", [notification.pk])
    return notification


@dataclass(frozen=True)
class Message:
    """One notification of a bulk send: who gets it, what it says, its once-only key."""

    person_id: int
    title: str
    dedupe_key: str
    body: str = ""
    url: str = ""


DELIVERY_BATCH = 200


def notify_many(*, kind: str, messages: Sequence[Message]) -> int:
    """`notify` for many people at once (reminders to a whole company): a fixed number of
    queries per call instead of several per person. Same rules: exactly once per key, each
    person's delivery choice, nobody who left. Returns how many notifications are new."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}; add it to notifications/kinds.py")
    if not messages:
        return 0
    person_ids = {m.person_id for m in messages}
    active = set(
        Person.objects.filter(pk__in=person_ids, is_active=True).values_list("pk", flat=True)
    )
    chosen = dict(
        NotificationSetting.objects.filter(person_id__in=person_ids, kind=kind).values_list(
            "person_id", "delivery"
        )
    )
    keys = [m.dedupe_key for m in messages]
    taken = set(
        Notification.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
    )
    rows = []
    for message in messages:
        delivery = chosen.get(message.person_id) or KINDS[kind].default
        if message.person_id not in active or delivery == Delivery.OFF:
            continue
        if message.dedupe_key in taken:
            continue
        taken.add(message.dedupe_key)
        rows.append(
            Notification(
                person_id=message.person_id,
                kind=kind,
                title=message.title[:200],
                body=message.body,
                url=message.url[:500],
                delivery=delivery,
                dedupe_key=message.dedupe_key,
            )
        )
    with transaction.atomic():
        # ignore_conflicts: a concurrent send with the same keys already counts.
        Notification.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        to_email = list(
            Notification.objects.filter(
                dedupe_key__in=[r.dedupe_key for r in rows if r.delivery == Delivery.EMAIL],
                emailed_at__isnull=True,
            ).values_list("pk", flat=True)
        )
        for start in range(0, len(to_email), DELIVERY_BATCH):
            enqueue_on_commit(
                "tandem.notifications.tasks.deliver_notifications",
                to_email[start : start + DELIVERY_BATCH],
            )
        chat_keys = [r.dedupe_key for r in rows if r.delivery == Delivery.CHAT]
        to_chat = (
            list(Notification.objects.filter(dedupe_key__in=chat_keys).values_list("pk", flat=True))
            if chat_keys
            else []
        )
        for start in range(0, len(to_chat), DELIVERY_BATCH):
            enqueue_on_commit(
                "tandem.integrations.tasks.post_to_chat", to_chat[start : start + DELIVERY_BATCH]
            )
    return len(rows)


def mark_read(*, notification: Notification, by: Any) -> Notification:
    """The owner has seen this notification (opened it from the list or the API)."""
    require(by, "notification.mark_read", notification)
    if notification.read_at is not None:
        return notification
    with transaction.atomic():
        now = timezone.now()
        # Conditional, so two tabs opening it at once record one read, not two.
        changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=now
        )
        notification.read_at = now
        if changed:
            record(
                actor=by,
                kind="notification.read",
                obj=notification,
                subject=notification.person,
                object_label=notification.title,
            )
    return notification


def mark_all_read(*, person: Any, by: Any) -> int:
    """Mark every unread notification of `person` as read; returns how many there were."""
    require(by, "notification.settings", person)
    with transaction.atomic():
        changed = Notification.objects.filter(person=person, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if changed:
            record(
                actor=by,
                kind="notification.read_all",
                object_type="notifications.notification",
                object_label=f"{changed} notification{'s' if changed != 1 else ''}",
                subject=person,
                changes={"count": changed},
            )
    return changed


def set_delivery_preferences(
    *, person: Any, choices: Mapping[str, str], by: Any
) -> dict[str, list[str]]:
    """Save how `person` wants to hear about each kind ({kind: delivery}). Kinds left out
    keep their current choice. Returns the changes as {kind: [old, new]} (audited)."""
    require(by, "notification.settings", person)
    errors: dict[str, list[str]] = {}
    for kind, delivery in choices.items():
        if kind not in KINDS:
            errors[kind] = [f"“{kind}” is not a kind of notification."]
        elif delivery not in Delivery.values:
            errors[kind] = [
                f"{KINDS[kind].label}: choose one of "
                + ", ".join(label for _, label in Delivery.choices)
                + "."
            ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = dict(
            NotificationSetting.objects.select_for_update()
            .filter(person=person)
            .values_list("kind", "delivery")
        )
        changes: dict[str, list[str]] = {}
        no_chat = None
        for kind, delivery in choices.items():
            before = current.get(kind) or KINDS[kind].default
            if before == delivery:
                continue
            if delivery == Delivery.CHAT:
                no_chat = not chat_channels_for(person) if no_chat is None else no_chat
                if no_chat:
                    raise ValidationError(
                        {
                            kind: [
                                f"{KINDS[kind].label}: no chat channel carries your "
                                "notifications yet; ask IT to set one up, or choose another way."
                            ]
                        }
                    )
            changes[kind] = [before, delivery]
            NotificationSetting.objects.update_or_create(
                person=person, kind=kind, defaults={"delivery": delivery}
            )
        if changes:
            record(
                actor=by,
                kind="notification.preferences",
                object_type="notifications.notificationsetting",
                object_label=f"Notification choices of {person}",
                subject=person,
                changes=changes,
            )
    return changes


def unsubscribe_by_link(*, link: UnsubscribeLink) -> dict[str, list[str]]:
    """Stop the e-mails the link names (RFC 8058 one-click, docs/notifications.md): that
    kind, or every kind sent in the weekly digest, is from now on shown only in Tandem. The
    signed link is the person's authority, so it acts as them (and is audited as them).
    A kind that sends no e-mail already is left as it is. Returns the changes."""
    person = link.person
    current = dict(
        NotificationSetting.objects.filter(person=person).values_list("kind", "delivery")
    )
    delivery = {kind: current.get(kind) or spec.default for kind, spec in KINDS.items()}
    if link.kind == DIGEST:
        kinds = [kind for kind, chosen in delivery.items() if chosen == Delivery.DIGEST]
    else:
        kinds = [link.kind] if delivery[link.kind] in (Delivery.EMAIL, Delivery.DIGEST) else []
    if not kinds:
        return {}
    return set_delivery_preferences(
        person=person, choices=dict.fromkeys(kinds, Delivery.IN_APP), by=person
    )
