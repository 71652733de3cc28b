"""Background work for 1:1s (django-tasks), queued after commit and given ids."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from tandem.core import mail
from tandem.core.tasks import send_now
from tandem.meetings.calendar import series_calendar
from tandem.meetings.models import Meeting, MeetingStatus, Series, SeriesStatus
from tandem.meetings.schedule import zone


@task()
def send_series_invitation(series_id: int) -> int:
    """E-mail both people the series' calendar invitation (a recurring event, .ics) through
    the outbox (core.mail): written first, then handed to SMTP, retried until accepted.
    Returns 1 when the server accepted it now, 0 when it waits for a retry (or no one)."""
    series = (
        Series.objects.select_related("manager", "report")
        .filter(pk=series_id, status=SeriesStatus.ACTIVE)
        .first()
    )
    if series is None:
        return 0
    first = (
        Meeting.objects.filter(series=series, status=MeetingStatus.SCHEDULED)
        .order_by("starts_at")
        .first()
    )
    people = [p for p in (series.manager, series.report) if p.is_active]
    if not people:
        return 0
    start = (first.starts_at if first else series.first_start).astimezone(zone(series.time_zone))
    link = settings.SITE_URL + reverse("meetings:series", args=[series.pk])
    body = (
        f"{series.manager.display_name} and {series.report.display_name} now have a "
        f"{series.get_cadence_display().lower()} 1:1 of {series.duration_minutes} minutes, "
        f"starting {start:%A %d %B %Y at %H:%M} ({series.time_zone}).\n\n"
        "The invitation is attached: open it to add the series to your calendar.\n"
        f"Prepare the agenda together here: {link}\n\n"
        "Private notes you write in a 1:1 are readable by you alone."
    )
    email = mail.queue_email(
        to=[p.email for p in people],
        subject=f"1:1: {series.manager.display_name} / {series.report.display_name}",
        text=body,
        attachments=[
            mail.Attachment(
                filename="one-on-one.ics",
                # iCalendar is UTF-8 text; Django attaches text/* content as text either way.
                content=series_calendar(series, first=first).decode(),
                mimetype="text/calendar",
            )
        ],
    )
    return int(send_now(email.pk))
