"""The HR page that imports past ratings: upload → check → import.

One URL (reviews:ratings_import): GET shows the upload form, or a kept upload's check or
result (?upload=ID); POST uploads a file (→ its problems, or a redirect to its check) or
confirms a check (action=confirm). HR admins only; the work is in services.imports.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from tandem.access.rules import require
from tandem.core.http import AuthedHttpRequest
from tandem.reviews.forms.imports import ConfirmForm, RatingsUploadForm
from tandem.reviews.models import RatingsImport, RatingsImportStatus
from tandem.reviews.services import imports as import_service
from tandem.reviews.services.imports import RatingsImportResult

TEMPLATE = "reviews/setup/ratings_import.html"


def _page(upload: RatingsImport) -> str:
    return f"{reverse('reviews:ratings_import')}?upload={upload.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def ratings_import(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "reviews.manage")
    if request.method == "POST" and request.POST.get("action") == "confirm":
        return _confirm(request)
    if request.method == "POST":
        return _upload(request)
    if "upload" in request.GET:
        return _show(request, request.GET["upload"])
    return render(request, TEMPLATE, {"form": RatingsUploadForm()})


def _upload(request: AuthedHttpRequest) -> HttpResponse:
    form = RatingsUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form})
    file = form.cleaned_data["file"]
    upload, result = import_service.check_upload(
        data=file.read(), file_name=file.name or "", by=request.user
    )
    if upload is None:
        return render(request, TEMPLATE, {"form": RatingsUploadForm(), "result": result})
    return redirect(_page(upload))


def _show(request: AuthedHttpRequest, raw_id: str) -> HttpResponse:
    try:
        upload_id = int(raw_id)
    except ValueError:
        raise Http404("No such import.") from None
    upload = import_service.upload_for(request.user, upload_id)
    result = RatingsImportResult.from_json(upload.result)
    return render(
        request,
        TEMPLATE,
        {
            "upload": upload,
            "result": result,
            "imported": upload.status == RatingsImportStatus.IMPORTED,
        },
    )


def _confirm(request: AuthedHttpRequest) -> HttpResponse:
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        raise Http404("No such import.")
    upload = import_service.upload_for(request.user, form.cleaned_data["upload"])
    result = import_service.confirm_upload(upload=upload, by=request.user)
    if result.applied:
        messages.success(request, f"Imported {upload.file_name}: {result.summary}.")
        return redirect(_page(upload))
    upload.refresh_from_db()
    return render(
        request,
        TEMPLATE,
        {"upload": upload, "result": result, "stale": result.stale, "imported": False},
    )
