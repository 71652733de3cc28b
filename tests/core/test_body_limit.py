"""A request body larger than TANDEM_MAX_BODY_MB is a 413 — the API's error shape under
/api/, a plain page elsewhere — while uploaded files (the HRIS import) are held to their
own, larger limit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tandem.feedback.models import Feedback
from tandem.org.models import ImportBatch
from tests.factories import PersonFactory, hr_admin
from tests.org.fixtures.import_files import TEAM, csv_bytes

pytestmark = pytest.mark.django_db


def test_a_form_over_the_limit_is_a_413_page_and_nothing_is_saved(
    settings: Any, client_for: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    giver, recipient = PersonFactory(), PersonFactory()
    response = client_for(giver).post(
        "/feedback/give/",
        {"recipient": recipient.pk, "text": "x" * 3000, "visibility": "private"},
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert "TANDEM_MAX_BODY_MB" in response.content.decode()
    assert not Feedback.objects.exists()


def test_an_upload_larger_than_the_body_limit_is_still_read_up_to_the_import_limit(
    settings: Any, client_for: Any
) -> None:
    data = csv_bytes(TEAM) + b"\n" * 5000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    assert len(data) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE < settings.IMPORT_MAX_BYTES
    client: Client = client_for(hr_admin())
    upload = client.post(
        "/hr/import/",
        {"file": SimpleUploadedFile("people.csv", data, content_type="text/csv")},
    )
    assert upload.status_code == 302, upload.content[:300]
    assert ImportBatch.objects.get().file_name == "people.csv"


def test_a_multipart_body_without_a_boundary_is_a_400_not_a_500(client_for: Any) -> None:
    client = client_for(PersonFactory())
    response = client.generic(
        "POST", "/feedback/give/", b"--x\r\n", content_type="multipart/form-data"
    )
    assert response.status_code == 400
