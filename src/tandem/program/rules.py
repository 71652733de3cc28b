"""Who may change the program: HR admins. Everyone signed in reads it (the program page
states every switch in plain words, so nobody has to guess what happens with their data)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tandem.access.rules import Actor, rule, scope_for
from tandem.program.models import CompanyPreset, ProgramChange


@rule("program.edit")
def _program_edit(actor: Actor, _: Any) -> bool:
    """HR admins: changing the program's switches, applying, saving, importing and deleting
    presets, and undoing a change."""
    return actor.is_hr_admin


@scope_for(ProgramChange)
def scope_program_changes(actor: Actor, queryset: QuerySet[ProgramChange], **_: Any) -> Any:
    """The program's change history: everyone signed in (the program page shows it, with who
    changed what and why)."""
    return queryset


@scope_for(CompanyPreset)
def scope_company_presets(actor: Actor, queryset: QuerySet[CompanyPreset], **_: Any) -> Any:
    """The company's own presets: everyone signed in may read them, like the built-in ones;
    only HR admins apply, save, import or delete them (program.edit)."""
    return queryset
