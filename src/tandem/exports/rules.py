"""Who may see and do what with background exports: only the person who asked.

An export holds what its requester could read when it was built; nobody else may download
it, HR and IT admins included (they can make their own)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tandem.access.rules import Actor, rule, scope_for
from tandem.exports.models import Export


@rule("export.request")
def _export_request(actor: Actor, obj: Any = None) -> bool:
    """Asking for an export to be prepared: anyone signed in (what it may hold is the
    feature's own export rule, checked again when it is built)."""
    return actor.person.is_active


@rule("export.download")
def _export_download(actor: Actor, export: Export) -> bool:
    """Downloading a prepared export: the person who asked for it, nobody else."""
    return export.requester_id == actor.person.pk


@scope_for(Export)
def scope_exports(actor: Actor, queryset: QuerySet[Export], **_: Any) -> QuerySet[Export]:
    """One's own exports; nobody else's."""
    return queryset.filter(requester_id=actor.person.pk)
