"""SCIM Users: provisioning through org's services, filters, pages, ETags, bad input."""

from __future__ import annotations

import pytest

from tandem.audit.models import AuditEvent
from tandem.org.models import Person, PersonStatus
from tests.factories import PersonFactory
from tests.integrations.scim.conftest import ENTERPRISE, ScimClient, patch_ops, user_payload

pytestmark = pytest.mark.django_db

USERS = "/scim/v2/Users"


def create(scim: ScimClient, email: str, **extra: object) -> dict:
    response = scim.post(USERS, user_payload(email, **extra))
    assert response.status_code == 201, response.content
    return response.json()


def test_it_creates_a_person_through_org_with_an_audit_record(scim: ScimClient) -> None:
    body = create(scim, "ann.lee@example.com", externalId="00u1")
    person = Person.objects.get(pk=int(body["id"]))
    assert (person.first_name, person.last_name, person.email) == (
        "Ann",
        "Lee",
        "ann.lee@example.com",
    )
    assert body["externalId"] == "00u1"
    assert AuditEvent.objects.filter(kind="person.create", object_id=str(person.pk)).exists()


def test_it_refuses_a_user_name_already_used_with_uniqueness(scim: ScimClient) -> None:
    create(scim, "ann.lee@example.com")
    response = scim.post(USERS, user_payload("ann.lee@example.com"))
    assert response.status_code == 409
    assert response.json()["scimType"] == "uniqueness"
    assert Person.objects.count() == 1


def test_it_refuses_malformed_json_with_invalid_syntax(scim: ScimClient) -> None:
    response = scim.post(USERS, "{not json")
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidSyntax"


def test_it_refuses_an_unknown_attribute_and_creates_no_one(scim: ScimClient) -> None:
    response = scim.post(USERS, user_payload("a.b@example.com", shoeSize=44))
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidSyntax"
    assert "shoeSize" in response.json()["detail"]
    assert not Person.objects.exists()


def test_it_refuses_a_missing_manager_and_creates_no_one(scim: ScimClient) -> None:
    response = scim.post(
        USERS, user_payload("a.b@example.com", **{ENTERPRISE: {"manager": {"value": "999"}}})
    )
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidValue"
    assert "manager" in response.json()["detail"]
    assert not Person.objects.exists()


def test_it_refuses_a_manager_that_makes_a_cycle_and_changes_nothing(scim: ScimClient) -> None:
    boss = create(scim, "boss.one@example.com")
    report = create(scim, "rep.two@example.com", **{ENTERPRISE: {"manager": {"value": boss["id"]}}})
    response = scim.patch(
        f"{USERS}/{boss['id']}",
        patch_ops({"op": "replace", "path": f"{ENTERPRISE}:manager", "value": report["id"]}),
    )
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidValue"
    assert Person.objects.get(pk=int(boss["id"])).manager_id is None


def test_it_refuses_an_unsupported_patch_op(scim: ScimClient) -> None:
    user = create(scim, "a.b@example.com")
    response = scim.patch(
        f"{USERS}/{user['id']}", patch_ops({"op": "move", "path": "title", "value": "Boss"})
    )
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidValue"


def test_a_patch_on_an_unknown_path_is_invalid_path_and_nothing_is_half_applied(
    scim: ScimClient,
) -> None:
    user = create(scim, "a.b@example.com")
    response = scim.patch(
        f"{USERS}/{user['id']}",
        patch_ops(
            {"op": "replace", "path": "title", "value": "Boss"},
            {"op": "replace", "path": "nickName", "value": "Al"},
        ),
    )
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidPath"
    assert Person.objects.get(pk=int(user["id"])).title == ""


def test_delete_means_the_person_leaves_and_scim_forgets_them(scim: ScimClient) -> None:
    user = create(scim, "a.b@example.com")
    assert scim.delete(f"{USERS}/{user['id']}").status_code == 204
    person = Person.objects.get(pk=int(user["id"]))
    assert person.status == PersonStatus.LEFT
    assert scim.get(f"{USERS}/{user['id']}").status_code == 404


def test_filters_by_user_name_external_id_and_email(scim: ScimClient) -> None:
    user = create(scim, "ann.lee@example.com", externalId="00u1")
    create(scim, "bob.ray@example.com", externalId="00u2")
    for expression in (
        'userName eq "Ann.Lee@example.com"',
        'externalId eq "00u1"',
        'emails.value eq "ann.lee@example.com"',
        'name.familyName sw "Le" and active eq true',
    ):
        body = scim.get(USERS, filter=expression).json()
        assert [r["id"] for r in body["Resources"]] == [user["id"]], expression


def test_an_unknown_filter_attribute_is_invalid_filter_not_everyone(scim: ScimClient) -> None:
    create(scim, "ann.lee@example.com")
    response = scim.get(USERS, filter='shoeSize eq "44"')
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidFilter"


def test_pages_follow_start_index_and_count(scim: ScimClient) -> None:
    PersonFactory.create_batch(5)
    body = scim.get(USERS, startIndex=2, count=2).json()
    assert (body["totalResults"], body["startIndex"], body["itemsPerPage"]) == (5, 2, 2)


def test_a_page_of_users_takes_the_same_queries_whatever_its_size(
    scim: ScimClient, django_assert_max_num_queries: object
) -> None:
    boss = PersonFactory()
    PersonFactory.create_batch(30, manager=boss)
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        body = scim.get(USERS, count=100).json()
    assert body["itemsPerPage"] == 31


def test_if_match_with_an_old_version_is_refused_with_412(scim: ScimClient) -> None:
    user = create(scim, "a.b@example.com")
    old = user["meta"]["version"]
    scim.patch(f"{USERS}/{user['id']}", patch_ops({"op": "replace", "path": "title", "value": "X"}))
    response = scim.patch(
        f"{USERS}/{user['id']}",
        patch_ops({"op": "replace", "path": "title", "value": "Y"}),
        **{"If-Match": old},
    )
    assert response.status_code == 412
    assert Person.objects.get(pk=int(user["id"])).title == "X"


def test_get_with_the_current_version_answers_304(scim: ScimClient) -> None:
    user = create(scim, "a.b@example.com")
    response = scim.client.get(
        f"{USERS}/{user['id']}",
        headers={**scim.headers, "If-None-Match": user["meta"]["version"]},
    )
    assert response.status_code == 304


def test_put_replaces_the_record(scim: ScimClient) -> None:
    user = create(scim, "a.b@example.com", title="Engineer")
    body = user_payload(
        "a.b@example.com", **{ENTERPRISE: {"employeeNumber": "E-7", "department": "Sales"}}
    )
    response = scim.put(f"{USERS}/{user['id']}", body)
    assert response.status_code == 200, response.content
    person = Person.objects.select_related("department").get(pk=int(user["id"]))
    assert (person.title, person.employee_id, person.department.name) == ("", "E-7", "Sales")
