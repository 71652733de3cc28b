"""The weekly digest: one e-mail per person listing their "weekly digest" notifications.

Exactly once: a run claims what it sends by stamping `digested_at` in one conditional
UPDATE (…WHERE digested_at IS NULL), so two runs at once, or one run after another, never
list the same notification twice; only notifications from before `today` are included, so
a second run on the same day finds nothing and sends no second e-mail. The e-mails are
queued as tasks inside the same transaction as the stamp (the database task backend stores
them in that transaction): either both happen or neither does.

Scale: people with something pending are found through the partial digest index, in
batches of BATCH_SIZE by person id; each batch costs a fixed number of queries plus one
queued e-mail per person.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from tandem.core.tasks import send_email
from tandem.notifications.kinds import Delivery, kind_label
from tandem.notifications.models import Notification
from tandem.notifications.unsubscribe import DIGEST, unsubscribe_headers
from tandem.org.models import Person
from tandem.org.services.invitations import sign_in_paragraph

BATCH_SIZE = 500
LISTED_PER_PERSON = 25
DIGEST_WEEKDAY = 0  # Monday (date.weekday()); the settings page says so


@dataclass
class DigestRun:
    people: int = 0  # people e-mailed
    notifications: int = 0  # notifications listed or counted in those e-mails


def cutoff_for(today: dt.date) -> dt.datetime:
    """The start of `today` in the company's time zone: the digest covers what came before."""
    return dt.datetime.combine(today, dt.time.min, tzinfo=timezone.get_default_timezone())


def pending(cutoff: dt.datetime) -> QuerySet[Notification]:
    return Notification.objects.filter(
        delivery=Delivery.DIGEST, digested_at__isnull=True, created_at__lt=cutoff
    )


def people_waiting(today: dt.date) -> int:
    """How many people have a digest waiting (one query, on the digest index)."""
    return pending(cutoff_for(today)).values("person_id").distinct().count()


def send_weekly_digests(today: dt.date) -> DigestRun:
    cutoff = cutoff_for(today)
    run = DigestRun()
    after = 0
    while True:
        ids = list(
            pending(cutoff)
            .filter(person_id__gt=after)
            .order_by("person_id")
            .values_list("person_id", flat=True)
            .distinct()[:BATCH_SIZE]
        )
        if not ids:
            return run
        sent_people, sent_items = _send_batch(ids, cutoff=cutoff, today=today)
        run.people += sent_people
        run.notifications += sent_items
        after = ids[-1]


def _send_batch(ids: list[int], *, cutoff: dt.datetime, today: dt.date) -> tuple[int, int]:
    with transaction.atomic():
        stamp = timezone.now()
        # The claim: only rows still pending are stamped, so a concurrent run cannot take
        # them too (PostgreSQL re-checks the condition after waiting for the row lock).
        claimed = pending(cutoff).filter(person_id__in=ids).update(digested_at=stamp)
        if not claimed:
            return 0, 0
        mine = Notification.objects.filter(person_id__in=ids, digested_at=stamp)
        totals = dict(
            mine.values("person_id").annotate(n=Count("pk")).values_list("person_id", "n")
        )
        listed = (
            mine.annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("person_id")],
                    order_by=[F("created_at").desc(), F("pk").desc()],
                )
            )
            .filter(rank__lte=LISTED_PER_PERSON)
            .order_by("person_id", "-created_at", "-pk")
        )
        by_person: dict[int, list[Notification]] = {}
        for notification in listed:
            by_person.setdefault(notification.person_id, []).append(notification)
        # People who left since are not e-mailed; their items are still marked as done.
        people = Person.objects.filter(pk__in=list(totals), is_active=True).only(
            "pk",
            "email",
            "first_name",
            "preferred_name",
            "last_name",
            "time_zone",
            "password",
            "status",
            "is_active",
        )
        sent_people = sent_items = 0
        for person in people:
            subject, body = digest_message(
                person, by_person.get(person.pk, []), total=totals[person.pk], today=today
            )
            # Someone with no password yet gets their way in with it (an invitation link).
            way_in = sign_in_paragraph(person=person, about=subject)
            if way_in:
                body = f"{body}\n\n{way_in}"
            # One click in the mail program stops the digest (every kind it lists: RFC 8058).
            headers = unsubscribe_headers(person_id=person.pk, kind=DIGEST)
            send_email.enqueue(subject, body, [person.email], "", headers)
            sent_people += 1
            sent_items += totals[person.pk]
    return sent_people, sent_items


@functools.cache
def _links() -> tuple[str, str]:
    """The digest's links, reversed once per process: 100,000 e-mails add up."""
    return reverse("notifications:list"), reverse("notifications:settings")


def digest_message(
    person: Person, items: list[Notification], *, total: int, today: dt.date
) -> tuple[str, str]:
    site = settings.SITE_URL.rstrip("/")
    first = person.preferred_name or person.first_name
    subject = f"Your week in Tandem: {total} notification{'s' if total != 1 else ''}"
    lines = [
        f"Hello {first},",
        "",
        f"Here is what happened in Tandem in the week before {today:%A %d %B %Y}:",
        "",
    ]
    try:
        zone: dt.tzinfo = zoneinfo.ZoneInfo(person.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = timezone.get_default_timezone()
    list_link, settings_link = _links()
    for item in items:
        when = timezone.localtime(item.created_at, zone).strftime("%a %d %b")
        # Straight to what it is about: opening a notification (marking it read) is a POST,
        # which a link in an e-mail cannot make. Only paths inside Tandem are linked.
        local = item.url.startswith("/") and not item.url.startswith("//")
        link = site + (item.url if local else list_link)
        lines.append(f"- {item.title} ({kind_label(item.kind)}, {when})")
        lines.append(f"  {link}")
    if total > len(items):
        more = total - len(items)
        lines += ["", f"…and {more} more: {site}{list_link}"]
    lines += [
        "",
        "You get this e-mail every Monday because you chose the weekly digest for these.",
        f"Choose how you hear about each kind: {site}{settings_link}",
    ]
    return subject, "\n".join(lines)
