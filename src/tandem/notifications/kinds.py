"""Every kind of notification Tandem sends, with its plain label, what it is about, and its
default delivery.

A feature adds its kinds here; people choose per kind how they hear about it
(/notifications/settings/). `about` is shown on that page: say in plain words when the
notification comes and why it matters."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Delivery(models.TextChoices):
    EMAIL = "email", "E-mail and in Tandem"
    IN_APP = "in_app", "Only in Tandem"
    DIGEST = "digest", "In Tandem, and in a weekly e-mail digest"
    CHAT = "chat", "In chat (Slack/Teams) and in Tandem"
    OFF = "off", "Not at all"


# What each choice means, for the settings page (the digest goes out on Mondays).
DELIVERY_HELP: dict[str, str] = {
    Delivery.EMAIL: "An e-mail right away, and a notification in Tandem.",
    Delivery.IN_APP: "A notification in Tandem (the bell at the top of every page), no e-mail.",
    Delivery.DIGEST: "A notification in Tandem, and one e-mail every Monday listing the week's.",
    Delivery.CHAT: "A message in the chat channel IT set up for your part of the company, "
    "and a notification in Tandem.",
    Delivery.OFF: "Nothing at all: you will not hear about these.",
}


@dataclass(frozen=True)
class Kind:
    label: str
    default: str = Delivery.EMAIL
    about: str = ""
    # Only a manager can get it: people without reports are not asked how they want it.
    managers_only: bool = False


KINDS: dict[str, Kind] = {
    "integrations.webhook_disabled": Kind(
        "An outgoing webhook endpoint was switched off (IT admins)",
        about="When an endpoint in another system accepted no event for a day and Tandem "
        "stopped sending to it.",
    ),
    "exports.ready": Kind(
        "A large export you asked for is ready",
        default=Delivery.IN_APP,
        about="When a spreadsheet too large to build while you waited is ready to download "
        "(or could not be made).",
    ),
    "feedback.received": Kind(
        "Feedback you received",
        about="When a colleague sends you feedback you may read.",
    ),
    "feedback.request": Kind(
        "Someone asks you for feedback",
        about="When a colleague or a manager asks you for feedback, with its due date.",
    ),
    "feedback.request_reminder": Kind(
        "Reminders before a feedback request is due",
        about="A nudge shortly before a feedback request you have not answered is due.",
    ),
    "feedback.upward_released": Kind(
        "Anonymous feedback from your team is ready",
        about="When enough of your team have written anonymous feedback for it to be shown.",
        managers_only=True,
    ),
    "praise.received": Kind(
        "Praise you received",
        about="When someone praises you on the company feed.",
    ),
    "mention": Kind(
        "Someone mentions you in a comment",
        about="When someone writes @your-name in a comment on a goal, feedback or 1:1.",
    ),
    "goals.checkin_reminder": Kind(
        "Reminder to write your weekly check-in",
        about="Once a week, if you have not yet written this week's check-in on your goals.",
    ),
    "goals.comment": Kind(
        "Comments on your goals",
        Delivery.IN_APP,
        about="When someone comments on a goal you own.",
    ),
    "meetings.agenda": Kind(
        "Your 1:1 tomorrow and its agenda",
        about="The day before a 1:1, with the agenda so far, so you can prepare.",
    ),
    "meetings.action_item": Kind(
        "Action items given to you",
        Delivery.IN_APP,
        about="When an action item from a 1:1 is given to you.",
    ),
    "reviews.assigned": Kind(
        "A review for you to write",
        about="When a review cycle starts and you have a review to write, with its due date.",
    ),
    "reviews.nomination": Kind(
        "Peer nominations",
        about="When you are asked to write a peer review, when your nominations are approved "
        "or changed, and when a nomination waits for your approval or a peer declines.",
    ),
    "reviews.reminder": Kind(
        "Reminders before a review deadline",
        about="A nudge a few days before, and on the last day of, a review phase in which you "
        "still have something to do.",
    ),
    "reviews.shared": Kind(
        "Your review is ready to read",
        about="When your manager shares your review with you, and when you acknowledge it "
        "(your manager hears of that).",
    ),
    "team.weekly": Kind(
        "This week for your team",
        about="On Mondays, for managers: the flags on your team hub, your 1:1s this week and "
        "the reviews you have to write that are due this week. Only when something needs you.",
        managers_only=True,
    ),
}


def kind_label(kind: str) -> str:
    return KINDS[kind].label if kind in KINDS else kind
