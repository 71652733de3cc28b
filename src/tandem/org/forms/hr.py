"""Forms for the HR pages. They parse and check input; the org services do the writing.

Person pickers are the people picker (org/widgets.py), never a <select> of everyone: the
company may have 100,000 people. What they send is a work e-mail or an employee id.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from tandem.access.models import Role, RoleGrant
from tandem.access.rules import actor_for, scope
from tandem.access.services import is_local_path
from tandem.org.models import Department, Person, PersonStatus, validate_time_zone
from tandem.org.queries import SIGN_IN_CHOICES
from tandem.org.services.people import check_manager
from tandem.org.widgets import PersonPicker

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def find_active_person(user: Any, value: str) -> Person:
    """The person (not left) with this work e-mail or employee id, among those the user may
    see. Raises ValidationError naming what was looked for."""
    value = value.strip()
    people = scope(user, Person.objects.exclude(status=PersonStatus.LEFT))
    if "@" in value:
        person = people.filter(email=value.lower()).first()
        if person is None:
            raise ValidationError(f"No active person with e-mail {value}.")
        return person
    person = people.filter(employee_id=value).first()
    if person is None:
        raise ValidationError(f"No active person with employee id {value}.")
    return person


class PersonPickerField(forms.CharField):
    """A person, typed as their work e-mail or employee id. Cleans to a Person (or None)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault(
            "help_text",
            "Type two letters of their name and pick; or their work e-mail or employee id.",
        )
        kwargs.setdefault("widget", PersonPicker())
        super().__init__(**kwargs)
        self.user: Any = None

    def clean(self, value: Any) -> Person | None:
        text = super().clean(value)
        if not text:
            return None
        return find_active_person(self.user, text)


class Form(forms.Form):
    """Labels without a trailing colon, like the rest of Tandem's pages."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class UserFormMixin:
    """Hands the acting user to every person picker on the form."""

    fields: dict[str, forms.Field]

    def bind_user(self, user: Any) -> None:
        self.user = user
        for field in self.fields.values():
            if isinstance(field, PersonPickerField):
                field.user = user


def departments_for(user: Any) -> QuerySet[Department]:
    """Departments the user may put people in: all for HR admins, an HR partner's own."""
    departments = scope(user, Department.objects.all()).order_by("path")
    actor = actor_for(user)
    if actor is None or actor.is_hr_admin:
        return departments
    q = Q(pk__in=[])
    for path in actor.partner_department_paths:
        q |= Q(path__startswith=path)
    return departments.filter(q)


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Department) -> str:
        return "— " * obj.depth + obj.name


# --- People --------------------------------------------------------------------------


