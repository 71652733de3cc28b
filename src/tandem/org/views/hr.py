"""HR pages: people records, departments, the company, and role grants.

Thin on purpose: forms parse, `org.services` / `access.services` write (permission check and
audit record included), `org.queries` and `access.rules.scope` read. A service's
ValidationError is shown on the form field it names; nothing here can answer a 500 to bad
input. Denied means 404, like a missing object.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from tandem.access import services as access_services
from tandem.access.models import Role, RoleGrant
from tandem.access.rules import require, scope
from tandem.core.forms import show_errors as show_service_errors
from tandem.core.http import AuthedHttpRequest
from tandem.org import queries
from tandem.org.forms.hr import (
    CompanyForm,
    DepartmentForm,
    GrantRoleForm,
    InviteForm,
    ManagerForm,
    PeopleFilterForm,
    PersonCreateForm,
    PersonForm,
    RevokeRoleForm,
    StatusForm,
    ValueFormSet,
    values_in_order,
)
from tandem.org.models import Company, CompanyValue, Department, Person, PersonStatus
from tandem.org.services import invitations
from tandem.org.services import people as services


def show_errors(form: forms.BaseForm, error: ValidationError | ValueError) -> None:
    """Put a service's errors on the fields they name; anything else goes on top of the form."""
    if isinstance(error, ValidationError):
        show_service_errors(form, error)
    else:
        form.add_error(None, str(error))


def person_to_manage(request: AuthedHttpRequest, person_id: int) -> Person:
    """The person HR may manage, or 404 (missing and not-yours look the same)."""
    require(request.user, "hr.access")
    people = scope(
        request.user, Person.objects.select_related("department", "manager"), purpose="manage"
    )
    person = people.filter(pk=person_id).first()
    if person is None:
        raise Http404("No such person.")
    require(request.user, "person.manage", person)
    return person


def current_reports(request: AuthedHttpRequest, person: Person) -> list[Person]:
    return list(queries.direct_reports(request.user, person)[:200])


# --- People ------------------------------------------------------------------------


@login_required
def people(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "hr.access")
    form = PeopleFilterForm(request.GET or None, user=request.user)
    filters: dict[str, Any] = {}
    status = sign_in = ""
    if form.is_bound and form.is_valid():
        filters = form.filters()
        status, sign_in = form.cleaned_data["status"], form.cleaned_data["sign_in"]
    elif form.is_bound:
        filters = {"department_id": -1}  # show nothing until the filters make sense
    people = queries.people_queryset(request.user, include_subdepartments=True, **filters)
    if status == "":
        people = people.exclude(status=PersonStatus.LEFT)
    people = queries.with_sign_in(scope(request.user, people, purpose="manage"), sign_in)
    # "Invite these N people" / "Send again": offered when the list shows exactly them.
    to_invite = people.count() if sign_in in (queries.NOT_INVITED, queries.INVITED) else 0
    people = people.select_related("invitation")

    cursor = request.GET.get("cursor") or None
    bad_cursor = ""
    try:
        page = queries.people_page(people, cursor=cursor)
    except queries.BadCursor as error:
        bad_cursor = str(error)
        page = queries.people_page(people, cursor=None)
        cursor = None

    for person in page.people:
        person.sign_in = queries.sign_in_state(person)  # type: ignore[attr-defined]
    kept = [(k, str(v)) for k, v in request.GET.items() if k != "cursor" and v]
    next_url = f"?{urlencode([*kept, ('cursor', page.next_cursor)])}" if page.next_cursor else ""
    first_url = f"?{urlencode(kept)}" if cursor else ""
    return render(
        request,
        "org/hr_people.html",
        {
            "form": form,
            "page": page,
            "next_url": next_url,
            "first_url": first_url,
            "bad_cursor": bad_cursor,
            "filtered": any(v for k, v in request.GET.items() if k != "cursor"),
            "to_invite": to_invite,
            "invite_state": sign_in,
            "kept": kept,
            "here": request.get_full_path(),
        },
    )


@login_required
@require_POST
def people_invite(request: AuthedHttpRequest) -> HttpResponse:
    """Invite everyone the people list's filters pick (sign-in "not invited yet"), or send
    the invitation again to everyone invited who has not come in ("invited"). Queued: the
    e-mails go out in the background, in chunks."""
    require(request.user, "hr.access")
    form = PeopleFilterForm(request.POST, user=request.user)
    state = request.POST.get("sign_in", "")
    back = InviteForm(request.POST).back_path() or reverse("org:hr_people")
    if not form.is_valid() or state not in (queries.NOT_INVITED, queries.INVITED):
        messages.error(request, "Nobody was invited: choose who on the people list first.")
        return redirect(back)
    count = invitations.invite_people(by=request.user, filters=form.filters(), state=state)
    if not count:
        messages.info(
            request, "Nobody to invite: everyone picked was invited already or can sign in."
        )
    else:
        people = f"{count} {'person' if count == 1 else 'people'}"
        messages.success(
            request,
            f"Invitations are on their way to {people}. They are sent in the background; "
            "the list shows each person as invited once their e-mail is queued.",
        )
    return redirect(back)


