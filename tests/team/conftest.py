from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine

from tests.team.helpers import NOW


@pytest.fixture
def pinned() -> Iterator[None]:
    """Today is Monday 15 June 2026 (10:00 in Berlin, the viewer's zone)."""
    with time_machine.travel(NOW, tick=False):
        yield
