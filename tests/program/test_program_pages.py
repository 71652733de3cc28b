"""The program page (everyone) and its editor (HR admins)."""

from __future__ import annotations

import pytest

from tandem.audit.models import AuditEvent
from tandem.program.models import Program
from tests.factories import (
    PROGRAM_FORM_SWITCHES,
    DepartmentFactory,
    PersonFactory,
    executive,
    hr_admin,
    hr_partner,
    it_admin,
)

VALID = {
    "purposes": ["growth", "promotion"],
    "purpose_statement": "We want everyone to grow, and to decide promotions on evidence.",
    "anonymity_minimum": "6",
    **PROGRAM_FORM_SWITCHES,
}


def test_an_employee_sees_the_program_in_plain_words(client_for):
    program = Program.load()
    program.purposes = ["growth", "pay"]
    program.purpose_statement = "Because people deserve to know where they stand."
    program.save()
    response = client_for(PersonFactory()).get("/program/")
    assert response.status_code == 200
    text = response.text
    assert "How performance management works here" in text
    assert "Because people deserve to know where they stand." in text
    assert "to help each person grow" in text
    assert "as one input when pay changes are decided" in text
    assert "at least 5 people answered" in text
    assert "Change the program" not in text


def test_hr_admins_see_a_link_to_change_the_program(client_for):
    assert 'href="/program/edit/"' in client_for(hr_admin()).get("/program/").text


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/program/")["Location"].startswith("/login/")
    assert client.get("/program/edit/")["Location"].startswith("/login/")


@pytest.mark.parametrize(
    "make",
    [PersonFactory, executive, it_admin, lambda: hr_partner([DepartmentFactory()])],
    ids=["employee", "executive", "it_admin", "hr_partner"],
)
def test_people_who_are_not_hr_admins_get_404_on_the_editor(client_for, make):
    client = client_for(make())
    assert client.get("/program/edit/").status_code == 404
    assert client.post("/program/edit/", VALID).status_code == 404
    assert Program.load().anonymity_minimum == 5


def test_the_editor_starts_from_the_current_choices(client_for):
    response = client_for(hr_admin()).get("/program/edit/")
    assert response.status_code == 200
    assert 'name="anonymity_minimum" value="5"' in response.text
    assert 'value="growth"' in response.text and "checked" in response.text
    for label in (
        "Growth and development",
        "Accountability for results",
        "Promotion decisions",
        "Pay decisions",
    ):
        assert label in response.text


def test_hr_admins_change_the_program_and_the_change_is_audited(client_for):
    admin = hr_admin()
    response = client_for(admin).post("/program/edit/", VALID, REMOTE_ADDR="198.51.100.20")
    assert response.status_code == 302
    assert response["Location"] == "/program/"
    program = Program.load()
    assert program.purposes == ["growth", "promotion"]
    assert program.anonymity_minimum == 6
    event = AuditEvent.objects.get(kind="program.update")
    assert event.actor == admin
    assert event.ip_address == "198.51.100.20"
    assert event.changes["anonymity_minimum"] == [5, 6]


def test_everyone_sees_the_change(client_for):
    client_for(hr_admin()).post("/program/edit/", VALID)
    text = client_for(PersonFactory()).get("/program/").text
    assert "as evidence when promotions are decided" in text
    assert "at least 6 people answered" in text


def test_an_anonymity_minimum_of_two_is_refused_with_a_field_message(client_for):
    response = client_for(hr_admin()).post("/program/edit/", {**VALID, "anonymity_minimum": "2"})
    assert response.status_code == 200
    assert 'id="anonymity-errors"' in response.text
    assert "Anonymity minimum must be at least 3 people" in response.text
    assert Program.load().anonymity_minimum == 5
    assert not AuditEvent.objects.filter(kind="program.update").exists()


@pytest.mark.parametrize("value", ["", "five", "-4", "51", "3.5"])
def test_nonsense_in_the_anonymity_minimum_is_named_and_changes_nothing(client_for, value):
    response = client_for(hr_admin()).post("/program/edit/", {**VALID, "anonymity_minimum": value})
    assert response.status_code == 200
    assert 'id="anonymity-errors"' in response.text
    assert "Anonymity minimum" in response.text
    assert Program.load().purposes == ["growth"]


def test_an_unknown_purpose_is_refused(client_for):
    response = client_for(hr_admin()).post("/program/edit/", {**VALID, "purposes": ["fun"]})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert Program.load().purposes == ["growth"]


def test_three_is_allowed(client_for):
    client_for(hr_admin()).post("/program/edit/", {**VALID, "anonymity_minimum": "3"})
    assert Program.load().anonymity_minimum == 3


def test_saving_without_changes_records_nothing(client_for):
    client = client_for(hr_admin())
    client.post(
        "/program/edit/",
        {"purposes": ["growth"], "purpose_statement": "", "anonymity_minimum": "5"},
    )
    assert not AuditEvent.objects.filter(kind="program.update").exists()


def test_switching_off_public_praise_is_saved_audited_and_stated(client_for):
    admin = hr_admin()
    data = {k: v for k, v in VALID.items() if k != "praise_public_allowed"}
    assert client_for(admin).post("/program/edit/", data).status_code == 302
    assert Program.load().praise_public_allowed is False
    event = AuditEvent.objects.filter(kind="program.update").latest("at")
    assert event.changes["praise_public_allowed"] == [True, False]
    text = client_for(PersonFactory()).get("/program/").text
    assert "everyone, as public praise" not in text


def test_an_upward_window_under_a_week_is_refused_naming_the_field(client_for):
    data = {**VALID, "upward_feedback_window_days": "3"}
    response = client_for(hr_admin()).post("/program/edit/", data)
    assert response.status_code == 200
    assert "upward_feedback_window_days" in response.text
    assert Program.load().upward_feedback_window_days == 90


def test_the_program_page_states_the_goal_and_one_on_one_choices(client_for):
    text = client_for(PersonFactory()).get("/program/").text
    assert "Goals are set in quarters" in text
    assert "Private notes in a 1:1 are readable by their author alone" in text
