"""The HR page that imports past ratings (upload → check → import), the imported cycles'
marks on the cycle pages, and `tandem import-ratings`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from tandem.reviews.models import Cycle, RatingsImport, RatingsImportStatus, Review
from tandem.reviews.services.imports import import_ratings
from tests.factories import hr_admin
from tests.reviews.imports_helpers import csv_bytes, people, rows

pytestmark = pytest.mark.django_db
PAGE = "/reviews/admin/import/"
PAGE_BUDGET = 12


@pytest.fixture
def org() -> dict[str, Any]:
    return people()


@pytest.fixture
def hr_client(client: Client, hr: Any) -> Client:
    client.force_login(hr)
    return client


def _upload(client: Client, data: bytes, name: str = "history.csv") -> Any:
    return client.post(PAGE, {"action": "upload", "file": SimpleUploadedFile(name, data)})


def test_the_page_names_the_url_it_lives_at() -> None:
    assert reverse("reviews:ratings_import") == PAGE


def test_an_upload_is_checked_before_anything_is_imported(hr_client: Client, org: Any) -> None:
    response = _upload(hr_client, csv_bytes(rows()))
    assert response.status_code == 302
    page = hr_client.get(response["Location"]).content.decode()

    assert "1 new cycle, 4 new ratings, 0 already imported" in page
    assert "Import 4 ratings" in page
    assert not Cycle.objects.exists()


def test_confirming_a_check_imports_the_file(hr_client: Client, org: Any) -> None:
    _upload(hr_client, csv_bytes(rows()))
    upload = RatingsImport.objects.get()

    response = hr_client.post(PAGE, {"action": "confirm", "upload": upload.pk}, follow=True)

    assert "Imported: history.csv" in response.content.decode()
    assert Review.objects.count() == 4
    upload.refresh_from_db()
    assert upload.status == RatingsImportStatus.IMPORTED and bytes(upload.content) == b""


def test_a_bad_file_shows_its_rows_and_keeps_nothing(hr_client: Client, org: Any) -> None:
    records = rows()
    records[1]["rating"] = 9
    response = _upload(hr_client, csv_bytes(records))

    page = response.content.decode()
    assert response.status_code == 200
    assert "9 is outside the scale of 1 to 5." in page
    assert "<td>3</td><td>rating</td>" in page
    assert not RatingsImport.objects.exists()


def test_a_file_already_imported_has_nothing_to_import(
    hr_client: Client, hr: Any, org: Any
) -> None:
    import_ratings(by=hr, data=csv_bytes(rows()), file_name="history.csv")
    response = _upload(hr_client, csv_bytes(rows()))
    page = hr_client.get(response["Location"]).content.decode()

    assert "0 new ratings, 4 already imported" in page
    assert "nothing to import" in page


def test_another_admins_upload_is_a_404(client: Client, hr: Any, org: Any) -> None:
    _, _ = hr, org
    someone = hr_admin()
    theirs = RatingsImport.objects.create(
        created_by=someone, file_name="theirs.csv", sha256="0" * 64, content=b"x"
    )
    client.force_login(hr)

    assert client.get(f"{PAGE}?upload={theirs.pk}").status_code == 404
    assert client.post(PAGE, {"action": "confirm", "upload": theirs.pk}).status_code == 404


def test_a_manager_gets_a_404(client: Client, org: Any) -> None:
    client.force_login(org["M1"])

    assert client.get(PAGE).status_code == 404
    assert _upload(client, csv_bytes(rows())).status_code == 404
    assert not RatingsImport.objects.exists()


def test_the_check_page_reads_a_fixed_number_of_queries(
    hr_client: Client, org: Any, django_assert_max_num_queries: Any
) -> None:
    location = _upload(hr_client, csv_bytes(rows()))["Location"]
    with django_assert_max_num_queries(PAGE_BUDGET):
        assert hr_client.get(location).status_code == 200


def test_the_upload_page_reads_a_fixed_number_of_queries(
    hr_client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(PAGE_BUDGET):
        assert hr_client.get(PAGE).status_code == 200


# --- Imported cycles on the cycle pages -------------------------------------------------------


@pytest.fixture
def imported(hr: Any, org: Any) -> Cycle:
    import_ratings(by=hr, data=csv_bytes(rows()), file_name="history.csv")
    return Cycle.objects.get()


def test_hrs_cycle_list_marks_the_imported_cycle(hr_client: Client, imported: Cycle) -> None:
    page = hr_client.get(reverse("reviews:admin")).content.decode()

    assert f'data-imported="{imported.pk}"' in page


def test_the_cycles_page_says_where_an_imported_cycle_came_from(
    hr_client: Client, imported: Cycle
) -> None:
    page = hr_client.get(reverse("reviews:cycles")).content.decode()

    assert "Imported from history.csv on" in page


@pytest.mark.parametrize("name", ["reviews:cycle", "reviews:cycle_setup"])
def test_a_cycle_page_says_the_cycle_is_imported(
    hr_client: Client, imported: Cycle, name: str
) -> None:
    page = hr_client.get(reverse(name, args=[imported.pk])).content.decode()

    assert f'data-imported="{imported.pk}"' in page
    assert "Imported from history.csv on" in page


def test_an_imported_cycle_offers_no_settings_to_edit(hr_client: Client, imported: Cycle) -> None:
    page = hr_client.get(reverse("reviews:cycle_setup", args=[imported.pk])).content.decode()

    assert reverse("reviews:cycle_edit", args=[imported.pk]) not in page


# --- The command ------------------------------------------------------------------------------


def test_the_command_imports_a_file_and_says_so_again(
    org: Any, tmp_path: Path, capsys: Any
) -> None:
    path = tmp_path / "history.csv"
    path.write_bytes(csv_bytes(rows()))

    call_command("import_ratings", str(path), verbosity=0)
    call_command("import_ratings", str(path), verbosity=0)

    assert "0 new ratings" in capsys.readouterr().out
    assert Review.objects.count() == 4


def test_the_command_refuses_a_bad_file_naming_the_row(
    org: Any, tmp_path: Path, capsys: Any
) -> None:
    records = rows()
    records[0]["relationship"] = "boss"
    path = tmp_path / "history.csv"
    path.write_bytes(csv_bytes(records))

    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("import_ratings", str(path), verbosity=0)
    assert "row 2, relationship" in capsys.readouterr().out
    assert not Cycle.objects.exists()


def test_the_command_dry_run_changes_nothing(org: Any, tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "history.csv"
    path.write_bytes(csv_bytes(rows()))

    call_command("import_ratings", str(path), "--dry-run", verbosity=0)

    assert "4 new ratings" in capsys.readouterr().out
    assert not Cycle.objects.exists()


def test_the_person_reviewed_sees_their_imported_review_marked(
    client: Client, org: Any, imported: Cycle
) -> None:
    from tandem.reviews.models import Participant

    participant = Participant.objects.get(cycle=imported, person=org["R1"])
    client.force_login(org["R1"])
    response = client.get(reverse("reviews:participant", args=[participant.pk]))

    assert response.status_code == 200
    assert "Imported from history.csv on" in response.content.decode()
