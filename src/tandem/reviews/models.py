"""Review cycles: rating scales and templates (versioned), cycles with phases, frozen
participants, peer nominations, and the reviews themselves.

Editable building blocks (scales, templates with sections and questions) are rows HR
changes freely. Launching a cycle freezes each template it uses into an immutable
`TemplateVersion` (its whole content, scales included, as JSON), so editing a template
never changes a cycle already launched. A review's answers live on the review as JSON
keyed by the frozen question keys, with a `version` counter for optimistic locking: an
autosave names the version it started from and loses, loudly, when someone else saved
first. Ratings are copied into `SubmittedRating` rows on submit so scores, gaps and
distributions are computed in SQL.

Foreign keys marked `db_index=False` lead a composite index or unique constraint of their
table already; a second index on them alone would only slow the launch's bulk inserts.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from tandem.org.models import Department

PERSON = settings.AUTH_USER_MODEL


class Relationship(models.TextChoices):
    """Who writes about whom. The order is the order pages show them in."""

    SELF = "self", "Self review"
    MANAGER = "manager", "Manager review"
    PEER = "peer", "Peer review"
    UPWARD = "upward", "Upward review"  # a report writes about their manager
    SKIP_LEVEL = "skip_level", "Skip-level review"  # the manager's manager writes


class ItemsSource(models.TextChoices):
    """Where a competency question's items come from."""

    LISTED = "listed", "The competencies listed on the question"
    FRAMEWORK = "framework", "Each person's career framework (their track and level)"


class QuestionKind(models.TextChoices):
    RATING = "rating", "Rating with an optional comment"
    TEXT = "text", "Free text"
    COMPETENCIES = "competencies", "Competency ratings"
    GOALS = "goals", "Assessment of each goal of the period"
    VALUES = "values", "Company values"


# --- Building blocks ---------------------------------------------------------------------


