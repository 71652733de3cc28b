"""axe-core in the browser tests: WCAG 2.1 A/AA and best practices, from a local copy.

`make install-dev` installs the npm package `axe-core` (pinned in package-lock.json) into
node_modules/; nothing is fetched at test time. The script is evaluated through the
DevTools protocol rather than added as a <script> tag, because Tandem's CSP
(script-src 'self') rightly refuses an inline script — the page's own policy stays on.

Without node_modules the accessibility tests are skipped with one clear line, unless
TANDEM_REQUIRE_BROWSER=1 (CI), where a missing axe fails the run like a missing browser."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
MISSING_AXE = (
    "accessibility tests skipped: axe-core is not installed "
    "(make install-dev, or npm ci --no-audit --no-fund)"
)
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def require_axe() -> None:
    if AXE.exists():
        return
    if os.environ.get("TANDEM_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(
            f"{AXE} is missing and TANDEM_REQUIRE_BROWSER=1 is set: run `make install-dev` "
            "(npm ci); the accessibility tests may not be skipped here.",
            pytrace=False,
        )
    pytest.skip(MISSING_AXE)


@cache
def _source() -> str:
    return AXE.read_text(encoding="utf-8")


def violations(page: Page) -> list[dict[str, Any]]:
    """axe's violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_source())
    result: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const results = await window.axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                targets: v.nodes.map((n) => n.target.join(" ")),
            }));
        }""",
        TAGS,
    )
    return result


def describe(url: str, found: list[dict[str, Any]]) -> list[str]:
    """One readable line per violation: the rule, its impact, what it asks, where."""
    lines = []
    for violation in found:
        targets = ", ".join(violation["targets"][:5])
        more = len(violation["targets"]) - 5
        lines.append(
            f"{url}: {violation['id']} ({violation['impact']}) — {violation['help']} — "
            f"{targets}{f' and {more} more' if more > 0 else ''}"
        )
    return lines
