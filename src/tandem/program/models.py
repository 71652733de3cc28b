"""The program: every company-wide choice about how performance management works here.

HR admins edit it (audited); every employee can read it on the program page, in plain
words. Each later feature adds its switches here, never a private setting elsewhere.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

# Below three people, "anonymous" stops meaning anything: the floor is not configurable.
ANONYMITY_FLOOR = 3


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
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "Performance program"

    @classmethod
    def load(cls) -> Program:
        program, _ = cls.objects.get_or_create(pk=1, defaults={"purposes": [Purpose.GROWTH]})
        return program

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
        ]
