"""Background tasks shared by every app (django-tasks; the worker runs them off-request)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task


@task()
def send_email(subject: str, body: str, to: list[str]) -> int:
    """Send one plain-text e-mail. Arguments are plain strings so the task can be stored
    by the database backend and retried; SMTP or console comes from TANDEM_EMAIL_*."""
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=list(to)
    )
    return message.send(fail_silently=False)
