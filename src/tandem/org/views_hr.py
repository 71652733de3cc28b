"""HR pages: people records, departments, company, roles and the HRIS import.

(Being built: each view is filled in by the HR pages work.)"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from tandem.access.rules import require


def _todo(request: HttpRequest, action: str) -> HttpResponse:
    require(request.user, action)
    raise NotImplementedError


def people(request: HttpRequest) -> HttpResponse:
    return _todo(request, "hr.access")


def person_create(request: HttpRequest) -> HttpResponse:
    return _todo(request, "hr.access")


def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    return _todo(request, "hr.access")


def person_manager(request: HttpRequest, person_id: int) -> HttpResponse:
    return _todo(request, "hr.access")


def person_status(request: HttpRequest, person_id: int) -> HttpResponse:
    return _todo(request, "hr.access")


def departments(request: HttpRequest) -> HttpResponse:
    return _todo(request, "department.manage")


def department_create(request: HttpRequest) -> HttpResponse:
    return _todo(request, "department.manage")


def department_edit(request: HttpRequest, department_id: int) -> HttpResponse:
    return _todo(request, "department.manage")


def company_edit(request: HttpRequest) -> HttpResponse:
    return _todo(request, "company.edit")


def roles(request: HttpRequest) -> HttpResponse:
    return _todo(request, "roles.manage")
