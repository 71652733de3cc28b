from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tandem.audit.models import AuditEvent
from tandem.feedback import services
from tandem.feedback.models import Feedback, FeedbackValue, Visibility
from tandem.notifications.models import Notification
from tandem.org.models import PersonStatus
from tests.factories import PersonFactory
from tests.feedback.factories import CompanyValueFactory

pytestmark = pytest.mark.django_db


def give(**overrides):  # type: ignore[no-untyped-def]
    fields = {"text": "Great demo.", "visibility": Visibility.PRIVATE, **overrides}
    return services.give_feedback(**fields)


def test_giving_feedback_saves_it_audits_it_and_notifies_the_recipient(cast):
    feedback = give(by=cast.giver, recipient=cast.recipient)
    assert feedback.text == "Great demo."
    assert Notification.objects.filter(person=cast.recipient, kind="feedback.received").count() == 1
    event = AuditEvent.objects.get(kind="feedback.give")
    assert "Great demo." not in str(event.changes) + event.object_label


def test_praise_notifies_with_the_praise_kind_and_keeps_its_values(cast):
    value = CompanyValueFactory(name="Customer first")
    praise = give(
        by=cast.giver, recipient=cast.recipient, visibility=Visibility.PUBLIC, values=[value]
    )
    assert Notification.objects.get(person=cast.recipient).kind == "praise.received"
    assert FeedbackValue.objects.get(feedback=praise).is_public


def test_feedback_for_the_recipient_and_manager_remembers_the_manager_shown(cast):
    feedback = give(by=cast.giver, recipient=cast.recipient, visibility=Visibility.WITH_MANAGER)
    assert feedback.recipient_manager == cast.manager


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "cannot be empty"), ("   \n", "cannot be empty"), ("x" * 5001, "5,000 characters")],
)
def test_empty_or_oversized_text_is_refused_naming_the_field(cast, text, message):
    with pytest.raises(ValidationError) as error:
        give(by=cast.giver, recipient=cast.recipient, text=text)
    assert message in error.value.message_dict["text"][0]
    assert not Feedback.objects.exists()


def test_text_of_exactly_the_limit_is_accepted(cast):
    assert give(by=cast.giver, recipient=cast.recipient, text="x" * 5000).pk


def test_feedback_to_oneself_is_refused(cast):
    with pytest.raises(ValidationError) as error:
        give(by=cast.giver, recipient=cast.giver)
    assert "yourself" in error.value.message_dict["recipient"][0]
    assert not Feedback.objects.exists()


def test_feedback_to_someone_who_left_is_refused(cast):
    leaver = PersonFactory(status=PersonStatus.LEFT)
    with pytest.raises(ValidationError) as error:
        give(by=cast.giver, recipient=leaver)
    assert "left the company" in error.value.message_dict["recipient"][0]
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    ("visibility", "switch"),
    [
        (Visibility.PRIVATE, "feedback_private_allowed"),
        (Visibility.WITH_MANAGER, "feedback_with_manager_allowed"),
        (Visibility.PUBLIC, "praise_public_allowed"),
    ],
)
def test_a_visibility_the_company_switched_off_is_refused_naming_the_field(
    cast, program, visibility, switch
):
    setattr(program, switch, False)
    program.save()
    with pytest.raises(ValidationError) as error:
        give(by=cast.giver, recipient=cast.recipient, visibility=visibility)
    assert switch in error.value.message_dict["visibility"][0]
    assert not Feedback.objects.exists()


def test_an_unknown_visibility_is_refused(cast):
    with pytest.raises(ValidationError) as error:
        give(by=cast.giver, recipient=cast.recipient, visibility="everyone-and-their-dog")
    assert "visibility" in error.value.message_dict


def test_the_give_page_refuses_bad_input_with_the_message_and_saves_nothing(cast, client_for):
    response = client_for(cast.giver).post(
        "/feedback/give/",
        {"recipient": cast.giver.email, "visibility": "private", "text": "Hi"},
    )
    assert response.status_code == 200
    assert "cannot give feedback to yourself" in response.text
    assert not Feedback.objects.exists()


def test_the_give_page_sends_feedback_and_shows_it(cast, client_for):
    client = client_for(cast.giver)
    response = client.post(
        "/feedback/give/",
        {"recipient": cast.recipient.email, "visibility": "private", "text": "Nice <b>work</b>"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Nice &lt;b&gt;work&lt;/b&gt;" in response.text
    assert Feedback.objects.get().text == "Nice <b>work</b>"


def test_the_give_page_finds_the_recipient_by_a_unique_name(cast, client_for):
    client_for(cast.giver).post(
        "/feedback/give/", {"recipient": "Rita Recipient", "visibility": "private", "text": "Hi"}
    )
    assert Feedback.objects.get().recipient == cast.recipient


@pytest.mark.parametrize(
    ("visibility", "sentence"),
    [
        ("private", "Only Rita Recipient will read this."),
        ("with_manager", "Rita Recipient and their manager, Mona Manager, will read this."),
        ("public", "on the praise feed and on Rita Recipient&#x27;s profile"),
    ],
)
def test_the_audience_sentence_names_who_will_read_it(cast, client_for, visibility, sentence):
    response = client_for(cast.giver).post(
        "/feedback/give/",
        {"recipient": cast.recipient.email, "visibility": visibility, "preview": "audience"},
        headers={"HX-Request": "true"},
    )
    assert sentence in response.text
    assert "<html" not in response.text


def test_the_audience_sentence_says_when_hr_may_read_private_feedback(cast, client_for, program):
    program.hr_reads_private_feedback = True
    program.save()
    response = client_for(cast.giver).post(
        "/feedback/give/",
        {"recipient": cast.recipient.email, "visibility": "private", "preview": "audience"},
        headers={"HX-Request": "true"},
    )
    assert "HR admins may also read it" in response.text


def test_the_audience_preview_saves_nothing_even_with_text_in_the_form(cast, client_for):
    response = client_for(cast.giver).post(
        "/feedback/give/",
        {
            "recipient": cast.recipient.email,
            "visibility": "private",
            "text": "Half-written feedback",
            "preview": "audience",
        },
        headers={"HX-Request": "true"},
    )
    assert "Only Rita Recipient will read this." in response.text
    assert not Feedback.objects.exists()


def test_the_give_page_offers_only_the_visibilities_the_company_allows(cast, client_for, program):
    program.praise_public_allowed = False
    program.save()
    text = client_for(cast.giver).get("/feedback/give/").text
    assert 'value="private"' in text
    assert 'value="public"' not in text


def test_feedback_may_be_linked_to_a_goal_the_giver_can_see(cast, client_for):
    from tandem.goals.models import Goal, Period

    period = Period.objects.create(name="Q1", start_date="2026-01-01", end_date="2026-03-31")
    goal = Goal.objects.create(
        title="Ship it", level="individual", owner=cast.recipient, period=period
    )
    response = client_for(cast.giver).post(
        "/api/v1/feedback",
        {
            "recipient_id": cast.recipient.pk,
            "text": "Good progress on the goal",
            "visibility": "private",
            "goal_id": goal.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["goal_id"] == goal.pk
