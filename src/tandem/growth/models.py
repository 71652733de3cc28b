"""Growth: career frameworks (tracks, levels, competencies), where each person stands on
them, development plans, and promotion cases.

Frameworks are edited in place and frozen into `FrameworkVersion`s, like review templates:
whatever measured a person against a framework (a review cycle, a promotion case) keeps the
version it used, so a later edit never rewrites what a past review measured against.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

PERSON = settings.AUTH_USER_MODEL


# --- Frameworks ----------------------------------------------------------------------------


class Track(models.Model):
    """A career track: "Engineering IC", "Engineering management", "Sales"…"""

    key = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=150, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Level(models.Model):
    """A step of a track, in order: code ("IC3"), title ("Senior engineer"), what it is."""

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="levels")
    position = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=150)
    summary = models.TextField(blank=True)
    scope = models.TextField("typical scope", blank=True)

    class Meta:
        ordering = ["track_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["track", "code"], name="growth_level_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Competency(models.Model):
    """A competency of a track, in a group ("Craft", "Collaboration"…), with what "meets"
    looks like at each level in `Expectation`s."""

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="competencies")
    key = models.SlugField(max_length=50)
    group = models.CharField(max_length=100, blank=True)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["track_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["track", "key"], name="growth_competency_key_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Expectation(models.Model):
    """What meeting a competency looks like at a level: short Markdown, rendered safely."""

    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="expectations"
    )
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="expectations")
    text = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["competency", "level"], name="growth_expectation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.competency} at {self.level}"


class FrameworkVersion(models.Model):
    """A frozen copy of a track as something measured against it. Never edited.

    `content` = {"key", "name", "description", "levels": [{"code", "title", "summary",
    "scope"}], "competencies": [{"key", "group", "name", "description", "expectations":
    {level code: text}}]}."""

    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["track_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["track", "number"], name="growth_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.track} v{self.number}"


class LevelAlias(models.Model):
    """How a level written in the people import (`level` column, `Person.level`) maps onto
    a framework level: "Senior Engineer II" → Engineering IC / IC3."""

    label = models.CharField(max_length=50, unique=True)
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="aliases")

    def __str__(self) -> str:
        return self.label


# --- Where each person stands ----------------------------------------------------------


class Placement(models.Model):
    """A person's current track and level, and since when."""

    person = models.OneToOneField(PERSON, on_delete=models.CASCADE, related_name="placement")
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="placements")
    since = models.DateField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.person_id} at {self.level}"


class LevelChangeSource(models.TextChoices):
    PLACEMENT = "placement", "Placed by HR"
    IMPORT = "import", "People import"
    PROMOTION = "promotion", "Promotion"


class LevelChange(models.Model):
    """One step of a person's level history: from → to, effective when, and why."""

    person = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="level_changes")
    from_level = models.ForeignKey(
        Level, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+")
    effective_on = models.DateField()
    source = models.CharField(max_length=12, choices=LevelChangeSource.choices)
    reason = models.TextField(blank=True)
    promotion_case = models.ForeignKey(
        "PromotionCase", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["person_id", "-effective_on", "-id"]
        indexes = [
            models.Index(fields=["person", "-effective_on"], name="growth_levelchange_person")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.to_level} from {self.effective_on}"


# --- Development plans -----------------------------------------------------------------


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    ARCHIVED = "archived", "Archived"


class Plan(models.Model):
    """A person's development plan for a period, agreed with their manager."""

    person = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="development_plans")
    title = models.CharField(max_length=200, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["person_id", "-starts_on", "-id"]
        indexes = [models.Index(fields=["person", "status"], name="growth_plan_person_status")]

    def __str__(self) -> str:
        return self.title or f"Plan {self.starts_on}–{self.ends_on}"


MAX_FOCUS_AREAS = 5


class FocusArea(models.Model):
    """One of a plan's one to five focus areas, about a competency or a goal."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="focus_areas")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    goal = models.ForeignKey(
        "goals.Goal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["plan_id", "position", "id"]

    def __str__(self) -> str:
        return self.title


class ActionKind(models.TextChoices):
    COURSE = "course", "Course"
    STRETCH = "stretch", "Stretch project"
    MENTORING = "mentoring", "Mentoring"
    SHADOWING = "shadowing", "Shadowing"
    READING = "reading", "Reading"
    PRACTICE = "practice", "Practice on the job"
    OTHER = "other", "Other"


class ActionStatus(models.TextChoices):
    TODO = "todo", "Not started"
    DOING = "doing", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class Action(models.Model):
    focus_area = models.ForeignKey(FocusArea, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=10, choices=ActionKind.choices)
    text = models.CharField(max_length=300)
    owner = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=ActionStatus.choices, default=ActionStatus.TODO)
    done_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["focus_area_id", "position", "id"]
        indexes = [
            # HR's plan coverage counts the open actions past their due date (the company's
            # overdue ones: an index range, not a scan of every action ever written).
            models.Index(
                fields=["due_on", "focus_area"],
                name="growth_action_open_due",
                condition=models.Q(status__in=["todo", "doing"]),
            )
        ]

    def __str__(self) -> str:
        return self.text


class PlanCheckin(models.Model):
    """A dated note on how the plan is going, by the person or their manager."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="checkins")
    author = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan_id", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"Check-in on {self.plan_id}"


# --- Promotions --------------------------------------------------------------------------


class PromotionWindow(models.Model):
    """A promotion cycle: cases opened until `cases_due_on`, decided by `decisions_due_on`
    by the window's committee."""

    name = models.CharField(max_length=150)
    opens_on = models.DateField()
    cases_due_on = models.DateField()
    decisions_due_on = models.DateField()
    committee = models.ManyToManyField(
        "org.Person", blank=True, related_name="promotion_committees"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opens_on", "-id"]

    def __str__(self) -> str:
        return self.name


class CaseStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    DECIDED = "decided", "Decided"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Outcome(models.TextChoices):
    PROMOTED = "promoted", "Promoted"
    NOT_YET = "not_yet", "Not yet"


class PromotionCase(models.Model):
    """A case for promoting a person to a target level in a window, with its decision."""

    window = models.ForeignKey(PromotionWindow, on_delete=models.PROTECT, related_name="cases")
    person = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="promotion_cases")
    author = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    from_level = models.ForeignKey(
        Level, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+")
    framework_version = models.ForeignKey(
        FrameworkVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    development_actions = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    effective_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["window_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["window", "person"], name="growth_case_unique")
        ]
        indexes = [models.Index(fields=["window", "status"], name="growth_case_window_status")]

    def __str__(self) -> str:
        return f"Case for {self.person_id} to {self.target_level_id}"


class CaseComment(models.Model):
    """A reviewer's comment on a case (skip-level manager, HR, the committee)."""

    case = models.ForeignKey(PromotionCase, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(PERSON, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"Comment on {self.case_id}"
