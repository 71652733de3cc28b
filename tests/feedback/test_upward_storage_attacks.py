"""Anonymous upward feedback attacked from the database tables alone, with the code and
every key the code and the settings can derive: no author is recoverable — not by
recomputing markers, not by ordering rows by any column (SQLite's hidden rowid included),
not by joining audit rows by id or time, not from when the release or its notification
happened (docs/anonymity.md)."""

from __future__ import annotations

import hashlib
import hmac
import random
import uuid
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.crypto import salted_hmac

from tandem.audit.models import AuditEvent
from tandem.core import anonymity
from tandem.feedback import queries, services
from tandem.feedback.models import UpwardBatch, UpwardFeedback, UpwardMarker
from tandem.notifications.models import Notification
from tandem.program.models import Program
from tandem.settings import _DEV_SECRET
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

ENV_KEY = "an-operator-given-anonymity-key-0123456789-abcdefghij"
DAY = date(2026, 3, 11)  # a Wednesday
WRITERS = 8


@pytest.fixture
def env_key(settings):  # type: ignore[no-untyped-def]
    """The key given in the environment (TANDEM_ANONYMITY_KEY): not in any table."""
    settings.ANONYMITY_KEY = ENV_KEY
    return ENV_KEY


@pytest.fixture
def team(db):  # type: ignore[no-untyped-def]
    program = Program.load()
    program.anonymity_minimum = WRITERS + 1  # nobody released: every marker stays
    program.upward_feedback_window_days = 90
    program.save()
    manager = PersonFactory()
    reports = [PersonFactory(manager=manager) for _ in range(WRITERS)]
    # They write in an order unrelated to their ids (a seeded shuffle of the test's own).
    random.Random(20260311).shuffle(reports)
    return manager, reports


def _write_one_per_hour(reports, *, start_hour=9):  # type: ignore[no-untyped-def]
    """Each report gives someone named feedback (an audited, timestamped act), then writes
    upward feedback, an hour after the one before: the order of writing is known."""
    for hour, person in enumerate(reports):
        moment = datetime(2026, 3, 11, start_hour + hour, 7, tzinfo=timezone.get_default_timezone())
        with time_machine.travel(moment, tick=False):
            services.give_feedback(
                by=person,
                recipient=reports[0] if person != reports[0] else reports[1],
                text="Named feedback",
                visibility="private",
            )
            services.write_upward_feedback(by=person, text=f"WROTE-{person.pk}", today=DAY)


def _candidate_keys() -> list[bytes]:
    """Every key an attacker with the code, the settings and the tables can derive: the
    secret key (this one and the development constant), the old salted derivation, their
    hashes, the empty key. (The anonymity key itself is never in a table.)"""
    secrets = [settings.SECRET_KEY, _DEV_SECRET, ""]
    keys: list[bytes] = []
    for secret in secrets:
        raw = secret.encode()
        keys += [raw, hashlib.sha256(raw).digest()]
        keys.append(
            salted_hmac(
                "tandem.feedback.upward", "upward-marker-key", secret=secret, algorithm="sha256"
            ).digest()
        )
        keys.append(hashlib.sha256(b"tandem-anonymity-key\x00" + raw).digest())
    return keys


def _digests(key: bytes, author: int, manager: int, window: date, round_: int) -> set[str]:
    """The marker under `key`, by the old scheme and by the current one."""
    message_old = f"{author}:{manager}:{window.isoformat()}:{round_}".encode()
    derived = hmac.new(key, b"tandem:upward-feedback-marker", hashlib.sha256).digest()
    message_new = "\x1f".join(map(str, (author, manager, window.isoformat(), round_))).encode()
    return {
        hmac.new(key, message_old, hashlib.sha256).hexdigest(),
        hmac.new(key, message_new, hashlib.sha256).hexdigest(),
        hmac.new(derived, message_new, hashlib.sha256).hexdigest(),
    }


@pytest.fixture(params=["generated", "environment"])
def key_source(request, settings, tmp_path):  # type: ignore[no-untyped-def]
    """Both ways a deployment gets its key: generated into a file of the server's own, or
    given in the environment."""
    settings.ANONYMITY_KEY_PATH = tmp_path / "anonymity.key"
    settings.ANONYMITY_KEY = ENV_KEY if request.param == "environment" else ""
    anonymity.forget_key()
    yield request.param
    anonymity.forget_key()


def test_no_marker_can_be_recomputed_from_the_code_the_settings_or_the_tables(key_source, team):
    manager, reports = team
    _write_one_per_hour(reports)
    markers = set(UpwardMarker.objects.values_list("digest", flat=True))
    assert len(markers) == WRITERS
    window = UpwardMarker.objects.values_list("window_start", flat=True).first()
    assert window is not None
    for key in _candidate_keys():
        for person in [manager, *reports]:
            for round_ in range(3):
                found = _digests(key, person.pk, manager.pk, window, round_) & markers
                assert not found, f"the marker of {person} is recomputed"


