"""Reads about background exports: one's own, through the access scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from tandem.access.rules import scope
from tandem.exports.models import Export, ExportStatus

MAX_ID = 2**63 - 1
LISTED = 50


def my_exports(user: Any) -> QuerySet[Export]:
    """The user's own exports, newest first (the last 50)."""
    return scope(user, Export.objects.all()).order_by("-created_at", "-pk")[:LISTED]


def downloadable(user: Any, export_id: int) -> Export:
    """The user's own ready export by id; 404 for anyone else's, a missing or an expired one."""
    if export_id > MAX_ID:
        raise Http404
    export = scope(user, Export.objects.filter(pk=export_id, status=ExportStatus.READY)).first()
    if export is None or not export.stored_name:
        raise Http404
    return export
