"""The program: every company-wide choice about how performance management works here.

HR admins edit it (audited); every employee can read it on the program page, in plain
words. Each later feature adds its switches here, never a private setting elsewhere.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from tandem.core import anonymity

# Below three people, "anonymous" stops meaning anything: the floor is not configurable
# (one number for every anonymous channel, kept in tandem.core.anonymity).
ANONYMITY_FLOOR = anonymity.FLOOR


class Purpose(models.TextChoices):
    GROWTH = "growth", "Growth and development"
    ACCOUNTABILITY = "accountability", "Accountability for results"
    PROMOTION = "promotion", "Promotion decisions"
    PAY = "pay", "Pay decisions"


PURPOSE_PLAIN_WORDS = {
    Purpose.GROWTH: "to help each person grow: feedback and goals feed development plans",
    Purpose.ACCOUNTABILITY: "to agree on what each person and team delivers, and check in on it",
    Purpose.PROMOTION: "as evidence when promotions are decided",
    Purpose.PAY: "as one input when pay changes are decided",
}


class PeriodLength(models.TextChoices):
    QUARTER = "quarter", "Quarters"
    HALF = "half", "Halves"
    YEAR = "year", "Years"


class ScoringScale(models.TextChoices):
    FRACTION = "fraction", "0.0 to 1.0"
    PERCENT = "percent", "0% to 100%"
    FIVE_POINT = "five_point", "1 to 5"


class ReviewScore(models.TextChoices):
    """How a review cycle's overall score is made, by default (`reviews.defaults`)."""

    MANAGER = "manager", "The manager's overall rating"
    WEIGHTED = "weighted", "Goals 40%, competencies 20% and the manager's rating 40%"


class CheckinCadence(models.TextChoices):
    WEEKLY = "weekly", "Every week"
    FORTNIGHTLY = "fortnightly", "Every two weeks"
    OFF = "off", "No weekly check-ins"


class MeetingCadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Every two weeks"
    MONTHLY = "monthly", "Monthly"


MONTHS = [(m, date(2000, m, 1).strftime("%B")) for m in range(1, 13)]


def validate_months(value: object) -> None:
    """A list of months, each a whole number from 1 to 12, at most once each."""
    if not isinstance(value, list) or not all(type(m) is int and 1 <= m <= 12 for m in value):
        raise ValidationError("give the months as whole numbers from 1 (January) to 12.")
    if len(set(value)) != len(value):
        raise ValidationError("each month may be listed once.")


def month_names(months: list[int]) -> str:
    """[6, 12] as "June and December"."""
    names = [dict(MONTHS)[m] for m in sorted(months) if m in dict(MONTHS)]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


