"""The day-before reminder: both people hear about tomorrow's 1:1, with the agenda so far.

Registered with `tandem.core.reminders`; `tandem send-reminders` runs it daily. Exactly once
per meeting and person (dedupe key), however often it runs."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count

from tandem.core.reminders import register
from tandem.meetings.models import AgendaItem, Meeting, MeetingStatus
from tandem.meetings.schedule import zone
from tandem.meetings.services import meeting_url
from tandem.notifications.services import Message, notify_many

# Time zones run from UTC−12 to UTC+14: a meeting "tomorrow" somewhere starts within this
# margin of tomorrow in UTC. The exact local day is checked per meeting below.
MARGIN = timedelta(hours=15)
BATCH = 500


def dedupe_key(meeting_id: int, person_id: int) -> str:
    return f"meetings.agenda:{meeting_id}:{person_id}"


@register
def send_agenda_reminders(today: date) -> int:
    """Remind both people of every 1:1 tomorrow (in the series' time zone); returns how many
    notifications are new. A fixed number of queries per batch of meetings, however many
    meetings a large company has tomorrow: the meetings are streamed and each batch is sent
    with one `notify_many`, never a `notify` (several queries) per person."""
    tomorrow = today + timedelta(days=1)
    start = datetime.combine(tomorrow, time.min, tzinfo=UTC) - MARGIN
    end = datetime.combine(tomorrow + timedelta(days=1), time.min, tzinfo=UTC) + MARGIN
    window = (
        Meeting.objects.filter(
            status=MeetingStatus.SCHEDULED, starts_at__gte=start, starts_at__lt=end
        )
        .select_related("series__manager", "series__report")
        .order_by("starts_at", "pk")
    )
    sent = 0
    batch: list[Meeting] = []
    for meeting in window.iterator(chunk_size=BATCH):
        if meeting.starts_at.astimezone(zone(meeting.series.time_zone)).date() != tomorrow:
            continue
        batch.append(meeting)
        if len(batch) >= BATCH:
            sent += _remind(batch)
            batch = []
    if batch:
        sent += _remind(batch)
    return sent


def _remind(meetings: list[Meeting]) -> int:
    # How many items, never their text: an e-mail lands in mailboxes, archives and phones
    # Tandem does not control, and a 1:1's agenda is the two participants' alone.
    counts: dict[int, int] = dict(
        AgendaItem.objects.filter(meeting__in=[m.pk for m in meetings])
        .values("meeting_id")
        .annotate(n=Count("pk"))
        .values_list("meeting_id", "n")
    )
    messages = []
    for meeting in meetings:
        series = meeting.series
        count = counts.get(meeting.pk, 0)
        agenda = (
            f"{count} item{'s' if count != 1 else ''} on the agenda so far: open the 1:1 in "
            "Tandem to read them and add yours."
            if count
            else "Nothing on the agenda yet: open the 1:1 in Tandem to add what you want to "
            "talk about."
        )
        for person, other in ((series.manager, series.report), (series.report, series.manager)):
            local = meeting.starts_at.astimezone(zone(person.time_zone))
            messages.append(
                Message(
                    person_id=person.pk,
                    title=f"Your 1:1 with {other.display_name} tomorrow at {local:%H:%M}",
                    body=f"Your 1:1 with {other.display_name} is tomorrow at {local:%H:%M}. "
                    + agenda,
                    url=meeting_url(meeting),
                    dedupe_key=dedupe_key(meeting.pk, person.pk),
                )
            )
    return notify_many(kind="meetings.agenda", messages=messages)
