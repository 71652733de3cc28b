"""The company page editor: name, mission and the ordered list of values."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.org.models import Company, CompanyValue
from tests.factories import hr_admin

URL = reverse("org:hr_company")


@pytest.fixture
def hr_admin_person(db):
    return hr_admin()


def post_data(values, *, name="Acme", mission="Make things.", initial=0):
    data = {
        "name": name,
        "mission": mission,
        "values-TOTAL_FORMS": str(len(values)),
        "values-INITIAL_FORMS": str(initial),
        "values-MIN_NUM_FORMS": "0",
        "values-MAX_NUM_FORMS": "1000",
    }
    for index, value in enumerate(values):
        for key, item in value.items():
            data[f"values-{index}-{key}"] = item
    return data


def test_the_page_shows_the_current_values_in_order(client_for, hr_admin_person):
    CompanyValue.objects.create(name="Second", position=1)
    CompanyValue.objects.create(name="First", position=0)
    response = client_for(hr_admin_person).get(URL)
    forms = response.context["formset"].forms
    assert [form.initial.get("name") for form in forms[:2]] == ["First", "Second"]
    assert "recorded in the audit log" in response.text


def test_it_saves_name_mission_and_values_in_the_chosen_order(client_for, hr_admin_person):
    response = client_for(hr_admin_person).post(
        URL,
        post_data(
            [
                {"name": "Be kind", "description": "Assume good intent.", "ORDER": "2"},
                {"name": "Ship it", "description": "Small steps.", "ORDER": "1"},
                {"name": "", "description": "", "ORDER": ""},
            ]
        ),
    )
    assert response.status_code == 302
    company = Company.load()
    assert (company.name, company.mission) == ("Acme", "Make things.")
    assert list(CompanyValue.objects.values_list("name", flat=True)) == ["Ship it", "Be kind"]
    assert AuditEvent.objects.get(kind="company.update").changes["mission"] == ["", "Make things."]
    values_event = AuditEvent.objects.get(kind="company.values")
    assert values_event.changes["values"][1] == {
        "Ship it": "Small steps.",
        "Be kind": "Assume good intent.",
    }


def test_it_removes_a_value_marked_for_removal(client_for, hr_admin_person):
    CompanyValue.objects.create(name="Old", position=0)
    CompanyValue.objects.create(name="Keep", position=1)
    response = client_for(hr_admin_person).post(
        URL,
        post_data(
            [
                {"name": "Old", "description": "", "ORDER": "1", "DELETE": "on"},
                {"name": "Keep", "description": "", "ORDER": "2"},
            ],
            initial=2,
        ),
    )
    assert response.status_code == 302
    assert list(CompanyValue.objects.values_list("name", flat=True)) == ["Keep"]


def test_it_rejects_two_values_with_the_same_name_and_changes_nothing(client_for, hr_admin_person):
    response = client_for(hr_admin_person).post(
        URL,
        post_data(
            [
                {"name": "Kind", "description": "", "ORDER": "1"},
                {"name": "kind", "description": "", "ORDER": "2"},
            ],
            name="Renamed",
        ),
    )
    assert response.status_code == 200
    assert "Values 1 and 2 have the same name" in response.text
    assert CompanyValue.objects.count() == 0
    assert Company.load().name != "Renamed"


def test_it_rejects_a_value_name_that_is_too_long(client_for, hr_admin_person):
    response = client_for(hr_admin_person).post(
        URL, post_data([{"name": "x" * 101, "description": "", "ORDER": "1"}])
    )
    assert response.status_code == 200
    assert "at most 100 characters" in str(response.context["formset"].forms[0].errors["name"])


def test_it_rejects_an_empty_company_name(client_for, hr_admin_person):
    response = client_for(hr_admin_person).post(URL, post_data([], name=""))
    assert response.status_code == 200
    assert "name" in response.context["form"].errors


def test_it_survives_a_broken_management_form(client_for, hr_admin_person):
    response = client_for(hr_admin_person).post(URL, {"name": "Acme", "mission": ""})
    assert response.status_code == 200
    assert AuditEvent.objects.count() == 0


def test_reordering_the_values_alone_is_audited(client_for, hr_admin_person):
    CompanyValue.objects.create(name="One", position=0)
    CompanyValue.objects.create(name="Two", position=1)
    response = client_for(hr_admin_person).post(
        URL,
        post_data(
            [
                {"name": "One", "description": "", "ORDER": "2"},
                {"name": "Two", "description": "", "ORDER": "1"},
            ],
            name="Our company",
            mission="",
            initial=2,
        ),
    )
    assert response.status_code == 302
    assert list(CompanyValue.objects.values_list("name", flat=True)) == ["Two", "One"]
    assert AuditEvent.objects.filter(kind="company.values").count() == 1
    assert not AuditEvent.objects.filter(kind="company.update").exists()
