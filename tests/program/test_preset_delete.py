"""Deleting one of the company's own presets: the service, the confirmation page and the
API. A preset is a template: deleting it changes no switch, and the history keeps the
changes that applied it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client

from tandem.access.rules import NotAllowed
from tandem.audit.models import AuditEvent
from tandem.program import presets, services
from tandem.program.models import CompanyPreset, Program, ProgramChange
from tests.factories import PersonFactory, api_token, hr_admin

pytestmark = pytest.mark.django_db

API = "/api/v1/program/presets"


def _own(name: str = "Our own", key: str = "our-own") -> CompanyPreset:
    return CompanyPreset.objects.create(
        key=key, name=name, description="Ours.", values=dict(presets.ENTERPRISE.values)
    )


def _bearer(person: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token(person)}"})


# --- The service --------------------------------------------------------------------------------


def test_deleting_a_company_preset_removes_it():
    _own()
    services.delete_preset(by=hr_admin(), key="our-own")
    assert not CompanyPreset.objects.exists()


def test_deleting_a_preset_is_audited_with_its_values():
    _own()
    services.delete_preset(by=hr_admin(), key="our-own")
    event = AuditEvent.objects.get(kind="program.preset.delete")
    assert event.object_label == "Our own"
    assert (
        event.changes["values"]["anonymity_minimum"]
        == presets.ENTERPRISE.values["anonymity_minimum"]
    )


def test_deleting_a_preset_in_use_keeps_the_programs_values_and_history():
    admin = hr_admin()
    _own()
    services.apply_preset(by=admin, key="our-own")
    before = presets.program_values(Program.current())
    services.delete_preset(by=admin, key="our-own")
    assert presets.program_values(Program.current()) == before
    assert ProgramChange.objects.get().source == "preset:our-own"


def test_a_built_in_preset_cannot_be_deleted_and_the_refusal_names_it():
    with pytest.raises(ValidationError, match="“Enterprise” is built into Tandem"):
        services.delete_preset(by=hr_admin(), key="enterprise")
    assert not AuditEvent.objects.filter(kind="program.preset.delete").exists()


def test_deleting_a_preset_that_does_not_exist_is_not_found():
    with pytest.raises(Http404):
        services.delete_preset(by=hr_admin(), key="no-such-preset")


def test_an_employee_cannot_delete_a_preset():
    _own()
    with pytest.raises(NotAllowed):
        services.delete_preset(by=PersonFactory(), key="our-own")
    assert CompanyPreset.objects.count() == 1


# --- The pages ----------------------------------------------------------------------------------


def test_the_presets_page_offers_delete_for_company_presets_only(client_for):
    _own()
    page = client_for(hr_admin()).get("/program/presets/").text
    assert 'href="/program/presets/our-own/delete/"' in page
    assert 'href="/program/presets/enterprise/delete/"' not in page


def test_the_confirmation_deletes_nothing_until_posted(client_for):
    _own()
    page = client_for(hr_admin()).get("/program/presets/our-own/delete/").text
    assert "Delete “Our own”" in page
    assert "No switch of the program changes." in page
    assert CompanyPreset.objects.count() == 1


def test_the_confirmation_says_a_preset_in_use_leaves_the_program_as_it_is(client_for):
    admin = hr_admin()
    _own()
    services.apply_preset(by=admin, key="our-own")
    page = client_for(admin).get("/program/presets/our-own/delete/").text
    assert "It is in use:" in page
    assert "the program still matches it" in page
    assert "the program keeps its switches as they are" in page


def test_confirming_deletes_the_preset_and_returns_to_the_presets(client_for):
    _own()
    response = client_for(hr_admin()).post("/program/presets/our-own/delete/")
    assert response.status_code == 302 and response["Location"] == "/program/presets/"
    assert not CompanyPreset.objects.exists()


def test_the_history_names_a_deleted_preset_by_its_key(client_for):
    admin = hr_admin()
    _own()
    services.apply_preset(by=admin, key="our-own")
    services.delete_preset(by=admin, key="our-own")
    page = client_for(admin).get("/program/").text
    assert "applied the preset “our-own” (since deleted)" in page


def test_the_confirmation_of_a_built_in_preset_explains_it_cannot_be_deleted(client_for):
    page = client_for(hr_admin()).get("/program/presets/growth-first/delete/").text
    assert "“Growth first” is built into Tandem and cannot be deleted" in page
    assert "<form" not in page.split("<main", 1)[-1]


def test_posting_to_delete_a_built_in_preset_is_refused_with_its_name(client_for):
    response = client_for(hr_admin()).post("/program/presets/growth-first/delete/")
    assert response.status_code == 400
    assert "“Growth first” is built into Tandem" in response.text


def test_an_employee_deleting_a_preset_gets_404_and_nothing_changes(client_for):
    _own()
    response = client_for(PersonFactory()).post("/program/presets/our-own/delete/")
    assert response.status_code == 404
    assert CompanyPreset.objects.count() == 1


# --- The API ------------------------------------------------------------------------------------


def test_hr_deletes_a_company_preset_over_the_api():
    _own()
    response = _bearer(hr_admin()).delete(f"{API}/our-own")
    assert response.status_code == 204
    assert not CompanyPreset.objects.exists()


def test_deleting_a_built_in_preset_over_the_api_is_422_naming_it():
    response = _bearer(hr_admin()).delete(f"{API}/scale-up")
    assert response.status_code == 422
    assert "“Scale-up” is built into Tandem" in response.json()["detail"]


def test_deleting_an_unknown_preset_over_the_api_is_404():
    assert _bearer(hr_admin()).delete(f"{API}/no-such-preset").status_code == 404


def test_a_manager_deleting_a_preset_over_the_api_gets_404_and_nothing_changes():
    manager = PersonFactory()
    PersonFactory(manager=manager)
    _own()
    assert _bearer(manager).delete(f"{API}/our-own").status_code == 404
    assert CompanyPreset.objects.count() == 1