class RatingScale(models.Model):
    """A scale of 2 to 10 points; `points` is a list of {"value", "label", "description"}
    with values 1..n in order (validated by the service)."""

    name = models.CharField(max_length=150, unique=True)
    description = models.TextField(blank=True)
    points = models.JSONField(default=list)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Template(models.Model):
    """An editable questionnaire for one relationship. Cycles use frozen versions of it."""

    name = models.CharField(max_length=150)
    relationship = models.CharField(max_length=12, choices=Relationship.choices)
    description = models.TextField(blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["relationship", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "relationship"], name="template_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class TemplateSection(models.Model):
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["template_id", "position", "id"]

    def __str__(self) -> str:
        return self.title


class TemplateQuestion(models.Model):
    section = models.ForeignKey(TemplateSection, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=QuestionKind.choices)
    prompt = models.CharField(max_length=500)
    help_text = models.TextField(blank=True)
    required = models.BooleanField(default=True)
    # Rating-type questions (rating, competencies, goals, values) use a scale; none means
    # comments only ("no rating at all").
    scale = models.ForeignKey(RatingScale, null=True, blank=True, on_delete=models.PROTECT)
    allow_comment = models.BooleanField(default=True)
    # Competency questions: [{"name": ..., "description": ...}].
    items = models.JSONField(default=list, blank=True)
    # Competency questions only: "framework" rates each reviewee on the competencies of
    # their own track and level, snapshotted on their participant at launch
    # (`reviews.framework`); `items` is then unused.
    items_source = models.CharField(
        max_length=10, choices=ItemsSource.choices, default=ItemsSource.LISTED, db_default="listed"
    )
    # The question whose rating is "the manager's rating" in score formulas.
    is_overall = models.BooleanField(default=False)

    class Meta:
        ordering = ["section_id", "position", "id"]

    def __str__(self) -> str:
        return self.prompt


class TemplateVersion(models.Model):
    """A frozen copy of a template as a cycle uses it. Never edited after creation.

    `content` = {"name", "relationship", "sections": [{"title", "description",
    "questions": [{"key", "kind", "prompt", "help_text", "required", "allow_comment",
    "is_overall", "scale": null | {"name", "points": [...]}, "items": [{"key", "name",
    "description"}]}]}]}. Question keys ("q1", "q2", …) are stable within a version."""

    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(PERSON, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["template_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="template_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"


# --- Cycles ------------------------------------------------------------------------------


class CycleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    LAUNCHING = "launching", "Launching"
    ACTIVE = "active", "In progress"
    CLOSED = "closed", "Finished"


class UseFor(models.TextChoices):
    """What the results are used for; shown on every review form."""

    DEVELOPMENT = "development", "Development only"
    CALIBRATION = "calibration", "Development and calibration"
    PAY_PROMOTION = "pay_promotion", "Development, calibration, pay and promotion"


class ScoreMethod(models.TextChoices):
    MANAGER_RATING = "manager_rating", "The manager's rating only"
    WEIGHTED = "weighted", "A weighted mix of components"


class Cycle(models.Model):
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    period_start = models.DateField("review period from")
    period_end = models.DateField("review period to")
    status = models.CharField(max_length=10, choices=CycleStatus.choices, default=CycleStatus.DRAFT)

    # Who takes part: rules evaluated at launch, then people added/removed by hand.
    rule_departments = models.ManyToManyField(Department, blank=True, related_name="+")
    rule_started_before = models.DateField("people who started before", null=True, blank=True)
    rule_exclude_on_leave = models.BooleanField("leave out people on leave", default=True)
    # Person ids added or removed by hand before launch (after launch: Participant rows).
    manual_additions = models.JSONField(default=list, blank=True)
    manual_removals = models.JSONField(default=list, blank=True)

    # What it is for and who reads what.
    use_for = models.CharField(max_length=16, choices=UseFor.choices, default=UseFor.DEVELOPMENT)
    peers_anonymous_to_reviewee = models.BooleanField(
        "peer names hidden from the person reviewed", default=True
    )
    peer_names_hidden_from_hr = models.BooleanField("peer names hidden from HR too", default=False)
    reviewee_sees_peer_reviews = models.BooleanField(
        "the person reviewed reads peer reviews once shared", default=True
    )

    # Peer nomination.
    peers_min = models.PositiveSmallIntegerField(
        "fewest peers", default=2, validators=[MaxValueValidator(20)]
    )
    peers_max = models.PositiveSmallIntegerField(
        "most peers", default=5, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    peer_review_cap = models.PositiveSmallIntegerField(
        "most peer reviews one person is asked to write",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )

    # Scores.
    score_method = models.CharField(
        max_length=16, choices=ScoreMethod.choices, default=ScoreMethod.MANAGER_RATING
    )
    weight_goals = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    weight_competencies = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(100)]
    )
    weight_manager = models.PositiveSmallIntegerField(
        default=100, validators=[MaxValueValidator(100)]
    )
    weight_self = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    weight_peers = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])

    # HR may release every submitted manager review at once on this date.
    release_on = models.DateField("share all on", null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    launched_at = models.DateTimeField(null=True, blank=True)
    launched_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Background launch progress: `launch_done` of `launch_total` steps.
    launch_total = models.PositiveIntegerField(default=0)
    launch_done = models.PositiveIntegerField(default=0)
    launch_error = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Bumped (F() + 1) by every reviews service that changes a rating of the cycle: a review
    # submitted or reopened, a calibration marking or locking, an import, a participant
    # removed or added back. Caches of figures derived from the ratings (rater effects) are
    # keyed on it, so they know they are stale without scanning the cycle's ratings.
    ratings_version = models.PositiveIntegerField(default=0, db_default=0)
    # A past cycle brought in from a spreadsheet or another tool (`tandem import-ratings`):
    # closed, shared and read-only from the start; every analysis treats it like a native one.
    imported_at = models.DateTimeField(null=True, blank=True)
    import_source = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="cycle_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_launched(self) -> bool:
        return self.status in (CycleStatus.ACTIVE, CycleStatus.CLOSED)

    @property
    def is_imported(self) -> bool:
        return self.imported_at is not None

    def weights(self) -> dict[str, int]:
        return {
            "goals": self.weight_goals,
            "competencies": self.weight_competencies,
            "manager": self.weight_manager,
            "self": self.weight_self,
            "peers": self.weight_peers,
        }


class CycleForm(models.Model):
    """One relationship taking part in a cycle, with its template; `version` is set at
    launch and never changes after."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="forms")
    relationship = models.CharField(max_length=12, choices=Relationship.choices)
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(
        TemplateVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "relationship"], name="cycle_form_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_relationship_display()} in cycle {self.cycle_id}"


class PhaseKind(models.TextChoices):
    """In the order a cycle runs through them."""

    SELF = "self", "Self review"
    NOMINATION = "nomination", "Peer nomination and approval"
    PEER = "peer", "Peer and upward reviews"
    MANAGER = "manager", "Manager review"
    CALIBRATION = "calibration", "Calibration"
    SHARING = "sharing", "Sharing"
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"


PHASE_ORDER = [kind.value for kind in PhaseKind]

# Which phase window a relationship's review is written in.
PHASE_FOR_RELATIONSHIP = {
    Relationship.SELF: PhaseKind.SELF,
    Relationship.PEER: PhaseKind.PEER,
    Relationship.UPWARD: PhaseKind.PEER,
    Relationship.SKIP_LEVEL: PhaseKind.PEER,
    Relationship.MANAGER: PhaseKind.MANAGER,
}


class Phase(models.Model):
    """A window with inclusive dates (company time zone). The server enforces it."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(max_length=16, choices=PhaseKind.choices)
    opens_on = models.DateField()
    due_on = models.DateField()
    # Automatic reminders sent for this phase, as "<days-before>" keys, so each goes once.
    reminders_sent = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["cycle_id", "opens_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "kind"], name="phase_unique"),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("opens_on")), name="phase_due_after_open"
            ),
        ]

    def __str__(self) -> str:
        return PhaseKind(self.kind).label