@login_required
@require_POST
def person_invite(request: AuthedHttpRequest, person_id: int) -> HttpResponse:
    """E-mail one person an invitation, or send it again."""
    person = person_to_manage(request, person_id)
    form = InviteForm(request.POST)
    back = form.back_path() or reverse("org:hr_person_edit", args=[person.pk])
    again = form.is_valid() and form.cleaned_data["again"]
    try:
        invitations.invite_person(person=person, by=request.user, again=again)
    except ValidationError as error:
        messages.error(request, f"Not sent: {' '.join(error.messages)}")
    else:
        messages.success(
            request,
            f"An invitation is on its way to {person.display_name} ({person.email}). Its "
            f"link works for {settings.INVITATION_TIMEOUT // 86400} days.",
        )
    return redirect(back)


@login_required
def person_create(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "hr.access")
    form = PersonCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.create_person(
                by=request.user, manager=form.cleaned_data["manager"], **form.record_fields()
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request,
                f"{person.display_name} was added. This is recorded in the audit log. They "
                "have no password yet: send them an invitation below when they should start "
                "using Tandem.",
            )
            return redirect("org:hr_person_edit", person_id=person.pk)
    return render(request, "org/hr_person_create.html", {"form": form})


@login_required
def person_edit(request: AuthedHttpRequest, person_id: int) -> HttpResponse:
    person = person_to_manage(request, person_id)
    name = person.display_name
    initial = {field: getattr(person, field) for field in PersonForm.base_fields}
    form = PersonForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(person=person, by=request.user, **form.record_fields())
        except ValidationError as error:
            show_errors(form, error)
            person = person_to_manage(request, person_id)  # drop the unsaved edits
        else:
            messages.success(request, f"{person.display_name}'s record was saved.")
            return redirect("org:hr_person_edit", person_id=person.pk)
    return render(
        request,
        "org/hr_person_edit.html",
        {
            "form": form,
            "person": person,
            "name": name,
            "sign_in": queries.sign_in_state(person),
            "invitation_days": settings.INVITATION_TIMEOUT // 86400,
        },
    )


