"""The HR upload page: upload → preview → confirm → result, and who may use it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tandem.access.rules import SYSTEM
from tandem.org.models import ImportBatch, ImportBatchStatus, Person
from tandem.org.services.people import update_person
from tests.factories import DepartmentFactory, PersonFactory, executive, hr_admin, hr_partner
from tests.org.fixtures.import_files import PNG, TEAM, csv_bytes, person_row, xlsx_bytes

pytestmark = pytest.mark.django_db
URL = "/hr/import/"


def upload(client: Any, data: bytes, name: str = "people.csv", **extra: Any) -> Any:
    return client.post(URL, {"action": "upload", "file": SimpleUploadedFile(name, data), **extra})


def confirm(client: Any, batch: ImportBatch) -> Any:
    return client.post(URL, {"action": "confirm", "batch": batch.pk})


def test_the_page_is_routed_as_org_hr_import() -> None:
    assert reverse("org:hr_import") == URL


def test_an_hr_admin_sees_the_upload_form(client_for: Any) -> None:
    response = client_for(hr_admin()).get(URL)

    assert response.status_code == 200
    assert b'type="file"' in response.content
    assert b'<label for="id_file">' in response.content


@pytest.mark.parametrize(
    "make",
    [
        PersonFactory,
        executive,
        lambda: hr_partner([DepartmentFactory()]),
    ],
)
def test_anyone_but_an_hr_admin_gets_404(client_for: Any, make: Any) -> None:
    client = client_for(make())

    assert client.get(URL).status_code == 404
    assert upload(client, csv_bytes(TEAM)).status_code == 404
    assert Person.objects.filter(employee_id="E1").count() == 0


def test_an_anonymous_visitor_is_sent_to_sign_in(client: Any) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_bad_file_shows_every_bad_row_and_changes_nothing(client_for: Any) -> None:
    rows = [
        *TEAM,
        person_row("E5", "Bad", "Mail", email="nope"),
        person_row("E6", "Late", "Start", start="31/31/2020"),
    ]

    response = upload(client_for(hr_admin()), csv_bytes(rows))

    assert response.status_code == 200
    page = response.content.decode()
    assert "people.csv was not imported: 2 problems" in page
    assert "<td>6</td><td>email</td>" in page
    assert "<td>7</td><td>start_date</td>" in page
    assert not ImportBatch.objects.exists()
    assert not Person.objects.filter(employee_id="E1").exists()


def test_a_good_file_is_previewed_then_imported_on_confirmation(client_for: Any) -> None:
    client = client_for(hr_admin())

    response = upload(client, csv_bytes(TEAM))

    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert b"Import 4 people" in preview.content
    assert b"Alan Turing (E3)" in preview.content
    assert not Person.objects.filter(employee_id="E1").exists()

    done = confirm(client, batch)

    assert done.status_code == 302
    assert Person.objects.filter(employee_id__in=["E1", "E2", "E3", "E4"]).count() == 4
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.APPLIED
    result = client.get(done["Location"])
    assert b"Imported: people.csv" in result.content


def test_an_xlsx_upload_is_previewed(client_for: Any) -> None:
    client = client_for(hr_admin())

    response = upload(client, xlsx_bytes(TEAM), name="export.xlsx")

    assert response.status_code == 302
    assert ImportBatch.objects.get().file_name == "export.xlsx"


def test_a_png_renamed_csv_is_refused(client_for: Any) -> None:
    response = upload(client_for(hr_admin()), PNG, name="people.csv")

    assert response.status_code == 200
    assert "neither a CSV file" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_over_the_size_cap_is_refused(client_for: Any, settings: Any) -> None:
    settings.IMPORT_MAX_BYTES = 100

    response = upload(client_for(hr_admin()), csv_bytes(TEAM))

    assert response.status_code == 200
    assert "the limit is" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_preview_made_stale_by_a_change_is_shown_again_before_importing(
    client_for: Any,
) -> None:
    client = client_for(hr_admin())
    alan = PersonFactory(employee_id="E3", title="Engineer")
    upload(client, csv_bytes(TEAM))
    batch = ImportBatch.objects.get()
    update_person(person=alan, by=SYSTEM, title="Researcher")

    response = confirm(client, batch)

    assert response.status_code == 200
    assert b"changed since you checked" in response.content
    alan.refresh_from_db()
    assert alan.title == "Researcher"
    assert not Person.objects.filter(employee_id="E1").exists()
    assert confirm(client, batch).status_code == 302
    alan.refresh_from_db()
    assert alan.title == "Engineer"


def test_a_preview_made_invalid_by_a_change_shows_the_errors(client_for: Any) -> None:
    client = client_for(hr_admin())
    upload(client, csv_bytes(TEAM))
    batch = ImportBatch.objects.get()
    PersonFactory(employee_id="X9", email="alan.turing@example.com")
    PersonFactory(employee_id="E3", email="someone@example.com")

    response = confirm(client, batch)

    assert response.status_code == 200
    assert "was not imported" in response.content.decode()
    assert not Person.objects.filter(employee_id="E1").exists()


def test_a_batch_is_imported_only_once(client_for: Any) -> None:
    client = client_for(hr_admin())
    upload(client, csv_bytes(TEAM))
    batch = ImportBatch.objects.get()
    confirm(client, batch)

    response = confirm(client, batch)

    assert b"already been imported" in response.content


def test_another_hr_admin_cannot_see_or_confirm_my_upload(client_for: Any) -> None:
    upload(client_for(hr_admin()), csv_bytes(TEAM))
    batch = ImportBatch.objects.get()
    other = client_for(hr_admin())

    assert other.get(f"{URL}?batch={batch.pk}").status_code == 404
    assert confirm(other, batch).status_code == 404
    assert other.get(f"{URL}?batch=nonsense").status_code == 404


def test_an_applied_upload_no_longer_keeps_the_file_bytes(client_for: Any) -> None:
    client = client_for(hr_admin())
    upload(client, csv_bytes(TEAM))
    batch = ImportBatch.objects.get()
    confirm(client, batch)
    batch.refresh_from_db()
    assert bytes(batch.content) == b""
    assert len(batch.sha256) == 64


def test_previews_nobody_confirmed_are_dropped_after_a_day(client_for: Any) -> None:
    client = client_for(hr_admin())
    upload(client, csv_bytes(TEAM))
    ImportBatch.objects.update(created_at=timezone.now() - timedelta(days=2))
    upload(client, csv_bytes(TEAM))
    assert ImportBatch.objects.count() == 1
