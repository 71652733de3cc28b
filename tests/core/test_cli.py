"""`tandem help` shows a newcomer Tandem's own commands first, one line each."""

from __future__ import annotations

from tandem.cli import overview


def test_help_lists_tandems_commands_first_with_one_line_each() -> None:
    text = overview()

    ours, _, others = text.partition("Other Django commands")
    assert "  demo " in ours
    assert "  send-reminders  Send every reminder that is due" in ours
    assert "  access-rules  " in ours
    assert "  db_worker  " in ours  # the worker is needed to run Tandem, so it is listed too


def test_help_lists_the_other_django_commands_after_tandems() -> None:
    ours, _, others = overview().partition("Other Django commands")

    assert "makemigrations" in others
    assert "makemigrations" not in ours
    assert "send_reminders" not in others  # shown once, with its hyphenated name
