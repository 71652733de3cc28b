"""Access rules: "where do I stand"."""

from __future__ import annotations

from typing import Any

from tandem.access.rules import Actor, rule


@rule("growth.standing.view")
def _standing_view(actor: Actor, person: Any) -> bool:
    """ "Where do I stand": every employee, about themselves only. Nothing on it that they
    could not already read elsewhere; nothing about anyone else."""
    return actor.person.pk == person.pk
