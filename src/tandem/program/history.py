"""The program's change history in plain words, as the program page and the API tell it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone

from tandem.program import presets
from tandem.program.models import ChangeSource, ProgramChange

COMMAND_LINE = "The command line"


@dataclass(frozen=True)
class Told:
    change: ProgramChange
    title: str
    switches: list[presets.SwitchChange]

    @property
    def lines(self) -> list[str]:
        return [s.sentence for s in self.switches]


def _day(change: ProgramChange) -> str:
    at = timezone.localtime(change.at)
    return f"{at.day} {at:%B %Y}"


def tell(change: ProgramChange, preset_names: Mapping[str, str] | None = None) -> Told:
    """ "Hana Ito (HR admin) applied the preset “Growth first”", with each switch it set
    (label: old → new). Dates in the viewer's time zone (the request's active zone)."""
    who = change.by_label or "Someone"
    if who != COMMAND_LINE:
        who += " (HR admin)"
    if change.preset_key:
        built_in = presets.built_in(change.preset_key)
        name = (preset_names or {}).get(change.preset_key) or (built_in and built_in.name)
        # A company preset deleted since: its key is all the change still knows.
        what = (
            f"applied the preset “{name}”"
            if name
            else f"applied the preset “{change.preset_key}” (since deleted)"
        )
    elif change.source == ChangeSource.REVERT and change.reverts is not None:
        what = f"undid the change of {_day(change.reverts)}"
    elif change.source == ChangeSource.REVERT:
        what = "undid an earlier change"
    else:
        what = "changed the program"
    return Told(change=change, title=f"{who} {what}", switches=presets.from_stored(change.changes))
