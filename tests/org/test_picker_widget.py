"""The people picker widget (org/widgets.py): every form that chooses a person declares it,
it renders as a plain field that works without JavaScript, and each form accepts what the
picker submits (the chosen person's work e-mail; several, one per line)."""

from __future__ import annotations

import pytest
from django import forms
from django.template import Context, Template

from tandem.audit.forms import AuditFilterForm
from tandem.feedback.forms import GiveFeedbackForm, RequestFeedbackForm
from tandem.feedback.models import FeedbackRequest
from tandem.goals.forms.goals import GoalEditForm
from tandem.meetings.forms import SeriesForm
from tandem.org.forms.hr import DepartmentForm, GrantRoleForm, ManagerForm, PersonCreateForm
from tandem.org.widgets import PersonPicker
from tandem.reviews.forms.setup import AddParticipantForm, CycleRulesForm, ReassignForm
from tests.factories import PersonFactory

PERSON_FIELDS = [
    (GiveFeedbackForm, "recipient", False),
    (RequestFeedbackForm, "asked", True),
    (GoalEditForm, "owner_email", False),
    (PersonCreateForm, "manager", False),
    (ManagerForm, "manager", False),
    (GrantRoleForm, "person", False),
    (DepartmentForm, "head", False),
    (AddParticipantForm, "email", False),
    (ReassignForm, "email", False),
    (CycleRulesForm, "additions", True),
    (CycleRulesForm, "removals", True),
    (SeriesForm, "report", False),
    (AuditFilterForm, "person", False),
    (AuditFilterForm, "actor", False),
]


@pytest.mark.parametrize(("form", "name", "multiple"), PERSON_FIELDS)
def test_every_field_that_chooses_a_person_uses_the_picker(
    form: type[forms.Form], name: str, multiple: bool
) -> None:
    widget = form.base_fields[name].widget
    assert isinstance(widget, PersonPicker)
    assert widget.multiple is multiple


def test_a_single_picker_is_a_text_field_with_its_search_address() -> None:
    html = PersonPicker(filters={"exclude": "me"}).render("to", "a@example.com", {"id": "id_to"})
    assert '<input type="text" name="to"' in html
    assert 'value="a@example.com"' in html
    assert 'data-picker-url="/people/pick/?exclude=me"' in html
    assert 'role="listbox"' in html and 'id="id_to-options"' in html


def test_a_multiple_picker_is_a_textarea_of_one_value_per_line() -> None:
    html = PersonPicker(multiple=True).render("asked", ["a@x.com", "b@x.com"], {"id": "id_a"})
    assert '<textarea name="asked"' in html
    assert "a@x.com\nb@x.com</textarea>" in html
    assert "data-picker-multiple" in html


def test_the_template_tag_renders_a_picker_with_a_per_row_id() -> None:
    html = Template('{% load pickers %}{% person_picker "email" id="re" suffix=7 %}').render(
        Context()
    )
    assert 'name="email"' in html and 'id="re-7"' in html


@pytest.mark.django_db
def test_a_request_accepts_the_pickers_one_email_per_line(client_for) -> None:
    aiko = PersonFactory()
    bram, chidi = PersonFactory(), PersonFactory()
    response = client_for(aiko).post(
        "/feedback/requests/new/",
        {"subject": "", "asked": f"{bram.email}\n{chidi.email}", "visibility": "private"},
    )
    assert response.status_code == 302, response.text[:500]
    request = FeedbackRequest.objects.get(requester=aiko)
    assert sorted(a.person_id for a in request.asks.all()) == sorted([bram.pk, chidi.pk])


@pytest.mark.django_db
def test_a_picker_on_a_choice_field_keeps_its_menu_and_submits_ids() -> None:
    manager = PersonFactory()
    report = PersonFactory(first_name="Rita", last_name="Report", manager=manager)
    form = SeriesForm(reports=type(manager).objects.filter(manager=manager))
    html = str(form["report"])
    assert f'<option value="{report.pk}">Rita Report</option>' in html
    assert 'data-picker-key="pk"' in html and "data-picker-strict" in html
    assert "within=reports" in html
