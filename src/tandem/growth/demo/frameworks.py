"""Demo data: three career tracks (Engineering IC, People management, Business and
customer-facing) with real expectations, and every demo person placed on one.

The demo's level labels ("IC3", "M2", "AE1", "CS2"…, see org/demo.py) map onto the
tracks: IC and management codes are level codes of their track; every other label is a
department ladder whose number is its rung on the shared business track ("AE2" → B2).
Placing is a few INSERT … SELECT statements per label, whatever the company's size."""

from __future__ import annotations

import json
import re
from datetime import date

from tandem.access.rules import SYSTEM
from tandem.growth.demo.frameworks_content import TRACKS
from tandem.growth.framework_files import as_data, parse
from tandem.growth.models import Level, LevelAlias, Track
from tandem.growth.services.frameworks import freeze, import_frameworks
from tandem.growth.services.placements import place_label
from tandem.org.demo import Progress, register_demo_before
from tandem.org.models import Person

_RUNG = re.compile(r"^[A-Z]+([0-9])$")


def level_for_label(
    label: str, codes: dict[str, Level], business: dict[int, Level]
) -> Level | None:
    """The demo's framework level for one of its level labels."""
    if label in codes:
        return codes[label]
    match = _RUNG.match(label)
    if match:
        return business.get(int(match.group(1)))
    return None


@register_demo_before("reviews")
def load_demo(*, seed: int, today: date, progress: Progress) -> None:
    """Write the three tracks and place every demo person."""
    tracks = parse(json.dumps(as_data(TRACKS)), "json")
    import_frameworks(by=SYSTEM, tracks=tracks, audited=False)
    for track in Track.objects.all():
        freeze(track)
    levels = list(Level.objects.select_related("track"))
    codes = {lv.code: lv for lv in levels if lv.track.key in ("engineering-ic", "management")}
    business = {
        int(lv.code[1:]): lv
        for lv in levels
        if lv.track.key == "business" and lv.code[1:].isdigit()
    }
    labels = sorted(set(Person.objects.exclude(level="").values_list("level", flat=True)))
    aliases = []
    for index, label in enumerate(labels):
        level = level_for_label(label, codes, business)
        if level is None:
            continue
        if label not in codes:
            aliases.append(LevelAlias(label=label, level=level))
        place_label(label, level, by=SYSTEM, move_placed=False, today=today)
        progress("placements", index + 1, len(labels))
    LevelAlias.objects.bulk_create(aliases, ignore_conflicts=True)


load_demo.demo_part = "career frameworks"  # type: ignore[attr-defined]  # the part's name in the table
