"""Changing the program: HR admins only, every change audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tandem.access.rules import require
from tandem.audit.services import diff, record, snapshot
from tandem.program.models import SWITCHES, Program

EDITABLE_FIELDS = ("purposes", "purpose_statement", "anonymity_minimum", *SWITCHES)


def update_program(*, by: Any, **values: Any) -> Program:
    require(by, "program.edit")
    with transaction.atomic():
        program = Program.load()
        unknown = set(values) - set(EDITABLE_FIELDS)
        if unknown:
            raise TypeError(f"update_program() got unknown fields: {sorted(unknown)}")
        before = snapshot(program, values)
        for field, value in values.items():
            setattr(program, field, value)
        program.full_clean()
        changes = diff(before, values)
        if changes:
            program.save(update_fields=[*changes, "updated_at"])
            record(actor=by, kind="program.update", obj=program, changes=changes)
        return program
