"""The 1:1 calendar invitation goes through the e-mail outbox (core.mail) like every other
e-mail: written first with its .ics file, handed to a real SMTP server on loopback, retried
when refused, sent once, and its body and file erased once sent."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage, Message
from typing import Any

from django.utils import timezone

from tandem.core import mail
from tandem.core.models import OutgoingEmail
from tandem.meetings import services
from tandem.meetings.calendar import series_calendar
from tandem.meetings.models import Series
from tests.core.test_outbox_smtp import SmtpServer, later, smtp  # noqa: F401 (the fixture)
from tests.meetings.factories import pair


def start_series(django_capture_on_commit_callbacks: Any) -> Series:
    manager, report = pair()
    first_start = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        return services.create_series(
            by=manager, report=report, cadence="weekly", first_start=first_start
        )


def calendar_part(message: Message) -> EmailMessage:
    assert isinstance(message, EmailMessage)
    [part] = [p for p in message.iter_attachments() if isinstance(p, EmailMessage)]
    return part


def test_the_invitation_is_delivered_from_the_outbox_with_its_calendar_file(
    smtp: SmtpServer,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    series = start_series(django_capture_on_commit_callbacks)

    [message] = smtp.handler.received
    row = OutgoingEmail.objects.get()
    assert message["Message-ID"] == row.message_id
    assert sorted(a.strip() for a in message["To"].split(",")) == sorted(
        [series.manager.email, series.report.email]
    )
    assert message["Subject"].startswith("1:1: ")
    assert message.get_content_type() == "multipart/mixed"
    part = calendar_part(message)
    assert part.get_filename() == "one-on-one.ics"
    assert part.get_content_type() == "text/calendar"
    ics = part.get_content()
    assert "METHOD:REQUEST" in ics
    assert "RRULE:FREQ=WEEKLY" in ics


def test_the_calendar_file_arrives_exactly_as_the_series_calendar_makes_it(
    smtp: SmtpServer,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    series = start_series(django_capture_on_commit_callbacks)

    [message] = smtp.handler.received
    first = series.meetings.order_by("starts_at").first()
    sent = calendar_part(message).get_payload(decode=True)
    assert sent == series_calendar(series, first=first)


def test_a_sent_invitation_forgets_its_body_and_calendar_file(
    smtp: SmtpServer,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    start_series(django_capture_on_commit_callbacks)

    row = OutgoingEmail.objects.get()
    assert row.status == OutgoingEmail.Status.SENT
    assert (row.text, row.html, row.attachments) == ("", "", [])


def test_a_refused_invitation_keeps_its_file_and_is_delivered_once_after_the_back_off(
    smtp: SmtpServer,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    smtp.handler.refusals.append("451 4.3.0 Mail server busy, try later")
    start_series(django_capture_on_commit_callbacks)

    row = OutgoingEmail.objects.get()
    assert smtp.handler.received == []
    assert row.status == OutgoingEmail.Status.QUEUED
    assert [a["filename"] for a in row.attachments] == ["one-on-one.ics"]
    with later(minutes=2):
        assert mail.send_due() == 1
        assert mail.send_due() == 0
    [message] = smtp.handler.received
    assert calendar_part(message).get_filename() == "one-on-one.ics"
    row.refresh_from_db()
    assert (row.status, row.attempts, row.attachments) == (OutgoingEmail.Status.SENT, 2, [])
