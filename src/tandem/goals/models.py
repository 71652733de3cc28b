"""Goals that align from the company's mission down to each person's week.

A goal belongs to a period, has an owner, and may align to one parent goal of a wider
scope. The alignment tree is stored as a materialized path of goal ids ("/4/17/230/"), so
"everything aligned under this goal" is one indexed prefix query, and `root` (the first id)
tells in one join whether a goal reaches a company goal.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", "Quarter"
    HALF = "half", "Half year"
    YEAR = "year", "Year"
    CUSTOM = "custom", "Custom dates"


class Period(models.Model):
    """A stretch of time goals are set for ("Q3 2026"). The end date is inclusive."""

    name = models.CharField(max_length=60, unique=True)
    kind = models.CharField(max_length=10, choices=PeriodKind.choices, default=PeriodKind.QUARTER)
    start_date = models.DateField()
    end_date = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="period_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class GoalLevel(models.TextChoices):
    COMPANY = "company", "Company goal"
    TEAM = "team", "Team goal"
    INDIVIDUAL = "individual", "Individual goal"


# A parent must be of this level or a wider one.
LEVEL_RANK = {GoalLevel.COMPANY: 0, GoalLevel.TEAM: 1, GoalLevel.INDIVIDUAL: 2}


class Health(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"


class Visibility(models.TextChoices):
    PUBLIC = "public", "Everyone in the company"
    PRIVATE = "private", "Only me, my managers and HR admins"


class GoalState(models.TextChoices):
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class Goal(models.Model):
    """Something a company, a team or a person sets out to achieve in a period, measured by
    key results (or a manual progress value when it has none)."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    level = models.CharField(max_length=12, choices=GoalLevel.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="goals"
    )
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="goals"
    )
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="goals")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    state = models.CharField(max_length=10, choices=GoalState.choices, default=GoalState.ACTIVE)
    health = models.CharField(max_length=10, choices=Health.choices, blank=True)

    # Progress is 0..1. Kept current by goals.services from the key results (or manual_progress
    # for a goal without key results) so lists and roll-ups read one column.
    progress = models.DecimalField(max_digits=5, decimal_places=4, default=0)
    manual_progress = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )

    # Closing a period: a score on the company's scale (stored 0..1) and a reflection.
    score = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    reflection = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    # Goals made together by a bulk assignment share this key.
    assignment = models.UUIDField(null=True, blank=True, db_index=True)

    # Derived, maintained by goals.services.
    path = models.CharField(max_length=500, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    last_checkin_at = models.DateTimeField(null=True, blank=True, editable=False)
    churn = models.PositiveIntegerField(
        default=0, editable=False, help_text="Target or date changes after the period started."
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period", "level", "title", "id"]
        indexes = [
            models.Index(fields=["owner", "period"], name="goal_owner_period_idx"),
            models.Index(fields=["period", "level"], name="goal_period_level_idx"),
            models.Index(fields=["parent", "title", "id"], name="goal_parent_idx"),
            models.Index(fields=["department", "period"], name="goal_department_idx"),
            models.Index(fields=["root", "period"], name="goal_root_idx"),
            # Coverage: people of a period and the root their goals reach, index-only.
            models.Index(fields=["period", "owner", "root"], name="goal_coverage_idx"),
            # A period's first goal id: the exports read a period in id order from there
            # (the primary-key walk skipped every goal of the periods before it).
            models.Index(fields=["period", "id"], name="goal_period_id_idx"),
            # The "Supports" menu: active company and team goals by level and title, read
            # in order and stopped after one menu's worth.
            models.Index(
                fields=["level", "title", "id"],
                condition=Q(state="active", level__in=["company", "team"]),
                name="goal_menu_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="goal_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_private(self) -> bool:
        return self.visibility == Visibility.PRIVATE


class KeyResultKind(models.TextChoices):
    NUMBER = "number", "Number"
    PERCENTAGE = "percentage", "Percentage"
    CURRENCY = "currency", "Currency"
    BOOLEAN = "boolean", "Done / not done"
    MILESTONES = "milestones", "Milestones"


class KeyResult(models.Model):
    """A measurable result that shows a goal's progress: from a start value to a target
    (which may be lower than the start, e.g. churn from 5% down to 3%)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="key_results")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=KeyResultKind.choices)
    unit = models.CharField(max_length=20, blank=True, help_text="e.g. users, EUR, NPS points")
    start_value = models.DecimalField(max_digits=18, decimal_places=4, default=0)
    target_value = models.DecimalField(max_digits=18, decimal_places=4, default=1)
    stretch_value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    current_value = models.DecimalField(max_digits=18, decimal_places=4, default=0)
    weight = models.DecimalField(
        max_digits=6, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    position = models.PositiveSmallIntegerField(default=0)
    progress = models.DecimalField(max_digits=5, decimal_places=4, default=0, editable=False)

    class Meta:
        ordering = ["goal", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    """One step of a milestone key result; its progress is the share of steps done."""

    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    done_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["key_result", "position", "id"]

    def __str__(self) -> str:
        return self.title


class CheckIn(models.Model):
    """A dated update on a goal's progress, with the owner's status and confidence (0–10)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="checkins")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    health = models.CharField(max_length=10, choices=Health.choices)
    confidence = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    note = models.TextField(blank=True)
    progress = models.DecimalField(max_digits=5, decimal_places=4, default=0)
    # [{"key_result": id, "title": ..., "old": "3", "new": "5"}] — the values this check-in set.
    values = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["goal", "-created_at"], name="checkin_goal_idx")]

    def __str__(self) -> str:
        return f"{self.goal_id} @ {self.created_at:%Y-%m-%d}"


class GoalChange(models.Model):
    """One change to a goal's target, dates, owner, alignment, status or visibility, with
    who made it, when and why. `counts_as_churn` marks target/date changes made after the
    period started: the goal shifted while people were working towards it."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="changes")
    key_result = models.ForeignKey(
        KeyResult, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    field = models.CharField(max_length=40)
    old = models.CharField(max_length=300, blank=True)
    new = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    counts_as_churn = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["goal", "-at"], name="goalchange_goal_idx")]

    def __str__(self) -> str:
        return f"{self.goal_id} {self.field}: {self.old} → {self.new}"


class GoalComment(models.Model):
    """A comment on a goal; @mentions notify the people mentioned."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.body[:40]}"


class WeeklyCheckIn(models.Model):
    """A person's week: this week's priorities, each linked to one of their goals (or not),
    and last week's carried over with done / not done."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_checkins"
    )
    week_start = models.DateField(help_text="The Monday of the week.")
    note = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["person", "-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["person", "week_start"], name="one_checkin_per_week"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} week of {self.week_start}"


class Priority(models.Model):
    """One thing a person means to get done this week, ideally linked to one of their goals."""

    checkin = models.ForeignKey(WeeklyCheckIn, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(max_length=200)
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="priorities"
    )
    done = models.BooleanField(null=True, blank=True, help_text="Unknown until the week is over.")
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["checkin", "position", "id"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.title


def new_assignment_key() -> uuid.UUID:
    return uuid.uuid4()


class DepartmentTally(models.Model):
    """What the company goals and coverage pages count, per (period, owner's department),
    kept current by the goal and org services (`tandem.goals.tally`): the period's goals and
    their churn (every owner), and the active owners with a goal and with a goal reaching a
    company goal. `department_id` is the owner's department, 0 for people without one (a
    plain number: a department's rows outlive nothing, they are recounted when people
    move). Rebuilt from scratch by `tandem rebuild-goal-tally`."""

    # The unique (period, department_id) key serves look-ups by period.
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+", db_index=False)
    department_id = models.PositiveIntegerField()
    goals = models.IntegerField(default=0)
    churn = models.IntegerField(default=0)
    with_goals = models.IntegerField(default=0)
    aligned = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "department_id"], name="goal_tally_key")
        ]

    def __str__(self) -> str:
        return f"{self.period_id}/{self.department_id}: {self.goals} goals"
