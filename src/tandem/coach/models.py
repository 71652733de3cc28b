"""What the coach stores: the company's own words, and counts — never the text written."""

from __future__ import annotations

from django.db import models

from tandem.org.models import Department, Person


class CoachWord(models.Model):
    """A word HR asks writers to avoid when it is used of a person, on top of the words the
    coach ships with (coach/data/words.json), with a better phrasing to suggest."""

    word = models.CharField(max_length=60, unique=True)
    better = models.CharField(
        max_length=300, blank=True, help_text="An example of a better phrasing."
    )
    added_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("word",)

    def __str__(self) -> str:
        return self.word


class CoachTally(models.Model):
    """How often one suggestion fired for texts of one kind written in one department in one
    month, and how often the writer changed the text so it no longer fired. Counts only:
    no text, no writer, no finer time than the month. Upward feedback is counted without a
    department, so a count can never point at its anonymous writer."""

    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20)
    rule = models.CharField(max_length=40)
    month = models.DateField(help_text="The first day of the month counted.")
    fired = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["department", "kind", "rule", "month"],
                condition=models.Q(department__isnull=False),
                name="coach_tally_unique",
            ),
            # NULL never equals NULL in a unique index, so the rows without a department
            # get their own constraint.
            models.UniqueConstraint(
                fields=["kind", "rule", "month"],
                condition=models.Q(department__isnull=True),
                name="coach_tally_unique_nodept",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.kind} {self.month:%Y-%m}"


# --- Playbooks ------------------------------------------------------------------------------


class PlaybookAudience(models.TextChoices):
    MANAGERS = "managers", "Managers"
    EVERYONE = "everyone", "Everyone"


class Playbook(models.Model):
    """A short guide for managers — giving feedback, a first 1:1, a fair review — read as a
    page of 3–6 steps and closed by a self-check quiz. HR edits and publishes them; everyone
    signed in may read the published ones."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=300)
    audience = models.CharField(
        max_length=20, choices=PlaybookAudience.choices, default=PlaybookAudience.MANAGERS
    )
    ordering = models.PositiveSmallIntegerField(default=0)
    published = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("ordering", "title", "id")

    def __str__(self) -> str:
        return self.title


class PlaybookStep(models.Model):
    """One step of a playbook: a title and a short Markdown body, in order (1, 2, …)."""

    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    body = models.TextField(max_length=4000)

    class Meta:
        ordering = ("playbook", "position")
        constraints = [
            models.UniqueConstraint(
                fields=["playbook", "position"], name="coach_playbook_step_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.playbook_id}.{self.position} {self.title}"


class PlaybookQuestion(models.Model):
    """A self-check question closing a playbook: 2–4 choices, one right, and the
    explanation shown once the reader has answered."""

    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    prompt = models.CharField(max_length=300)
    choices = models.JSONField(help_text="The choices, in the order shown.")
    answer = models.PositiveSmallIntegerField(help_text="The index of the right choice.")
    explanation = models.CharField(max_length=600)

    class Meta:
        ordering = ("playbook", "position")
        constraints = [
            models.UniqueConstraint(
                fields=["playbook", "position"], name="coach_playbook_question_unique"
            )
        ]

    def __str__(self) -> str:
        return self.prompt


class PlaybookPath(models.Model):
    """An ordered list of playbooks read as one course, e.g. "Your first weeks as a
    manager" for people whose first report arrived within the last 90 days."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=300)

    def __str__(self) -> str:
        return self.title


class PlaybookPathItem(models.Model):
    path = models.ForeignKey(PlaybookPath, on_delete=models.CASCADE, related_name="items")
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ("path", "position")
        constraints = [
            models.UniqueConstraint(fields=["path", "playbook"], name="coach_path_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.path_id}.{self.position}"


class PlaybookProgress(models.Model):
    """How far one person is through one playbook: the steps they marked done (by
    position), whether they passed its quiz, and when they completed it (every step done
    and the quiz passed). Completed once: a later edit of the playbook does not undo it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="coach_progress")
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="progress")
    steps_done = models.JSONField(default=list)
    quiz_passed = models.BooleanField(default=False)
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "playbook"], name="coach_playbook_progress_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.playbook_id}"
