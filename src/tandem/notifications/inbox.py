"""“Things waiting for you”: what each feature is waiting for this person to do.

Features register a provider from their own app, at start-up (in AppConfig.ready or a module
it imports):

    from tandem.notifications.inbox import InboxItem, register_provider

    @register_provider
    def feedback_requests(person: Person) -> list[InboxItem]:
        ...

The contract for a provider, because the inbox count is on the home page and every provider
runs on every home page view:
- it runs a FIXED number of queries (one or two), whatever the person has waiting: no query
  per item, no loop over a queryset;
- it returns at most PROVIDER_LIMIT items (slice the queryset, `[:PROVIDER_LIMIT]`),
  soonest due first. That is one more than the inbox lists, so it can say "50+";
  anything beyond is cut off here anyway;
- it returns only what this person must act on, and only what they may see;
- it never writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

MAX_PER_PROVIDER = 50  # listed per provider
PROVIDER_LIMIT = MAX_PER_PROVIDER + 1  # asked of each provider (one more: "there are more")


@dataclass(frozen=True)
class InboxItem:
    """One thing waiting for a person: what it is, where to do it, and by when."""

    kind: str  # e.g. "feedback.request", "goals.checkin", "meetings.agenda"
    title: str  # "Ana asked for your feedback"
    url: str  # where to act on it
    due: date | None  # None when there is no date; listed after the dated ones
    source: str  # the feature, as people call it: "Feedback", "Goals", "1:1s"


Provider = Callable[[Any], list[InboxItem]]
PROVIDERS: list[Provider] = []


def register_provider(fn: Provider) -> Provider:
    """Add a provider (once: registering the same function again is a no-op)."""
    if fn not in PROVIDERS:
        PROVIDERS.append(fn)
    return fn


@dataclass(frozen=True)
class Inbox:
    items: list[InboxItem]
    # True when a provider had more than it may list: the count shows "N+".
    truncated: bool

    @property
    def count(self) -> int:
        return len(self.items)


def _sort_key(item: InboxItem) -> tuple[bool, date, str, str]:
    return (item.due is None, item.due or date.max, item.source, item.title)


def inbox_for(person: Any) -> Inbox:
    """Everything every provider has waiting for `person`, soonest due first."""
    items: list[InboxItem] = []
    truncated = False
    for provider in list(PROVIDERS):
        found = list(provider(person))
        if len(found) > MAX_PER_PROVIDER:
            truncated = True
            found = sorted(found, key=_sort_key)[:MAX_PER_PROVIDER]
        items.extend(found)
    return Inbox(items=sorted(items, key=_sort_key), truncated=truncated)


_REQUEST_ATTR = "_tandem_inbox"


def inbox_for_request(request: Any) -> Inbox:
    """The signed-in person's inbox, worked out once per request: the page that lists it
    (home, the inbox) and the sidebar's badges share it."""
    found = getattr(request, _REQUEST_ATTR, None)
    if found is None:
        found = inbox_for(request.user)
        setattr(request, _REQUEST_ATTR, found)
    return found


def inbox_already_worked_out(request: Any) -> Inbox | None:
    """The inbox this request has already worked out, if any (never works it out)."""
    return getattr(request, _REQUEST_ATTR, None)
