"""Factories for every model tests touch. Paths and reporting lines are kept right by
building people through the same tree helpers the services use."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from tandem.access.models import Role, RoleGrant
from tandem.org import tree
from tandem.org.models import Department, Person, PersonStatus, ReportingLine

PASSWORD = "correct-horse-battery"


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Department {n}")
    parent = None

    @classmethod
    def _create(cls, model_class: type[Department], *args: Any, **kwargs: Any) -> Department:
        department = super()._create(model_class, *args, **kwargs)
        parent = department.parent
        department.path = tree.path_for(parent.path if parent else None, department.pk)
        department.depth = tree.depth_of(department.path)
        department.save(update_fields=["path", "depth"])
        return department


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    employee_id = factory.Sequence(lambda n: f"E{n:05d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    title = "Software Engineer"
    level = "IC2"
    department = factory.SubFactory(DepartmentFactory)
    time_zone = "Europe/Berlin"
    status = PersonStatus.ACTIVE
    manager = None
    start_date = factory.Faker("date_between", start_date="-5y", end_date="-30d")

    @classmethod
    def _create(cls, model_class: type[Person], *args: Any, **kwargs: Any) -> Person:
        password = kwargs.pop("password", PASSWORD)
        person = model_class(*args, **kwargs)
        person.is_active = person.status != PersonStatus.LEFT
        person.set_password(password)
        person.refresh_derived_fields()
        person.save()
        manager = person.manager
        person.path = tree.path_for(manager.path if manager else None, person.pk)
        person.depth = tree.depth_of(person.path)
        person.save(update_fields=["path", "depth"])
        ReportingLine.objects.create(
            person=person, manager=manager, start_date=person.start_date or "2020-01-01"
        )
        return person


def grant(person: Person, role: str, departments: list[Department] | None = None) -> Person:
    role_grant = RoleGrant.objects.create(person=person, role=role)
    if departments:
        role_grant.departments.set(departments)
    person.__dict__.pop("_tandem_actor", None)
    return person


def hr_admin(**kwargs: Any) -> Person:
    return grant(PersonFactory(**kwargs), Role.HR_ADMIN)


def hr_partner(departments: list[Department], **kwargs: Any) -> Person:
    return grant(PersonFactory(**kwargs), Role.HR_PARTNER, departments)


def executive(**kwargs: Any) -> Person:
    return grant(PersonFactory(**kwargs), Role.EXECUTIVE)


def it_admin(**kwargs: Any) -> Person:
    return grant(PersonFactory(**kwargs), Role.IT_ADMIN)


def api_token(person: Person, name: str = "script") -> str:
    """A personal API token for `person`, made the way the app makes them; returns the raw
    secret (the only time it exists outside the hash)."""
    from tandem.access.services import create_token

    _token, raw = create_token(person=person, name=name, by=person)
    return raw


# What the browser sends for the default switches (an unticked checkbox sends nothing).
PROGRAM_FORM_SWITCHES = {
    "goal_period_length": "quarter",
    "fiscal_year_start_month": "1",
    "goal_scoring_scale": "fraction",
    "private_goals_allowed": "on",
    "checkin_cadence": "weekly",
    "checkin_reminder_weekday": "4",
    "feedback_private_allowed": "on",
    "feedback_with_manager_allowed": "on",
    "praise_public_allowed": "on",
    "upward_feedback_enabled": "on",
    "upward_feedback_window_days": "90",
    "one_on_one_cadence": "fortnightly",
    "review_ratings_enabled": "on",
    "review_reminder_days_before": "3",
    "review_peer_names_hidden": "on",
    "review_score": "manager",
    "review_phase_days": "14",
}
