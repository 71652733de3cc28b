"""Emptying the demo company between two loads in one test (people are never deleted in
Tandem itself, so the rows that protect them go first)."""

from __future__ import annotations

from tandem.goals.models import Goal
from tandem.growth.models import Plan, PromotionCase, PromotionWindow
from tandem.org.models import Department, Person


def wipe_company() -> None:
    Goal.objects.all().delete()  # goals protect their owners
    Plan.objects.all().delete()  # plans' actions and check-ins protect their people
    PromotionCase.objects.all().delete()  # cases protect their person, author, commenters
    PromotionWindow.objects.all().delete()
    Person.objects.all().delete()
    Department.objects.all().delete()
