"""`tandem help` shows a newcomer Tandem's own commands first, one line each."""

from __future__ import annotations

from tandem.cli import overview


def test_help_lists_tandems_commands_first_with_one_line_each() -> None:
    text = overview()

    ours, _, others = text.partition("Other Django commands")
    # The name column is as wide as the longest name: match a command and its line by words.
    lines = {line.split()[0]: line for line in ours.splitlines() if line.startswith("  ")}
    assert "demo" in lines
    assert lines["send-reminders"].split(None, 1)[1].startswith("Send every reminder that is due")
    assert "access-rules" in lines
    assert "db_worker" in lines  # the worker is needed to run Tandem, so it is listed too


def test_help_lists_the_other_django_commands_after_tandems() -> None:
    ours, _, others = overview().partition("Other Django commands")

    assert "makemigrations" in others
    assert "makemigrations" not in ours
    assert "send_reminders" not in others  # shown once, with its hyphenated name
