from __future__ import annotations

from typing import Any

import pytest

from tests.factories import hr_admin


@pytest.fixture
def hr() -> Any:
    """An HR admin."""
    return hr_admin()
