"""The design system stays light: the stylesheet and scripts Tandem serves (its own, not
htmx) weigh at most 60 KB more, gzip-compressed, than before it (issue 12)."""

from __future__ import annotations

import gzip
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "tandem"
BEFORE_THE_DESIGN_SYSTEM = 4_660  # bytes, gzip -9: tandem.css, tandem.js, review.js at d687e91
ALLOWED_GROWTH = 60 * 1024


def _assets() -> list[Path]:
    return sorted(p for p in SRC.rglob("static/**/*") if p.suffix in {".css", ".js"})


def test_css_and_js_grow_by_at_most_60_kb_compressed():
    weight = sum(len(gzip.compress(path.read_bytes(), compresslevel=9)) for path in _assets())
    assert weight - BEFORE_THE_DESIGN_SYSTEM <= ALLOWED_GROWTH, (
        f"{weight:,} bytes compressed: " + ", ".join(f"{p.relative_to(SRC)}" for p in _assets())
    )


def test_the_weight_check_sees_the_stylesheet_and_the_shell_script():
    names = {p.name for p in _assets()}
    assert {"tandem.css", "tandem.js", "shell.js"} <= names
