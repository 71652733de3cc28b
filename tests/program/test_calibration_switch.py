"""The program switch that says whether people see how calibration changed their rating."""

from __future__ import annotations

import pytest

from tandem.audit.models import AuditEvent
from tandem.program.models import Program
from tests.factories import PROGRAM_FORM_SWITCHES, PersonFactory, hr_admin

pytestmark = pytest.mark.django_db

VALID = {
    "purposes": ["growth"],
    "purpose_statement": "",
    "anonymity_minimum": "5",
    **PROGRAM_FORM_SWITCHES,
}
SHOWN = "When calibration changes your rating, you see from what to what and why."
FINAL_ONLY = "You see your final rating only."


def test_the_switch_is_off_by_default():
    assert Program.current().calibration_shown_to_employee is False


def test_the_program_page_says_people_see_their_final_rating_only_by_default(client_for):
    page = client_for(PersonFactory()).get("/program/").text
    assert FINAL_ONLY in page and SHOWN not in page


def test_the_program_page_says_people_see_the_change_and_why_when_on(client_for):
    program = Program.load()
    program.calibration_shown_to_employee = True
    program.save()
    page = client_for(PersonFactory()).get("/program/").text
    assert SHOWN in page and FINAL_ONLY not in page


def test_the_editor_offers_the_switch_with_its_help_text(client_for):
    page = client_for(hr_admin()).get("/program/edit/").text
    assert 'name="calibration_shown_to_employee"' in page
    assert "People see how calibration changed their rating" in page
    assert "Off by default: each person sees their final rating only." in page


def test_switching_it_on_is_saved_audited_and_stated(client_for):
    admin = hr_admin()
    data = {**VALID, "calibration_shown_to_employee": "on"}
    assert client_for(admin).post("/program/edit/", data).status_code == 302
    assert Program.current().calibration_shown_to_employee is True
    event = AuditEvent.objects.filter(kind="program.update").latest("at")
    assert event.changes["calibration_shown_to_employee"] == [False, True]
    assert SHOWN in client_for(PersonFactory()).get("/program/").text
