"""The "My exports" page and the download. Thin: parse, call, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem.core.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from tandem.core.http import AuthedHttpRequest
from tandem.exports import queries, services


@login_required
@require_GET
def my_exports(request: AuthedHttpRequest) -> HttpResponse:
    """The exports the viewer asked for, with their state and download links."""
    return render(
        request,
        "exports/list.html",
        {
            "exports": list(queries.my_exports(request.user)),
            "keep_days": settings.EXPORT_KEEP_DAYS,
            "threshold": settings.EXPORT_BACKGROUND_ROWS,
        },
    )


@login_required
@require_GET
def download(request: AuthedHttpRequest, export_id: int) -> FileResponse:
    """The file of one of the viewer's own ready exports; 404 for anyone else."""
    export = queries.downloadable(request.user, export_id)
    services.record_download(export=export, by=request.user)
    content_type = XLSX_CONTENT_TYPE if export.format == "xlsx" else CSV_CONTENT_TYPE
    return FileResponse(
        default_storage.open(export.stored_name, "rb"),
        as_attachment=True,
        filename=export.filename,
        content_type=content_type,
    )
