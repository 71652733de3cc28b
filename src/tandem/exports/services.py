"""Writes about background exports: asking for one, building it, recording a download,
deleting expired files.

The file is written to Django's default storage (under `TANDEM_VAR_DIR/files/exports/`)
with a random, unguessable name, and kept `TANDEM_EXPORT_KEEP_DAYS` days.
"""

from __future__ import annotations

import logging
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from tandem.access.rules import require
from tandem.audit.services import record
from tandem.core import exports as files
from tandem.core.queue import enqueue_on_commit
from tandem.exports import registry
from tandem.exports.models import Export, ExportStatus
from tandem.notifications.services import notify

logger = logging.getLogger(__name__)

WAITING = (ExportStatus.QUEUED,)
# An export still queued after this long was lost (a worker stopped mid-build): asking again
# queues a new one, and the daily clean-up marks it failed.
STALE_AFTER = timedelta(hours=6)


def runs_in_background(rows: int) -> bool:
    """Whether an export of `rows` rows is prepared in the background (the threshold is
    `TANDEM_EXPORT_BACKGROUND_ROWS`)."""
    return rows > settings.EXPORT_BACKGROUND_ROWS


def request_export(
    *,
    by: Any,
    source: str,
    format: str,
    params: dict[str, Any],
    title: str,
    filename: str,
    rows: int,
) -> Export:
    """Queue an export of `source` under `params` for `by`. The same export already waiting
    is answered instead of a second one (a double click, a reload)."""
    require(by, "export.request")
    registry.builder_for(source)
    with transaction.atomic():
        waiting = Export.objects.filter(
            requester=by,
            source=source,
            format=format,
            params=params,
            status__in=WAITING,
            created_at__gte=timezone.now() - STALE_AFTER,
        ).first()
        if waiting is not None:
            return waiting
        export = Export.objects.create(
            requester=by,
            source=source,
            format=format,
            params=params,
            title=title[:200],
            filename=filename[:160],
        )
        record(
            actor=by,
            kind="export.request",
            obj=export,
            changes={"source": source, "format": format, **params, "rows": rows},
        )
        enqueue_on_commit("tandem.exports.tasks.build_export", export.pk)
    return export


def _counted(rows: Iterable[Iterable[Any]], tally: list[int]) -> Iterator[Iterable[Any]]:
    for row in rows:
        tally[0] += 1
        yield row


def _write(export: Export, table: registry.Table) -> tuple[str, int, int]:
    """Build the file into storage; (stored name, rows, bytes)."""
    tally = [0]
    rows = _counted(table.rows, tally)
    chunks: Iterable[bytes]
    if export.format == "xlsx":
        chunks = files.xlsx_chunks(table.header, rows, sheet_title=table.sheet_title)
    else:
        chunks = (text.encode("utf-8") for text in files.csv_chunks(table.header, rows))
    with tempfile.TemporaryFile() as handle:
        for chunk in chunks:
            handle.write(chunk)
        size = handle.tell()
        handle.seek(0)
        name = f"exports/{secrets.token_urlsafe(32)}.{export.format}"
        stored = default_storage.save(name, File(handle, name=name))
    return stored, tally[0], size


def _finish(export: Export, status: str, **fields: Any) -> None:
    export.status = status
    export.finished_at = timezone.now()
    for name, value in fields.items():
        setattr(export, name, value)
    export.save(update_fields=["status", "finished_at", *fields])


def build_export(*, export_id: int) -> str:
    """Build a queued export as its requester (the feature's own access check, run now),
    store the file and tell the requester. Returns the export's status."""
    export = Export.objects.select_related("requester").filter(pk=export_id).first()
    if export is None or export.status != ExportStatus.QUEUED:
        return export.status if export is not None else "missing"
    person = export.requester
    try:
        if not person.is_active:
            raise PermissionDenied
        table = registry.builder_for(export.source)(person, dict(export.params))
        stored, rows, size = _write(export, table)
    except (Http404, PermissionDenied):
        with transaction.atomic():
            _finish(export, ExportStatus.DENIED)
            record(actor=None, kind="export.denied", obj=export, subject=person)
            notify(
                person=person,
                kind="exports.ready",
                title=f"Your export “{export.title}” was not made",
                body="You may no longer export this.",
                url=reverse("exports:list"),
                dedupe_key=f"export:{export.pk}",
            )
        return export.status
    except Exception:
        logger.exception("exports: building export %s failed", export.pk)
        with transaction.atomic():
            _finish(export, ExportStatus.FAILED)
            notify(
                person=person,
                kind="exports.ready",
                title=f"Your export “{export.title}” could not be made",
                body="Something went wrong; try again, or ask your administrator.",
                url=reverse("exports:list"),
                dedupe_key=f"export:{export.pk}",
            )
        return export.status
    with transaction.atomic():
        expires = timezone.now() + timedelta(days=settings.EXPORT_KEEP_DAYS)
        _finish(
            export, ExportStatus.READY, stored_name=stored, rows=rows, size=size, expires_at=expires
        )
        record(
            actor=None,
            kind="export.build",
            obj=export,
            subject=person,
            changes={"rows": rows, "size": size},
        )
        notify(
            person=person,
            kind="exports.ready",
            title=f"Your export “{export.title}” is ready",
            body=f"{rows} rows. You can download it for {settings.EXPORT_KEEP_DAYS} days.",
            url=reverse("exports:download", args=[export.pk]),
            dedupe_key=f"export:{export.pk}",
        )
    return export.status


def record_download(*, export: Export, by: Any) -> None:
    """Audit a download of `export` (a sensitive read: it holds people's data)."""
    require(by, "export.download", export)
    with transaction.atomic():
        record(
            actor=by,
            kind="export.download",
            obj=export,
            changes={"source": export.source, "format": export.format, "rows": export.rows},
        )


def delete_expired(*, now: datetime | None = None) -> int:
    """Delete the files of exports past their expiry and mark them expired; how many. An
    export queued longer than STALE_AFTER is marked failed (its worker stopped)."""
    now = now or timezone.now()
    Export.objects.filter(status__in=WAITING, created_at__lt=now - STALE_AFTER).update(
        status=ExportStatus.FAILED, finished_at=now
    )
    expired = list(
        Export.objects.filter(status=ExportStatus.READY, expires_at__lte=now).only(
            "pk", "stored_name"
        )
    )
    for export in expired:
        if export.stored_name:
            default_storage.delete(export.stored_name)
    with transaction.atomic():
        Export.objects.filter(pk__in=[e.pk for e in expired]).update(
            status=ExportStatus.EXPIRED, stored_name=""
        )
        if expired:
            record(actor=None, kind="export.expire", changes={"count": len(expired)})
    return len(expired)
