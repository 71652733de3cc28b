"""Demo data for integrations: one Slack webhook, serving everyone, aimed at the local test
receiver (`tandem chat-receiver`, started by `make run`), so choosing "In chat" on the
settings page shows the messages in the terminal. Nobody chooses chat in the demo itself."""

from __future__ import annotations

from datetime import date

from tandem.core.encryption import seal
from tandem.integrations.models import ChatWebhook, Provider
from tandem.integrations.services import PURPOSE
from tandem.org.demo import Progress, register_demo

RECEIVER_PORT = 8765
DEMO_URL = f"http://127.0.0.1:{RECEIVER_PORT}/slack"


@register_demo
def load_demo(*, seed: int, today: date, progress: Progress) -> None:
    if ChatWebhook.objects.exists():
        return
    # Written directly, like the rest of the demo: its one audit event is the load itself.
    ChatWebhook.objects.create(
        provider=Provider.SLACK,
        name="#demo-everyone (local receiver)",
        url_sealed=seal(DEMO_URL, purpose=PURPOSE),
        url_hint=DEMO_URL[-4:],
    )
