"""Every write to the organisation: people, reporting lines, departments, the company.

Each function is one use case: one transaction, the permission check, the audit record.
The reporting tree's materialized paths are kept current here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.access.models import Role
from tandem.access.rules import require
from tandem.access.services import end_all_access, grant_role
from tandem.audit.services import diff, record, snapshot
from tandem.core.queue import enqueue_on_commit
from tandem.org import tree
from tandem.org.models import (
    Company,
    CompanyValue,
    Department,
    Person,
    PersonStatus,
    ReportingLine,
)

PERSON_FIELDS = (
    "email",
    "employee_id",
    "first_name",
    "last_name",
    "preferred_name",
    "title",
    "level",
    "department",
    "location",
    "time_zone",
    "start_date",
)


def today() -> date:
    return timezone.localdate()


def _chain_names(ids: Sequence[int]) -> str:
    names = {p.pk: p.display_name for p in Person.objects.filter(pk__in=ids)}
    return " → ".join(names.get(i, f"#{i}") for i in ids)


def check_manager(person: Person, manager: Person | None) -> None:
    """Refuse a manager that would make `person` their own manager, naming the chain."""
    if manager is None:
        return
    if manager.pk == person.pk:
        raise ValidationError({"manager": f"{person.display_name} cannot be their own manager."})
    if person.path and manager.path.startswith(person.path):
        ids = tree.ids_in(manager.path)
        chain = list(reversed(ids[ids.index(person.pk) :]))
        raise ValidationError(
            {
                "manager": f"{person.display_name} cannot report to {manager.display_name}: "
                f"{manager.display_name} already reports to {person.display_name} "
                f"({_chain_names(chain)})."
            }
        )
    if manager.status == PersonStatus.LEFT:
        raise ValidationError({"manager": f"{manager.display_name} has left the company."})


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    if fields.get("email"):
        fields["email"] = fields["email"].strip().lower()
    if "employee_id" in fields:
        fields["employee_id"] = (fields["employee_id"] or "").strip() or None
    return fields


def _validate(person: Person, exclude: Sequence[str] = (), date_field: str = "end_date") -> None:
    person.refresh_derived_fields()
    # The check constraint would only say "Constraint … is violated"; name the field instead.
    if person.start_date and person.end_date and person.end_date < person.start_date:
        raise ValidationError(
            {
                date_field: f"The end date ({person.end_date:%d %b %Y}) is before the start "
                f"date ({person.start_date:%d %b %Y})."
            }
        )
    person.full_clean(exclude=["password", *exclude], validate_constraints=True)


@transaction.atomic
def create_person(
    *,
    by: Any,
    manager: Person | None = None,
    effective: date | None = None,
    status: str = PersonStatus.ACTIVE,
    end_date: date | None = None,
    **fields: Any,
) -> Person:
    require(by, "person.create", fields.get("department"))
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"create_person() got unknown fields: {sorted(unknown)}")
    person = Person(**_normalise(fields), manager=manager, status=status, end_date=end_date)
    person.is_active = status != PersonStatus.LEFT
    person.set_unusable_password()
    _validate(person)
    person.save()
    person.path = tree.path_for(manager.path if manager else None, person.pk)
    person.depth = tree.depth_of(person.path)
    person.save(update_fields=["path", "depth"])
    ReportingLine.objects.create(
        person=person, manager=manager, start_date=effective or person.start_date or today()
    )
    record(
        actor=by,
        kind="person.create",
        obj=person,
        subject=person,
        changes=diff({}, {**snapshot(person, PERSON_FIELDS), "manager": manager}),
    )
    return person


@transaction.atomic
def provision_admin(*, email: str, first_name: str, last_name: str, by: Any) -> tuple[Person, bool]:
    """The first HR admin of an empty installation, or one more: find the person by
    e-mail or create them, and grant HR admin. Returns (person, created). Refuses someone
    who has left: an account that is closed stays closed."""
    require(by, "roles.manage")
    email = email.strip().lower()
    person = Person.objects.filter(email=email).first()
    created = person is None
    if person is None:
        person = create_person(
            by=by, email=email, first_name=first_name.strip(), last_name=last_name.strip()
        )
    elif person.status == PersonStatus.LEFT:
        raise ValidationError({"email": f"{email} has left the company; their account is closed."})
    grant_role(person=person, role=Role.HR_ADMIN, by=by)
    return person, created


@transaction.atomic
def update_person(*, person: Person, by: Any, **fields: Any) -> Person:
    """Change a person's record (not their manager or status: see change_manager/_status)."""
    require(by, "person.manage", person)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"update_person() got unknown fields: {sorted(unknown)}")
    if "department" in fields and fields["department"] != person.department:
        # An HR partner may only move people into departments they look after.
        require(by, "person.create", fields["department"])
    fields = _normalise(fields)
    before = snapshot(person, fields)
    changes = diff(before, fields)
    if not changes:
        return person
    old_department = person.department_id
    for name, value in fields.items():
        setattr(person, name, value)
    _validate(person, date_field="start_date")
    person.save(update_fields=[*changes, "sort_name", "search_text"])
    if person.department_id != old_department:
        # The goal tally counts goals by their owner's department.
        enqueue_on_commit(
            "tandem.goals.tasks.refresh_tally", [old_department, person.department_id]
        )
    record(actor=by, kind="person.update", obj=person, subject=person, changes=changes)
    return person


