"""Every write SCIM makes: issuing and revoking its tokens, and provisioning people and
departments.

Provisioning goes through `org.services` (create_person, update_person, change_manager,
change_status, create/update/delete_department), the same functions the HRIS import and
HR's pages use, so SCIM gets the same validation, audit trail and manager-cycle check.
It acts as the system, like the import run from the command line: the identity provider
was trusted by IT when IT issued its token. Each request is one transaction: a refusal
anywhere leaves nothing half-applied.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from scim2_models import (
    EnterpriseUser,
    InvalidValueException,
    UniquenessException,
)

from tandem.access.rules import SYSTEM, require
from tandem.audit.services import record
from tandem.integrations.scim.models import ScimEvent, ScimGroup, ScimToken, ScimUser, hash_token
from tandem.integrations.scim.resources import ScimUserModel
from tandem.org.models import Department, Person, PersonStatus
from tandem.org.services.people import (
    change_manager,
    change_status,
    create_department,
    create_person,
    delete_department,
    update_department,
    update_person,
)

# --- Tokens ------------------------------------------------------------------------------


def create_scim_token(*, name: str, by: Any) -> tuple[ScimToken, str]:
    """A new SCIM token. Returns the row and the raw secret, which is never stored."""
    require(by, "scim_token.manage")
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the token a name, e.g. the identity provider's."})
    raw, prefix, token_hash = ScimToken.generate()
    with transaction.atomic():
        token = ScimToken.objects.create(
            name=name[:100],
            prefix=prefix,
            token_hash=token_hash,
            created_by=by if getattr(by, "pk", None) else None,
        )
        record(actor=by, kind="scim_token.create", obj=token)
    return token, raw


def revoke_scim_token(*, token: ScimToken, by: Any) -> ScimToken:
    require(by, "scim_token.manage", token)
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record(actor=by, kind="scim_token.revoke", obj=token)
    return token


# A token's last use is written at most once a minute: one UPDATE per SCIM request would
# double the writes of a bulk sync for a figure IT reads in minutes.
LAST_USE_GRANULARITY_SECONDS = 60


def authenticate(raw: str) -> ScimToken | None:
    """The live SCIM token with this secret, its last use noted; None for anything else
    (a personal API token included)."""
    token = ScimToken.objects.filter(token_hash=hash_token(raw), revoked_at__isnull=True).first()
    if token is None:
        return None
    now = timezone.now()
    last = token.last_used_at
    if last is None or (now - last).total_seconds() >= LAST_USE_GRANULARITY_SECONDS:
        token.last_used_at = now
        ScimToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def log_event(
    *, token: ScimToken | None, method: str, path: str, status: int, detail: str = ""
) -> None:
    """Remember one request that changed something or failed (for the IT page)."""
    ScimEvent.objects.create(
        token=token,
        method=method[:10],
        path=path[:200],
        status=status,
        ok=status < 400,
        detail=detail[:300],
    )


# --- Users -------------------------------------------------------------------------------


def _email_of(data: ScimUserModel) -> str:
    emails = data.emails or []
    # The primary one, else the work one (Entra patches `emails[type eq "work"].value`).
    primary = next(
        (e for e in emails if e.primary),
        next((e for e in emails if str(e.type or "") == "work"), emails[0] if emails else None),
    )
    if primary is not None and primary.value:
        return str(primary.value).strip().lower()
    if data.user_name and "@" in data.user_name:
        return data.user_name.strip().lower()
    raise InvalidValueException(
        detail="emails: give the person's work e-mail (a primary email, or a userName that is one)."
    )


def _department_named(name: str | None) -> Department | None:
    """The department with this name, created when missing (as the HRIS import does)."""
    if not name or not name.strip():
        return None
    department = Department.objects.filter(name__iexact=name.strip()).first()
    if department is None:
        department = create_department(name=name.strip(), by=SYSTEM)
    return department


def _manager_of(data: ScimUserModel, person: Person | None) -> Person | None:
    extension = data[EnterpriseUser]
    manager = extension.manager if extension is not None else None
    if manager is None or not manager.value:
        return None
    value = str(manager.value)
    found = (
        Person.objects.filter(pk=int(value)).exclude(scim__deleted_at__isnull=False).first()
        if value.isdigit()
        else None
    )
    if found is None:
        raise InvalidValueException(detail=f"manager: there is no user with id “{value}”.")
    if found.status == PersonStatus.LEFT and (person is None or person.manager_id != found.pk):
        raise InvalidValueException(detail=f"manager: {found.display_name} has left the company.")
    return found


def _check_unique(data: ScimUserModel, email: str, person: Person | None) -> None:
    others = Person.objects.exclude(pk=person.pk) if person is not None else Person.objects.all()
    if others.filter(email=email).exists():
        raise UniquenessException(detail=f"userName/emails: {email} is already someone's e-mail.")
    links = ScimUser.objects.exclude(person=person) if person is not None else ScimUser.objects
    user_name = data.user_name or ""
    if user_name and (
        links.filter(user_name__iexact=user_name).exists()
        or (user_name.lower() != email and others.filter(email=user_name.lower()).exists())
    ):
        raise UniquenessException(detail=f"userName: “{user_name}” is already used.")
    if data.external_id and links.filter(external_id=data.external_id).exists():
        raise UniquenessException(detail=f"externalId: “{data.external_id}” is already used.")


def _fields_of(data: ScimUserModel, email: str) -> dict[str, Any]:
    extension = data[EnterpriseUser]
    name = data.name
    return {
        "email": email,
        "first_name": (name.given_name or "").strip() if name else "",
        "last_name": (name.family_name or "").strip() if name else "",
        "title": (data.title or "").strip(),
        "employee_id": (extension.employee_number if extension else None) or None,
        "department": _department_named(extension.department if extension else None),
    }


def _link(person: Person, data: ScimUserModel, email: str) -> None:
    user_name = data.user_name if data.user_name and data.user_name.lower() != email else None
    ScimUser.objects.update_or_create(
        person=person,
        defaults={
            "user_name": user_name,
            "external_id": data.external_id or None,
            "deleted_at": None,
            "updated_at": timezone.now(),
        },
    )


def _as_scim(error: ValidationError) -> InvalidValueException:
    if hasattr(error, "error_dict"):
        detail = "; ".join(
            f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items()
        )
    else:
        detail = " ".join(error.messages)
    return InvalidValueException(detail=detail)


def provision_user(*, data: ScimUserModel) -> Person:
    """POST /Users: a new person, with their manager, department and ids."""
    email = _email_of(data)
    try:
        with transaction.atomic():
            _check_unique(data, email, None)
            manager = _manager_of(data, None)
            person = create_person(by=SYSTEM, manager=manager, **_fields_of(data, email))
            if data.active is False:
                person = change_status(person=person, status=PersonStatus.LEFT, by=SYSTEM)
            _link(person, data, email)
    except ValidationError as error:
        raise _as_scim(error) from error
    return person


def replace_user(*, person: Person, data: ScimUserModel) -> Person:
    """PUT /Users/{id} (and PATCH, once the patch is applied): make the person match."""
    email = _email_of(data)
    try:
        with transaction.atomic():
            _check_unique(data, email, person)
            manager = _manager_of(data, person)
            fields = _fields_of(data, email)
            # Reactivate first: org refuses changes to someone who has left.
            if data.active is not False and person.status == PersonStatus.LEFT:
                person = change_status(person=person, status=PersonStatus.ACTIVE, by=SYSTEM)
            person = update_person(person=person, by=SYSTEM, **fields)
            if manager != person.manager:
                person = change_manager(person=person, manager=manager, by=SYSTEM)
            if data.active is False and person.status != PersonStatus.LEFT:
                person = change_status(person=person, status=PersonStatus.LEFT, by=SYSTEM)
            _link(person, data, email)
    except ValidationError as error:
        raise _as_scim(error) from error
    return person


def deprovision_user(*, person: Person) -> None:
    """DELETE /Users/{id}: the person leaves (never deleted); SCIM answers 404 after."""
    try:
        with transaction.atomic():
            if person.status != PersonStatus.LEFT:
                change_status(person=person, status=PersonStatus.LEFT, by=SYSTEM)
            ScimUser.objects.update_or_create(
                person=person,
                defaults={"deleted_at": timezone.now(), "updated_at": timezone.now()},
            )
    except ValidationError as error:
        raise _as_scim(error) from error


# --- Groups (departments) ----------------------------------------------------------------


def _member_people(values: Iterable[str]) -> list[Person]:
    ids = []
    for value in values:
        if not str(value).isdigit():
            raise InvalidValueException(detail=f"members: there is no user with id “{value}”.")
        ids.append(int(value))
    people = list(
        Person.objects.filter(pk__in=ids).exclude(scim__deleted_at__isnull=False).order_by("pk")
    )
    missing = sorted(set(ids) - {p.pk for p in people})
    if missing:
        raise InvalidValueException(detail=f"members: there is no user with id “{missing[0]}”.")
    return people


def _set_members(department: Department, values: list[str]) -> None:
    wanted = {p.pk: p for p in _member_people(values)}
    for person in Person.objects.filter(department=department).exclude(pk__in=list(wanted)):
        update_person(person=person, by=SYSTEM, department=None)
    for person in wanted.values():
        if person.department_id != department.pk:
            update_person(person=person, by=SYSTEM, department=department)


def _check_group_unique(name: str, external_id: str | None, department: Department | None) -> None:
    others = Department.objects.exclude(pk=department.pk) if department else Department.objects
    if others.filter(name__iexact=name.strip()).exists():
        raise UniquenessException(detail=f"displayName: a department is already called “{name}”.")
    links = ScimGroup.objects.exclude(department=department) if department else ScimGroup.objects
    if external_id and links.filter(external_id=external_id).exists():
        raise UniquenessException(detail=f"externalId: “{external_id}” is already used.")


def provision_group(*, name: str, external_id: str | None, members: list[str]) -> Department:
    """POST /Groups: a new department with these people in it."""
    try:
        with transaction.atomic():
            _check_group_unique(name, external_id, None)
            department = create_department(name=name, by=SYSTEM)
            _set_members(department, members)
            ScimGroup.objects.create(department=department, external_id=external_id or None)
    except ValidationError as error:
        raise _as_scim(error) from error
    return department


def replace_group(
    *, department: Department, name: str, external_id: str | None, members: list[str]
) -> Department:
    """PUT/PATCH /Groups/{id}: the department's name and its people."""
    try:
        with transaction.atomic():
            _check_group_unique(name, external_id, department)
            department = update_department(department=department, by=SYSTEM, name=name)
            _set_members(department, members)
            ScimGroup.objects.update_or_create(
                department=department,
                defaults={"external_id": external_id or None, "updated_at": timezone.now()},
            )
    except ValidationError as error:
        raise _as_scim(error) from error
    return department


def remove_group(*, department: Department) -> None:
    """DELETE /Groups/{id}: its people leave the department, then it is deleted (refused
    while it has sub-departments)."""
    try:
        with transaction.atomic():
            for person in Person.objects.filter(department=department):
                update_person(person=person, by=SYSTEM, department=None)
            delete_department(department=department, by=SYSTEM)
    except ValidationError as error:
        raise _as_scim(error) from error
