"""Playbook Markdown is rendered safely: CommonMark without raw HTML, then sanitised, so
no script, event handler or javascript: link survives whatever HR types."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tandem.coach.markdown import render_markdown


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)


def parsed(text: str) -> _Tags:
    parser = _Tags()
    parser.feed(str(render_markdown(text)))
    return parser


HOSTILE = [
    "<script>alert(1)</script>",
    "hello <script src=//evil.example/x.js></script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1) )",
    "![x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<svg onload="alert(1)"></svg>',
    "<iframe src=https://evil.example></iframe>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<div onclick=alert(1)>**bold**</div>",
    "<<script>script>alert(1)<</script>/script>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_no_script_event_handler_or_javascript_link_survives(text: str) -> None:
    found = parsed(text)
    assert not {"script", "img", "iframe", "svg", "div"} & set(found.tags)
    assert all(not name.startswith("on") for name, _ in found.attrs)
    hrefs = [value or "" for name, value in found.attrs if name in ("href", "src")]
    assert all(not h.strip().lower().startswith(("javascript:", "data:")) for h in hrefs)


def test_html_written_in_a_step_is_shown_as_typed() -> None:
    html = str(render_markdown("<script>alert(1)</script>"))
    assert "&lt;script&gt;" in html
    assert "<script" not in html


def test_markdown_renders_emphasis_lists_quotes_and_safe_links() -> None:
    html = str(
        render_markdown("**bold** *it*\n\n- one\n- two\n\n> quote\n\n[Tandem](https://example.com)")
    )
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html
    assert "<li>one</li>" in html and "<blockquote>" in html
    assert 'href="https://example.com"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_headings_sit_below_the_steps_own_heading() -> None:
    assert str(render_markdown("# Title")).strip() == "<h3>Title</h3>"


def test_empty_text_renders_nothing() -> None:
    assert str(render_markdown("")) == ""
