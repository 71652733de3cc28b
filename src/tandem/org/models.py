"""The organisation: the company, its departments and its people.

The reporting tree and the department tree are both stored as materialized paths
("/12/345/") so that "everyone under X" is one indexed prefix query at any depth.
The org service (`org/services.py`) rebuilds the paths on every change.
"""

from __future__ import annotations

import unicodedata
import zoneinfo
from datetime import date
from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a known time zone (try e.g. Europe/Berlin).")


class Company(models.Model):
    """The company that runs this installation: its name and its mission."""

    name = models.CharField(max_length=200, default="Our company")
    mission = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "companies"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def load(cls) -> Company:
        """The company's row, created on first use: for services that are about to save it."""
        company, _ = cls.objects.get_or_create(pk=1)
        return company

    @classmethod
    def current(cls) -> Company:
        """The company, read without creating the row (a read must not write); the model's
        defaults stand in until HR first saves it."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class CompanyValue(models.Model):
    """A value the company lives by ("Customer first"), with what it means in practice."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A department or team; departments nest (Engineering → Platform → Storage)."""

    name = models.CharField(max_length=150, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    head = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    path = models.CharField(max_length=500, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PersonStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ON_LEAVE = "on_leave", "On leave"
    LEFT = "left", "Left"


class PersonManager(BaseUserManager["Person"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> Person:
        person = self.model(email=self.normalize_email(email).lower(), **fields)
        person.set_password(password)
        person.save()
        return person

    def create_superuser(self, *args: object, **kwargs: object) -> Person:
        # Tandem has no superusers: the people who run it are HR admins, granted a role.
        raise NotImplementedError(
            "Tandem has no superusers. Run `tandem createadmin EMAIL` to make someone an HR admin."
        )


class Person(AbstractBaseUser):
    """Someone who works (or worked) at the company, and their sign-in account.

    A person's work e-mail is their sign-in name. Leaving (status "left") closes the
    account: `is_active` turns false and every session and API token ends.
    """

    email = models.EmailField("work e-mail", unique=True)
    employee_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    title = models.CharField("job title", max_length=200, blank=True)
    level = models.CharField(max_length=50, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    location = models.CharField(max_length=100, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    start_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    end_date = models.DateField(null=True, blank=True)
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    is_active = models.BooleanField(default=True)

    # Derived columns, maintained by org.services; never edited directly.
    path = models.CharField(max_length=1000, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_name = models.CharField(max_length=210, editable=False, default="")
    search_text = models.CharField(max_length=800, editable=False, default="")

    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar[PersonManager] = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["first_name", "last_name"]

    class Meta:
        ordering = ["sort_name", "id"]
        indexes = [
            models.Index(fields=["sort_name", "id"], name="person_sort_idx"),
            models.Index(fields=["manager", "sort_name", "id"], name="person_manager_sort_idx"),
            models.Index(fields=["department", "sort_name", "id"], name="person_dept_sort_idx"),
            models.Index(fields=["status", "sort_name", "id"], name="person_status_sort_idx"),
            # HR's search by employee id compares UPPER(employee_id): without this index that
            # branch of the search's OR made PostgreSQL scan every person (issue 11).
            models.Index(Upper("employee_id"), name="person_employee_id_upper_idx"),
            # People still here per department, index-only (departments page and API).
            models.Index(fields=["department", "status"], name="person_dept_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(manager=models.F("pk")), name="person_not_own_manager"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="person_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}".strip()

    @property
    def initials(self) -> str:
        first = self.preferred_name or self.first_name
        return (first[:1] + self.last_name[:1]).upper()

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the top of the tree down to this person's manager."""
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    def refresh_derived_fields(self) -> None:
        """Recompute the name columns used for ordering and search."""
        self.sort_name, self.search_text = derived_name_columns(
            first_name=self.first_name,
            last_name=self.last_name,
            preferred_name=self.preferred_name,
            title=self.title,
            email=self.email,
        )


def derived_name_columns(
    *, first_name: str, last_name: str, preferred_name: str, title: str, email: str
) -> tuple[str, str]:
    """A person's `sort_name` and `search_text` (for writers that hold no Person)."""
    sort_name = f"{last_name} {preferred_name or first_name}".lower()[:210]
    # No employee id here: it is private, and search_text is matched for everyone.
    parts = [first_name, last_name, preferred_name, title, email]
    text = " ".join(p for p in parts if p).lower()
    # "José Núñez" is found by "jose nunez" too: the text without accents follows it.
    folded = fold_accents(text)
    if folded != text:
        text = f"{text} {folded}"
    return sort_name, text[:800]


def fold_accents(text: str) -> str:
    """The text without its accents ("Núñez" → "Nunez"): letters decomposed (NFKD), then
    their combining marks dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class ReportingLine(models.Model):
    """Who someone reported to, from one date to another (the end date is exclusive).

    The open line (no end date) is the current one. "Who was my manager on 1 March" is one
    indexed query: start_date <= day < end_date.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reporting_lines")
    manager = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["person", "-start_date"]
        indexes = [models.Index(fields=["person", "start_date"], name="reporting_line_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.manager_id} from {self.start_date}"

    @classmethod
    def manager_on(cls, person: Person, day: date) -> Person | None:
        line = (
            cls.objects.filter(person=person, start_date__lte=day)
            .filter(Q(end_date__isnull=True) | Q(end_date__gt=day))
            .select_related("manager")
            .order_by("-start_date")
            .first()
        )
        return line.manager if line else None


class ImportBatchStatus(models.TextChoices):
    PREVIEWED = "previewed", "Previewed"
    APPLIED = "applied", "Imported"


class ImportBatch(models.Model):
    """An HRIS file uploaded for import, kept between the preview and HR's confirmation.

    The confirmation re-reads these exact bytes (checked against `sha256`) and applies them
    only if the changes still match the preview (`fingerprint`); otherwise HR sees the
    new preview, or the errors, before anything is written.
    """

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    deactivate_missing = models.BooleanField(default=False)
    fingerprint = models.CharField(max_length=64, blank=True)
    preview = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=ImportBatchStatus.choices, default=ImportBatchStatus.PREVIEWED
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.file_name or 'import'} ({self.created_at:%Y-%m-%d %H:%M})"
