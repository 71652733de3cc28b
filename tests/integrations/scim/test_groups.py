"""SCIM Groups are departments: members are the people in them."""

from __future__ import annotations

import pytest

from tandem.org.models import Department, Person
from tests.factories import DepartmentFactory, PersonFactory
from tests.integrations.scim.conftest import ScimClient, patch_ops

pytestmark = pytest.mark.django_db

GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"


def test_creating_a_group_creates_a_department_with_its_members(scim: ScimClient) -> None:
    ann = PersonFactory(department=None)
    response = scim.post(
        "/scim/v2/Groups",
        {"schemas": [GROUP], "displayName": "Research", "members": [{"value": str(ann.pk)}]},
    )
    assert response.status_code == 201, response.content
    department = Department.objects.get(name="Research")
    assert Person.objects.get(pk=ann.pk).department == department


def test_patch_adds_and_removes_members(scim: ScimClient) -> None:
    department = DepartmentFactory()
    ann, bob = PersonFactory(department=department), PersonFactory(department=None)
    response = scim.patch(
        f"/scim/v2/Groups/{department.pk}",
        patch_ops(
            {"op": "add", "path": "members", "value": [{"value": str(bob.pk)}]},
            {"op": "remove", "path": f'members[value eq "{ann.pk}"]'},
        ),
    )
    assert response.status_code == 200, response.content
    assert [m["value"] for m in response.json()["members"]] == [str(bob.pk)]
    assert Person.objects.get(pk=ann.pk).department is None


def test_a_member_who_does_not_exist_is_refused_and_nothing_changes(scim: ScimClient) -> None:
    department = DepartmentFactory()
    ann = PersonFactory(department=department)
    response = scim.put(
        f"/scim/v2/Groups/{department.pk}",
        {"schemas": [GROUP], "displayName": "Renamed", "members": [{"value": "99999"}]},
    )
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidValue"
    department.refresh_from_db()
    assert department.name != "Renamed"
    assert Person.objects.get(pk=ann.pk).department == department


def test_deleting_a_group_empties_and_deletes_the_department(scim: ScimClient) -> None:
    department = DepartmentFactory()
    ann = PersonFactory(department=department)
    assert scim.delete(f"/scim/v2/Groups/{department.pk}").status_code == 204
    assert not Department.objects.filter(pk=department.pk).exists()
    assert Person.objects.filter(pk=ann.pk).exists()


def test_filter_groups_by_display_name(scim: ScimClient) -> None:
    wanted = DepartmentFactory(name="Sales")
    DepartmentFactory(name="Research")
    body = scim.get("/scim/v2/Groups", filter='displayName eq "sales"').json()
    assert [g["id"] for g in body["Resources"]] == [str(wanted.pk)]


def test_a_page_of_groups_takes_the_same_queries_whatever_its_size(
    scim: ScimClient, django_assert_max_num_queries: object
) -> None:
    for _ in range(10):
        PersonFactory(department=DepartmentFactory())
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        body = scim.get("/scim/v2/Groups").json()
    assert body["totalResults"] >= 10
