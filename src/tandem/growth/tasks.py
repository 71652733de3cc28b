"""Background work for growth, queued by lower apps by dotted path after commit."""

from __future__ import annotations

from django_tasks import task

from tandem.growth.services import placements
from tandem.org.models import Person


@task()
def place_imported_people(importer_id: int | None) -> int:
    """After a people import: place everyone not yet placed whose level label is mapped
    (or is exactly one level's code). Audited as the person who ran the import."""
    importer = Person.objects.filter(pk=importer_id).first() if importer_id else None
    return placements.place_imported(by=importer)
