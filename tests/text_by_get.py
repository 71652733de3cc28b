"""Finding typed text that a page would send in an address (a GET's query string).

What goes into an address lands in the web server's access log, in every proxy's, in the
browser's history and in the Referer of the next page. So no form sends what people type
by GET, and no htmx element does (`hx-get` with `hx-include` of a form, a GET form with a
text field). The one exception is a search for *people* by name (the directory, the HR
people list…): what is typed there is a colleague's name, not something private, and a
search that lives in the address can be bookmarked and shared. Each such field is on
ALLOWED, with its reason.

Two checks use this module:
- tests/core/test_no_text_by_get.py parses every template as written (includes inlined),
  which sees literal markup;
- the access matrix (tests/access/matrix.py) parses every page it gets back, which sees the
  fields Django renders from form classes too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# (where the GET goes: a URL name, field name) → why typed text there may be in an address.
PEOPLE_SEARCH = "a search for colleagues by name or e-mail: names are not private"
ALLOWED: dict[tuple[str, str], str] = {
    ("org:directory", "q"): PEOPLE_SEARCH,
    ("org:hr_people", "q"): PEOPLE_SEARCH,
    # Every people picker (org/widgets.py) searches as a name is typed; picker.js sends
    # only the search box, as `q`, never the form around it.
    ("org:people_pick", "q"): PEOPLE_SEARCH,
    # The HR people list's "Reports to" filter is a people picker in a search form.
    ("org:hr_people", "manager"): PEOPLE_SEARCH,
    ("goals:pick", "q"): 'the "Supports" picker\'s search for a goal by title words: the '
    "titles of goals the user may see, as a search box sends them, never the goal form",
    ("reviews:nomination_search", "q"): PEOPLE_SEARCH,
    ("reviews:nomination_search", "rq"): PEOPLE_SEARCH,
    ("reviews:nominations", "q"): PEOPLE_SEARCH,
    ("reviews:nominations", "rq"): PEOPLE_SEARCH,
    ("reviews:cycle_participants", "q"): PEOPLE_SEARCH,
    ("audit:log", "person"): "the audit log's filter by whom an event is about: a name",
    ("audit:log", "actor"): "the audit log's filter by who acted: a name",
    ("audit:log", "date_from"): "a date, typed as text by Django's date widget",
    ("audit:log", "date_to"): "a date, typed as text by Django's date widget",
}

TEXT_INPUT_TYPES = {"", "text", "search", "email", "url", "tel", "password"}
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip
WRITE_VERBS = ("hx-post", "hx-put", "hx-patch", "hx-delete")


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    line: int
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)

    def walk(self) -> list[Node]:
        found = [self]
        for child in self.children:
            found.extend(child.walk())
        return found

    def closest(self, tag: str) -> Node | None:
        """The node itself or its nearest ancestor with this tag (like DOM's closest)."""
        node: Node | None = self
        while node is not None and node.tag != tag:
            node = node.parent
        return node

    def describe(self) -> str:
        shown = " ".join(f'{k}="{v}"' for k, v in self.attrs.items() if k != "class")
        return f"<{self.tag} {shown}> (line {self.line})"


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, 0)
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.getpos()[0], self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.getpos()[0], self.stack[-1])
        self.stack[-1].children.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def is_text_field(node: Node) -> bool:
    if node.tag == "textarea":
        return True
    return node.tag == "input" and node.attrs.get("type", "").lower() in TEXT_INPUT_TYPES


def sends_get(form: Node) -> bool:
    """A form whose submission (or htmx request) is a GET."""
    if "hx-get" in form.attrs:
        return True
    if any(verb in form.attrs for verb in WRITE_VERBS):
        return False
    return form.attrs.get("method", "get").lower() == "get"


@dataclass(frozen=True)
class Carrier:
    """A text field whose content a GET would carry, and the element that sends it."""

    sender: Node
    field: Node
    target: str  # where the GET goes, as written (a URL, or a template's {% url %} tag)

    @property
    def name(self) -> str:
        return self.field.attrs.get("name", "")

    def describe(self) -> str:
        return (
            f"{self.sender.describe()} sends the text field {self.field.describe()} "
            f"by GET to {self.target or 'the page itself'}"
        )


def included(sender: Node, root: Node) -> list[Node]:
    """The elements htmx's hx-include selects for `sender` (the selectors used here)."""
    found: list[Node] = []
    for selector in (s.strip() for s in sender.attrs.get("hx-include", "").split(",")):
        if not selector:
            continue
        if selector == "this":
            found.append(sender)
        elif selector.startswith("closest "):
            match = sender.closest(selector.removeprefix("closest ").strip())
            found.extend([match] if match else [])
        elif selector.startswith("#"):
            wanted = selector[1:]
            found.extend(n for n in root.walk() if n.attrs.get("id") == wanted)
        elif m := re.fullmatch(r"\[name=['\"]?([\w-]+)['\"]?\]", selector):
            found.extend(n for n in root.walk() if n.attrs.get("name") == m.group(1))
        else:
            # A selector this check cannot follow: treat it as sending everything.
            found.append(root)
    return found


def carriers(html: str) -> list[Carrier]:
    """Every text field that some form or htmx element of the page sends by GET."""
    root = parse(html)
    found: list[Carrier] = []
    for node in root.walk():
        if node.tag == "form" and sends_get(node):
            target = node.attrs.get("hx-get") or node.attrs.get("action", "")
            found.extend(Carrier(node, f, target) for f in node.walk() if is_text_field(f))
        if "hx-get" in node.attrs:
            target = node.attrs["hx-get"]
            if node.tag != "form" and is_text_field(node):
                found.append(Carrier(node, node, target))
            for part in included(node, root):
                found.extend(Carrier(node, f, target) for f in part.walk() if is_text_field(f))
    unique: dict[tuple[int, int], Carrier] = {}
    for carrier in found:
        unique.setdefault((id(carrier.sender), id(carrier.field)), carrier)
    return list(unique.values())
