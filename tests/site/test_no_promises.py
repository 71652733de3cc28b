"""No promises on screen (issue 12): Tandem shows what it does, never what it might do
one day. A "Coming next…" card or a "coming soon" badge is a promise a person cannot act
on, and it outlives the plan that wrote it; what is not built is simply not shown."""

from __future__ import annotations

import re
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "tandem"
# Everything that ends up on a screen: templates, the Python that builds pages and
# messages, the stylesheets (CSS `content:` writes text too) and the scripts.
SCREEN_FILES = ("*.html", "*.py", "*.css", "*.js", "*.txt")
PROMISE = re.compile(
    r"coming\s+(?:next|soon)"
    r"|(?:in|with)\s+an?\s+(?:later|future|coming|next|upcoming)\s+(?:release|version)"
    r"|not\s+(?:yet\s+)?(?:built|available)\s+yet",
    re.IGNORECASE,
)


def promises_in(text: str) -> list[str]:
    return [match.group(0) for match in PROMISE.finditer(text)]


def test_the_phrases_of_a_promise_are_recognised() -> None:
    assert promises_in('<h2>Calibration</h2><p class="muted">Coming next: calibration.</p>')
    assert promises_in('.coming h2::after { content: " · coming soon"; }')
    assert promises_in("Goal weights arrive in a later release.")
    assert promises_in("Surveys are not available yet.")


def test_ordinary_words_are_not_taken_for_a_promise() -> None:
    assert not promises_in("Upcoming 1:1s, soonest first. Reviews coming up open later.")


def test_no_template_style_script_or_code_promises_a_feature() -> None:
    found = [
        f"{path.relative_to(SOURCE.parent)}:{number}: {phrase!r}"
        for pattern in SCREEN_FILES
        for path in sorted(SOURCE.rglob(pattern))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for phrase in promises_in(line)
    ]
    assert not found, "promises of features on screen; show what exists instead:\n" + "\n".join(
        found
    )
