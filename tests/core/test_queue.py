"""Services queue background work by a task's dotted path, so tasks may import services
without services importing tasks back; the start-up check keeps the paths honest."""

from __future__ import annotations

from pathlib import Path

import pytest

import tandem
from tandem.core import tasks
from tandem.core.queue import check_task_paths, enqueue_on_commit, task_named, task_paths_in


def test_the_seam_finds_literal_task_paths_with_their_lines() -> None:
    source = 'x = 1\nenqueue_on_commit("tandem.core.tasks.send_email", "s", "b", [])\n'

    assert task_paths_in(source) == [(2, "tandem.core.tasks.send_email")]


def test_a_path_that_names_no_task_is_refused() -> None:
    with pytest.raises(TypeError, match="not a task"):
        task_named("tandem.core.queue.task_named")


def test_the_start_up_check_passes_on_tandems_own_code() -> None:
    assert check_task_paths() == []


def test_the_check_sees_the_services_that_queue_work() -> None:
    """Guards the check itself: it must find the call sites it vouches for."""
    package = Path(tandem.__file__).parent
    paths = {
        path
        for module in package.rglob("*.py")
        for _, path in task_paths_in(module.read_text(encoding="utf-8"))
    }

    assert {
        "tandem.notifications.tasks.deliver_notification",
        "tandem.meetings.tasks.send_series_invitation",
    } <= paths


@pytest.mark.django_db(transaction=True)
def test_a_queued_task_runs_after_the_transaction_commits(mailoutbox) -> None:  # type: ignore[no-untyped-def]
    from django.db import transaction

    with transaction.atomic():
        enqueue_on_commit("tandem.core.tasks.send_email", "Hello", "Body", ["a@example.com"])
        assert mailoutbox == []

    assert [message.subject for message in mailoutbox] == ["Hello"]
    assert tasks.send_email is task_named("tandem.core.tasks.send_email")
