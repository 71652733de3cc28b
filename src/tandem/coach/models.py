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
