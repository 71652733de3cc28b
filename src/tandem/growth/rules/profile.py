"""Access rules: the competency profile."""

from __future__ import annotations

from typing import Any

from tandem.access.rules import Actor, rule


@rule("growth.profile.view")
def _profile_view(actor: Actor, person: Any) -> bool:
    """A person's competency profile (their level's expectations, the ratings they got and the
    gaps): the person, their managers (anyone above them in the reporting tree) and HR
    admins. The ratings in it are only those of reviews the reader may read anyway."""
    return actor.person.pk == person.pk or actor.is_hr_admin or actor.manages(person)
