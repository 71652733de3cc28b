"""Every kind of notification Tandem sends, with its plain label and default delivery.

A feature adds its kinds here; people choose per kind how they hear about it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Delivery(models.TextChoices):
    EMAIL = "email", "E-mail and in Tandem"
    IN_APP = "in_app", "Only in Tandem"
    DIGEST = "digest", "In Tandem, and in a weekly e-mail digest"
    OFF = "off", "Not at all"


@dataclass(frozen=True)
class Kind:
    label: str
    default: str = Delivery.EMAIL


KINDS: dict[str, Kind] = {
    "feedback.received": Kind("Feedback you received"),
    "feedback.request": Kind("Someone asks you for feedback"),
    "feedback.request_reminder": Kind("Reminders before a feedback request is due"),
    "feedback.upward_released": Kind("Anonymous feedback from your team is ready"),
    "praise.received": Kind("Praise you received"),
    "mention": Kind("Someone mentions you in a comment"),
    "goals.checkin_reminder": Kind("Reminder to write your weekly check-in"),
    "goals.comment": Kind("Comments on your goals", Delivery.IN_APP),
    "meetings.agenda": Kind("Your 1:1 tomorrow and its agenda"),
    "meetings.action_item": Kind("Action items given to you", Delivery.IN_APP),
}


def kind_label(kind: str) -> str:
    return KINDS[kind].label if kind in KINDS else kind