def test_the_marker_key_is_random_per_installation_and_never_the_secret_key(settings, tmp_path):
    settings.ANONYMITY_KEY = ""
    settings.ANONYMITY_KEY_PATH = tmp_path / "first" / "anonymity.key"
    anonymity.forget_key()
    first = anonymity.key()
    assert first not in _candidate_keys()  # not derivable from the settings or the code
    assert settings.ANONYMITY_KEY_PATH.stat().st_mode & 0o077 == 0, "readable by its owner only"
    settings.ANONYMITY_KEY_PATH = tmp_path / "second" / "anonymity.key"
    anonymity.forget_key()
    assert anonymity.key() != first, "a new installation generates a new key"
    anonymity.forget_key()


def test_the_anonymity_key_is_kept_in_no_table(settings, tmp_path, team):
    settings.ANONYMITY_KEY = ""
    settings.ANONYMITY_KEY_PATH = tmp_path / "anonymity.key"
    anonymity.forget_key()
    _write_one_per_hour(team[1])
    secret = settings.ANONYMITY_KEY_PATH.read_text().strip()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            assert secret not in repr(cursor.fetchall()), f"the key is stored in {table}"
    anonymity.forget_key()


def _rowids(model) -> list[uuid.UUID]:  # type: ignore[no-untyped-def]
    """Rows in the order of SQLite's hidden rowid (the order they sit in the table); on
    PostgreSQL, the physical order (ctid)."""
    table = model._meta.db_table
    column = "rowid" if connection.vendor == "sqlite" else "ctid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} ORDER BY {column}")  # noqa: S608 (table name from the model)
        return [uuid.UUID(str(row[0])) for row in cursor.fetchall()]


def test_ordering_rows_by_any_column_does_not_give_the_order_of_writing(env_key, team):
    manager, reports = team
    _write_one_per_hour(reports)
    written = [p.pk for p in reports]
    # Messages: who wrote each is in its text (the test's knowledge, not the attacker's).
    by_id = {m.id: int(m.text.removeprefix("WROTE-")) for m in UpwardFeedback.objects.all()}
    # Markers: the test knows the key, so it knows whose marker is whose.
    window = UpwardMarker.objects.values_list("window_start", flat=True).first()
    whose = {
        queries.marker_digest(
            author_id=p.pk, manager_id=manager.pk, window_start=window, round_=0
        ): p.pk
        for p in reports
    }
    markers = {m.id: whose[m.digest] for m in UpwardMarker.objects.all()}
    orders = []
    for field in ("id", "manager", "window_start", "text", "batch"):
        orders.append(
            [
                by_id[pk]
                for pk in UpwardFeedback.objects.order_by(field, "id").values_list("id", flat=True)
            ]
        )
    orders.append([by_id[pk] for pk in _rowids(UpwardFeedback)])
    for field in ("id", "digest", "manager", "window_start", "round"):
        orders.append(
            [
                markers[pk]
                for pk in UpwardMarker.objects.order_by(field, "id").values_list("id", flat=True)
            ]
        )
    orders.append([markers[pk] for pk in _rowids(UpwardMarker)])
    for order in orders:
        assert order not in (written, written[::-1]), "rows keep the order of writing"


def test_audit_rows_cannot_be_joined_to_a_writer_by_id_or_time(env_key, team):
    manager, reports = team
    _write_one_per_hour(reports)
    assert not AuditEvent.objects.filter(kind__contains="upward").exists()
    named = list(AuditEvent.objects.filter(kind="feedback.give").order_by("pk"))
    assert len(named) == WRITERS
    with time_machine.travel(datetime(2026, 3, 12, 6, 0, tzinfo=timezone.get_default_timezone())):
        services.release_upward_feedback(DAY + timedelta(days=1))
        from tandem.audit.services import flush_anonymous

        flush_anonymous(DAY + timedelta(days=120))
    [tally] = AuditEvent.objects.filter(kind="feedback.upward_write")
    # Its id comes after every named row of the day (written by the daily run), and its time
    # is the window's first day at midnight, before all of them: neither falls between the
    # rows of two writers.
    assert tally.pk > max(e.pk for e in named)
    assert tally.at < min(e.at for e in named) and tally.at.time() == datetime.min.time()
    assert tally.actor_id is None and tally.ip_address is None and tally.subject_id is None
    assert tally.changes["count"] == WRITERS


def test_the_release_and_its_notification_carry_the_daily_run_not_the_last_write(team):
    manager, reports = team
    program = Program.load()
    program.anonymity_minimum = 5
    program.save()
    _write_one_per_hour(reports[:5], start_hour=9)
    last_write = datetime(2026, 3, 11, 13, 7, tzinfo=timezone.get_default_timezone())
    assert not UpwardBatch.objects.exists()
    run = datetime(2026, 3, 13, 6, 30, tzinfo=timezone.get_default_timezone())
    with time_machine.travel(run, tick=False):
        services.release_upward_feedback(run.date())
    batch = UpwardBatch.objects.get()
    assert batch.released_on == run.date()
    note = Notification.objects.get(kind="feedback.upward_released")
    assert note.created_at == run and note.created_at != last_write
    release = AuditEvent.objects.get(kind="upward.release")
    assert release.at == run
    assert not UpwardMarker.objects.filter(round=0).exists(), "a released round keeps no markers"