WEEKDAYS = [(0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday")]

# The switches each feature adds, in the order the program page and its editor show them.
GOAL_SWITCHES = (
    "goal_period_length",
    "fiscal_year_start_month",
    "goal_scoring_scale",
    "private_goals_allowed",
    "checkin_cadence",
    "checkin_reminder_weekday",
)
FEEDBACK_SWITCHES = (
    "feedback_private_allowed",
    "feedback_with_manager_allowed",
    "praise_public_allowed",
    "hr_reads_private_feedback",
    "upward_feedback_enabled",
    "upward_feedback_window_days",
    "one_on_one_cadence",
)
REVIEW_SWITCHES = (
    "review_ratings_enabled",
    "review_months",
    "review_reminder_days_before",
    "hr_reads_upward_reviews",
    "calibration_shown_to_employee",
    "review_peers_enabled",
    "review_upward_enabled",
    "review_peer_names_hidden",
    "review_score",
    "review_phase_days",
)
GROWTH_SWITCHES = (
    "development_plans_visible_to_hr",
    "promotion_self_nomination",
)
SWITCHES = (*GOAL_SWITCHES, *FEEDBACK_SWITCHES, *REVIEW_SWITCHES, *GROWTH_SWITCHES)
# Everything HR sets in the editor, in the editor's order.
EDITABLE_PROGRAM_FIELDS = ("purposes", "purpose_statement", "anonymity_minimum", *SWITCHES)

# The program page as a document, after the purpose statement ("why we do this"): each
# section gathers topics of `Program.plain_words`.
# A test keeps every topic in exactly one section, and every switch under a topic.
SECTIONS = (
    ("What happens when", ("Goals", "Weekly check-ins", "1:1s", "Reviews")),
    ("Who sees what", ("Feedback", "Development plans")),
    ("What each result is used for", ("What it is for", "Calibration", "Promotions")),
    ("How anonymity works", ("Anonymity", "Upward feedback", "Upward reviews")),
)
# The topic of the program page whose sentence states each switch's meaning.
SWITCH_TOPICS = {
    "purposes": "What it is for",
    "purpose_statement": "What it is for",
    "anonymity_minimum": "Anonymity",
    "goal_period_length": "Goals",
    "fiscal_year_start_month": "Goals",
    "goal_scoring_scale": "Goals",
    "private_goals_allowed": "Goals",
    "checkin_cadence": "Weekly check-ins",
    "checkin_reminder_weekday": "Weekly check-ins",
    "feedback_private_allowed": "Feedback",
    "feedback_with_manager_allowed": "Feedback",
    "praise_public_allowed": "Feedback",
    "hr_reads_private_feedback": "Feedback",
    "upward_feedback_enabled": "Upward feedback",
    "upward_feedback_window_days": "Upward feedback",
    "one_on_one_cadence": "1:1s",
    "review_ratings_enabled": "Reviews",
    "review_months": "Reviews",
    "review_reminder_days_before": "Reviews",
    "hr_reads_upward_reviews": "Upward reviews",
    "calibration_shown_to_employee": "Calibration",
    "review_peers_enabled": "Reviews",
    "review_upward_enabled": "Reviews",
    "review_peer_names_hidden": "Reviews",
    "review_score": "Reviews",
    "review_phase_days": "Reviews",
    "development_plans_visible_to_hr": "Development plans",
    "promotion_self_nomination": "Promotions",
}


class Program(models.Model):
    """The company's stated purpose for its performance process and its company-wide switches."""

    purposes = models.JSONField(default=list, blank=True)
    purpose_statement = models.TextField(
        blank=True,
        help_text="In the company's own words: why we do performance management at all.",
    )
    anonymity_minimum = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(ANONYMITY_FLOOR), MaxValueValidator(50)],
        help_text="Group results (surveys, upward feedback, analytics) are hidden below this "
        "many people.",
    )

    # --- Goals ---------------------------------------------------------------------------
    goal_period_length = models.CharField(
        "goal periods", max_length=10, choices=PeriodLength.choices, default=PeriodLength.QUARTER
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        "the year starts in month",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="1 for January; periods are counted from here.",
    )
    goal_scoring_scale = models.CharField(
        "goal scoring scale",
        max_length=12,
        choices=ScoringScale.choices,
        default=ScoringScale.FRACTION,
    )
    private_goals_allowed = models.BooleanField(
        "people may make a goal private",
        default=True,
        help_text="A private goal is seen by its owner, their managers and HR admins only.",
    )
    checkin_cadence = models.CharField(
        "weekly check-ins",
        max_length=12,
        choices=CheckinCadence.choices,
        default=CheckinCadence.WEEKLY,
    )
    checkin_reminder_weekday = models.PositiveSmallIntegerField(
        "check-in reminder day", choices=WEEKDAYS, default=4
    )

    # --- Feedback and 1:1s ----------------------------------------------------------------
    feedback_private_allowed = models.BooleanField(
        "feedback only the recipient reads", default=True
    )
    feedback_with_manager_allowed = models.BooleanField(
        "feedback the recipient and their manager read", default=True
    )
    praise_public_allowed = models.BooleanField("public praise on the company feed", default=True)
    hr_reads_private_feedback = models.BooleanField(
        "HR admins may read private feedback",
        default=False,
        help_text="Off by default: private means private. Everyone is told which it is.",
    )
    upward_feedback_enabled = models.BooleanField(
        "anonymous upward feedback to one's manager", default=True
    )
    upward_feedback_window_days = models.PositiveSmallIntegerField(
        "upward feedback window (days)",
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(366)],
        help_text="A manager sees upward feedback as one batch per window, and only once "
        "enough different people wrote.",
    )
    one_on_one_cadence = models.CharField(
        "usual 1:1 cadence",
        max_length=12,
        choices=MeetingCadence.choices,
        default=MeetingCadence.FORTNIGHTLY,
    )

    # --- Reviews ---------------------------------------------------------------------------
    review_ratings_enabled = models.BooleanField(
        "reviews use rating scales",
        default=True,
        help_text="Off: review questions take written answers only, with no ratings, in "
        "cycles launched from now on.",
    )
    review_months = models.JSONField(
        "review cycles open in",
        default=list,
        blank=True,
        validators=[validate_months],
        help_text="The months review cycles usually open in, e.g. June and December for "
        "half-yearly reviews. None: HR opens a cycle when one is needed. Each cycle still "
        "gets its own dates when HR creates it.",
    )
    review_reminder_days_before = models.PositiveSmallIntegerField(
        "review reminder (days before a deadline)",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
        help_text="People with an open review or nomination are reminded once this many days "
        "before its phase closes, and once on the last day.",
    )
    hr_reads_upward_reviews = models.BooleanField(
        "HR may read upward reviews one by one",
        default=False,
        help_text="Off by default: HR reads upward reviews like the managers do, as answers "
        "per question once enough people answered, never who wrote what. On: HR admins and "
        "HR partners read each upward review and its writer's state (with the writer's name "
        "unless the cycle hides names from HR).",
    )
    calibration_shown_to_employee = models.BooleanField(
        "people see how calibration changed their rating",
        default=False,
        help_text="Off by default: each person sees their final rating only. On: when a "
        "calibration session changes someone's rating, they also see it was calibrated, from "
        "which rating to which, and the one-sentence reason the session gave.",
    )
    # What a new review cycle starts from (`reviews.defaults`); HR may depart from it per
    # cycle, and the cycle's page says where it does.
    review_peers_enabled = models.BooleanField(
        "review cycles include peer reviews",
        default=False,
        help_text="Colleagues chosen by each person (and approved by their manager) review "
        "them. New cycles start with peer reviews on or off as set here.",
    )
    review_upward_enabled = models.BooleanField(
        "review cycles include upward reviews",
        default=False,
        help_text="Each person reviews their manager, anonymously. New cycles start with "
        "upward reviews on or off as set here.",
    )
    review_peer_names_hidden = models.BooleanField(
        "peer reviewers' names hidden from the person reviewed",
        default=True,
        help_text="On: the person reviewed reads what peers wrote without their names.",
    )
    review_score = models.CharField(
        "overall score of a review",
        max_length=12,
        choices=ReviewScore.choices,
        default=ReviewScore.MANAGER,
        help_text="Used when reviews use rating scales.",
    )
    review_phase_days = models.PositiveSmallIntegerField(
        "days for each step of a review cycle",
        default=14,
        validators=[MinValueValidator(5), MaxValueValidator(60)],
        help_text="A new cycle's default schedule gives each step (self review, peer "
        "nomination, peer reviews, manager review, calibration, sharing) this many days, from "
        "one start date.",
    )
    development_plans_visible_to_hr = models.BooleanField(
        "HR may read development plans",
        default=False,
        help_text="Off by default: a development plan is read by the person and their managers "
        "only; HR sees how many people have an active plan and how many actions are overdue, "
        "never the plan's text. On: HR admins and HR partners may also read each plan.",
    )
    promotion_self_nomination = models.BooleanField(
        "people may propose their own promotion",
        default=False,
        help_text="Off by default: a manager opens a promotion case for a report. On: people "
        "may also open a case for themselves during a promotion window; their manager is "
        "asked to add their view before the committee decides.",
    )

    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "Performance program"

    @classmethod
    def load(cls) -> Program:
        """The program's row, created on first use: for services that are about to save it."""
        program, _ = cls.objects.get_or_create(pk=1, defaults={"purposes": [Purpose.GROWTH]})
        return program

    @classmethod
    def current(cls) -> Program:
        """The program's switches, read without creating the row (a read must not write);
        the defaults `load` would create stand in until HR first saves the program."""
        return cls.objects.filter(pk=1).first() or cls(pk=1, purposes=[Purpose.GROWTH])

    def purpose_labels(self) -> list[str]:
        return [Purpose(p).label for p in self.purposes if p in Purpose.values]

    def plain_words(self) -> list[tuple[str, str]]:
        """Each switch as (topic, sentence) for the program page."""
        used_for = [PURPOSE_PLAIN_WORDS[Purpose(p)] for p in self.purposes if p in Purpose.values]
        purpose_sentence = (
            "What you write and receive here is used " + "; ".join(used_for) + "."
            if used_for
            else "The company has not said yet what the process is used for."
        )
        return [
            ("What it is for", purpose_sentence),
            (
                "Anonymity",
                f"Results for a group are only shown when at least {self.anonymity_minimum} "
                "people answered, so no one can be singled out.",
            ),
            *self._goal_words(),
            *self._feedback_words(),
            *self._review_words(),
            *self._growth_words(),
        ]

    def sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """`plain_words` as the program page's document: (heading, [(topic, sentence)])."""
        words = dict(self.plain_words())
        return [(heading, [(t, words[t]) for t in topics]) for heading, topics in SECTIONS]

    def meanings(self) -> dict[str, str]:
        """Each editable field's meaning in plain words: the sentence of its topic."""
        words = dict(self.plain_words())
        return {name: words[topic] for name, topic in SWITCH_TOPICS.items()}

    def _goal_words(self) -> list[tuple[str, str]]:
        period = PeriodLength(self.goal_period_length).label.lower()
        month = date(2000, self.fiscal_year_start_month, 1).strftime("%B")
        reminder_day = dict(WEEKDAYS)[self.checkin_reminder_weekday]
        checkins = (
            "There are no weekly check-ins."
            if self.checkin_cadence == CheckinCadence.OFF
            else f"{CheckinCadence(self.checkin_cadence).label}, you list your priorities and "
            f"link each to a goal; a reminder comes on {reminder_day}."
        )
        privacy = (
            "Goals are visible to everyone in the company; you may make one private, and then "
            "only you, your managers and HR admins see it."
            if self.private_goals_allowed
            else "Goals are visible to everyone in the company."
        )
        return [
            (
                "Goals",
                f"Goals are set in {period}, counted from {month}, and scored "
                f"{ScoringScale(self.goal_scoring_scale).label} at the end of each. {privacy}",
            ),
            ("Weekly check-ins", checkins),
        ]

    def _feedback_words(self) -> list[tuple[str, str]]:
        choices = []
        if self.feedback_private_allowed:
            choices.append("only the recipient")
        if self.feedback_with_manager_allowed:
            choices.append("the recipient and their manager")
        if self.praise_public_allowed:
            choices.append("everyone, as public praise")
        who = ", or ".join(choices) if choices else "nobody (feedback is switched off)"
        hr = (
            "HR admins may also read private feedback."
            if self.hr_reads_private_feedback
            else "HR admins cannot read private feedback."
        )
        upward = (
            "You can write anonymous feedback to your manager. It is never linked to you; your "
            f"manager sees it only as a batch, once at least {self.anonymity_minimum} different "
            f"people wrote within {self.upward_feedback_window_days} days."
            if self.upward_feedback_enabled
            else "Anonymous upward feedback is switched off."
        )
        return [
            ("Feedback", f"When you give feedback, you choose who reads it: {who}. {hr}"),
            ("Upward feedback", upward),
            (
                "1:1s",
                f"Managers meet each report {MeetingCadence(self.one_on_one_cadence).label.lower()}"
                ". Private notes in a 1:1 are readable by their author alone — no one else, "
                "HR included.",
            ),
        ]

    def _growth_words(self) -> list[tuple[str, str]]:
        plans = (
            "Your development plan is read by you, your managers and HR."
            if self.development_plans_visible_to_hr
            else "Your development plan is read by you and your managers only; HR sees whether "
            "you have one, never what it says."
        )
        nomination = (
            "During a promotion window your manager may open a promotion case for you, or you "
            "may propose your own; a committee decides with a reason you can read."
            if self.promotion_self_nomination
            else "During a promotion window your manager may open a promotion case for you; "
            "a committee decides with a reason you can read."
        )
        return [("Development plans", plans), ("Promotions", nomination)]

    def _review_words(self) -> list[tuple[str, str]]:
        ratings = (
            "Reviews use rating scales; each point says what it means."
            if self.review_ratings_enabled
            else "Reviews are written answers only: no ratings."
        )
        when = (
            f"Review cycles usually open in {month_names(self.review_months)}."
            if self.review_months
            else "There are no fixed review months: HR opens a review cycle when one is needed."
        )
        minimum = anonymity.group_minimum(self.anonymity_minimum)
        hr = (
            "HR may read each upward review one by one, and who wrote it."
            if self.hr_reads_upward_reviews
            else "HR reads them the same way: HR cannot see who wrote what."
        )
        kinds = ["a self review", "a manager review"]
        if self.review_peers_enabled:
            kinds.append(
                "peer reviews"
                + (" (without the peers' names)" if self.review_peer_names_hidden else "")
            )
        if self.review_upward_enabled:
            kinds.append("anonymous upward reviews of managers")
        score = (
            f" The overall score is {ReviewScore(self.review_score).label[:1].lower()}"
            f"{ReviewScore(self.review_score).label[1:]}."
            if self.review_ratings_enabled
            else ""
        )
        return [
            (
                "Reviews",
                f"{ratings} A review cycle has {', '.join(kinds[:-1])} and {kinds[-1]}; each "
                f"step lasts {self.review_phase_days} days.{score} {when} Each review form says "
                "who will read your answers and what they are used for. You are reminded "
                f"{self.review_reminder_days_before} days before a deadline and on the last "
                "day.",
            ),
            (
                "Calibration",
                "Managers and HR may compare ratings across teams in calibration sessions "
                "before reviews are shared; a change needs a reason, and the rating you see "
                "is the final one. "
                + (
                    "When calibration changes your rating, you see from what to what and why."
                    if self.calibration_shown_to_employee
                    else "You see your final rating only."
                ),
            ),
            (
                "Upward reviews",
                "What you write about your manager in a review cycle is anonymous. Your "
                "manager and their managers read it only after the writing phase has closed, "
                f"and only once at least {minimum} people answered: answers are shown per "
                "question, in shuffled order, never as one person's review, with no names, "
                f"no dates and no sign of who has written. {hr}",
            ),
        ]


