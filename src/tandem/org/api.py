"""People and departments over the API. Thin: parse, ask queries, shape the answer."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import ValidationError
from pydantic import Field

from tandem.access.rules import actor_for, can
from tandem.core.api import ERRORS, MAX_ID, ErrorOut
from tandem.org import queries
from tandem.org.models import Person, PersonStatus
from tandem.org.schemas import DepartmentOut, MeOut, PeoplePageOut, PersonOut

router = Router(tags=["people"])


def person_out(user: Any, person: Person) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": person.pk,
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "preferred_name": person.preferred_name,
        "display_name": person.display_name,
        "title": person.title,
        "department": person.department,
        "manager": person.manager,
        "location": person.location,
        "time_zone": person.time_zone,
        "start_date": person.start_date,
        "status": person.status,
    }
    if can(user, "person.view_private", person):
        data.update(employee_id=person.employee_id, level=person.level, end_date=person.end_date)
    return data


class PeopleFilters(Schema):
    q: str = Field(
        "", max_length=200, description="Words found in name, title, e-mail or department"
    )
    department: int | None = Field(None, ge=1, le=MAX_ID, description="Department id")
    manager: int | None = Field(
        None, ge=1, le=MAX_ID, description="Manager's person id (direct reports)"
    )
    status: PersonStatus | None = None
    cursor: str | None = Field(None, max_length=500, description="next_cursor of the previous page")
    limit: int = Field(queries.PAGE_SIZE, ge=1, le=queries.MAX_PAGE_SIZE)


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="The signed-in person")
def me(request: HttpRequest) -> dict[str, Any]:
    actor = actor_for(request.user)
    assert actor is not None
    person = queries.person_for(request.user, actor.person.pk)
    return {
        **person_out(request.user, person),
        "roles": sorted(actor.roles),
        "is_manager": actor.is_manager,
    }


@router.get("/people", response={200: PeoplePageOut, **ERRORS}, summary="People, in name order")
def list_people(request: HttpRequest, filters: Query[PeopleFilters]) -> dict[str, Any]:
    people = queries.people_queryset(
        request.user,
        q=filters.q,
        department_id=filters.department,
        manager_id=filters.manager,
        status=filters.status,
    )
    try:
        page = queries.people_page(people, cursor=filters.cursor, limit=filters.limit)
    except queries.BadCursor as error:
        # The same shape as ninja's own validation errors, so clients handle one format.
        raise ValidationError(
            [{"type": "value_error", "loc": ["query", "cursor"], "msg": str(error)}]
        ) from None
    return {
        "items": [person_out(request.user, p) for p in page.people],
        "next_cursor": page.next_cursor,
    }


@router.get(
    "/people/{person_id}", response={200: PersonOut, 404: ErrorOut, **ERRORS}, summary="One person"
)
def get_person(request: HttpRequest, person_id: int) -> dict[str, Any]:
    return person_out(request.user, queries.person_for(request.user, person_id))


@router.get(
    "/departments", response={200: list[DepartmentOut], 401: ErrorOut}, summary="All departments"
)
def list_departments(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": d.pk,
            "name": d.name,
            "parent_id": d.parent_id,
            "head": d.head,
            "people": d.people,  # type: ignore[attr-defined]
        }
        for d in queries.departments(request.user)
    ]
