"""Large exports are prepared in the background: the threshold switch, the file equal to the
immediate export's, the notification, who may download it, the expiry clean-up."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tandem.audit.models import AuditEvent
from tandem.core.reminders import run_all
from tandem.exports import services
from tandem.exports.models import Export, ExportStatus
from tandem.notifications.models import Notification
from tandem.reviews import scores
from tandem.reviews.models import Relationship
from tests.factories import PersonFactory, hr_admin, it_admin
from tests.goals.factories import GoalFactory, PeriodFactory
from tests.reviews.factories import review_of, running_cycle
from tests.reviews.running_helpers import submit

pytestmark = pytest.mark.django_db

GOAL_TITLE = "Background-export goal"


@pytest.fixture(autouse=True)
def _small_threshold(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.EXPORT_BACKGROUND_ROWS = 2
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


@pytest.fixture
def period():  # type: ignore[no-untyped-def]
    return PeriodFactory()


@pytest.fixture
def admin():  # type: ignore[no-untyped-def]
    return hr_admin()


def _goals(period: Any, n: int) -> None:
    for i in range(n):
        GoalFactory(owner=PersonFactory(), period=period, title=f"{GOAL_TITLE} {i}")


def _cells(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _prepare(client: Client, url: str, capture: Any) -> Any:
    with capture(execute=True):
        return client.post(url)


def _ready_export(client, period, capture) -> Export:  # type: ignore[no-untyped-def]
    _prepare(client, reverse("goals:export_xlsx") + f"?period={period.pk}", capture)
    return Export.objects.get()


# --- The switch ------------------------------------------------------------------------------


def test_a_small_xlsx_export_is_sent_at_once(client_for, admin, period):
    _goals(period, 2)
    response = client_for(admin).get(reverse("goals:export_xlsx") + f"?period={period.pk}")
    assert response.streaming
    assert len(_cells(b"".join(response.streaming_content))) == 3
    assert not Export.objects.exists()


def test_a_large_xlsx_export_is_offered_for_the_background_and_nothing_is_queued_by_a_get(
    client_for, admin, period
):
    _goals(period, 3)
    response = client_for(admin).get(reverse("goals:export_xlsx") + f"?period={period.pk}")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Prepare the export" in text and "3 rows" in text
    assert not Export.objects.exists()


def test_a_large_csv_export_still_streams_at_once(client_for, admin, period):
    _goals(period, 3)
    response = client_for(admin).get(reverse("goals:export_csv") + f"?period={period.pk}")
    assert response.streaming
    assert not Export.objects.exists()


def test_preparing_a_large_export_queues_it_and_says_so(
    client_for, admin, period, django_capture_on_commit_callbacks
):
    _goals(period, 3)
    url = reverse("goals:export_xlsx") + f"?period={period.pk}"
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client_for(admin).post(url)
    assert "Your export is being prepared" in response.content.decode()
    export = Export.objects.get()
    assert (export.requester, export.status, export.format) == (admin, "queued", "xlsx")
    assert export.params["period"] == period.pk
    assert len(queued) == 1
    assert AuditEvent.objects.filter(kind="export.request", object_id=str(export.pk)).exists()


def test_asking_twice_while_it_is_prepared_queues_it_once(
    client_for, admin, period, django_capture_on_commit_callbacks
):
    _goals(period, 3)
    client = client_for(admin)
    url = reverse("goals:export_xlsx") + f"?period={period.pk}"
    with django_capture_on_commit_callbacks(execute=False):
        client.post(url)
        client.post(url)
    assert Export.objects.count() == 1


# --- The file, the notification ------------------------------------------------------------


def test_the_prepared_file_holds_the_same_cells_as_the_immediate_export(
    client_for, admin, period, settings, django_capture_on_commit_callbacks
):
    _goals(period, 3)
    client = client_for(admin)
    export = _ready_export(client, period, django_capture_on_commit_callbacks)
    assert export.status == ExportStatus.READY
    with default_storage.open(export.stored_name, "rb") as handle:
        prepared = _cells(handle.read())
    settings.EXPORT_BACKGROUND_ROWS = 1000
    immediate = client.get(reverse("goals:export_xlsx") + f"?period={period.pk}")
    assert prepared == _cells(b"".join(immediate.streaming_content))
    assert (export.rows, export.size) == (3, default_storage.size(export.stored_name))


def test_the_stored_file_name_is_unguessable(
    client_for, admin, period, django_capture_on_commit_callbacks
):
    _goals(period, 3)
    export = _ready_export(client_for(admin), period, django_capture_on_commit_callbacks)
    stem = export.stored_name.removeprefix("exports/").removesuffix(".xlsx")
    assert len(stem) >= 40


def test_the_requester_is_notified_with_a_link_to_the_download(
    client_for, admin, period, django_capture_on_commit_callbacks
):
    _goals(period, 3)
    export = _ready_export(client_for(admin), period, django_capture_on_commit_callbacks)
    notification = Notification.objects.get(person=admin, kind="exports.ready")
    assert "is ready" in notification.title
    assert notification.url == reverse("exports:download", args=[export.pk])


def test_the_review_results_are_prepared_with_the_same_rows_as_the_immediate_export(
    client_for, admin, settings, django_capture_on_commit_callbacks
):
    boss = PersonFactory()
    people = [boss, *(PersonFactory(manager=boss) for _ in range(3))]
    cycle = running_cycle(people)
    for person in people[1:]:
        submit(review_of(cycle, person, Relationship.MANAGER), {"q1": 4}, comments={"q1": "Good."})
    scores.refresh_cycle(cycle)
    client = client_for(admin)
    url = reverse("reviews:export_results_xlsx", args=[cycle.pk])
    _prepare(client, url, django_capture_on_commit_callbacks)
    export = Export.objects.get()
    with default_storage.open(export.stored_name, "rb") as handle:
        prepared = _cells(handle.read())
    settings.EXPORT_BACKGROUND_ROWS = 1000
    assert prepared == _cells(b"".join(client.get(url).streaming_content))
    assert len(prepared) == 5


def test_someone_without_the_right_when_the_task_runs_gets_nothing(
    admin, django_capture_on_commit_callbacks
):
    # The check is the feature's own, run as the requester when the export is built: an
    # employee who asks for a cycle's results (by hand, past the page) gets no file.
    employee = PersonFactory()
    cycle = running_cycle([PersonFactory(), employee])
    with django_capture_on_commit_callbacks(execute=True):
        services.request_export(
            by=employee,
            source="reviews.cycle",
            format="xlsx",
            params={"cycle": cycle.pk, "what": "results", "tz": "Europe/Berlin"},
            title="Results",
            filename="results.xlsx",
            rows=2,
        )
    export = Export.objects.get()
    assert (export.status, export.stored_name) == (ExportStatus.DENIED, "")
    assert "was not made" in Notification.objects.get(person=employee).title


def test_someone_who_left_before_the_task_ran_gets_nothing(
    client_for, admin, period, django_capture_on_commit_callbacks
):
    _goals(period, 3)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client_for(admin).post(reverse("goals:export_xlsx") + f"?period={period.pk}")
    admin.is_active = False
    admin.save(update_fields=["is_active"])
    for callback in queued:
        callback()
    assert Export.objects.get().status == ExportStatus.DENIED


# --- The download ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("requester", 200),
        ("employee", 404),
        ("hr_admin", 404),
        ("it_admin", 404),
        ("anonymous", 302),
    ],
)
def test_only_the_requester_may_download(
    who, status, client_for, admin, period, django_capture_on_commit_callbacks
):
    _goals(period, 3)
    export = _ready_export(client_for(admin), period, django_capture_on_commit_callbacks)
    people = {
        "requester": admin,
        "employee": PersonFactory(),
        "hr_admin": hr_admin(),
        "it_admin": it_admin(),
        "anonymous": None,
    }
    response = client_for(people[who]).get(reverse("exports:download", args=[export.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment")
        assert export.filename in response["Content-Disposition"]
        assert len(_cells(b"".join(response.streaming_content))) == 4


def test_a_download_is_audited(client_for, admin, period, django_capture_on_commit_callbacks):
    _goals(period, 3)
    client = client_for(admin)
    export = _ready_export(client, period, django_capture_on_commit_callbacks)
    b"".join(client.get(reverse("exports:download", args=[export.pk])).streaming_content)
    event = AuditEvent.objects.get(kind="export.download")
    assert (event.actor, event.object_id) == (admin, str(export.pk))


@pytest.mark.parametrize("export_id", [999999, 2**63 + 5])
def test_an_unknown_export_is_not_found(client_for, admin, export_id):
    response = client_for(admin).get(f"/exports/{export_id}/download")
    assert response.status_code == 404


def test_an_export_still_being_prepared_is_not_found(
    client_for, admin, period, django_capture_on_commit_callbacks
):
    _goals(period, 3)
    client = client_for(admin)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("goals:export_xlsx") + f"?period={period.pk}")
    response = client.get(reverse("exports:download", args=[Export.objects.get().pk]))
    assert response.status_code == 404


# --- Expiry ----------------------------------------------------------------------------------


@pytest.mark.dates
def test_the_daily_job_deletes_expired_files(
    client_for, admin, period, settings, django_capture_on_commit_callbacks
):
    _goals(period, 3)
    client = client_for(admin)
    export = _ready_export(client, period, django_capture_on_commit_callbacks)
    name = export.stored_name
    with time_machine.travel(timezone.now() + timedelta(days=settings.EXPORT_KEEP_DAYS - 1)):
        run_all()
        assert default_storage.exists(name)
    with time_machine.travel(timezone.now() + timedelta(days=settings.EXPORT_KEEP_DAYS, hours=1)):
        run_all()
    export.refresh_from_db()
    assert not default_storage.exists(name)
    assert (export.status, export.stored_name) == (ExportStatus.EXPIRED, "")
    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 404


# --- My exports ------------------------------------------------------------------------------


def test_my_exports_lists_only_my_own(
    client_for, admin, period, django_capture_on_commit_callbacks
):
    _goals(period, 3)
    export = _ready_export(client_for(admin), period, django_capture_on_commit_callbacks)
    mine = client_for(admin).get(reverse("exports:list")).content.decode()
    theirs = client_for(hr_admin()).get(reverse("exports:list")).content.decode()
    assert f'data-export="{export.pk}"' in mine
    assert reverse("exports:download", args=[export.pk]) in mine
    assert f'data-export="{export.pk}"' not in theirs
    assert "No exports yet" in theirs


def test_my_exports_runs_a_fixed_number_of_queries(
    client_for, admin, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client = client_for(admin)
    for _ in range(3):
        period = PeriodFactory()
        _goals(period, 3)
        _prepare(
            client,
            reverse("goals:export_xlsx") + f"?period={period.pk}",
            django_capture_on_commit_callbacks,
        )
    with django_assert_max_num_queries(8):
        response = client.get(reverse("exports:list"))
    assert response.content.decode().count("data-export=") == 3


def test_a_csv_prepared_in_the_background_has_the_bytes_of_the_immediate_one(
    client_for, admin, period, settings, django_capture_on_commit_callbacks
):
    _goals(period, 3)
    params = {"period": period.pk, "department": None, "level": "", "people": "", "tz": "UTC"}
    with django_capture_on_commit_callbacks(execute=True):
        services.request_export(
            by=admin,
            source="goals",
            format="csv",
            params=params,
            title="Goals",
            filename="goals.csv",
            rows=3,
        )
    export = Export.objects.get()
    with default_storage.open(export.stored_name, "rb") as handle:
        prepared = handle.read()
    immediate = client_for(admin).get(reverse("goals:export_csv") + f"?period={period.pk}")
    assert prepared == b"".join(immediate.streaming_content)


@pytest.mark.dates
def test_an_export_lost_by_a_stopped_worker_is_failed_and_can_be_asked_for_again(
    client_for, admin, period, django_capture_on_commit_callbacks
):
    _goals(period, 3)
    client = client_for(admin)
    url = reverse("goals:export_xlsx") + f"?period={period.pk}"
    with django_capture_on_commit_callbacks(execute=False):
        client.post(url)
    with (
        time_machine.travel(timezone.now() + services.STALE_AFTER + timedelta(minutes=1)),
        django_capture_on_commit_callbacks(execute=False),
    ):
        client_for(admin).post(url)  # signed in again: the session timed out meanwhile
        run_all()
    assert sorted(Export.objects.values_list("status", flat=True)) == ["failed", "queued"]


def test_the_offer_page_runs_a_fixed_number_of_queries(
    client_for, admin, period, django_assert_max_num_queries
):
    client = client_for(admin)
    _goals(period, 3)
    url = reverse("goals:export_xlsx") + f"?period={period.pk}"
    with django_assert_max_num_queries(8):
        assert "Prepare the export" in client.get(url).content.decode()
    _goals(period, 20)
    with django_assert_max_num_queries(8):
        assert "23 rows" in client.get(url).content.decode()
