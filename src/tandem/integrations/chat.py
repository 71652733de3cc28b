"""Talking to Slack and Microsoft Teams: the address rules, the message, one POST, and what
the answer means in plain words.

The message carries the notification's title, whom it is for and a link into Tandem —
never the notification's text, which may be private (the channel is shared). One POST per
call, with a short timeout and no redirects followed, so a slow or hostile endpoint delays
nothing else and cannot bounce Tandem to another address."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from tandem.integrations.models import Provider

TIMEOUT_SECONDS = 5.0
# Retry-After is honoured up to this; a provider asking for longer gets this.
MAX_RETRY_AFTER = 15 * 60
# Back-off between attempts after a 5xx, a timeout or a refused connection: 30 s, 1, 2, 4 min.
BACKOFF_SECONDS = 30
MAX_ATTEMPTS = 5

HOSTS: dict[str, tuple[str, ...]] = {  # by Provider value
    Provider.SLACK: ("hooks.slack.com",),
    Provider.TEAMS: (".webhook.office.com", ".logic.azure.com", ".powerplatform.com"),
}
HOST_WORDS: dict[str, str] = {
    Provider.SLACK: "hooks.slack.com",
    Provider.TEAMS: "*.webhook.office.com, *.logic.azure.com or *.powerplatform.com",
}


def allow_local() -> bool:
    return bool(settings.DEBUG or settings.CHAT_ALLOW_LOCAL_WEBHOOKS)


def address_problem(provider: str, url: str) -> str | None:
    """Why `url` cannot be `provider`'s incoming webhook, in a sentence; None when it can."""
    name = Provider(provider).label if provider in Provider.values else "The provider"
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 (raises ValueError on a port that is not a number)
    except ValueError:
        return "This is not a web address; paste the webhook's whole URL, starting https://."
    if parts.scheme not in ("http", "https") or not host or any(c.isspace() for c in url.strip()):
        return "This is not a web address; paste the webhook's whole URL, starting https://."
    if allow_local():
        return None
    if parts.scheme != "https":
        return (
            "The address must start with https:// — webhooks carry messages in the clear otherwise."
        )
    if parts.username or parts.password:
        return "The address must not contain a user name or password."
    allowed = HOSTS.get(provider, ())
    if not any(host == a or (a.startswith(".") and host.endswith(a)) for a in allowed):
        return (
            f"This is not a {name} webhook address: it must be on {HOST_WORDS.get(provider, '')} "
            f"(this one is on {host})."
        )
    return None


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def payload(provider: str, *, title: str, for_name: str, link: str) -> dict[str, object]:
    """The JSON body for `provider`: Slack's `{"text"}` with a mrkdwn link, or a Teams
    message holding an Adaptive Card (what Teams Workflows webhooks accept)."""
    if provider == Provider.SLACK:
        text = f"<{link}|{_slack_escape(title)}>\nFor {_slack_escape(for_name)} · Tandem"
        return {"text": text}
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": [
                        {"type": "TextBlock", "text": title, "weight": "Bolder", "wrap": True},
                        {
                            "type": "TextBlock",
                            "text": f"For {for_name} · Tandem",
                            "isSubtle": True,
                            "wrap": True,
                        },
                    ],
                    "actions": [{"type": "Action.OpenUrl", "title": "Open in Tandem", "url": link}],
                },
            }
        ],
    }


@dataclass(frozen=True)
class Answer:
    """What came of one POST: delivered, worth another try (after `retry_after` seconds at
    least), or failed for good; `message` says it in plain words for IT."""

    delivered: bool
    retry: bool
    message: str
    retry_after: int | None = None


def _retry_after(response: httpx.Response) -> int | None:
    raw = response.headers.get("Retry-After", "").strip()
    if raw.isdigit():
        return min(int(raw), MAX_RETRY_AFTER)
    return None


def explain(provider: str, response: httpx.Response) -> Answer:
    name = Provider(provider).label
    code = response.status_code
    said = f"{name} answered {code}"
    if 200 <= code < 300:
        return Answer(True, False, f"{said}: delivered.")
    if code == 429:
        wait = _retry_after(response)
        asked = f" (asked to wait {wait} s)" if wait is not None else ""
        return Answer(False, True, f"{said}: too many messages at once{asked}.", wait)
    if code >= 500:
        return Answer(False, True, f"{said}: a problem on {name}'s side.")
    if code in (404, 410):
        return Answer(
            False,
            False,
            f"{said}: the webhook was deleted (or its channel archived) — create a new one "
            "and paste its URL.",
        )
    if code in (401, 403):
        return Answer(
            False,
            False,
            f"{said}: the webhook was revoked or its app removed from the channel — create "
            "a new one and paste its URL.",
        )
    if 300 <= code < 400:
        return Answer(
            False,
            False,
            f"{said}: it sent Tandem elsewhere, which Tandem does not follow — check the URL.",
        )
    detail = " ".join(response.text[:120].split())
    return Answer(
        False,
        False,
        f"{said}: it refused the message{f' ({detail})' if detail else ''} — check the URL "
        "and the provider chosen.",
    )


def post(
    provider: str, url: str, body: dict[str, object], *, timeout: float | None = None
) -> Answer:
    """POST `body` to `url` once and say what came of it. Never raises for network trouble."""
    name = Provider(provider).label
    seconds = TIMEOUT_SECONDS if timeout is None else timeout
    try:
        response = httpx.post(url, json=body, timeout=seconds, follow_redirects=False)
    except httpx.TimeoutException:
        return Answer(False, True, f"{name} did not answer within {seconds:g} s.")
    except httpx.HTTPError as error:
        return Answer(
            False,
            True,
            f"{name} could not be reached ({type(error).__name__}).",
        )
    return explain(provider, response)
