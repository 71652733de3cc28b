"""The people-analytics role is granted on the HR roles page like the others, explained in
one line, and opens the fairness pages only together with HR admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.access.models import Role, RoleGrant
from tandem.access.rules import can
from tests.factories import PersonFactory, grant, hr_admin

pytestmark = pytest.mark.django_db

URL = reverse("org:hr_roles")


def test_the_roles_page_explains_people_analytics_in_one_line(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for(hr_admin()).get(URL).text
    assert "People analytics" in page
    assert "reads protected attributes and fairness figures; only together with HR admin." in page


def test_hr_grants_people_analytics_like_the_other_roles(client_for) -> None:  # type: ignore[no-untyped-def]
    ana = hr_admin()
    response = client_for(hr_admin()).post(
        URL, {"action": "grant", "person": ana.email, "role": Role.PEOPLE_ANALYTICS}
    )
    assert response.status_code == 302
    assert RoleGrant.objects.filter(person=ana, role=Role.PEOPLE_ANALYTICS).exists()
    ana.__dict__.pop("_tandem_actor", None)
    assert can(ana, "fairness.view")


def test_people_analytics_is_refused_to_someone_who_is_not_an_hr_admin(client_for) -> None:  # type: ignore[no-untyped-def]
    ana = PersonFactory(first_name="Anaïs", last_name="Quartermaine")
    response = client_for(hr_admin()).post(
        URL, {"action": "grant", "person": ana.email, "role": Role.PEOPLE_ANALYTICS}
    )
    assert response.status_code == 200
    assert "only together with HR admin" in response.text
    assert "Anaïs Quartermaine is not an HR admin" in response.text
    assert not RoleGrant.objects.filter(person=ana).exists()


def test_revoking_hr_admin_also_revokes_people_analytics() -> None:
    from tandem.access.services import revoke_role
    from tandem.audit.models import AuditEvent

    ana = grant(hr_admin(), Role.PEOPLE_ANALYTICS)
    revoke_role(person=ana, role=Role.HR_ADMIN, by=hr_admin())
    assert not RoleGrant.objects.filter(person=ana).exists()
    assert AuditEvent.objects.filter(kind="role.revoke", subject=ana).count() == 2


def test_the_role_alone_grants_nothing() -> None:
    analyst_without_hr = grant(PersonFactory(), Role.PEOPLE_ANALYTICS)
    assert not can(analyst_without_hr, "fairness.view")
    assert not can(analyst_without_hr, "fairness.attributes.manage")
