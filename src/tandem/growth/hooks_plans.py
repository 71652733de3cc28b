"""Development plans in the lower apps' pages: the 1:1's talking points (through the
registry in `meetings.talking_points`). Imported by GrowthConfig.ready()."""

from __future__ import annotations

from typing import Any

from tandem.growth.queries import plans as plan_queries
from tandem.meetings.talking_points import register_talking_points


@register_talking_points
def plan_talking_points(viewer: Any, report: Any) -> list[tuple[str, str, str]]:
    return plan_queries.talking_points(viewer, report)
