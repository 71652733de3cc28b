"""The screenshot helper keeps the run's pictures even when Chromium refuses a full page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import screenshot


class RefusesFullPage:
    """Stands in for a Playwright page whose full-page capture Chromium refuses."""

    def __init__(self) -> None:
        self.taken: list[dict[str, Any]] = []

    def screenshot(self, **options: Any) -> None:
        if options.get("full_page"):
            raise PlaywrightError(
                "Page.screenshot: Protocol error (Page.captureScreenshot): Unable to capture "
                "screenshot\nCall log:\n  - taking page screenshot"
            )
        self.taken.append(options)


def test_a_refused_full_page_screenshot_keeps_the_viewport_and_warns() -> None:
    page = RefusesFullPage()
    with pytest.warns(UserWarning, match="Unable to capture screenshot"):
        path = screenshot(page, "refused")  # type: ignore[arg-type]
    assert page.taken == [{"path": str(path)}]
