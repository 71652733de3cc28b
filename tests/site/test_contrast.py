"""Every pair of colour tokens that text is drawn with meets WCAG 2.1 AA (4.5:1), in light
and in dark mode: the tokens are read from the stylesheet itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "src/tandem/static/tandem/tandem.css").read_text()
TOKEN = re.compile(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b")

# (text, background): every pairing the stylesheet and the templates use for words.
PAIRS = [
    ("--ink", "--bg"),
    ("--ink", "--card"),
    ("--muted", "--card"),
    ("--muted", "--bg"),
    ("--accent", "--card"),
    ("--accent", "--bg"),
    ("--accent-ink", "--accent"),
    ("--ink", "--accent-soft"),
    ("--accent", "--accent-soft"),
    ("--ok", "--ok-soft"),
    ("--warn", "--warn-soft"),
    ("--bad", "--bad-soft"),
    ("--bad", "--card"),
    ("--ok", "--card"),
    ("--ink", "--neutral-soft"),
    ("--muted", "--neutral-soft"),
    ("--ink", "--note-soft"),
    ("--ink", "--field-bg"),
]


def _tokens(block: str) -> dict[str, str]:
    return dict(TOKEN.findall(block))


def _modes() -> dict[str, dict[str, str]]:
    light_block = CSS[CSS.index(":root {") : CSS.index("@media (prefers-color-scheme: dark)")]
    dark_start = CSS.index("@media (prefers-color-scheme: dark)")
    dark_block = CSS[dark_start : CSS.index("\n}\n", dark_start)]
    light = _tokens(light_block)
    return {"light": light, "dark": {**light, **_tokens(dark_block)}}


def _luminance(hex_colour: str) -> float:
    digits = hex_colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    lighter, darker = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_contrast_formula_matches_wcags_examples():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_dark_mode_redefines_the_surfaces():
    modes = _modes()
    assert modes["dark"]["--bg"] != modes["light"]["--bg"]
    assert _luminance(modes["dark"]["--card"]) < 0.05


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize(("text", "background"), PAIRS)
def test_text_tokens_meet_aa_on_their_backgrounds(mode, text, background):
    tokens = _modes()[mode]
    ratio = contrast(tokens[text], tokens[background])
    assert ratio >= 4.5, f"{mode}: {text} on {background} is {ratio:.2f}:1"
