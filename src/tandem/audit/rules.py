"""Who may read the audit trail: HR admins. The trail itself is written by every service
and never edited; anonymous channels write to it without an author (docs/anonymity.md)."""

from __future__ import annotations

from typing import Any

from tandem.access.rules import Actor, rule


@rule("audit.view")
def _audit_view(actor: Actor, _: Any) -> bool:
    """The audit log page and its exports: HR admins."""
    return actor.is_hr_admin
