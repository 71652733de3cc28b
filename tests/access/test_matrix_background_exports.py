"""The access matrix for exports prepared in the background: "My exports" is everyone's own
page; a prepared file is downloaded by the person who asked for it and nobody else (not HR,
not IT: 404, like a missing one)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from tandem.core.exports import xlsx_chunks
from tandem.exports.models import Export, ExportStatus
from tests.access.matrix import (
    OWNER,
    Org,
    Row,
    assert_rows_build_their_own_urls,
    assert_unseen,
    case_ids,
    cases,
    check_case,
    check_export,
    expect,
    matrix_org,
    pk,
    register_tables,
    url,
)

SECRET_ROW = "Matrix-background-exports secret row"

MATRIX: tuple[Row, ...] = (
    Row("exports:list", "my own", lambda o: url("exports:list"), expect()),
    Row(
        "exports:download",
        "the owner's prepared export",
        lambda o: url("exports:download", pk(o, "background_export")),
        expect(OWNER),
    ),
    Row(
        "exports:download",
        "an export that does not exist",
        lambda o: url("exports:download", 987654321),
        expect(()),
    ),
)

register_tables(Export)


def _build(org: Org) -> None:
    content = b"".join(xlsx_chunks(["Secret"], [[SECRET_ROW]], sheet_title="Goals"))
    stored = default_storage.save("exports/matrix-background-export.xlsx", ContentFile(content))
    org.extras["background_export"] = Export.objects.create(
        requester=org.owner,
        source="goals",
        format="xlsx",
        title="Matrix background export",
        filename="matrix.xlsx",
        status=ExportStatus.READY,
        stored_name=stored,
        rows=1,
        size=len(content),
        expires_at=timezone.now() + timedelta(days=7),
    )


def _tear_down(org: Org) -> None:
    for export in Export.objects.all():
        if export.stored_name:
            default_storage.delete(export.stored_name)
    Export.objects.all().delete()


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker, extras=_build, cleanup=_tear_down) as built:
        yield built


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    check = check_export if row.name == "exports:download" else check_case
    assert_unseen(check(row, role, org), role, row.url(org), {SECRET_ROW: (OWNER,)})


def test_every_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    assert_rows_build_their_own_urls(MATRIX, org)
