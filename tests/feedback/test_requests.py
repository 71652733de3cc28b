from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from tandem.core import reminders
from tandem.feedback import services
from tandem.feedback.models import AskStatus, FeedbackAsk, FeedbackRequest, Visibility
from tandem.notifications.inbox import inbox_for
from tandem.notifications.models import Notification
from tandem.org.models import PersonStatus
from tests.factories import PersonFactory
from tests.feedback.factories import FeedbackAskFactory, FeedbackRequestFactory

pytestmark = pytest.mark.django_db


def ask(cast, **overrides):  # type: ignore[no-untyped-def]
    fields = {
        "by": cast.recipient,
        "subject": cast.recipient,
        "asked": [cast.giver, cast.peer],
        "visibility": Visibility.PRIVATE,
        "questions": "What should I change?",
        "due_date": timezone.localdate() + timedelta(days=7),
        **overrides,
    }
    return services.create_feedback_request(**fields)


def test_asking_colleagues_notifies_each_of_them_once(cast):
    request = ask(cast)
    assert request.asks.count() == 2
    notified = Notification.objects.filter(kind="feedback.request")
    assert sorted(notified.values_list("person_id", flat=True)) == sorted(
        [cast.giver.pk, cast.peer.pk]
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"asked": []}, "asked"),
        ({"due_date": date(2000, 1, 1)}, "due_date"),
        ({"visibility": "nonsense"}, "visibility"),
    ],
)
def test_bad_requests_are_refused_naming_the_field(cast, overrides, field):
    with pytest.raises(ValidationError) as error:
        ask(cast, **overrides)
    assert field in error.value.message_dict
    assert not FeedbackRequest.objects.exists()


def test_asking_the_person_it_is_about_is_refused(cast):
    with pytest.raises(ValidationError) as error:
        ask(cast, asked=[cast.recipient])
    assert "ask others" in error.value.message_dict["asked"][0]


def test_asking_someone_who_left_is_refused(cast):
    leaver = PersonFactory(status=PersonStatus.LEFT)
    with pytest.raises(ValidationError):
        ask(cast, asked=[leaver])
    assert not FeedbackRequest.objects.exists()


def test_a_manager_may_ask_about_a_report(cast):
    request = ask(cast, by=cast.manager, subject=cast.recipient, asked=[cast.peer])
    assert request.subject == cast.recipient


def test_a_peer_may_not_ask_about_a_colleague(cast, client_for):
    from django.http import Http404

    with pytest.raises(Http404):
        ask(cast, by=cast.peer, subject=cast.recipient, asked=[cast.giver])


def test_the_requester_sees_who_answered_but_not_what_they_said_when_private(cast, client_for):
    request = ask(cast, by=cast.manager, subject=cast.recipient, asked=[cast.peer])
    peer_ask = request.asks.get()
    services.answer_feedback_request(by=cast.peer, ask=peer_ask, text="Private-answer-words")
    manager_page = client_for(cast.manager).get(f"/feedback/requests/{request.pk}/").text
    assert "Answered" in manager_page
    assert "Private-answer-words" not in manager_page
    assert "Read the answer" not in manager_page
    subject_page = client_for(cast.recipient).get(f"/feedback/requests/{request.pk}/").text
    assert "Read the answer" in subject_page


def test_with_the_manager_visibility_the_asking_manager_reads_the_answer(cast, client_for):
    request = ask(
        cast,
        by=cast.manager,
        subject=cast.recipient,
        asked=[cast.peer],
        visibility=Visibility.WITH_MANAGER,
    )
    feedback = services.answer_feedback_request(
        by=cast.peer, ask=request.asks.get(), text="Shared answer"
    )
    assert client_for(cast.manager).get(f"/feedback/{feedback.pk}/").status_code == 200


def test_answering_through_the_page_marks_the_ask_answered(cast, client_for):
    request = ask(cast)
    response = client_for(cast.giver).post(
        f"/feedback/requests/{request.pk}/", {"action": "answer", "text": "Keep it up"}
    )
    assert response.status_code == 302
    assert request.asks.get(person=cast.giver).status == AskStatus.ANSWERED


def test_declining_needs_a_reason_and_shows_it_to_the_requester(cast, client_for):
    request = ask(cast)
    client = client_for(cast.giver)
    empty = client.post(f"/feedback/requests/{request.pk}/", {"action": "decline", "reason": ""})
    assert "why you decline" in empty.text
    assert request.asks.get(person=cast.giver).status == AskStatus.PENDING
    client.post(
        f"/feedback/requests/{request.pk}/", {"action": "decline", "reason": "Not enough context"}
    )
    assert request.asks.get(person=cast.giver).status == AskStatus.DECLINED
    page = client_for(cast.recipient).get(f"/feedback/requests/{request.pk}/").text
    assert "Not enough context" in page


