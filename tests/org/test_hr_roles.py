"""The roles page: grant and remove HR admin, HR partner, executive and IT admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.access.models import Role, RoleGrant
from tandem.access.rules import can
from tandem.audit.models import AuditEvent
from tests.factories import DepartmentFactory, PersonFactory, executive, hr_admin

URL = reverse("org:hr_roles")


@pytest.fixture
def hr_admin_person(db):
    return hr_admin()


def test_the_page_lists_the_current_grants(client_for, hr_admin_person):
    boss = executive(first_name="Eva", last_name="Exec", preferred_name="")
    response = client_for(hr_admin_person).get(URL)
    assert boss in [grant.person for grant in response.context["grants"]]
    assert "Eva Exec" in response.text


def test_it_grants_hr_partner_with_departments_and_audits_it(client_for, hr_admin_person):
    sales = DepartmentFactory(name="Sales")
    ana = PersonFactory()
    response = client_for(hr_admin_person).post(
        URL,
        {
            "action": "grant",
            "person": ana.email,
            "role": Role.HR_PARTNER,
            "departments": [sales.pk],
        },
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.get(person=ana)
    assert list(grant.departments.all()) == [sales]
    event = AuditEvent.objects.get(kind="role.grant")
    assert event.changes == {"departments": ["Sales"]}
    assert event.subject == ana


def test_it_grants_executive_and_it_admin(client_for, hr_admin_person):
    ana = PersonFactory()
    client = client_for(hr_admin_person)
    for role in (Role.EXECUTIVE, Role.IT_ADMIN, Role.HR_ADMIN):
        response = client.post(URL, {"action": "grant", "person": ana.employee_id, "role": role})
        assert response.status_code == 302, role
    assert set(RoleGrant.objects.filter(person=ana).values_list("role", flat=True)) == {
        Role.EXECUTIVE,
        Role.IT_ADMIN,
        Role.HR_ADMIN,
    }


def test_it_requires_departments_for_an_hr_partner(client_for, hr_admin_person):
    ana = PersonFactory()
    response = client_for(hr_admin_person).post(
        URL, {"action": "grant", "person": ana.email, "role": Role.HR_PARTNER}
    )
    assert response.status_code == 200
    assert "at least one department" in str(response.context["grant_form"].errors["departments"])
    assert not RoleGrant.objects.filter(person=ana).exists()


def test_it_rejects_an_unknown_person_and_role(client_for, hr_admin_person):
    response = client_for(hr_admin_person).post(
        URL, {"action": "grant", "person": "ghost@example.com", "role": "wizard"}
    )
    errors = response.context["grant_form"].errors
    assert "No active person with e-mail ghost@example.com" in str(errors["person"])
    assert "role" in errors


def test_it_revokes_a_role_and_audits_it(client_for, hr_admin_person):
    boss = executive()
    grant = RoleGrant.objects.get(person=boss)
    response = client_for(hr_admin_person).post(URL, {"action": "revoke", "grant": grant.pk})
    assert response.status_code == 302
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    assert AuditEvent.objects.get(kind="role.revoke").subject == boss
    boss.__dict__.pop("_tandem_actor", None)
    assert not can(boss, "org.insights")


def test_it_refuses_to_remove_your_own_hr_admin_role(client_for, hr_admin_person):
    grant = RoleGrant.objects.get(person=hr_admin_person)
    response = client_for(hr_admin_person).post(URL, {"action": "revoke", "grant": grant.pk})
    assert response.status_code == 200
    assert "cannot remove your own HR admin role" in response.text
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_another_hr_admin_can_remove_an_hr_admin(client_for, hr_admin_person):
    other = hr_admin()
    grant = RoleGrant.objects.get(person=other)
    response = client_for(hr_admin_person).post(URL, {"action": "revoke", "grant": grant.pk})
    assert response.status_code == 302


def test_it_answers_a_revoke_of_a_grant_that_does_not_exist_without_an_error(
    client_for, hr_admin_person
):
    response = client_for(hr_admin_person).post(URL, {"action": "revoke", "grant": "999999"})
    assert response.status_code == 200
    assert "valid choice" in response.text
