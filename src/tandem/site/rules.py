"""Who may preview what someone else sees ("view as", docs/anonymity.md#view-as)."""

from __future__ import annotations

from typing import Any

from tandem.access.rules import Actor, rule
from tandem.org.models import PersonStatus


@rule("people.view_as")
def _people_view_as(actor: Actor, person: Any) -> bool:
    """Previewing what someone sees ("view as"): HR admins, of anyone who has not left. The
    preview shows only what both the person and the HR admin may read."""
    if not actor.is_hr_admin:
        return False
    return person is None or person.status != PersonStatus.LEFT
