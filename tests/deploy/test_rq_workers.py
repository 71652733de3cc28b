"""The Redis task backend at work: two `tandem rqworker` processes drain 300 notification
e-mails queued by the real notification path, and every e-mail goes out exactly once."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
import redis
from django.db import connection
from rq.job import Job
from rq.queue import Queue
from rq.registry import FailedJobRegistry, FinishedJobRegistry

from tandem.notifications.services import notify
from tests.deploy.conftest import REDIS_TEST_URL, process_env, tandem_command
from tests.factories import DepartmentFactory, PersonFactory

NOTIFICATIONS = 300
WORKERS = ("worker-one", "worker-two")
# A guard against a hung worker, not a speed claim: far above the drain on a quiet machine.
DRAIN_LIMIT_SECONDS = 600


def database_url_for_workers(tmp_path: Path) -> str:
    """A database the worker processes can open holding this test's committed rows: the
    test database itself on PostgreSQL; on SQLite (an in-memory test database no other
    process can see) a file copy of it, which the workers then write to."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        return (
            f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    connection.ensure_connection()
    copy = tmp_path / "shared.sqlite3"
    with sqlite3.connect(copy) as target:
        connection.connection.backup(target)
    target.close()
    return f"sqlite:///{copy}"


def recipients_in(outbox: Path) -> list[str]:
    """The To: address of every message the file e-mail backend wrote."""
    found: list[str] = []
    for path in outbox.iterdir():
        found += re.findall(r"^To: (\S+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    return found


@pytest.fixture
def rq_settings(settings: Any, redis_db: redis.Redis) -> redis.Redis:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS_TEST_URL, "DEFAULT_TIMEOUT": 600}}
    return redis_db


@pytest.mark.django_db(transaction=True)
def test_two_rq_workers_send_three_hundred_notification_emails_exactly_once(
    rq_settings: redis.Redis, tmp_path: Path
) -> None:
    department = DepartmentFactory()
    people = PersonFactory.create_batch(NOTIFICATIONS, department=department)
    for person in people:
        notify(person=person, kind="feedback.received", title="Ana gave you feedback", url="/x/")
    queue = Queue("default", connection=rq_settings)
    assert queue.count == NOTIFICATIONS, "each notification queued one e-mail task in Redis"

    outbox = tmp_path / "outbox"
    env = process_env(
        DATABASE_URL=database_url_for_workers(tmp_path),
        TANDEM_TASK_BACKEND="rq",
        TANDEM_REDIS_URL=REDIS_TEST_URL,
        TANDEM_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        TANDEM_EMAIL_FILE_PATH=str(outbox),
        TANDEM_VAR_DIR=str(tmp_path / "var"),
    )
    # --burst: each worker stops once the queue is empty, so both ending means it drained.
    # Each worker in a session of its own: should one hang, killing its group stops the
    # job processes it forked too, which would otherwise write into the next run's Redis.
    workers = [
        subprocess.Popen(  # noqa: S603 (our own interpreter and command)
            tandem_command("rqworker", "--burst", "--verbosity", "0", "--name", name, "default"),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        for name in WORKERS
    ]
    try:
        errors = [worker.communicate(timeout=DRAIN_LIMIT_SECONDS)[1] for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
    assert [worker.returncode for worker in workers] == [0, 0], errors

    assert queue.count == 0
    assert FailedJobRegistry(queue=queue).count == 0, errors
    finished = FinishedJobRegistry(queue=queue).get_job_ids()
    assert len(finished) == NOTIFICATIONS
    jobs = Job.fetch_many(finished, connection=rq_settings)
    runs = [result.worker_name for job in jobs if job for result in job.results()]
    assert len(runs) == NOTIFICATIONS, "every job ran once: none twice, none lost"
    assert set(runs) == set(WORKERS), "both workers took jobs from the one queue"

    sent = recipients_in(outbox)
    assert sorted(sent) == sorted(person.email for person in people)