# What a preset sets: every switch, and what the process is for and how anonymous it is. The
# purpose statement stays the company's own words, so no preset writes it.
PRESET_FIELDS = ("purposes", "anonymity_minimum", *SWITCHES)


class ChangeSource:
    """Where a change to the program came from (`ProgramChange.source`)."""

    EDIT = "edit"
    REVERT = "revert"
    PRESET_PREFIX = "preset:"

    @classmethod
    def preset(cls, key: str) -> str:
        return f"{cls.PRESET_PREFIX}{key}"


class ProgramChange(models.Model):
    """One change to the program, as everyone reads it in its history: who made it, when,
    why (the reason they gave), where it came from (the editor, a preset, a revert) and the
    switches it changed, each with its value before and after."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    by = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The name at the time, so the history still says who when the person is deleted.
    by_label = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    source = models.CharField(max_length=120)
    # {switch: [before, after]}, JSON values as the program stores them.
    changes = models.JSONField(default=dict)
    reverts = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reverted_by"
    )

    class Meta:
        ordering = ("-at", "-pk")
        indexes = (models.Index(fields=("-at", "-id"), name="program_change_newest"),)

    def __str__(self) -> str:
        return f"Program change of {self.at:%Y-%m-%d %H:%M}"

    @property
    def preset_key(self) -> str:
        if self.source.startswith(ChangeSource.PRESET_PREFIX):
            return self.source.removeprefix(ChangeSource.PRESET_PREFIX)
        return ""


class CompanyPreset(models.Model):
    """A preset of the company's own: the program as it stood when HR saved it, or a preset
    imported from a JSON file, applied like the built-in ones."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    # {switch: value} for every field of PRESET_FIELDS, checked by presets.check_values.
    values = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name", "pk")

    def __str__(self) -> str:
        return self.name


class ProgramSetup(models.Model):
    """The guided set-up of the program: the steps an HR admin has saved so far and when
    they finished. One row for the company, created by the first step saved; until then
    (and while `completed_at` is empty) the set-up is still to do."""

    # Keys of `tandem.program.setup.STEPS` saved at least once, in the order they were saved.
    steps_done = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return "Program set-up"

    @classmethod
    def current(cls) -> ProgramSetup:
        """The set-up's row, read without creating it (a read must not write)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)