class PeopleFilterForm(UserFormMixin, Form):
    STATUS_CHOICES = [
        ("", "Current (active and on leave)"),
        (PersonStatus.ACTIVE, "Active"),
        (PersonStatus.ON_LEAVE, "On leave"),
        (PersonStatus.LEFT, "Left"),
        ("all", "Everyone, including people who left"),
    ]

    q = forms.CharField(label="Search", required=False, max_length=200, widget=forms.SearchInput)
    department = DepartmentChoiceField(
        queryset=Department.objects.none(),
        required=False,
        empty_label="All departments",
        help_text="Includes its sub-departments.",
    )
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)
    manager = PersonPickerField(
        required=False,
        label="Reports to",
        help_text="Type two letters of the manager's name and pick, or their work e-mail or "
        "employee id.",
    )
    sign_in = forms.ChoiceField(
        label="Sign-in",
        choices=SIGN_IN_CHOICES,
        required=False,
        help_text="People created by an import have no password until they accept an invitation.",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bind_user(user)
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.queryset = departments_for(user).only("id", "name", "depth", "path")

    def filters(self) -> dict[str, Any]:
        """What people_queryset takes (the form is valid). The status "" (current people)
        and "all" are not statuses: the caller narrows for "" itself."""
        data = self.cleaned_data
        status = data["status"]
        return {
            "q": data["q"].strip(),
            "department_id": data["department"].pk if data["department"] else None,
            "manager_id": data["manager"].pk if data["manager"] else None,
            "status": status if status in PersonStatus.values else None,
        }


class InviteForm(Form):
    """HR's "Invite" and "Send again" buttons. Nothing is typed: the buttons say whether an
    earlier invitation may be sent again, and which page to go back to."""

    again = forms.BooleanField(required=False)
    back = forms.CharField(required=False, max_length=2000)

    def back_path(self) -> str:
        """The page to return to, if it is a page of Tandem."""
        if not self.is_valid():
            return ""
        back = self.cleaned_data["back"]
        return back if is_local_path(back) else ""


class PersonForm(UserFormMixin, Form):
    """The record of a person. Manager and status have their own pages (they keep history)."""

    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    preferred_name = forms.CharField(
        max_length=100, required=False, help_text="What they like to be called, if different."
    )
    email = forms.EmailField(label="Work e-mail", max_length=254, help_text="Their sign-in name.")
    employee_id = forms.CharField(
        label="Employee id", max_length=64, required=False, help_text="The id in your HRIS."
    )
    title = forms.CharField(label="Job title", max_length=200, required=False)
    level = forms.CharField(max_length=50, required=False)
    department = DepartmentChoiceField(queryset=Department.objects.none(), required=False)
    location = forms.CharField(max_length=100, required=False)
    time_zone = forms.CharField(
        max_length=64,
        initial="UTC",
        validators=[validate_time_zone],
        help_text="An IANA time zone, e.g. Europe/Berlin or America/New_York.",
    )
    start_date = forms.DateField(required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bind_user(user)
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.queryset = departments_for(user)
        actor = actor_for(user)
        if actor is not None and not actor.is_hr_admin:
            # An HR partner may only add people to the departments they look after.
            department.required = True
            department.help_text = "One of the departments you look after."

    def record_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PersonForm.base_fields}


class PersonCreateForm(PersonForm):
    manager = PersonPickerField(
        required=False,
        help_text="Type two letters of their manager's name and pick, or their work e-mail or "
        "employee id. Leave empty for no manager.",
    )


class ManagerForm(UserFormMixin, Form):
    manager = PersonPickerField(
        required=False,
        label="New manager",
        help_text="Type two letters of their name and pick, or their work e-mail or employee "
        "id. Leave empty if this person reports to no one (the top of the company).",
    )
    effective = forms.DateField(
        label="Effective from",
        widget=DATE_WIDGET,
        help_text="The first day of the new reporting line.",
    )
    reason = forms.CharField(
        max_length=300,
        required=False,
        help_text="Optional. Kept in the audit log with the change.",
    )

    def __init__(self, *args: Any, user: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bind_user(user)
        self.person = person

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        manager = cleaned.get("manager")
        if "manager" in cleaned and manager is not None:
            try:
                check_manager(self.person, manager)
            except ValidationError as error:
                for messages in error.message_dict.values():
                    self.add_error("manager", messages)
        if "manager" in cleaned and manager == self.person.manager and not self.errors:
            whom = manager.display_name if manager else "no one"
            self.add_error("manager", f"{self.person.display_name} already reports to {whom}.")
        return cleaned


class StatusForm(Form):
    status = forms.ChoiceField(choices=PersonStatus.choices, widget=forms.RadioSelect)
    end_date = forms.DateField(
        label="Last day",
        required=False,
        widget=DATE_WIDGET,
        help_text="Only for people who left. Today when left empty.",
    )
    reason = forms.CharField(
        max_length=300, required=False, help_text="Optional. Kept in the audit log."
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status, end_date = cleaned.get("status"), cleaned.get("end_date")
        if status and status != PersonStatus.LEFT and end_date:
            self.add_error("end_date", "Only people who have left have a last day.")
        start = self.person.start_date
        if status == PersonStatus.LEFT and end_date and start and end_date < start:
            self.add_error(
                "end_date",
                f"The last day ({end_date:%d %b %Y}) is before the start date ({start:%d %b %Y}).",
            )
        if status == self.person.status and not self.errors:
            same_day = status != PersonStatus.LEFT or end_date in (None, self.person.end_date)
            if same_day:
                label = PersonStatus(status).label.lower()
                self.add_error("status", f"{self.person.display_name} is already {label}.")
        return cleaned


# --- Departments -----------------------------------------------------------------------


class DepartmentForm(UserFormMixin, Form):
    name = forms.CharField(max_length=150)
    parent = DepartmentChoiceField(
        queryset=Department.objects.none(),
        required=False,
        label="Part of",
        empty_label="Nothing (a top-level department)",
    )
    head = PersonPickerField(
        required=False,
        help_text="Type two letters of the head's name and pick, or their work e-mail or "
        "employee id. Optional.",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bind_user(user)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = scope(user, Department.objects.all()).order_by("path")


# --- Company ------------------------------------------------------------------------


class CompanyForm(Form):
    name = forms.CharField(label="Company name", max_length=200)
    mission = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Why the company exists, in a sentence or two. Every employee sees it.",
    )


class ValueForm(Form):
    name = forms.CharField(max_length=100, required=True)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="What living this value looks like in practice.",
    )


class BaseValueFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "ORDER" in form.fields:
            form.fields["ORDER"].label = "Position"
            form.fields["ORDER"].help_text = "Lowest first."
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this value"

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        seen: dict[str, int] = {}
        for number, form in enumerate(self.forms, start=1):
            if not form.has_changed() and number > self.initial_form_count():
                continue
            if form.cleaned_data.get("DELETE"):
                continue
            name = (form.cleaned_data.get("name") or "").strip().lower()
            if name in seen:
                raise ValidationError(
                    f"Values {seen[name]} and {number} have the same name; "
                    "each value needs its own."
                )
            seen[name] = number


def values_in_order(formset: forms.BaseFormSet[ValueForm]) -> list[tuple[str, str]]:
    """The values kept (not removed, not left blank) of a valid ValueFormSet, in order."""
    return [
        (form.cleaned_data["name"], form.cleaned_data.get("description", ""))
        for form in formset.ordered_forms
    ]


ValueFormSet = forms.formset_factory(
    ValueForm,
    formset=BaseValueFormSet,
    extra=2,
    can_order=True,
    can_delete=True,
    max_num=50,
    validate_max=True,
)


# --- Roles -------------------------------------------------------------------------------


class GrantRoleForm(UserFormMixin, Form):
    person = PersonPickerField(label="Person")
    role = forms.ChoiceField(choices=Role.choices)
    departments = forms.ModelMultipleChoiceField(
        queryset=Department.objects.none(),
        required=False,
        help_text="HR partners only: the departments they look after (sub-departments "
        "included). Granting again replaces the list.",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bind_user(user)
        departments = self.fields["departments"]
        assert isinstance(departments, forms.ModelMultipleChoiceField)
        departments.queryset = scope(user, Department.objects.all()).order_by("path")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role, departments = cleaned.get("role"), cleaned.get("departments")
        if role == Role.HR_PARTNER and not departments:
            self.add_error("departments", "Pick at least one department for an HR partner.")
        if role and role != Role.HR_PARTNER and departments:
            self.add_error("departments", "Only HR partners look after departments.")
        return cleaned


class RevokeRoleForm(Form):
    grant = forms.ModelChoiceField(
        queryset=RoleGrant.objects.select_related("person"), widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_grant(self) -> RoleGrant:
        grant: RoleGrant = self.cleaned_data["grant"]
        if grant.person_id == self.user.pk and grant.role == Role.HR_ADMIN:
            # Keeps the installation from losing its last way into these pages by accident.
            raise ValidationError("You cannot remove your own HR admin role; ask another HR admin.")
        return grant
