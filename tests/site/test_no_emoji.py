"""No emoji on pages: where no emoji font is installed they show as empty boxes. Icons are
inline SVG (heroicons) with a text label."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

from tandem.feedback.models import ReactionKind
from tests.factories import PersonFactory

SRC = Path(__file__).resolve().parents[2] / "src" / "tandem"
# Pictographs, dingbats and the variation selector that turns a symbol into an emoji.
EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u26ff\u2700-\u27bf\ufe0f]")
CHECK_MARKS = {"\u2713"}  # ✓ is a text symbol every font has


def test_no_template_contains_an_emoji():
    found = [
        f"{path.relative_to(SRC)}: {char!r}"
        for path in SRC.rglob("templates/**/*.html")
        for char in EMOJI.findall(path.read_text())
        if char not in CHECK_MARKS
    ]
    assert not found, found


def test_reaction_labels_are_words():
    assert not [label for label in ReactionKind.labels if EMOJI.search(label)]


def test_the_bell_is_an_svg_icon(client_for):
    text = client_for(PersonFactory()).get(reverse("home")).text
    bell = re.search(r'<a class="bell.*?</a>', text, re.S)
    assert bell and "<svg" in bell.group(0) and not EMOJI.search(bell.group(0))
