from __future__ import annotations

from datetime import date

from ninja import Schema


class PersonRef(Schema):
    id: int
    display_name: str


class DepartmentRef(Schema):
    id: int
    name: str


class PersonOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    preferred_name: str
    display_name: str
    title: str
    department: DepartmentRef | None
    manager: PersonRef | None
    location: str
    time_zone: str
    start_date: date | None
    status: str
    # Shown only to the person, their management chain and HR; null for everyone else.
    employee_id: str | None = None
    level: str | None = None
    end_date: date | None = None


class PeoplePageOut(Schema):
    items: list[PersonOut]
    next_cursor: str | None


class MeOut(PersonOut):
    roles: list[str]
    is_manager: bool


class DepartmentOut(Schema):
    id: int
    name: str
    parent_id: int | None
    head: PersonRef | None
    people: int
