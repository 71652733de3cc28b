"""Writes about chat webhooks: IT setting them up (audited), and posting notifications to
them at most once each.

At most once: a notification gets one ChatDelivery row per webhook (a unique constraint,
rows made with ignore_conflicts), and each attempt first *claims* its row with a conditional
UPDATE (waiting → sending). A doubled or retried task finds the row claimed, delivered or
failed, and posts nothing. The POST happens outside any transaction, so a slow endpoint
holds no lock; a process killed mid-POST leaves the row "sending", never sent twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from tandem.access.rules import require
from tandem.audit.services import record
from tandem.core.encryption import Unreadable, seal, unseal
from tandem.integrations import chat, queries
from tandem.integrations.models import ChatDelivery, ChatWebhook, DeliveryStatus, Provider
from tandem.notifications import queries as notification_queries
from tandem.org.models import Department

PURPOSE = "integrations:chat-webhook-url"
MAX_NAME = 100
MAX_URL = 2000


def webhook_url(webhook: ChatWebhook) -> str:
    """The webhook's address, decrypted (for posting only: never shown or returned)."""
    return unseal(webhook.url_sealed, purpose=PURPOSE)


def _hint(url: str) -> str:
    return url.strip()[-4:]


def _check(*, provider: str, name: str, url: str | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if provider not in Provider.values:
        errors["provider"] = ["Choose Slack or Microsoft Teams."]
    if not name.strip():
        errors["name"] = ["Give the webhook a name people recognise, such as “#eng-managers”."]
    elif len(name) > MAX_NAME:
        errors["name"] = [f"Keep the name under {MAX_NAME} characters."]
    if url is not None:
        if not url.strip():
            errors["url"] = ["Paste the webhook's URL (the provider shows it when you create it)."]
        elif len(url) > MAX_URL:
            errors["url"] = [f"This address is longer than {MAX_URL} characters; check it."]
        elif provider in Provider.values and (problem := chat.address_problem(provider, url)):
            errors["url"] = [problem]
    return errors


def _label(department: Department | None) -> str:
    return f"{department.name} and below" if department else "everyone"


def create_webhook(
    *,
    provider: str,
    name: str,
    url: str,
    department: Department | None = None,
    enabled: bool = True,
    by: Any,
) -> ChatWebhook:
    """Add an incoming webhook; its address is stored encrypted. Audited (without it)."""
    require(by, "chat_webhook.manage")
    errors = _check(provider=provider, name=name, url=url)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        webhook = ChatWebhook.objects.create(
            provider=provider,
            name=name.strip(),
            url_sealed=seal(url.strip(), purpose=PURPOSE),
            url_hint=_hint(url),
            department=department,
            enabled=enabled,
            created_by=by if getattr(by, "pk", None) else None,
        )
        record(
            actor=by,
            kind="chat_webhook.create",
            obj=webhook,
            object_label=str(webhook),
            changes={
                "provider": provider,
                "name": webhook.name,
                "url": f"…{webhook.url_hint}",
                "serves": _label(department),
                "enabled": enabled,
            },
        )
    return webhook


def update_webhook(
    *,
    webhook: ChatWebhook,
    provider: str,
    name: str,
    url: str = "",
    department: Department | None = None,
    enabled: bool = True,
    by: Any,
) -> dict[str, list[Any]]:
    """Change a webhook; an empty `url` keeps the stored address. Returns the changes as
    {field: [old, new]} (audited; the address only by its last characters)."""
    require(by, "chat_webhook.manage", webhook)
    new_url = url.strip() or None
    if new_url is None and provider != webhook.provider:
        # The stored address was checked for the old provider: check it for the new one.
        try:
            current = webhook_url(webhook)
        except Unreadable:
            current = ""
        errors = _check(provider=provider, name=name, url=current)
    else:
        errors = _check(provider=provider, name=name, url=new_url)
    if errors:
        raise ValidationError(errors)
    before = {
        "provider": webhook.provider,
        "name": webhook.name,
        "url": f"…{webhook.url_hint}",
        "serves": _label(webhook.department),
        "enabled": webhook.enabled,
    }
    webhook.provider = provider
    webhook.name = name.strip()
    webhook.department = department
    webhook.enabled = enabled
    if new_url is not None:
        webhook.url_sealed = seal(new_url, purpose=PURPOSE)
        webhook.url_hint = _hint(new_url)
    after = {
        "provider": webhook.provider,
        "name": webhook.name,
        "url": f"…{webhook.url_hint}" if new_url is None else f"new, …{webhook.url_hint}",
        "serves": _label(department),
        "enabled": enabled,
    }
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if not changes:
        return changes
    with transaction.atomic():
        webhook.save(
            update_fields=["provider", "name", "department", "enabled", "url_sealed", "url_hint"]
        )
        record(
            actor=by,
            kind="chat_webhook.update",
            obj=webhook,
            object_label=str(webhook),
            changes=changes,
        )
    return changes


def delete_webhook(*, webhook: ChatWebhook, by: Any) -> None:
    """Delete a webhook and its delivery log. Audited."""
    require(by, "chat_webhook.manage", webhook)
    with transaction.atomic():
        record(
            actor=by,
            kind="chat_webhook.delete",
            obj=webhook,
            object_label=str(webhook),
            changes={"url": f"…{webhook.url_hint}", "serves": _label(webhook.department)},
        )
        webhook.delete()


def test_webhook(*, webhook: ChatWebhook, by: Any) -> chat.Answer:
    """Post a test message now (short timeout) and say what came of it. Audited."""
    require(by, "chat_webhook.manage", webhook)
    try:
        url = webhook_url(webhook)
    except Unreadable:
        answer = chat.Answer(
            False,
            False,
            "Tandem cannot read this webhook's address (the encryption key changed): "
            "paste its URL again.",
        )
    else:
        body = chat.payload(
            webhook.provider,
            title="Test message from Tandem: this channel will receive notifications",
            for_name=getattr(by, "display_name", "IT"),
            link=f"{settings.SITE_URL}/notifications/settings/",
        )
        answer = chat.post(webhook.provider, url, body)
    record(
        actor=by,
        kind="chat_webhook.test",
        obj=webhook,
        object_label=str(webhook),
        changes={"outcome": answer.message[:200]},
    )
    return answer


# --- Delivery ---------------------------------------------------------------------------------


def create_deliveries(*, notification_ids: list[int]) -> list[int]:
    """One waiting delivery per (notification chosen for chat, enabled webhook serving its
    person); returns the ids of those still waiting. Existing rows are kept (a retried task
    adds nothing)."""
    notifications = notification_queries.for_chat(notification_ids)
    hooks = queries.enabled_webhooks()
    rows = [
        ChatDelivery(
            notification_id=n.pk,
            webhook=hook,
            kind=n.kind,
            title=n.title,
        )
        for n in notifications
        if n.person.is_active
        for hook in queries.webhooks_serving(n.person, hooks)
    ]
    if rows:
        ChatDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    return queries.for_notifications([n.pk for n in notifications])


@dataclass(frozen=True)
class Attempt:
    """What one attempt came to: `retry_in` seconds before the next one, or None when the
    delivery is finished (delivered, failed, or not this task's to make)."""

    status: str
    retry_in: int | None = None


def _backoff(attempts: int, answer: chat.Answer) -> int:
    if answer.retry_after is not None:
        return answer.retry_after
    return min(chat.BACKOFF_SECONDS * 2 ** (attempts - 1), chat.MAX_RETRY_AFTER)


def attempt_delivery(*, delivery_id: int, early: bool = False) -> Attempt:
    """Claim the delivery (if it is waiting and due), post it once, and record the answer:
    delivered; failed for good (a 4xx, or the last allowed attempt); or waiting again with
    the time of the next attempt."""
    waiting = ChatDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING)
    if not early:
        now = timezone.now()
        waiting = waiting.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    claimed = waiting.update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1)
    if not claimed:
        return Attempt(status="skipped")
    delivery = ChatDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None:  # its webhook was deleted in the meantime
        return Attempt(status="skipped")
    found = notification_queries.for_chat([delivery.notification_id])
    answer: chat.Answer
    if not found or not found[0].person.is_active or not delivery.webhook.enabled:
        answer = chat.Answer(
            False, False, "Not sent: the person left or the webhook was turned off."
        )
    else:
        notification = found[0]
        try:
            url = webhook_url(delivery.webhook)
        except Unreadable:
            answer = chat.Answer(
                False, False, "Not sent: the webhook's address cannot be read; paste it again."
            )
        else:
            link = f"{settings.SITE_URL}{notification.url or '/notifications/'}"
            body = chat.payload(
                delivery.webhook.provider,
                title=delivery.title,
                for_name=notification.person.display_name,
                link=link,
            )
            answer = chat.post(delivery.webhook.provider, url, body)
    fields: dict[str, Any] = {"last_answer": answer.message[:300]}
    if answer.delivered:
        result = Attempt(status=DeliveryStatus.DELIVERED)
        fields |= {"status": DeliveryStatus.DELIVERED, "finished_at": timezone.now()}
    elif answer.retry and delivery.attempts < chat.MAX_ATTEMPTS:
        wait = _backoff(delivery.attempts, answer)
        result = Attempt(status=DeliveryStatus.PENDING, retry_in=wait)
        fields |= {
            "status": DeliveryStatus.PENDING,
            "next_attempt_at": timezone.now() + timedelta(seconds=wait),
            "last_answer": f"{answer.message} Trying again in {wait} s."[:300],
        }
    else:
        if answer.retry:
            fields["last_answer"] = f"{answer.message} Gave up after {delivery.attempts} attempts."[
                :300
            ]
        result = Attempt(status=DeliveryStatus.FAILED)
        fields |= {"status": DeliveryStatus.FAILED, "finished_at": timezone.now()}
    ChatDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.SENDING).update(**fields)
    return result
