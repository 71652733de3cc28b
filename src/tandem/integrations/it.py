"""The IT page's lines for the integrations this app holds besides its parts: chat
webhooks, personal API tokens and e-mail. Counts and times only, never people data."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tandem.access.models import ApiToken
from tandem.integrations.models import ChatDelivery, ChatWebhook, DeliveryStatus
from tandem.integrations.status import State, StatusLine

EMAIL_TASK = "tandem.core.tasks.send_email"
RECENT = timedelta(days=1)
EMAIL_WINDOW = timedelta(days=7)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def chat_lines() -> list[StatusLine]:
    manage = reverse("integrations:chat_webhooks")
    hooks = ChatWebhook.objects.aggregate(total=Count("pk"), on=Count("pk", filter=Q(enabled=True)))
    if not hooks["total"]:
        return [StatusLine("Chat webhooks", "off", "No webhooks yet.", manage_url=manage)]
    since = timezone.now() - RECENT
    recent = ChatDelivery.objects.filter(created_at__gte=since).aggregate(
        failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
        retrying=Count("pk", filter=Q(status=DeliveryStatus.PENDING, attempts__gt=0)),
        last=Max("finished_at", filter=Q(status=DeliveryStatus.DELIVERED)),
    )
    summary = f"{hooks['on']} of {_plural(hooks['total'], 'webhook')} on"
    state: State
    if recent["failed"]:
        state = "failing"
        summary += f"; {_plural(recent['failed'], 'delivery')} failed in the last day."
    elif recent["retrying"]:
        state = "attention"
        summary += f"; {_plural(recent['retrying'], 'delivery')} being retried."
    elif not hooks["on"]:
        state, summary = "off", summary + "."
    else:
        state, summary = "ok", summary + "."
    summary = summary.replace("deliverys", "deliveries")
    return [StatusLine("Chat webhooks", state, summary, recent["last"], manage)]


def token_lines() -> list[StatusLine]:
    now = timezone.now()
    usable = ApiToken.objects.filter(revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )
    found = usable.aggregate(
        n=Count("pk"),
        last=Max("last_used_at"),
        soon=Count("pk", filter=Q(expires_at__lte=now + timedelta(days=7))),
    )
    manage = reverse("access:it_tokens")
    if not found["n"]:
        return [StatusLine("API tokens", "off", "No tokens in use.", manage_url=manage)]
    summary = f"{_plural(found['n'], 'token')} in use"
    state: State = "ok"
    if found["soon"]:
        state = "attention"
        summary += f"; {found['soon']} expire within a week"
    return [StatusLine("API tokens", state, summary + ".", found["last"], manage)]


def email_lines() -> list[StatusLine]:
    backend = settings.EMAIL_BACKEND.rsplit(".", 1)[0].rsplit(".", 1)[-1]
    if backend in ("dummy", "locmem"):
        return [StatusLine("E-mail", "off", "E-mail is not sent (TANDEM_EMAIL_BACKEND).")]
    how = {"smtp": f"through {settings.EMAIL_HOST}", "console": "to the console"}.get(
        backend, f"with the {backend} backend"
    )
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return [StatusLine("E-mail", "ok", f"Sent {how}; the queue is in Redis.")]
    since = timezone.now() - EMAIL_WINDOW
    found = DBTaskResult.objects.filter(task_path=EMAIL_TASK, enqueued_at__gte=since).aggregate(
        waiting=Count(
            "pk", filter=Q(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
        ),
        failed=Count("pk", filter=Q(status=TaskResultStatus.FAILED)),
        last=Max("finished_at", filter=Q(status=TaskResultStatus.SUCCESSFUL)),
    )
    summary = f"Sent {how}; {found['waiting']} waiting, {found['failed']} failed this week."
    state: State = "failing" if found["failed"] else "attention" if found["waiting"] > 50 else "ok"
    return [StatusLine("E-mail", state, summary, found["last"])]
