"""Benchmark outgoing webhooks: the fan-out of 10,000 events, drained by two workers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_bench .venv/bin/python bench/webhooks.py
    ... bench/webhooks.py --backend rq      # the Redis queue (127.0.0.1:6379, database 12)

The database is named like bench/org.py's with "webhooks" in front of "bench"
(tandem_bench -> tandem_webhooksbench), created and migrated when missing; SQLite works too
(without DATABASE_URL: var/bench/webhooks.sqlite3). Steps:

1. a receiver on loopback (a threaded http.server) that verifies every event's signature
   with `standardwebhooks` and counts distinct `webhook-id`s, and one endpoint subscribed
   to goal.closed pointing at it (TANDEM_WEBHOOKS_ALLOW_LOCAL=true);
2. 10,000 goal.closed audit events written in one `record_built` call — the path of any
   service write: the audit listener queues the fan-out after the commit (20 tasks of 500);
3. two workers started (`tandem db_worker`, or `tandem rqworker` for --backend rq), timed
   from their start until every delivery is delivered and the receiver holds 10,000
   distinct ids. Target: under 2 minutes.

Each run deletes its messages, deliveries, endpoint and (SQL) its audit events afterwards.
Results go to the "Outgoing webhooks" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
EVENTS = 10_000
TARGET_S = 120


def _database_url() -> str:
    given = os.environ.get("DATABASE_URL")
    if not given:
        path = ROOT / "var" / "bench" / "webhooks.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    parts = urlsplit(given)
    name = parts.path.lstrip("/") or "tandem_bench"
    name = name.replace("bench", "webhooksbench", 1) if "bench" in name else f"{name}_webhooks"
    return urlunsplit(parts._replace(path=f"/{name}"))


def _create_postgres_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')


class Receiver:
    def __init__(self, secret: str) -> None:
        from standardwebhooks import Webhook

        self.hook = Webhook(secret)
        self.ids: set[str] = set()
        self.requests = 0
        self.bad = 0
        self.lock = threading.Lock()

    def handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    receiver.hook.verify(body, headers)
                    ok = True
                except Exception:
                    ok = False
                with receiver.lock:
                    receiver.requests += 1
                    if ok:
                        receiver.ids.add(headers["webhook-id"])
                    else:
                        receiver.bad += 1
                self.send_response(204 if ok else 401)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


def run(backend: str, events: int) -> dict[str, Any]:
    url = _database_url()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TANDEM_WEBHOOKS_ALLOW_LOCAL": "true",
        "TANDEM_TASK_BACKEND": backend,
        "TANDEM_REDIS_URL": "redis://127.0.0.1:6379/12",
        "PYTHONPATH": str(ROOT / "src"),
    }
    os.environ.update(env)
    if url.startswith("postgres"):
        _create_postgres_database(url)
    tandem = str(Path(sys.executable).parent / "tandem")
    subprocess.run([tandem, "migrate", "-v0"], env=env, check=True)  # noqa: S603

    sys.path.insert(0, str(ROOT / "src"))  # this checkout's code, not the installed one
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    django.setup()
    from django.db import connection
    from django.utils import timezone

    from tandem.audit.models import AuditEvent
    from tandem.audit.services import record_built
    from tandem.core.encryption import seal
    from tandem.integrations.webhooks import sending, services
    from tandem.integrations.webhooks.models import Delivery, DeliveryStatus, Endpoint, Message

    secret = sending.new_secret()
    receiver = Receiver(secret)
    server = ThreadingHTTPServer(("127.0.0.1", 0), receiver.handler())
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]

    endpoint = Endpoint.objects.create(
        name="Bench receiver",
        url=f"http://127.0.0.1:{port}/hook",
        event_types=["goal.closed"],
        secret_sealed=seal(secret, purpose=services.PURPOSE),
    )
    now = timezone.now()
    built = [
        AuditEvent(
            at=now,
            actor_label="bench",
            kind="goal.closed",
            object_type="goals.goal",
            object_id=str(i),
            object_label=f"Bench goal {i}",
            changes={"score": 0.7},
        )
        for i in range(events)
    ]
    started_write = time.monotonic()
    written = record_built(built)  # autocommit: the listener queues the fan-out at once
    write_s = time.monotonic() - started_write
    first, last = written[0].pk, written[-1].pk

    if backend == "rq":
        workers = [
            subprocess.Popen(  # noqa: S603 (our own command)
                [tandem, "rqworker", "default", "--burst"], env=env, stdout=subprocess.DEVNULL
            )
            for _ in range(2)
        ]
    else:
        workers = [
            subprocess.Popen(  # noqa: S603 (our own command)
                [
                    tandem,
                    "db_worker",
                    "--no-startup-delay",
                    "--no-reload",
                    "--interval",
                    "0.05",
                    "-v0",
                ],
                env=env,
                stdout=subprocess.DEVNULL,
            )
            for _ in range(2)
        ]
    started = time.monotonic()
    deadline = started + 10 * TARGET_S
    delivered = 0
    while time.monotonic() < deadline:
        delivered = Delivery.objects.filter(
            endpoint=endpoint, status=DeliveryStatus.DELIVERED
        ).count()
        if delivered >= events and len(receiver.ids) >= events:
            break
        time.sleep(0.5)
    drain_s = time.monotonic() - started
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(timeout=30)
    server.shutdown()
    result = {
        "backend": backend,
        "database": connection.vendor,
        "events": events,
        "write_s": round(write_s, 2),
        "drain_s": round(drain_s, 1),
        "delivered": delivered,
        "distinct_ids": len(receiver.ids),
        "requests": receiver.requests,
        "bad_signatures": receiver.bad,
        "per_s": round(delivered / drain_s, 1) if drain_s else 0,
        "target_met": drain_s < TARGET_S and delivered >= events,
    }
    # Leave the database as it was (the audit trail is append-only, so its rows go in SQL).
    message_ids = Message.objects.filter(audit_event_id__gte=first, audit_event_id__lte=last)
    Delivery.objects.filter(endpoint=endpoint).delete()
    message_ids.delete()
    endpoint.delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id BETWEEN %s AND %s", [first, last])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["database", "rq"], default="database")
    parser.add_argument("--events", type=int, default=EVENTS)
    args = parser.parse_args()
    print(json.dumps(run(args.backend, args.events), indent=2))


if __name__ == "__main__":
    main()
