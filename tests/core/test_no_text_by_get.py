"""No template sends typed text by GET (tests/text_by_get.py says why and how it is found).

Every template under src/tandem is parsed as written, with the templates it includes
inlined. A GET form's literal text fields, and an `hx-get` element's own value and what its
`hx-include` selects, must be on the allow-list of people searches; an `hx-get` that
includes a form meant for POST is refused outright, since that form's fields (rendered by
Django, so invisible here) were meant for a request body. The access matrix checks every
rendered page the same way, which also sees the fields Django renders from form classes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import tandem
from tests.access.matrix import all_routes
from tests.text_by_get import ALLOWED, Node, carriers, included, parse, sends_get

SRC = Path(tandem.__file__).parent
TEMPLATE_DIRS = [SRC / "templates", *sorted(SRC.glob("*/templates"))]
INCLUDE = re.compile(r"{%\s*include\s+[\"']([^\"']+)[\"'][^%]*%}")
URL_NAME = re.compile(r"{%\s*url\s+[\"']([^\"']+)[\"']")


def _templates() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for directory in TEMPLATE_DIRS:
        for path in sorted(directory.rglob("*.html")):
            found.setdefault(str(path.relative_to(directory)), path)
    return found


TEMPLATES = _templates()


def inlined(name: str, depth: int = 0) -> str:
    """The template's source with every `{% include "…" %}` replaced by that template."""
    source = TEMPLATES[name].read_text()
    if depth > 10:
        return source
    return INCLUDE.sub(
        lambda m: inlined(m.group(1), depth + 1) if m.group(1) in TEMPLATES else m.group(0),
        source,
    )


def url_name(target: str) -> str:
    match = URL_NAME.search(target)
    return match.group(1) if match else ""


def problems(source: str) -> list[str]:
    """What in this template source would put typed text in an address."""
    found = []
    for carrier in carriers(source):
        name = url_name(carrier.target)
        if (name, carrier.name) not in ALLOWED:
            found.append(carrier.describe())
    root = parse(source)
    for node in root.walk():
        if "hx-get" not in node.attrs:
            continue
        for part in included(node, root):
            if part is root or (part.tag == "form" and not sends_get(part)):
                found.append(
                    f"{node.describe()} includes {part.describe()} in a GET: that form's "
                    "fields go in the address; post it, or include only the fields needed"
                )
    return found


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_the_template_sends_no_typed_text_by_get(name: str) -> None:
    found = problems(inlined(name))
    assert not found, (
        f"{name} would put typed text in an address (and so in access logs):\n"
        + "\n".join(found)
        + "\nMake it a POST, include only the fields needed, or — for a search for people "
        "by name only — add it to ALLOWED in tests/text_by_get.py with the reason."
    )


# --- The check itself can fail ----------------------------------------------------------------

FOUND_IN_ISSUE_10 = """
<form method="post" action="{% url 'feedback:give' %}">{% csrf_token %}
  <div hx-get="{% url 'feedback:give' %}" hx-trigger="change" hx-include="closest form">
    <input name="recipient" type="text"><input type="radio" name="visibility" value="private">
  </div>
  <textarea name="text"></textarea>
</form>
"""


def test_it_finds_a_live_preview_that_sends_the_whole_form_by_get() -> None:
    found = problems(FOUND_IN_ISSUE_10)
    assert any("textarea" in p and 'name="text"' in p for p in found), found
    assert any("includes <form" in p for p in found), found


def test_it_finds_a_text_field_in_a_get_form() -> None:
    source = '<form method="get" action="{% url \'feedback:mine\' %}"><input name="q"></form>'
    assert problems(source)


def test_a_form_without_a_method_is_a_get() -> None:
    assert problems("<form><textarea name='note'></textarea></form>")


def test_it_finds_an_htmx_field_that_gets_its_own_value() -> None:
    assert problems('<input type="search" name="q" hx-get="/goals/" hx-trigger="input">')


def test_a_posted_form_and_a_get_of_only_a_select_pass() -> None:
    source = """
    <form method="post"><textarea name="text"></textarea>
      <div hx-get="/x/" hx-include="[name='visibility']"><select name="visibility"></select></div>
    </form>
    <form hx-post="/y/"><input name="title"></form>
    """
    assert problems(source) == []


def test_a_people_search_on_the_allow_list_passes() -> None:
    source = (
        '<form method="get" hx-get="{% url \'org:directory\' %}">'
        '<input type="search" name="q"></form>'
    )
    assert problems(source) == []


def test_every_allowed_field_says_why() -> None:
    assert all(len(reason) > 10 for reason in ALLOWED.values())


def test_every_allowed_field_names_a_url_that_exists() -> None:
    names = {route.name for route in all_routes()}
    stale = sorted(name for name, _ in ALLOWED if name not in names)
    assert not stale, f"ALLOWED names URLs that no longer exist: {stale}"


def test_the_walk_finds_every_template() -> None:
    assert "feedback/give.html" in TEMPLATES and "base.html" in TEMPLATES
    assert isinstance(parse("<p>").children[0], Node)
