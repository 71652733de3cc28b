"""The site's one write: the audit record of a "view as" preview."""

from __future__ import annotations

from typing import Any

from tandem.access.rules import require
from tandem.audit import services as audit
from tandem.org.models import Person


def record_preview(*, by: Any, person: Person, page: str) -> None:
    """Record that `by` previewed what `person` sees on `page`: one audit event, the only
    row a preview writes. One INSERT, a transaction of its own: no `atomic` block, whose
    BEGIN and COMMIT would be two more round trips on a page meant to be as fast as the
    person's own."""
    require(by, "people.view_as", person)
    audit.record(
        actor=by,
        kind="people.view_as",
        obj=person,
        subject=person,
        changes={"page": page},
        note=f"Previewed what {person.display_name} sees: {page}",
    )
