"""The audit trail is evidence: nothing in the app can change or remove an entry."""

from __future__ import annotations

import pytest
from django.db import transaction

from tandem.access.rules import SYSTEM
from tandem.audit.models import AuditEvent
from tandem.audit.services import record
from tests.factories import hr_admin


@pytest.fixture
def entry() -> AuditEvent:
    return record(actor=SYSTEM, kind="test.thing", object_type="test", object_label="x")


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(PermissionError, match="append-only"):
        entry.delete()
    assert AuditEvent.objects.filter(pk=entry.pk).exists()


def test_a_queryset_of_entries_cannot_be_deleted(entry):
    with pytest.raises(PermissionError, match="append-only"):
        AuditEvent.objects.filter(pk=entry.pk).delete()
    assert AuditEvent.objects.filter(pk=entry.pk).exists()


def test_a_queryset_of_entries_cannot_be_updated(entry):
    with pytest.raises(PermissionError, match="append-only"):
        AuditEvent.objects.filter(pk=entry.pk).update(kind="tampered")
    assert AuditEvent.objects.get(pk=entry.pk).kind == "test.thing"


def test_an_existing_entry_cannot_be_saved_again(entry):
    entry.kind = "tampered"
    with pytest.raises(PermissionError, match="append-only"):
        entry.save()
    assert AuditEvent.objects.get(pk=entry.pk).kind == "test.thing"


def test_entries_cannot_be_bulk_updated(entry):
    entry.kind = "tampered"
    with pytest.raises(PermissionError, match="append-only"), transaction.atomic():
        AuditEvent.objects.bulk_update([entry], ["kind"])
    assert AuditEvent.objects.get(pk=entry.pk).kind == "test.thing"


def test_the_log_page_accepts_no_writes(client_for, entry):
    client = client_for(hr_admin())
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/hr/audit/")
        assert response.status_code == 405, method
    assert AuditEvent.objects.filter(pk=entry.pk).exists()
