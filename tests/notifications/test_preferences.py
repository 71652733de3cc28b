from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils.html import escape

from tandem.access.rules import NotAllowed
from tandem.audit.models import AuditEvent
from tandem.notifications.kinds import KINDS, Delivery
from tandem.notifications.models import Notification, NotificationSetting
from tandem.notifications.services import notify, set_delivery_preferences
from tests.factories import PersonFactory, hr_admin


def _form(**overrides: str) -> dict[str, str]:
    data = {kind: spec.default for kind, spec in KINDS.items()}
    data.update(overrides)
    return data


def test_the_page_lists_every_kind_with_its_explanation_to_a_manager(client_for):
    manager = PersonFactory()
    PersonFactory(manager=manager)
    text = client_for(manager).get("/notifications/settings/").content.decode()
    for spec in KINDS.values():
        assert spec.label in text
        assert escape(spec.about) in text


def test_someone_without_reports_is_not_asked_about_the_managers_kinds(client_for):
    text = client_for(PersonFactory()).get("/notifications/settings/").content.decode()
    for spec in KINDS.values():
        assert (spec.label in text) is not spec.managers_only
    assert any(spec.managers_only for spec in KINDS.values())


def test_saving_without_the_managers_kinds_keeps_their_choices(client_for):
    person = PersonFactory()
    NotificationSetting.objects.create(person=person, kind="team.weekly", delivery=Delivery.OFF)
    ordinary = {k: v for k, v in _form(mention=Delivery.OFF).items() if not KINDS[k].managers_only}
    client_for(person).post("/notifications/settings/", ordinary)
    chosen = dict(NotificationSetting.objects.filter(person=person).values_list("kind", "delivery"))
    assert chosen == {"team.weekly": Delivery.OFF, "mention": Delivery.OFF}


def test_the_page_says_the_digest_goes_out_on_mondays(client_for):
    text = client_for(PersonFactory()).get("/notifications/settings/").content.decode()
    assert "every <strong>Monday</strong>" in text


def test_the_page_preselects_the_current_choice(client_for):
    person = PersonFactory()
    NotificationSetting.objects.create(person=person, kind="mention", delivery=Delivery.OFF)
    response = client_for(person).get("/notifications/settings/")
    assert response.context["form"]["mention"].value() == Delivery.OFF


def test_saving_a_choice_changes_how_the_next_notification_arrives(client_for):
    person = PersonFactory()
    response = client_for(person).post(
        "/notifications/settings/", _form(**{"mention": Delivery.DIGEST})
    )
    assert response.status_code == 302
    notify(person=person, kind="mention", title="You were mentioned")
    assert Notification.objects.get().delivery == Delivery.DIGEST


def test_a_change_of_choice_is_audited_with_old_and_new(client_for):
    person = PersonFactory()
    client_for(person).post("/notifications/settings/", _form(**{"praise.received": "off"}))
    event = AuditEvent.objects.get(kind="notification.preferences")
    assert event.changes == {"praise.received": ["email", "off"]}
    assert event.actor_id == person.pk and event.subject_id == person.pk


def test_saving_without_changes_writes_no_audit_event(client_for):
    client_for(PersonFactory()).post("/notifications/settings/", _form())
    assert not AuditEvent.objects.filter(kind="notification.preferences").exists()


def test_an_unknown_delivery_is_refused_naming_the_kind(client_for):
    person = PersonFactory()
    response = client_for(person).post("/notifications/settings/", _form(mention="loudly"))
    assert response.status_code == 200
    assert "Someone mentions you in a comment: choose one of the options" in (
        response.content.decode()
    )
    assert not NotificationSetting.objects.exists()


def test_an_empty_form_saves_nothing(client_for):
    response = client_for(PersonFactory()).post("/notifications/settings/", {})
    assert response.status_code == 200
    assert not NotificationSetting.objects.exists()


def test_nobody_else_may_change_someones_choices(db):
    person = PersonFactory()
    with pytest.raises(NotAllowed):
        set_delivery_preferences(person=person, choices={"mention": "off"}, by=hr_admin())
    assert not NotificationSetting.objects.exists()


def test_the_service_refuses_an_unknown_kind_naming_it(db):
    person = PersonFactory()
    with pytest.raises(ValidationError) as error:
        set_delivery_preferences(person=person, choices={"nope": "off"}, by=person)
    assert "nope" in error.value.message_dict