@transaction.atomic
def change_manager(
    *,
    person: Person,
    manager: Person | None,
    by: Any,
    effective: date | None = None,
    reason: str = "",
) -> Person:
    """Make `manager` the person's manager from `effective` (today by default).

    Closes the open reporting line, opens a new one and moves the whole subtree."""
    require(by, "person.manage", person)
    return _move_to_manager(
        person=person, manager=manager, by=by, effective=effective, reason=reason
    )


def _move_to_manager(
    *, person: Person, manager: Person | None, by: Any, effective: date | None, reason: str
) -> Person:
    """change_manager without the permission check, for moves that follow from a change
    the actor was allowed to make (a leaver's reports move up, wherever they sit)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if manager is not None:
        manager = Person.objects.get(pk=manager.pk)
    if manager == person.manager:
        return person
    check_manager(person, manager)
    effective = effective or today()
    current = (
        ReportingLine.objects.filter(person=person, end_date__isnull=True)
        .order_by("-start_date")
        .first()
    )
    if current is not None and current.start_date > effective:
        raise ValidationError(
            {
                "effective": f"The current reporting line starts on {current.start_date:%d %b %Y};"
                " pick that day or a later one."
            }
        )
    if current is not None and current.start_date == effective:
        current.manager = manager
        current.save(update_fields=["manager"])
    else:
        if current is not None:
            current.end_date = effective
            current.save(update_fields=["end_date"])
        ReportingLine.objects.create(person=person, manager=manager, start_date=effective)
    old_manager = person.manager
    old_path = person.path
    person.manager = manager
    person.save(update_fields=["manager"])
    new_path = tree.path_for(manager.path if manager else None, person.pk)
    tree.move_subtree(Person, old_path=old_path, new_path=new_path)
    person.path, person.depth = new_path, tree.depth_of(new_path)
    record(
        actor=by,
        kind="person.manager_change",
        obj=person,
        subject=person,
        changes={
            "manager": [str(old_manager or ""), str(manager or "")],
            "effective": [None, effective.isoformat()],
        },
        note=reason,
    )
    return person


@transaction.atomic
def change_status(
    *, person: Person, status: str, by: Any, end_date: date | None = None, reason: str = ""
) -> Person:
    """Active, on leave, or left. Leaving closes the account at once: every session and
    token ends, and the person's reports move up to the person's own manager."""
    require(by, "person.manage", person)
    if status not in PersonStatus.values:
        raise ValidationError(
            {"status": f"Unknown status “{status}”; use active, on_leave or left."}
        )
    if status == PersonStatus.LEFT:
        end_date = end_date or today()
    elif end_date is not None:
        raise ValidationError({"end_date": "Only people who have left have an end date."})
    before = snapshot(person, ("status", "end_date", "is_active"))
    person.status = status
    person.end_date = end_date
    person.is_active = status != PersonStatus.LEFT
    _validate(person)
    changes = diff(before, snapshot(person, ("status", "end_date", "is_active")))
    if not changes:
        return person
    person.save(update_fields=["status", "end_date", "is_active"])
    if "status" in changes:
        # The goal tally counts active people's goals.
        enqueue_on_commit("tandem.goals.tasks.refresh_tally", [person.department_id])
    note = reason
    if not person.is_active:
        sessions, tokens = end_all_access(person=person)
        note = f"{reason} (ended {sessions} session(s), revoked {tokens} token(s))".strip()
        for report in Person.objects.filter(manager=person).exclude(status=PersonStatus.LEFT):
            try:
                _move_to_manager(
                    person=report,
                    manager=person.manager,
                    by=by,
                    effective=end_date,
                    reason=f"{person.display_name} left",
                )
            except ValidationError as error:
                raise ValidationError(
                    {
                        "end_date": f"{report.display_name}'s reporting line cannot move on "
                        f"{end_date:%d %b %Y}: {' '.join(error.messages)}"
                    }
                ) from error
    record(
        actor=by,
        kind="person.status_change",
        obj=person,
        subject=person,
        changes=changes,
        note=note,
    )
    return person


def reactivate_allowed(person: Person) -> bool:
    return person.status == PersonStatus.LEFT


# --- Departments ----------------------------------------------------------------------


def _check_department_parent(department: Department, parent: Department | None) -> None:
    if parent is None:
        return
    if department.pk and (parent.pk == department.pk or parent.path.startswith(department.path)):
        raise ValidationError(
            {"parent": f"{parent.name} is inside {department.name}; pick another parent."}
        )


@transaction.atomic
def create_department(
    *, name: str, by: Any, parent: Department | None = None, head: Person | None = None
) -> Department:
    require(by, "department.manage")
    department = Department(name=name.strip(), parent=parent, head=head)
    department.full_clean(exclude=["path", "depth"])
    department.save()
    department.path = tree.path_for(parent.path if parent else None, department.pk)
    department.depth = tree.depth_of(department.path)
    department.save(update_fields=["path", "depth"])
    record(
        actor=by,
        kind="department.create",
        obj=department,
        changes=diff({}, {"name": department.name, "parent": parent, "head": head}),
    )
    return department


@transaction.atomic
def update_department(*, department: Department, by: Any, **fields: Any) -> Department:
    require(by, "department.manage")
    unknown = set(fields) - {"name", "parent", "head"}
    if unknown:
        raise TypeError(f"update_department() got unknown fields: {sorted(unknown)}")
    if "name" in fields:
        fields["name"] = fields["name"].strip()
    if "parent" in fields:
        _check_department_parent(department, fields["parent"])
    changes = diff(snapshot(department, fields), fields)
    if not changes:
        return department
    for key, value in fields.items():
        setattr(department, key, value)
    department.full_clean(exclude=["path", "depth"])
    department.save(update_fields=list(changes))
    if "parent" in changes:
        parent = department.parent
        new_path = tree.path_for(parent.path if parent else None, department.pk)
        tree.move_subtree(Department, old_path=department.path, new_path=new_path)
        department.refresh_from_db(fields=["path", "depth"])
    record(actor=by, kind="department.update", obj=department, changes=changes)
    return department


@transaction.atomic
def delete_department(*, department: Department, by: Any) -> None:
    require(by, "department.manage")
    if department.children.exists() or department.members.exists():
        raise ValidationError(
            {
                "department": f"{department.name} still has sub-departments or people; "
                "move them first."
            }
        )
    record(actor=by, kind="department.delete", obj=department)
    department.delete()


# --- Company ------------------------------------------------------------------------


@transaction.atomic
def update_company(*, by: Any, **fields: Any) -> Company:
    require(by, "company.edit")
    unknown = set(fields) - {"name", "mission"}
    if unknown:
        raise TypeError(f"update_company() got unknown fields: {sorted(unknown)}")
    company = Company.load()
    changes = diff(snapshot(company, fields), fields)
    if changes:
        for key, value in fields.items():
            setattr(company, key, value)
        company.full_clean()
        company.save(update_fields=[*changes, "updated_at"])
        record(actor=by, kind="company.update", obj=company, changes=changes)
    return company


@transaction.atomic
def set_company_values(*, by: Any, values: Sequence[tuple[str, str]]) -> list[CompanyValue]:
    """Replace the list of company values, in order. Values keep their ids by name, so
    praise tagged with a value stays tagged when the list is reordered or reworded."""
    require(by, "company.edit")
    names = [name.strip() for name, _ in values]
    limit = CompanyValue._meta.get_field("name").max_length or 100
    for index, name in enumerate(names, start=1):
        if not name:
            raise ValidationError({"values": f"Value {index} needs a name."})
        if len(name) > limit:
            raise ValidationError(
                {"values": f"Value {index} has a name longer than {limit} characters."}
            )
    if len({n.lower() for n in names}) != len(names):
        raise ValidationError({"values": "Two values have the same name."})
    before = {v.name: v.description for v in CompanyValue.objects.all()}
    CompanyValue.objects.exclude(name__in=names).delete()
    result = []
    for position, (name, description) in enumerate(values):
        value, _ = CompanyValue.objects.update_or_create(
            name=name.strip(), defaults={"description": description.strip(), "position": position}
        )
        result.append(value)
    after = {v.name: v.description for v in result}
    # Compare as ordered lists: a reordering is a change worth recording too.
    if list(before.items()) != list(after.items()):
        record(
            actor=by,
            kind="company.values",
            object_type="org.companyvalue",
            object_label="Company values",
            changes={"values": [before, after]},
        )
    return result
