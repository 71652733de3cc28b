"""1:1s: a recurring conversation between two people, its meetings and what they share.

Everything in a 1:1 (agenda, shared notes, action items) belongs to its two participants
alone; HR admins see only that a series exists and when its meetings happen. A private note
is readable by its author alone — no role, HR included, reads another person's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tandem.program.models import MeetingCadence

AGENDA_TEXT_MAX = 500
ACTION_TEXT_MAX = 500
NOTES_MAX = 20_000


class SeriesKind(models.TextChoices):
    DIRECT = "direct", "Manager and report"
    SKIP_LEVEL = "skip_level", "Skip-level"


class SeriesStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    ACTIVE = "active", "Active"
    DECLINED = "declined", "Declined"
    ENDED = "ended", "Ended"


class Series(models.Model):
    """A 1:1 series: two people (the manager, or the skip-level manager, and the report) who
    meet on a cadence. A skip-level series starts as the report's request and becomes active
    when the manager's manager accepts it.

    Meetings recur at the same local wall-clock time in `time_zone`, so a 10:00 1:1 stays
    at 10:00 across daylight-saving changes."""

    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    report = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=SeriesKind.choices, default=SeriesKind.DIRECT)
    status = models.CharField(
        max_length=10, choices=SeriesStatus.choices, default=SeriesStatus.ACTIVE
    )
    cadence = models.CharField(max_length=12, choices=MeetingCadence.choices)
    first_start = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=30)
    time_zone = models.CharField(max_length=64, default="UTC")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "series"
        indexes = [
            models.Index(fields=["manager", "status"], name="series_manager_idx"),
            models.Index(fields=["report", "status"], name="series_report_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["manager", "report"],
                condition=Q(status__in=["requested", "active"]),
                name="one_open_series_per_pair",
            ),
            models.CheckConstraint(condition=~Q(manager=models.F("report")), name="series_two"),
        ]

    def __str__(self) -> str:
        return f"1:1 {self.manager} / {self.report}"

    def participant_ids(self) -> tuple[int, int]:
        return (self.manager_id, self.report_id)

    def other(self, person_id: int | None) -> int:
        return self.report_id if person_id == self.manager_id else self.manager_id


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"


class Meeting(models.Model):
    """One meeting of a series. `slot` is where the cadence put it; `starts_at` is when it
    happens (different after a reschedule). Marking it held schedules the next one."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="meetings")
    slot = models.DateTimeField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    held_at = models.DateTimeField(null=True, blank=True)
    shared_notes = models.TextField(blank=True)
    notes_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["series", "-starts_at", "-id"], name="meeting_series_idx"),
            models.Index(fields=["status", "starts_at"], name="meeting_status_start_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.series} on {self.starts_at:%Y-%m-%d %H:%M}"


class AgendaItem(models.Model):
    """Something one of the two wants to talk about, added before (or during) the meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField(max_length=AGENDA_TEXT_MAX)
    position = models.PositiveIntegerField(default=0)
    done = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["meeting", "position", "id"], name="agenda_meeting_idx")]

    def __str__(self) -> str:
        return f"agenda item {self.pk}"


class PrivateNote(models.Model):
    """A note one participant keeps about a meeting. Readable by its author alone: it is
    never shown to the other participant, to managers, to HR, in the API or in the audit
    trail (which records only that it was edited)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "author"], name="one_private_note_each")
        ]

    def __str__(self) -> str:
        return f"private note {self.pk}"


class ActionItem(models.Model):
    """Something one of the two will do, by a date. Until it is done it shows on every
    following meeting of the series (the same item, with where it came from), and ticking it
    off anywhere ticks it off everywhere. `closed_in` is the meeting where it was ticked off,
    so earlier meetings still show it as it stood then."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="action_items")
    origin = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField(max_length=ACTION_TEXT_MAX)
    due_date = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    closed_in = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The origin meeting's start, copied so "items open at this meeting" is one index range.
    origin_starts_at = models.DateTimeField()
    closed_in_starts_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["origin_starts_at", "id"]
        indexes = [
            models.Index(fields=["series", "origin_starts_at"], name="action_series_idx"),
            models.Index(
                fields=["owner"], condition=Q(done_at__isnull=True), name="action_open_owner_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"action item {self.pk}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
