"""The stylesheet parses as written: its braces balance (a lost `}` swallows every rule after
it into a media query) and every token it uses is defined."""

from __future__ import annotations

import re
from pathlib import Path

CSS = (Path(__file__).resolve().parents[2] / "src/tandem/static/tandem/tandem.css").read_text()
WITHOUT_COMMENTS = re.sub(r"/\*.*?\*/", "", CSS, flags=re.S)


def test_every_block_the_stylesheet_opens_it_closes():
    depth = 0
    for number, line in enumerate(WITHOUT_COMMENTS.splitlines(), 1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"line {number} closes a block that was not open"
    assert depth == 0, f"{depth} block(s) left open at the end"


def test_every_token_used_is_defined():
    used = set(re.findall(r"var\((--[\w-]+)", WITHOUT_COMMENTS))
    defined = set(re.findall(r"(--[\w-]+)\s*:", WITHOUT_COMMENTS))
    assert used <= defined, sorted(used - defined)