def _counter() -> models.PositiveIntegerField:
    # db_default too: launch_sql inserts participants with plain SQL that names no counter.
    return models.PositiveIntegerField(default=0, db_default=0)


class CalibrationState(models.TextChoices):
    """Where a participant's rating stands in calibration (kept by the calibration app
    through `reviews.services.calibration`)."""

    NONE = "", "Not calibrated"
    OPEN = "open", "In an open calibration session"
    LOCKED = "locked", "Calibrated"


class FrameworkSnapshot(models.Model):
    """One track and level of a career framework as a launch froze it, for competency
    questions that draw their items from it (`reviews.framework`): {"track", "track_name",
    "level", "level_title", "version", "items": [{"key", "name", "description"}]}.

    Stored once per content: `digest` is the SHA-256 of its canonical JSON, so every
    participant on the same track, level and framework version, in this cycle and the
    next, points at the same row. Never edited: a later edit of the framework is a new
    version, hence new content and a new row."""

    digest = models.CharField(max_length=64, unique=True)
    content = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        content = self.content or {}
        track, level = content.get("track", ""), content.get("level", "")
        return f"{track} {level} v{content.get('version', '')}"

    @staticmethod
    def digest_of(content: Any) -> str:
        """The SHA-256 of the canonical JSON (sorted keys, no spaces) of `content`."""
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


