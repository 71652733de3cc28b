"""Reading the program's presets and its change history, as the acting person may."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q

from tandem.access.rules import NotAllowed, scope
from tandem.core.pagination import decode_time_cursor, encode_cursor
from tandem.org.models import CompanyValue, Person, PersonStatus
from tandem.program import presets
from tandem.program.models import ChangeSource, CompanyPreset, ProgramChange

HISTORY_PAGE = 10
KEY = re.compile(r"^[-a-z0-9_]{1,60}$")


def all_presets(user: Any) -> list[presets.Preset]:
    """The built-in presets, then the company's own."""
    own = [
        presets.Preset(row.key, row.name, row.description, row.values, built_in=False)
        for row in scope(user, CompanyPreset.objects.all())
    ]
    return [*presets.BUILT_IN, *own]


def preset_for(user: Any, key: str) -> presets.Preset:
    """One preset by its key; a key that names none is answered like one not to be seen."""
    if not KEY.match(key):
        raise NotAllowed("no such preset")
    found = presets.built_in(key)
    if found is not None:
        return found
    row = scope(user, CompanyPreset.objects.filter(key=key)).first()
    if row is None:
        raise NotAllowed("no such preset")
    return presets.Preset(row.key, row.name, row.description, row.values, built_in=False)


def last_applied(user: Any, key: str) -> ProgramChange | None:
    """The latest change that applied the preset `key` (None when it was never applied)."""
    return (
        scope(user, ProgramChange.objects.filter(source=ChangeSource.preset(key)))
        .order_by("-at", "-pk")
        .first()
    )


def change_for(user: Any, change_id: int) -> ProgramChange:
    change = (
        scope(user, ProgramChange.objects.filter(pk=change_id)).select_related("reverts").first()
    )
    if change is None:
        raise NotAllowed("no such change")
    return change


def changes(
    user: Any, *, after: str | None = None, limit: int = HISTORY_PAGE
) -> tuple[list[ProgramChange], str | None]:
    """A page of the history, newest first, and the cursor of the next page (None at the
    end). A cursor we did not make raises `core.pagination.BadCursor`."""
    rows = scope(user, ProgramChange.objects.all()).select_related("reverts")
    if after:
        at, pk = decode_time_cursor(after)
        rows = rows.filter(Q(at__lt=at) | Q(at=at, pk__lt=pk))
    page = list(rows.order_by("-at", "-pk")[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    return page, encode_cursor(page[-1].at, page[-1].pk) if more else None


def company_values(user: Any) -> list[tuple[str, str]]:
    """The company's values, in order, as (name, description): everyone reads them on the
    company page, so they need no scope."""
    return list(
        CompanyValue.objects.order_by("position", "name").values_list("name", "description")
    )


def people_count(user: Any) -> int:
    """How many people not gone the acting person may see (everyone, for HR admins)."""
    return scope(user, Person.objects.exclude(status=PersonStatus.LEFT)).count()
