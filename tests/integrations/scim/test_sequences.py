"""Request sequences as Okta and Microsoft Entra ID send them, written from their public
SCIM documentation: create, deactivate with PATCH active=false, set the manager, find by
filter."""

from __future__ import annotations

import pytest

from tandem.org.models import Person, PersonStatus
from tests.integrations.scim.conftest import ENTERPRISE, ScimClient, patch_ops, user_payload

pytestmark = pytest.mark.django_db


def test_okta_sequence(scim: ScimClient) -> None:
    # Okta first looks the user up by userName, then creates, then PATCHes active=false.
    assert (
        scim.get(
            "/scim/v2/Users", filter='userName eq "ann.lee@example.com"', startIndex=1, count=100
        ).json()["totalResults"]
        == 0
    )
    boss = scim.post("/scim/v2/Users", user_payload("boss.b@example.com")).json()
    ann = scim.post(
        "/scim/v2/Users", user_payload("ann.lee@example.com", externalId="00u1ann")
    ).json()
    response = scim.patch(
        f"/scim/v2/Users/{ann['id']}",
        patch_ops({"op": "replace", "value": {"active": False}}),
    )
    assert response.status_code == 200 and response.json()["active"] is False
    response = scim.patch(
        f"/scim/v2/Users/{ann['id']}",
        patch_ops({"op": "replace", "value": {"active": True}}),
    )
    assert response.json()["active"] is True
    response = scim.patch(
        f"/scim/v2/Users/{ann['id']}",
        patch_ops(
            {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": boss["id"]}}
        ),
    )
    assert response.status_code == 200, response.content
    found = scim.get("/scim/v2/Users", filter='userName eq "ann.lee@example.com"').json()
    assert found["Resources"][0][ENTERPRISE]["manager"]["value"] == boss["id"]


def test_entra_sequence(scim: ScimClient) -> None:
    # Entra ID sends ops capitalised, booleans as strings and the manager as a bare id.
    boss = scim.post(
        "/scim/v2/Users", user_payload("boss.b@example.com", externalId="e-boss")
    ).json()
    ann = scim.post(
        "/scim/v2/Users", user_payload("ann.lee@example.com", externalId="e-ann")
    ).json()
    response = scim.patch(
        f"/scim/v2/Users/{ann['id']}",
        patch_ops({"op": "Replace", "path": "active", "value": "False"}),
    )
    assert response.status_code == 200 and response.json()["active"] is False
    assert Person.objects.get(pk=int(ann["id"])).status == PersonStatus.LEFT
    response = scim.patch(
        f"/scim/v2/Users/{ann['id']}",
        patch_ops({"op": "Add", "path": f"{ENTERPRISE}:manager", "value": boss["id"]}),
    )
    assert response.status_code == 200, response.content
    found = scim.get("/scim/v2/Users", filter='externalId eq "e-ann"').json()
    assert found["Resources"][0][ENTERPRISE]["manager"]["value"] == boss["id"]


def test_entra_changes_the_work_email_through_a_value_filter_path(scim: ScimClient) -> None:
    ann = scim.post("/scim/v2/Users", user_payload("ann.lee@example.com")).json()
    response = scim.patch(
        f"/scim/v2/Users/{ann['id']}",
        patch_ops(
            {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "ann.l@example.com"}
        ),
    )
    assert response.status_code == 200, response.content
    assert Person.objects.get(pk=int(ann["id"])).email == "ann.l@example.com"
