from __future__ import annotations

from django.utils import timezone

from tandem.org.models import PersonStatus
from tests.factories import DepartmentFactory, PersonFactory


def test_it_lists_departments_with_parent_head_and_headcount(client_for):
    engineering = DepartmentFactory(name="Engineering")
    platform = DepartmentFactory(name="Platform", parent=engineering)
    head = PersonFactory(department=platform, first_name="Hal", last_name="Head", preferred_name="")
    platform.head = head
    platform.save(update_fields=["head"])
    PersonFactory(department=platform)
    PersonFactory(department=platform, status=PersonStatus.LEFT, end_date=timezone.localdate())
    body = client_for(head).get("/api/v1/departments").json()
    by_name = {d["name"]: d for d in body}
    assert by_name["Platform"] == {
        "id": platform.pk,
        "name": "Platform",
        "parent_id": engineering.pk,
        "head": {"id": head.pk, "display_name": "Hal Head"},
        "people": 2,
    }


def test_it_lists_departments_parents_first(client_for):
    engineering = DepartmentFactory(name="Zeta Engineering")
    DepartmentFactory(name="Alpha Platform", parent=engineering)
    names = [d["name"] for d in client_for(PersonFactory()).get("/api/v1/departments").json()]
    assert names.index("Zeta Engineering") < names.index("Alpha Platform")
