"""The HR upload page for the HRIS import: upload, preview, confirm.

One URL (org:hr_import): GET shows the upload form, or a kept upload's preview or
result (?batch=ID); POST uploads a file (→ errors, or a redirect to its preview) or
confirms a preview (action=confirm). The work happens in org.services.imports.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tandem.access.rules import require
from tandem.core.http import AuthedHttpRequest
from tandem.org.forms.imports import ConfirmForm, UploadForm
from tandem.org.models import ImportBatch, ImportBatchStatus
from tandem.org.services import imports as import_service
from tandem.org.services import invitations
from tandem.org.services.imports import ImportResult


def _page(batch: ImportBatch) -> str:
    return f"{reverse('org:hr_import')}?batch={batch.pk}"


@login_required
def import_people(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "people.import")
    if request.method == "POST" and request.POST.get("action") == "confirm":
        return _confirm(request)
    if request.method == "POST":
        return _upload(request)
    if "batch" in request.GET:
        return _show(request, request.GET["batch"])
    return render(request, "org/import.html", {"form": UploadForm()})


def _upload(request: AuthedHttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "org/import.html", {"form": form})
    upload = form.cleaned_data["file"]
    batch, result = import_service.preview_import(
        data=upload.read(),
        file_name=upload.name or "",
        by=request.user,
        deactivate_missing=form.cleaned_data["deactivate_missing"],
    )
    if batch is None:
        return render(request, "org/import.html", {"form": UploadForm(), "result": result})
    return redirect(_page(batch))


def _show(request: AuthedHttpRequest, raw_id: str) -> HttpResponse:
    try:
        batch_id = int(raw_id)
    except ValueError:
        raise Http404("No such import.") from None
    batch = import_service.batch_for(request.user, batch_id)
    result = ImportResult.from_json(batch.preview)
    if batch.status != ImportBatchStatus.APPLIED:
        return render(request, "org/import_preview.html", {"batch": batch, "result": result})
    # People an import creates have no password: the result offers to invite them.
    to_invite = invitations.people_to_invite(request.user).count()
    return render(
        request,
        "org/import_result.html",
        {
            "batch": batch,
            "result": result,
            "to_invite": to_invite,
            "invitation_days": settings.INVITATION_TIMEOUT // 86400,
            "here": request.get_full_path(),
        },
    )


def _confirm(request: AuthedHttpRequest) -> HttpResponse:
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        raise Http404("No such import.")
    batch = import_service.batch_for(request.user, form.cleaned_data["batch"])
    result = import_service.confirm_import(batch=batch, by=request.user)
    if result.applied:
        messages.success(request, f"Imported {batch.file_name}: {result.summary}.")
        return redirect(_page(batch))
    batch.refresh_from_db()
    return render(
        request,
        "org/import_preview.html",
        {"batch": batch, "result": result, "stale": result.stale},
    )
