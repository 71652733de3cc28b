"""Who may change the program: HR admins. Everyone signed in reads it (the program page
states every switch in plain words, so nobody has to guess what happens with their data)."""

from __future__ import annotations

from typing import Any

from tandem.access.rules import Actor, rule


@rule("program.edit")
def _program_edit(actor: Actor, _: Any) -> bool:
    """Changing the program's purpose, cadences and switches: HR admins."""
    return actor.is_hr_admin
