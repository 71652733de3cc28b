"""Background tasks shared by every app (django-tasks; the worker runs them off-request)."""

from __future__ import annotations

from django_tasks import task

from tandem.core import mail


@task()
def send_email(
    subject: str,
    body: str,
    to: list[str],
    html: str = "",
    headers: dict[str, str] | None = None,
) -> int:
    """Send one e-mail (plain text, and HTML when given) through the outbox (core.mail):
    written first, then handed to SMTP, retried until the server accepts it. Arguments are
    plain values so the task can be stored by the database backend. Returns 1 when the
    server accepted it now, 0 when it waits for a retry."""
    email = mail.queue_email(to=to, subject=subject, text=body, html=html, headers=headers)
    return int(send_now(email.pk))


@task()
def deliver_email(email_id: int) -> bool:
    """One attempt at an e-mail of the outbox (a deferred retry); True when it was sent."""
    return send_now(email_id)


def send_now(email_id: int) -> bool:
    """Attempt an e-mail of the outbox now; on failure queue the next attempt for when it is
    due, where the task backend can defer (otherwise the sweep, `tandem send-queued-email`,
    sends it). True when the server accepted it."""
    attempt = mail.deliver(email_id)
    if attempt.retry_at is not None and deliver_email.get_backend().supports_defer:
        deliver_email.using(run_after=attempt.retry_at).enqueue(email_id)
    return attempt.sent


@task()
def send_queued_email() -> int:
    """Send every e-mail of the outbox that is due (for a periodic runner); how many sent."""
    return mail.send_due()
