"""The IT page's line for outgoing webhooks: how many endpoints, which are failing or
switched off by Tandem, and the last delivery. Counts and names only."""

from __future__ import annotations

from django.db.models import Max
from django.urls import reverse

from tandem.integrations.status import State, StatusLine
from tandem.integrations.webhooks.models import Endpoint


def lines() -> list[StatusLine]:
    endpoints = list(
        Endpoint.objects.only(
            "name", "enabled", "disabled_reason", "failing_since", "last_success_at"
        ).order_by("name", "pk")
    )
    manage = reverse("integrations_webhooks:endpoints")
    title = "Outgoing webhooks"
    if not endpoints:
        return [StatusLine(title, "off", "No endpoints yet.", manage_url=manage)]
    stopped = [e.name for e in endpoints if not e.enabled and e.disabled_reason]
    failing = [e.name for e in endpoints if e.enabled and e.failing_since is not None]
    enabled = [e for e in endpoints if e.enabled]
    last = Endpoint.objects.aggregate(last=Max("last_success_at"))["last"]
    count = f"{len(enabled)} of {len(endpoints)} endpoint{'s' if len(endpoints) != 1 else ''} on"
    state: State
    if stopped:
        state = "failing"
        summary = f"{count}; switched off after failing: {', '.join(stopped)}."
    elif failing:
        state = "attention"
        summary = f"{count}; failing now, retrying: {', '.join(failing)}."
    elif not enabled:
        state = "off"
        summary = f"{count}."
    else:
        state = "ok"
        summary = f"{count}."
    return [StatusLine(title, state, summary, last_activity=last, manage_url=manage)]
