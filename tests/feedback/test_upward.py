"""Anonymous upward feedback: no link from a message to its author anywhere — not for the
manager, HR, the API, nor in a dump of every table — and release only as a batch, by the
daily run, once the anonymity minimum of different people wrote within the window."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import serializers
from django.core.exceptions import ValidationError
from django_tasks_db.models import DBTaskResult

from tandem.audit.context import origin
from tandem.audit.models import AuditEvent
from tandem.audit.services import flush_anonymous
from tandem.feedback import queries, services
from tandem.feedback.models import UpwardBatch, UpwardFeedback, UpwardMarker
from tandem.notifications.models import Notification
from tandem.org.models import Person
from tests.factories import PersonFactory, hr_admin

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

TODAY = date(2026, 3, 11)  # a Wednesday
WINDOW_START = date(2025, 12, 21)  # the 90-day window holding TODAY (counted from 1 Jan 2024)
# For tests that write through the page, which writes on the viewer's today (their zone, not
# UTC: late on the Sunday before a window starts the two are in different windows).
AT_TODAY = pytest.mark.time_machine(datetime.combine(TODAY, time(12), tzinfo=UTC))


@pytest.fixture
def team(program):  # type: ignore[no-untyped-def]
    program.anonymity_minimum = 5
    program.upward_feedback_window_days = 90
    program.save()
    manager = PersonFactory(first_name="Mila", last_name="Boss", email="mila@example.com")
    reports = [PersonFactory(manager=manager, email=f"report{i}@example.com") for i in range(6)]
    return manager, reports


def write(person, text, today=TODAY):  # type: ignore[no-untyped-def]
    services.write_upward_feedback(by=person, text=text, today=today)


def release(today=TODAY):  # type: ignore[no-untyped-def]
    """The daily run (`tandem send-reminders`), the day after."""
    return services.release_upward_feedback(today + timedelta(days=1))


def test_one_below_the_minimum_releases_nothing(team, client_for):
    manager, reports = team
    for i, person in enumerate(reports[:4]):
        write(person, f"Message {i}")
    release()
    assert not UpwardBatch.objects.exists()
    assert queries.released_batches(manager) == []
    assert client_for(manager).get("/api/v1/upward-feedback/batches").json() == []
    assert "Message 0" not in client_for(manager).get("/feedback/upward/").text


def test_exactly_the_minimum_of_different_people_releases_one_batch(
    team, client_for, django_capture_on_commit_callbacks
):
    manager, reports = team
    with django_capture_on_commit_callbacks(execute=True):
        for i, person in enumerate(reports[:5]):
            write(person, f"Message {i}")
        assert not UpwardBatch.objects.exists(), "the fifth write releases nothing by itself"
        release()
    batch = UpwardBatch.objects.get()
    assert batch.released_on == TODAY + timedelta(days=1)
    assert sorted(batch.messages.values_list("text", flat=True)) == [
        f"Message {i}" for i in range(5)
    ]
    assert Notification.objects.filter(person=manager, kind="feedback.upward_released").count() == 1
    page = client_for(manager).get("/feedback/upward/").text
    assert all(f"Message {i}" in page for i in range(5))


def test_the_same_person_writing_twice_counts_once(team):
    manager, reports = team
    for person in [*reports[:4], reports[0]]:
        write(person, "Again")
    assert not UpwardBatch.objects.exists()
    assert UpwardMarker.objects.count() == 4
    assert UpwardFeedback.objects.count() == 5


def test_writers_in_different_windows_are_not_added_together(team):
    manager, reports = team
    for person in reports[:3]:
        write(person, "Early", today=date(2026, 1, 5))
    for person in reports[3:5]:
        write(person, "Late", today=date(2026, 6, 3))
    assert not UpwardBatch.objects.exists()


def test_a_batch_shows_no_dates_finer_than_the_window_and_no_count(team, client_for):
    manager, reports = team
    for i, person in enumerate(reports[:5]):
        write(person, f"Message {i}")
    release()
    [batch] = client_for(manager).get("/api/v1/upward-feedback/batches").json()
    assert set(batch) == {"window_start", "window_last_day", "texts"}
    page = client_for(manager).get("/feedback/upward/").text
    assert "5 people" not in page and "5 messages" not in page
    assert TODAY.strftime("%-d %b %Y") not in page


def test_messages_written_after_a_release_wait_for_the_next_five_people(team):
    manager, reports = team
    extra = [PersonFactory(manager=manager) for _ in range(4)]
    for person in reports[:5]:
        write(person, "First round")
    release()
    for person in [reports[5], *extra[:3]]:
        write(person, "Second round")
    release()
    assert UpwardBatch.objects.count() == 1
    write(extra[3], "Second round")
    release()
    assert UpwardBatch.objects.count() == 2


def test_the_stored_message_has_no_author_no_time_and_no_address(team):
    assert {f.name for f in UpwardFeedback._meta.get_fields()} == {
        "id",
        "manager",
        "window_start",
        "text",
        "batch",
    }
    _, reports = team
    write(reports[0], "Hello")
    message = UpwardFeedback.objects.get()
    assert message.window_start == WINDOW_START
    assert message.id.version == 4


def test_messages_written_in_different_weeks_of_a_window_carry_the_same_date(team):
    _, reports = team
    write(reports[0], "Early in the window", today=WINDOW_START + timedelta(days=7))
    write(reports[1], "Later in the window", today=WINDOW_START + timedelta(days=80))
    assert set(UpwardFeedback.objects.values_list("window_start", flat=True)) == {WINDOW_START}


def test_the_markers_hold_no_author_no_text_and_no_link_to_a_message():
    fields = {f.name for f in UpwardMarker._meta.get_fields()}
    assert fields == {"id", "digest", "manager", "window_start", "round"}


def test_a_marker_is_a_keyed_digest_that_does_not_contain_the_author(team):
    manager, reports = team
    write(reports[0], "Hello")
    marker = UpwardMarker.objects.get()
    expected = queries.marker_digest(
        author_id=reports[0].pk, manager_id=manager.pk, window_start=WINDOW_START, round_=0
    )
    assert marker.digest == expected and len(marker.digest) == 64
    unkeyed = hashlib.sha256(f"{reports[0].pk}:{manager.pk}:{WINDOW_START}:0".encode())
    assert marker.digest != unkeyed.hexdigest()


def test_the_digest_follows_the_anonymity_key_not_the_secret_key(team, settings):
    manager, reports = team
    args = {"author_id": reports[0].pk, "manager_id": manager.pk, "window_start": WINDOW_START}
    before = queries.marker_digest(**args, round_=0)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert queries.marker_digest(**args, round_=0) == before
    settings.ANONYMITY_KEY = "another-anonymity-key-for-this-test-only-0123456789"
    assert queries.marker_digest(**args, round_=0) != before


def test_different_writers_get_different_markers(team):
    _, reports = team
    for person in reports[:3]:
        write(person, "Hello")
    assert UpwardMarker.objects.values("digest").distinct().count() == 3


def test_the_writer_is_told_they_already_wrote_in_this_window(team, client_for):
    _, reports = team
    client = client_for(reports[0])
    assert "already written" not in client.get("/feedback/upward/").text
    response = client.post("/feedback/upward/", {"text": "Through the page"}, follow=True)
    assert "already written in this window" in response.text
    assert "already written" not in client_for(reports[1]).get("/feedback/upward/").text


@AT_TODAY
def test_the_audit_record_of_a_write_names_nobody_and_keeps_only_the_window(team, client_for):
    manager, reports = team
    client_for(reports[0]).post("/feedback/upward/", {"text": "Audit-secret words"})
    assert not AuditEvent.objects.filter(kind="feedback.upward_write").exists(), (
        "no row of the trail is written at the moment of the write"
    )
    flush_anonymous(TODAY + timedelta(days=1))
    event = AuditEvent.objects.get(kind="feedback.upward_write")
    message = UpwardFeedback.objects.get()
    dumped = serializers.serialize("json", [event])
    assert "Audit-secret" not in dumped
    assert str(message.id) not in dumped
    assert event.actor is None and event.actor_label == "anonymous"
    assert event.ip_address is None
    assert event.at == datetime.combine(WINDOW_START, time.min, tzinfo=UTC)
    assert event.object_id == "" and event.subject_id is None
    assert event.changes == {"count": 1, "day": WINDOW_START.isoformat()}
    assert manager.email not in dumped and reports[0].email not in dumped


def test_the_release_keeps_no_trace_of_the_last_writers_request(
    team, django_capture_on_commit_callbacks
):
    manager, reports = team
    with django_capture_on_commit_callbacks(execute=True):
        for person in reports[:5]:
            with origin("203.0.113.9", "web"):
                write(person, "Hello")
        release()
    released = AuditEvent.objects.get(kind="upward.release")
    assert released.ip_address is None and released.actor is None
    assert not AuditEvent.objects.filter(ip_address="203.0.113.9").exists()
    notification = Notification.objects.get(kind="feedback.upward_released")
    batch = UpwardBatch.objects.get()
    assert notification.dedupe_key == f"feedback.upward_released:{batch.pk}"


def _rows(model):  # type: ignore[no-untyped-def]
    """Every row of a table as (fields, text): JSON-serialized, sessions decoded."""
    for row in model._default_manager.all().iterator():
        dumped = serializers.serialize("json", [row])
        fields = json.loads(dumped)[0]["fields"]
        if isinstance(row, Session):
            dumped += json.dumps(row.get_decoded(), default=str)
        yield fields, dumped


def _references(model, fields, text, person):  # type: ignore[no-untyped-def]
    """Whether a row points at `person`: a foreign key to them, or their e-mail, name or id
    in its text (for sessions, JSON and label columns)."""
    for field in model._meta.concrete_fields:
        if (
            field.is_relation
            and field.related_model is Person
            and fields.get(field.name) == (person.pk)
        ):
            return True
    if model is Person and text and f'"pk": {person.pk},' in text:
        return True
    marks = (person.email, person.display_name, f'"_auth_user_id": "{person.pk}"')
    return any(mark in text for mark in marks)


@AT_TODAY
def test_a_database_dump_cannot_tie_a_message_to_its_author(
    team, client_for, settings, django_capture_on_commit_callbacks
):
    """Dump every table (auto-created many-to-many tables, the task queue and the audit
    trail included) after a released batch and after a window where the author is the only
    one who wrote: nothing that holds a message, or anything about upward feedback, names
    the author; nothing that names the author mentions upward feedback or the window."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    manager, reports = team
    author = reports[2]
    secret = "Dump-secret: the roadmap meetings run long"
    alone = "Alone-secret: nobody else wrote this window"
    today = TODAY  # what the page writes on (pinned)
    with django_capture_on_commit_callbacks(execute=True):
        for i, person in enumerate(reports[:5]):
            if person == author:
                client_for(author).post("/feedback/upward/", {"text": secret}, follow=True)
            else:
                write(person, f"Other message {i}", today=today)
        release(today)
        # The next window: only the author writes, so the waiting pool is theirs alone.
        later = queries.window_of(today, 90)[1] + timedelta(days=10)
        write(author, alone, today=later)
        client_for(author).get("/feedback/upward/")
        flush_anonymous(later + timedelta(days=1))
    client_for(manager).get("/feedback/upward/")  # the manager reads the batch
    assert UpwardBatch.objects.count() == 1
    assert Notification.objects.filter(kind="feedback.upward_released").exists()
    assert DBTaskResult.objects.exists(), "the release e-mail is queued in the database"

    message_ids = {str(i) for i in UpwardFeedback.objects.values_list("id", flat=True)}
    windows = {d.isoformat() for d in UpwardFeedback.objects.values_list("window_start", flat=True)}
    upward_tables = {UpwardFeedback, UpwardMarker, UpwardBatch}
    holding_text = 0
    # Unmanaged models have no table of their own (django-rq's admin stand-in).
    models = {
        model for model in apps.get_models(include_auto_created=True) if model._meta.managed
    } | {DBTaskResult, AuditEvent}
    for model in models:
        for fields, text in _rows(model):
            about_upward = (
                model in upward_tables
                or "upward" in text.lower()
                or any(message_id in text for message_id in message_ids)
            )
            names_author = _references(model, fields, text, author)
            if "Dump-secret" in text or "Alone-secret" in text:
                holding_text += 1
                assert model is UpwardFeedback, f"{model.__name__} holds a message"
                assert set(fields) == {"manager", "window_start", "text", "batch"}
            assert not (about_upward and names_author), (
                f"{model.__name__} ties the author to upward feedback: {text}"
            )
            if names_author:
                assert not any(window in text for window in windows), (
                    f"{model.__name__} pairs the author with a window: {text}"
                )
    assert holding_text == 2
    for event in AuditEvent.objects.filter(kind="feedback.upward_write"):
        assert event.actor_id is None and event.ip_address is None
        assert event.at.time() == time.min


