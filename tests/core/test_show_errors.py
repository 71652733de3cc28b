"""core.forms.show_errors: a service's ValidationError shown on the form that sent it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from tandem.core.forms import show_errors


class _Form(forms.Form):
    name = forms.CharField()
    people = forms.CharField()


def _bound() -> _Form:
    form = _Form({"name": "x", "people": "y"})
    assert form.is_valid()
    return form


def test_a_message_stands_beside_the_field_it_names():
    form = _bound()
    show_errors(form, ValidationError({"name": "Too short."}))
    assert form.errors == {"name": ["Too short."]}


def test_a_field_the_form_does_not_have_goes_to_the_top():
    form = _bound()
    show_errors(form, ValidationError({"window": "Closed."}))
    assert form.non_field_errors() == ["Closed."]


def test_an_alias_puts_the_services_field_on_the_forms():
    form = _bound()
    show_errors(
        form, ValidationError({"participant_ids": "Nobody."}), aliases={"participant_ids": "people"}
    )
    assert form.errors == {"people": ["Nobody."]}


def test_an_alias_to_none_goes_to_the_top():
    form = _bound()
    show_errors(form, ValidationError({"name": "Closed."}), aliases={"name": None})
    assert form.non_field_errors() == ["Closed."]


def test_a_message_without_a_field_goes_to_the_top():
    form = _bound()
    show_errors(form, ValidationError("Something is off."))
    assert form.non_field_errors() == ["Something is off."]