@login_required
def person_manager(request: AuthedHttpRequest, person_id: int) -> HttpResponse:
    person = person_to_manage(request, person_id)
    form = ManagerForm(
        request.POST or None,
        user=request.user,
        person=person,
        initial={
            "effective": services.today(),
            "manager": person.manager.email if person.manager else "",
        },
    )
    preview = False
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirm") == "yes":
            try:
                services.change_manager(
                    person=person,
                    manager=form.cleaned_data["manager"],
                    by=request.user,
                    effective=form.cleaned_data["effective"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, f"{person.display_name}'s manager was changed.")
                return redirect("org:hr_person_edit", person_id=person.pk)
        else:
            preview = True
    history = person.reporting_lines.select_related("manager").order_by("-start_date")[:10]
    return render(
        request,
        "org/hr_person_manager.html",
        {
            "form": form,
            "person": person,
            "preview": preview,
            "reports": current_reports(request, person),
            "history": history,
        },
    )


@login_required
def person_status(request: AuthedHttpRequest, person_id: int) -> HttpResponse:
    person = person_to_manage(request, person_id)
    form = StatusForm(
        request.POST or None,
        person=person,
        initial={"status": person.status, "end_date": person.end_date},
    )
    preview = False
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirm") == "yes":
            try:
                services.change_status(
                    person=person,
                    status=form.cleaned_data["status"],
                    by=request.user,
                    end_date=form.cleaned_data["end_date"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(
                    request, f"{person.display_name} is now {person.get_status_display().lower()}."
                )
                return redirect("org:hr_person_edit", person_id=person.pk)
        else:
            preview = True
    new_status = form.cleaned_data.get("status") if preview else None
    return render(
        request,
        "org/hr_person_status.html",
        {
            "form": form,
            "person": person,
            "preview": preview,
            "new_status": new_status,
            "end_date": (form.cleaned_data.get("end_date") or services.today())
            if preview
            else None,
            "reports": current_reports(request, person),
        },
    )


# --- Departments -----------------------------------------------------------------------


@dataclass
class DepartmentNode:
    department: Department
    people: int
    children: list[DepartmentNode] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.people + sum(child.total for child in self.children)


def department_tree(rows: Iterable[Department]) -> list[DepartmentNode]:
    """Nest the departments (one query, ordered by path) under their parents, by name."""
    nodes: dict[int, DepartmentNode] = {}
    roots: list[DepartmentNode] = []
    for row in rows:
        node = DepartmentNode(department=row, people=getattr(row, "people", 0))
        nodes[row.pk] = node
        parent = nodes.get(row.parent_id) if row.parent_id else None
        (parent.children if parent else roots).append(node)
    for node in nodes.values():
        node.children.sort(key=lambda n: n.department.name.lower())
    roots.sort(key=lambda n: n.department.name.lower())
    return roots


@login_required
def departments(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "department.manage")
    tree = department_tree(queries.departments(request.user))
    return render(request, "org/hr_departments.html", {"tree": tree})


def department_to_manage(request: AuthedHttpRequest, department_id: int) -> Department:
    require(request.user, "department.manage")
    department = (
        scope(request.user, Department.objects.select_related("parent", "head"))
        .filter(pk=department_id)
        .first()
    )
    if department is None:
        raise Http404("No such department.")
    return department


@login_required
def department_create(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "department.manage")
    form = DepartmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            department = services.create_department(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{department.name} was created.")
            return redirect("org:hr_departments")
    return render(request, "org/hr_department_form.html", {"form": form, "department": None})


@login_required
def department_edit(request: AuthedHttpRequest, department_id: int) -> HttpResponse:
    department = department_to_manage(request, department_id)
    name = department.name
    if request.method == "POST" and request.POST.get("delete") == "yes":
        try:
            services.delete_department(department=department, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("org:hr_department_edit", department_id=department_id)
        messages.success(request, f"{name} was deleted.")
        return redirect("org:hr_departments")
    initial = {
        "name": department.name,
        "parent": department.parent_id,
        "head": department.head.email if department.head else "",
    }
    form = DepartmentForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_department(department=department, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
            department = department_to_manage(request, department_id)
        else:
            messages.success(request, f"{department.name} was saved.")
            return redirect("org:hr_departments")
    members = department.members.count()
    children = department.children.count()
    return render(
        request,
        "org/hr_department_form.html",
        {
            "form": form,
            "department": department,
            "name": name,
            "members": members,
            "children": children,
        },
    )


# --- Company ---------------------------------------------------------------------------


@login_required
def company_edit(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "company.edit")
    company = Company.current()
    values = [{"name": v.name, "description": v.description} for v in CompanyValue.objects.all()]
    form = CompanyForm(
        request.POST or None, initial={"name": company.name, "mission": company.mission}
    )
    formset = ValueFormSet(request.POST or None, initial=values, prefix="values")
    values_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            # Both or neither: the page is one form to the person filling it in.
            with transaction.atomic():
                services.update_company(by=request.user, **form.cleaned_data)
                services.set_company_values(by=request.user, values=values_in_order(formset))
        except ValidationError as error:
            values_errors = list(error.messages)
        else:
            messages.success(request, "The company page was saved.")
            return redirect("org:hr_company")
    return render(
        request,
        "org/hr_company.html",
        {"form": form, "formset": formset, "values_errors": values_errors},
    )


# --- Roles ------------------------------------------------------------------------------


def role_grants() -> list[RoleGrant]:
    """Every grant (the caller has checked roles.manage): few rows, one query plus one."""
    return list(
        RoleGrant.objects.select_related("person")
        .prefetch_related("departments")
        .order_by("role", "person__sort_name", "pk")
    )


@login_required
def roles(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "roles.manage")
    grant_form = GrantRoleForm(
        request.POST if request.POST.get("action") == "grant" else None, user=request.user
    )
    revoke_error = ""
    if request.method == "POST" and request.POST.get("action") == "revoke":
        revoke_form = RevokeRoleForm(request.POST, user=request.user)
        if revoke_form.is_valid():
            grant = revoke_form.cleaned_data["grant"]
            access_services.revoke_role(person=grant.person, role=grant.role, by=request.user)
            messages.success(
                request, f"{grant.person.display_name} is no longer {Role(grant.role).label}."
            )
            return redirect("org:hr_roles")
        revoke_error = " ".join(str(e) for errors in revoke_form.errors.values() for e in errors)
    elif request.method == "POST" and grant_form.is_valid():
        data = grant_form.cleaned_data
        try:
            access_services.grant_role(
                person=data["person"],
                role=data["role"],
                by=request.user,
                departments=data["departments"] or (),
            )
        except (ValidationError, ValueError) as error:
            show_errors(grant_form, error)
        else:
            messages.success(
                request, f"{data['person'].display_name} is now {Role(data['role']).label}."
            )
            return redirect("org:hr_roles")
    return render(
        request,
        "org/hr_roles.html",
        {
            "grant_form": grant_form,
            "grants": role_grants(),
            "revoke_error": revoke_error,
            "role_help": ROLE_HELP,
        },
    )


ROLE_HELP = [
    (
        Role.HR_ADMIN.label,
        "sees and edits everyone's records, departments, the company page, "
        "the program, roles, the import and the audit log.",
    ),
    (
        Role.HR_PARTNER.label,
        "sees and edits the people in the departments they look after (sub-departments included).",
    ),
    (Role.EXECUTIVE.label, "sees org-wide figures and insights; no private notes."),
    (Role.IT_ADMIN.label, "manages sign-in, integrations and API tokens; not people data."),
    (
        Role.PEOPLE_ANALYTICS.label,
        "reads protected attributes and fairness figures; only together with HR admin.",
    ),
]
