"""`tandem rebuild_goal_tally`: recount the per-(period, department) goal tally behind the
company goals and coverage pages from the goals themselves (tandem.goals.tally). The goal
and org services keep it current; run this after writing goals or people outside them
(raw SQL, a restored backup) or to check nothing drifted."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from tandem.goals import tally


class Command(BaseCommand):
    help = "Recount the goal tally (company goals and coverage pages) from scratch."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        rows = tally.rebuild()
        self.stdout.write(f"Goal tally rebuilt: {rows} rows in {time.monotonic() - started:.1f} s.")
