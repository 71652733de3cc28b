"""The demo's webhook and the local receiver it points at."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer

from tandem.integrations import chat
from tandem.integrations.demo import DEMO_URL
from tandem.integrations.management.commands.chat_receiver import _Receiver
from tandem.integrations.models import ChatWebhook
from tandem.integrations.services import webhook_url
from tandem.org import demo


def test_the_demo_has_one_webhook_for_everyone_aimed_at_the_local_receiver(db):
    demo.load_demo(people=40, seed=3)

    [webhook] = ChatWebhook.objects.all()
    assert webhook.department is None and webhook.enabled
    assert webhook_url(webhook) == DEMO_URL


def test_the_local_receiver_prints_what_it_gets_and_answers_ok(capsys):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/slack"
        answer = chat.post("slack", url, {"text": "Hello from the test"})
    finally:
        server.shutdown()
        server.server_close()

    assert answer.delivered
    assert "Hello from the test" in capsys.readouterr().out