class Participant(models.Model):
    """A person reviewed in a cycle, with who they were at launch (snapshots)."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="participants", db_index=False
    )
    person = models.ForeignKey(
        PERSON, on_delete=models.CASCADE, related_name="review_participations"
    )
    # Snapshots at launch (or when added late): shown on the review, used for grouping.
    title = models.CharField(max_length=200, blank=True)
    level = models.CharField(max_length=50, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department_name = models.CharField(max_length=150, blank=True)
    manager = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    manager_name = models.CharField(max_length=210, blank=True)
    # The person's reporting path at launch: "everyone under X in this cycle" is one prefix query.
    path = models.CharField(max_length=1000, db_index=True, default="")
    # Their career framework at launch, for competency questions that draw their items from
    # it (`reviews.framework`); none when none applies. A reference: everyone on the same
    # track, level and version shares one row (read it through `framework`).
    framework_snapshot = models.ForeignKey(
        FrameworkSnapshot, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    added_at = models.DateTimeField(auto_now_add=True)
    added_late = models.BooleanField(default=False)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.CharField(max_length=500, blank=True)

    shared_at = models.DateTimeField(null=True, blank=True)
    shared_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement_comment = models.TextField(blank=True)
    # The day the daily run released the anonymous answers about this person (upward
    # reviews, and peer reviews whose writers a reader may not know), once the phase they
    # are written in had closed (reviews.anonymous). From then on those answers are final:
    # a late one would stand out against what readers already saw.
    anonymous_released_on = models.DateField(null=True, blank=True)

    # Derived from submitted ratings by reviews.scores; `score_parts` says which components
    # counted and with what weight after redistribution.
    overall_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    score_parts = models.JSONField(default=dict, blank=True)

    # Calibration. While a session that discusses this person is open, their manager review
    # cannot be shared. When it locks, `final_rating` (points of the manager review's overall
    # question, out of `final_rating_points`) is the rating of record; `calibrated_from` is
    # the manager's rating before, when calibration changed it, and `calibration_reason` the
    # one sentence the person may read (when the program says so).
    calibration_state = models.CharField(
        max_length=8, choices=CalibrationState.choices, default="", db_default="", blank=True
    )
    final_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    final_rating_points = models.PositiveSmallIntegerField(null=True, blank=True)
    # The manager's overall rating (the value of the overall question of the latest
    # submitted manager review, None until there is one), kept by the reviews services on
    # every submit, reopen and import (`services.stored_ratings`). Why stored: calibration
    # and fairness count it over whole cycles, and deriving it per participant from the
    # submitted ratings cost 1–2 s per request at 95,000 participants.
    manager_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    calibrated_from = models.PositiveSmallIntegerField(null=True, blank=True)
    calibration_reason = models.CharField(max_length=300, blank=True, default="", db_default="")

    # Progress counters kept by reviews.tally, in the same transaction as every change of a
    # review's state or of a nomination. Why: the progress pages of a 100,000-person cycle
    # aggregate these narrow rows instead of ~500,000 wide reviews (answers inline), so they
    # stay fast; `tally.mismatches` recounts them in tests.
    # Per relationship: reviews in all, done (submitted, shared, acknowledged), started
    # (in progress or reopened).
    self_total = _counter()
    self_done = _counter()
    self_started = _counter()
    manager_total = _counter()
    manager_done = _counter()
    manager_started = _counter()
    peer_total = _counter()
    peer_done = _counter()
    peer_started = _counter()
    upward_total = _counter()
    upward_done = _counter()
    upward_started = _counter()
    skip_level_total = _counter()
    skip_level_done = _counter()
    skip_level_started = _counter()
    # Nominations of peers: approved, and proposed (waiting for the manager).
    peers_approved = _counter()
    peers_proposed = _counter()

    class Meta:
        ordering = ["cycle_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="participant_unique"),
        ]
        indexes = [
            models.Index(fields=["cycle", "path"], name="participant_cycle_path"),
            models.Index(fields=["cycle", "manager"], name="participant_cycle_manager"),
            models.Index(fields=["cycle", "department"], name="participant_cycle_department"),
            # The progress page's "by manager" list, in the order it is grouped, sorted and
            # paged: one page reads its ~50 managers' rows and stops, where the whole cycle
            # was grouped and sorted first (129 ms at 100k people; 1.5 ms with it).
            models.Index(
                F("cycle"),
                F("manager_name"),
                Coalesce("manager_id", 0),
                name="participant_manager_page",
                condition=Q(removed_at__isnull=True),
            ),
            # The participants whose proposed peers wait for a manager (a few thousand
            # at the peak of a 100,000-person cycle): the approvals page finds those under
            # the viewer at launch (by snapshot path) and now (by person, from the people
            # under the viewer) without reading the nominations or the whole cycle.
            models.Index(
                fields=["cycle", "path"],
                name="participant_waiting_path",
                condition=Q(peers_proposed__gt=0, removed_at__isnull=True),
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
            models.Index(
                fields=["person", "cycle"],
                name="participant_waiting_person",
                condition=Q(peers_proposed__gt=0, removed_at__isnull=True),
            ),
            # Everything a cycle's rating counts and fairness figures read of each
            # participant, so PostgreSQL answers them from the index alone instead of
            # reading every wide participant row (≈ 600 MB at 100,000 people).
            models.Index(
                fields=["cycle", "person", "department", "manager_rating", "final_rating"],
                name="participant_rated",
                condition=Q(removed_at__isnull=True),
            ),
            # The levels a cycle's calibration sessions can be made for, read from the
            # index alone (a scan of every wide participant row took 139 ms at 100,000).
            models.Index(
                fields=["cycle", "level"],
                name="participant_level",
                condition=Q(removed_at__isnull=True),
            ),
            # "Does this cycle have a calibration step?" (every cycle page and the cycle
            # API ask it): the few participants a session took up, not the whole cycle
            # (a scan of 100,000 participants took 250-600 ms; this answers in under 1 ms).
            models.Index(
                fields=["cycle"],
                name="participant_in_calibration",
                condition=~Q(calibration_state=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.cycle}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None

    @property
    def framework(self) -> dict[str, Any]:
        """Their framework snapshot's content ({} when none). Readers select_related
        `framework_snapshot` so that reading it costs no query of its own."""
        snapshot = self.framework_snapshot if self.framework_snapshot_id is not None else None
        return dict(snapshot.content or {}) if snapshot is not None else {}


class NominationStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for the manager"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Not approved"
    DECLINED = "declined", "Declined by the reviewer"


class Nomination(models.Model):
    """A peer proposed to review a participant. Approval creates the peer review."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="nominations", db_index=False
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="nominations", db_index=False
    )
    peer = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="review_nominations")
    status = models.CharField(
        max_length=10, choices=NominationStatus.choices, default=NominationStatus.PROPOSED
    )
    nominated_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["participant_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "peer"], name="nomination_unique"),
        ]
        indexes = [
            models.Index(fields=["cycle", "peer", "status"], name="nomination_peer_load"),
            models.Index(fields=["cycle", "status"], name="nomination_cycle_status"),
            # A cycle's nominations in id order (the API's pages): without it a page of
            # the second cycle walked every nomination of the first (285,000 at 100k).
            models.Index(fields=["cycle", "id"], name="nomination_cycle_page"),
        ]

    def __str__(self) -> str:
        return f"Peer {self.peer_id} for participant {self.participant_id}"


