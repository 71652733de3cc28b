"""E-mail for real: notifications and other e-mails go through the outbox to a real SMTP
server on loopback (aiosmtpd), which may refuse (4xx, 5xx) or be down; nothing is lost and
nothing is sent twice."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import Message
from io import StringIO
from typing import Any

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone

from tandem.core import mail
from tandem.core.models import OutgoingEmail
from tandem.core.tasks import send_email
from tandem.notifications.services import notify
from tests.factories import PersonFactory

SITE = "https://tandem.example.com"


@dataclass
class Handler:
    """An SMTP server's DATA step: refuses with the queued replies first, then accepts."""

    refusals: list[str] = field(default_factory=list)
    received: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refusals:
            return self.refusals.pop(0)
        self.received.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SmtpServer:
    port: int
    handler: Handler = field(default_factory=Handler)
    controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpServer]:
    """A real SMTP server on loopback, with Tandem's SMTP settings pointing at it."""
    server = SmtpServer(port=free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Tandem at Example <tandem@example.com>"
    settings.SITE_URL = SITE
    server.start()
    yield server
    server.stop()


def later(minutes: int) -> time_machine.travel:
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=True)


def notify_by_email(django_capture_on_commit_callbacks: Any) -> OutgoingEmail:
    person = PersonFactory(email="ana@example.com", first_name="Ana")
    with django_capture_on_commit_callbacks(execute=True):
        notify(person=person, kind="mention", title="Ben mentioned you", url="/goals/")
    return OutgoingEmail.objects.get()


def parts(message: Message) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_payload(decode=True).decode()  # type: ignore[union-attr]
        for part in message.walk()
        if not part.is_multipart()
    }


def test_a_notification_arrives_as_text_and_html_from_the_configured_sender(
    smtp: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    notify_by_email(django_capture_on_commit_callbacks)

    [message] = smtp.handler.received
    assert message.get_content_type() == "multipart/alternative"
    assert message["From"] == "Tandem at Example <tandem@example.com>"
    assert message["To"] == "ana@example.com"
    assert message["Subject"] == "Ben mentioned you"
    body = parts(message)
    assert f"{SITE}/goals/" in body["text/plain"]
    assert f'href="{SITE}/goals/"' in body["text/html"]
    assert "Hello Ana," in body["text/html"]


def test_a_notification_carries_a_one_click_unsubscribe_link(
    smtp: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    notify_by_email(django_capture_on_commit_callbacks)

    [message] = smtp.handler.received
    # Long, so folded onto its own line: the unfolded value starts with that line's space.
    link = message["List-Unsubscribe"].strip()
    assert re.fullmatch(rf"<{re.escape(SITE)}/notifications/unsubscribe/[^/>]+/>", link)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_sent_email_keeps_its_message_id_and_forgets_its_body(
    smtp: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    row = notify_by_email(django_capture_on_commit_callbacks)

    [message] = smtp.handler.received
    assert message["Message-ID"] == row.message_id
    assert row.message_id.endswith("@tandem.example.com>")
    assert row.status == OutgoingEmail.Status.SENT
    assert (row.text, row.html, row.attempts) == ("", "", 1)


@pytest.mark.parametrize(
    "refusal",
    ["451 4.3.0 Mail server busy, try later", "554 5.7.1 Message refused"],
    ids=["4xx", "5xx"],
)
def test_a_refused_email_is_tried_again_after_the_back_off_and_delivered_once(
    smtp: SmtpServer, django_capture_on_commit_callbacks: Any, refusal: str
) -> None:
    smtp.handler.refusals.append(refusal)
    row = notify_by_email(django_capture_on_commit_callbacks)

    row.refresh_from_db()
    assert smtp.handler.received == []
    assert row.status == OutgoingEmail.Status.QUEUED
    assert refusal.split()[0] in row.last_error
    assert mail.send_due() == 0  # not due before the back-off
    with later(minutes=2):
        assert mail.send_due() == 1
        assert mail.send_due() == 0
    assert len(smtp.handler.received) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutgoingEmail.Status.SENT, 2)


def test_an_email_waits_while_the_server_is_down_and_goes_once_it_is_back(
    smtp: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    smtp.stop()
    row = notify_by_email(django_capture_on_commit_callbacks)
    row.refresh_from_db()
    assert row.status == OutgoingEmail.Status.QUEUED
    assert "Connection" in row.last_error

    with later(minutes=2):
        assert mail.send_due() == 0  # still down: the next try moves further out
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.next_attempt_at > timezone.now() + timedelta(minutes=4)

    smtp.start()
    with later(minutes=10):
        assert mail.send_due() == 1
        assert mail.send_due() == 0
    assert len(smtp.handler.received) == 1


def test_the_back_off_grows_to_about_a_day_then_the_email_is_given_up(
    smtp: SmtpServer, caplog: pytest.LogCaptureFixture
) -> None:
    smtp.handler.refusals.extend(["550 5.1.1 No such mailbox"] * mail.MAX_ATTEMPTS)
    row = mail.queue_email(to=["gone@example.com"], subject="Hello", text="Hi")
    minutes = 0
    for _ in range(mail.MAX_ATTEMPTS):
        with time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False):
            mail.deliver(row.pk)
        minutes += 24 * 60  # well past any back-off
    row.refresh_from_db()

    assert row.status == OutgoingEmail.Status.FAILED
    assert smtp.handler.received == []
    assert "given up after 8 attempts" in caplog.text
    assert sum(mail.BACKOFF_MINUTES) / 60 == pytest.approx(22.35, abs=0.1)


def test_an_email_being_sent_by_another_worker_is_not_sent_again(smtp: SmtpServer) -> None:
    row = mail.queue_email(to=["ana@example.com"], subject="Hello", text="Hi")
    OutgoingEmail.objects.filter(pk=row.pk).update(
        status=OutgoingEmail.Status.SENDING, claimed_at=timezone.now()
    )

    assert mail.deliver(row.pk).sent is False
    assert smtp.handler.received == []


def test_an_email_whose_worker_died_mid_send_is_sent_after_the_lease(smtp: SmtpServer) -> None:
    row = mail.queue_email(to=["ana@example.com"], subject="Hello", text="Hi")
    OutgoingEmail.objects.filter(pk=row.pk).update(
        status=OutgoingEmail.Status.SENDING, claimed_at=timezone.now()
    )

    with later(minutes=11):
        assert mail.send_due() == 1
    assert [m["Message-ID"] for m in smtp.handler.received] == [row.message_id]


def test_a_sent_email_is_never_sent_again(smtp: SmtpServer) -> None:
    row = mail.queue_email(to=["ana@example.com"], subject="Hello", text="Hi")
    assert mail.deliver(row.pk).sent is True

    with later(minutes=60 * 24):
        assert mail.deliver(row.pk).sent is False
        assert mail.send_due() == 0
    assert len(smtp.handler.received) == 1


def test_other_emails_go_through_the_outbox_too(smtp: SmtpServer) -> None:
    assert send_email.call("Reset your password", "The link: …", ["ana@example.com"]) == 1

    [message] = smtp.handler.received
    assert message["Subject"] == "Reset your password"
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_the_command_sends_every_waiting_email_at_once(smtp: SmtpServer) -> None:
    smtp.handler.refusals.append("421 4.3.2 Shutting down")
    row = mail.queue_email(to=["ana@example.com"], subject="Hello", text="Hi")
    mail.deliver(row.pk)
    out = StringIO()

    call_command("send_queued_email", "--all", stdout=out)

    assert out.getvalue().strip() == "1 sent, 0 still waiting"
    assert len(smtp.handler.received) == 1
