"""`tandem serve`: the production web server (gunicorn) with the same settings."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.env import env_int, env_str


def default_workers() -> int:
    # gunicorn's rule of thumb (2 x cores + 1), capped so a big host does not open more
    # database connections than a default PostgreSQL allows.
    return min(2 * (os.cpu_count() or 1) + 1, 12)


def gunicorn_argv(*, bind: str, workers: int, timeout: int, extra: list[str]) -> list[str]:
    return [
        "gunicorn",
        "tandem.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--timeout",
        str(timeout),
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        env_str("TANDEM_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        # gunicorn's most (its default is 4094): an API page link (`cursor`, up to 500
        # characters) with a search (`q`) in non-Latin letters, percent-encoded, is longer
        # than 4 KB and must reach Tandem, which answers it (or a 422) in JSON.
        "--limit-request-line",
        "8190",
        *extra,
    ]


# What every response's Server header says. gunicorn writes "Server: gunicorn" itself, below
# WSGI, so no middleware can remove it, and it has no setting for it; naming the software
# (and so which advisories apply) helps only an attacker. The header is set from the module
# global gunicorn.http.wsgi.SERVER, which this replaces before the workers start.
SERVER_HEADER = "Tandem"


def hide_server_software() -> None:
    import gunicorn.http.wsgi

    gunicorn.http.wsgi.SERVER = SERVER_HEADER
    # WSGI's SERVER_SOFTWARE ("gunicorn/<version>") is only seen by the application, which
    # never shows it; it is neutralised too, so no error page could ever repeat it.
    gunicorn.http.wsgi.SERVER_SOFTWARE = SERVER_HEADER


class Command(BaseCommand):
    help = (
        "Serve Tandem with gunicorn. Address from TANDEM_BIND (default 127.0.0.1:8000), "
        "worker processes from TANDEM_WORKERS (default 2 x CPU cores + 1, at most 12)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", help="host:port or unix:/path (overrides TANDEM_BIND)")
        parser.add_argument("--workers", type=int, help="overrides TANDEM_WORKERS")
        parser.add_argument(
            "--print", action="store_true", help="print the gunicorn command and exit"
        )
        parser.add_argument("extra", nargs="*", help="further gunicorn options, after --")

    def handle(self, *args: Any, **options: Any) -> None:
        bind = options["bind"] or env_str("TANDEM_BIND", "127.0.0.1:8000")
        workers = options["workers"] or env_int("TANDEM_WORKERS", default_workers(), minimum=1)
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        timeout = env_int("TANDEM_WORKER_TIMEOUT", 60, minimum=5)
        argv = gunicorn_argv(bind=bind, workers=workers, timeout=timeout, extra=options["extra"])
        if options["print"]:
            self.stdout.write(" ".join(argv))
            return
        from gunicorn.app.wsgiapp import run

        hide_server_software()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
        sys.argv = argv
        self.stderr.write(f"Serving Tandem on {bind} with {workers} worker(s).")
        run()