class ReviewState(models.TextChoices):
    """One state per review, with the same words everywhere."""

    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    SHARED = "shared", "Shared"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    REOPENED = "reopened", "Reopened"


OPEN_STATES = (ReviewState.NOT_STARTED, ReviewState.IN_PROGRESS, ReviewState.REOPENED)
DONE_STATES = (ReviewState.SUBMITTED, ReviewState.SHARED, ReviewState.ACKNOWLEDGED)


class Review(models.Model):
    """One reviewer's review of one participant for one relationship."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="reviews", db_index=False
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="reviews", db_index=False
    )
    reviewee = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="reviews_received")
    reviewer = models.ForeignKey(
        PERSON, on_delete=models.CASCADE, related_name="reviews_written", db_index=False
    )
    relationship = models.CharField(max_length=12, choices=Relationship.choices)
    template_version = models.ForeignKey(
        TemplateVersion, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        max_length=12, choices=ReviewState.choices, default=ReviewState.NOT_STARTED
    )
    answers = models.JSONField(default=dict, blank=True)
    # Bumped on every save of the answers; an autosave must name the version it read.
    version = models.PositiveIntegerField(default=0)
    active_seconds = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["participant_id", "relationship", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "reviewer", "relationship"], name="review_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["reviewer", "state"], name="review_reviewer_state"),
            models.Index(fields=["cycle", "relationship", "state"], name="review_cycle_rel_state"),
        ]

    def __str__(self) -> str:
        return f"{self.get_relationship_display()} of {self.reviewee_id} by {self.reviewer_id}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class ReviewRevision(models.Model):
    """A submitted version kept when HR reopens a review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="revisions")
    answers = models.JSONField()
    state = models.CharField(max_length=12, choices=ReviewState.choices)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review_id", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"Revision of review {self.review_id}"


class SubmittedRating(models.Model):
    """One rating from a submitted review, normalised for SQL aggregates.

    `item_key` is "" for a plain rating question, else the competency/value/goal key.
    `normalised` is (value - 1) / (points - 1), from 0 to 1, so ratings on different scales
    can be averaged."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ratings")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+", db_index=False)
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="ratings", db_index=False
    )
    relationship = models.CharField(max_length=12, choices=Relationship.choices)
    question_key = models.CharField(max_length=20)
    question_kind = models.CharField(max_length=12, choices=QuestionKind.choices)
    item_key = models.CharField(max_length=40, blank=True)
    value = models.PositiveSmallIntegerField()
    points = models.PositiveSmallIntegerField()
    normalised = models.DecimalField(max_digits=5, decimal_places=4)

    class Meta:
        indexes = [
            models.Index(fields=["cycle", "relationship"], name="rating_cycle_relationship"),
            models.Index(fields=["participant", "relationship"], name="rating_participant_rel"),
        ]

    def __str__(self) -> str:
        return f"{self.question_key}{self.item_key and '/' + self.item_key}: {self.value}"


class RatingsImportStatus(models.TextChoices):
    CHECKED = "checked", "Checked"
    IMPORTED = "imported", "Imported"


class RatingsImport(models.Model):
    """A ratings history file uploaded on the HR page, kept between its check and HR's
    confirmation (as the HRIS import keeps its uploads): the confirmation re-reads these
    exact bytes (`sha256`) and imports them only if they still add exactly the ratings the
    check showed (`fingerprint`). Once imported the bytes are dropped; the cycles keep
    the file's name."""

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    fingerprint = models.CharField(max_length=64, blank=True)
    # The check's result as services.imports.RatingsImportResult.as_json() gives it.
    result = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=RatingsImportStatus.choices, default=RatingsImportStatus.CHECKED
    )
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name or 'ratings import'} ({self.status})"