def test_neither_hr_nor_the_api_nor_the_manager_can_tell_who_wrote(team, client_for):
    manager, reports = team
    for i, person in enumerate(reports[:5]):
        write(person, f"Message {i}")
    release()
    hr = hr_admin()
    for viewer in (manager, hr):
        text = client_for(viewer).get("/feedback/upward/").text
        assert all(p.display_name not in text for p in reports)
    assert client_for(hr).get("/api/v1/upward-feedback/batches").json() == []
    batch = client_for(manager).get("/api/v1/upward-feedback/batches").json()[0]
    assert set(batch) == {"window_start", "window_last_day", "texts"}
    assert sorted(batch["texts"]) == [f"Message {i}" for i in range(5)]
    assert not any(p.email in json.dumps(batch) for p in reports)


def test_writing_through_the_api_returns_nothing_to_refer_back_to(team, client_for):
    _, reports = team
    response = client_for(reports[0]).post(
        "/api/v1/upward-feedback", {"text": "Via the API"}, content_type="application/json"
    )
    assert response.status_code == 202
    assert set(response.json()) == {"detail"}


def test_writing_is_refused_when_the_company_switched_it_off(team, program):
    program.upward_feedback_enabled = False
    program.save()
    _, reports = team
    with pytest.raises(ValidationError) as error:
        write(reports[0], "Hello")
    assert "upward_feedback_enabled" in error.value.message_dict["text"][0]
    assert not UpwardFeedback.objects.exists()


def test_someone_without_a_manager_is_told_there_is_nobody_to_write_to(team):
    manager, _ = team
    with pytest.raises(ValidationError) as error:
        write(manager, "Hello")
    assert "manager" in error.value.message_dict
    assert not UpwardFeedback.objects.exists()


@pytest.mark.parametrize("text", ["", "x" * 5001])
def test_empty_or_oversized_upward_text_is_refused(team, text):
    _, reports = team
    with pytest.raises(ValidationError) as error:
        write(reports[0], text)
    assert "text" in error.value.message_dict
    assert not UpwardFeedback.objects.exists() and not UpwardMarker.objects.exists()


def test_the_waiting_pool_is_reinserted_so_keys_do_not_follow_the_order_of_writing(team):
    _, reports = team
    write(reports[0], "first")
    first_id = UpwardFeedback.objects.get().id
    write(reports[1], "second")
    assert first_id not in set(UpwardFeedback.objects.values_list("id", flat=True))
