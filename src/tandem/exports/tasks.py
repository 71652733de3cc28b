"""Background building of exports (django-tasks), given the export's id."""

from __future__ import annotations

from django_tasks import task

from tandem.exports import services


@task()
def build_export(export_id: int) -> str:
    """Build one queued export (queued by services.request_export); returns its status."""
    return services.build_export(export_id=export_id)