def test_someone_not_asked_cannot_answer(cast, client_for):
    request = ask(cast)
    response = client_for(cast.outsider).post(
        f"/feedback/requests/{request.pk}/", {"action": "answer", "text": "Hi"}
    )
    assert response.status_code == 404


def test_answering_twice_is_refused(cast):
    request = ask(cast)
    giver_ask = request.asks.get(person=cast.giver)
    services.answer_feedback_request(by=cast.giver, ask=giver_ask, text="Once")
    giver_ask.refresh_from_db()
    with pytest.raises(Exception):  # noqa: B017 (404: nothing left to answer)
        services.answer_feedback_request(by=cast.giver, ask=giver_ask, text="Twice")


def test_the_api_creates_a_request_and_names_bad_fields(cast, client_for):
    client = client_for(cast.recipient)
    bad = client.post(
        "/api/v1/feedback-requests",
        {"asked_ids": [], "visibility": "private"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["body", "asked_ids"]
    good = client.post(
        "/api/v1/feedback-requests",
        {"asked_ids": [cast.giver.pk], "visibility": "private"},
        content_type="application/json",
    )
    assert good.status_code == 201
    assert good.json()["asks"][0]["status"] == "pending"


def test_pending_requests_are_in_the_inbox(cast):
    ask(cast)
    titles = [item.title for item in inbox_for(cast.giver).items]
    assert any("asked for your feedback" in t for t in titles)


# --- Reminders ---------------------------------------------------------------------------------


@pytest.mark.dates
def test_a_reminder_goes_once_shortly_before_the_due_date(db):
    today = date(2026, 3, 10)
    due_soon = FeedbackAskFactory(
        request=FeedbackRequestFactory(due_date=today + timedelta(days=2))
    )
    FeedbackAskFactory(request=FeedbackRequestFactory(due_date=today + timedelta(days=9)))
    FeedbackAskFactory(
        request=FeedbackRequestFactory(due_date=today + timedelta(days=1)),
        status=AskStatus.ANSWERED,
    )
    assert services.send_request_reminders(today) == 1
    assert services.send_request_reminders(today) == 0
    assert services.send_request_reminders(today + timedelta(days=1)) == 0
    sent = Notification.objects.filter(kind="feedback.request_reminder")
    assert list(sent.values_list("person_id", flat=True)) == [due_soon.person_id]


@pytest.mark.dates
def test_a_reminder_about_the_askers_own_request_names_them_once(db):
    today = date(2026, 3, 10)
    requester = PersonFactory(first_name="Vaishnavi", last_name="Toor")
    FeedbackAskFactory(
        request=FeedbackRequestFactory(requester=requester, due_date=date(2026, 3, 12))
    )
    services.send_request_reminders(today)
    sent = Notification.objects.get(kind="feedback.request_reminder")
    assert sent.body.startswith(
        "Vaishnavi Toor asked for your feedback about them, due 12 Mar 2026."
    )


# The command runs for the real today, so today is pinned to a Wednesday: on the program's
# check-in weekday (Friday) the check-in reminder would send too.
@pytest.mark.time_machine(datetime(2026, 3, 11, 12, 0, tzinfo=UTC))
@pytest.mark.dates
def test_send_reminders_runs_every_registered_reminder(db):
    today = timezone.localdate()
    FeedbackAskFactory(request=FeedbackRequestFactory(due_date=today + timedelta(days=1)))
    assert services.send_request_reminders in reminders.REMINDERS
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "1 reminders sent" in out.getvalue()
    call_command("send_reminders", stdout=out)
    assert Notification.objects.filter(kind="feedback.request_reminder").count() == 1


@pytest.mark.dates
def test_the_reminder_task_runs_them_for_a_periodic_runner(db):
    today = date(2026, 3, 10)
    FeedbackAskFactory(request=FeedbackRequestFactory(due_date=today))
    result = reminders.run_reminders.enqueue(today.isoformat())
    assert result.return_value == 1


def test_the_command_refuses_a_malformed_day(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", today="tomorrow")


def test_registering_a_reminder_twice_keeps_one(db):
    before = list(reminders.REMINDERS)
    reminders.register(services.send_request_reminders)
    assert before == reminders.REMINDERS


def test_asks_of_a_request_default_to_pending(db):
    assert FeedbackAskFactory().status == AskStatus.PENDING
    assert FeedbackAsk.objects.count() == 1
