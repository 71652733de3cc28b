"""`tandem chat-receiver`: a stand-in for Slack and Teams on this machine, for the demo."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tandem.integrations.demo import RECEIVER_PORT

MAX_BODY = 64 * 1024


class _Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY)
        raw = self.rfile.read(length)
        try:
            body: Any = json.loads(raw)
        except ValueError:
            body = raw.decode("utf-8", "replace")
        print(f"[chat {self.path}] {json.dumps(body, ensure_ascii=False)}", flush=True)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: Any) -> None:
        return


class Command(BaseCommand):
    help = "Run a local stand-in for Slack/Teams webhooks that prints what Tandem posts (demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=RECEIVER_PORT)

    def handle(self, *args: Any, **options: Any) -> None:
        server = ThreadingHTTPServer(("127.0.0.1", options["port"]), _Receiver)
        self.stdout.write(f"Chat receiver on http://127.0.0.1:{options['port']}/ (Ctrl+C stops)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
