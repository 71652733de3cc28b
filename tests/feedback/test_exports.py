"""The feedback export: a person's feedback received and given, exactly as far as the
viewer may read it (the visibility rules, the HR policy), never anonymous upward feedback,
formulas neutralised, a query count that does not grow with rows, and the audit record."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.feedback import services
from tandem.feedback.models import UpwardBatch, Visibility
from tandem.org.models import Person
from tests.factories import PersonFactory
from tests.feedback.factories import CompanyValueFactory, FeedbackFactory

pytestmark = pytest.mark.django_db

PRIVATE = "Private note only Rita reads"
WITH_MANAGER = "Rita and her manager read this"
PUBLIC = "Public praise for Rita"
GIVEN = "Rita's own words to Pia"


@pytest.fixture
def feedback(cast):  # type: ignore[no-untyped-def]
    FeedbackFactory(giver=cast.giver, recipient=cast.recipient, text=PRIVATE)
    FeedbackFactory(
        giver=cast.giver,
        recipient=cast.recipient,
        visibility=Visibility.WITH_MANAGER,
        text=WITH_MANAGER,
    )
    FeedbackFactory(
        giver=cast.giver,
        recipient=cast.recipient,
        visibility=Visibility.PUBLIC,
        text=PUBLIC,
        values=[CompanyValueFactory(name="Customer first")],
    )
    FeedbackFactory(giver=cast.recipient, recipient=cast.peer, text=GIVEN)
    return cast


def _export(client: Client, person: Person | None = None, **params: Any) -> list[dict[str, str]]:
    if person is not None:
        params["person"] = person.pk
    response = client.get(reverse("feedback:export_csv"), params)
    assert response.status_code == 200, response.status_code
    assert response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _texts(client: Client, person: Person | None = None) -> set[str]:
    return {row["Text"] for row in _export(client, person)}


def test_my_export_holds_everything_i_received_and_gave(feedback, client_for) -> None:
    rows = {r["Text"]: r for r in _export(client_for(feedback.recipient))}
    assert set(rows) == {PRIVATE, WITH_MANAGER, PUBLIC, GIVEN}
    assert rows[PRIVATE]["Direction"] == "received"
    assert rows[GIVEN]["Direction"] == "given"
    assert rows[GIVEN]["To"] == "Pia Peer"
    assert rows[PUBLIC]["Values"] == "Customer first"
    assert rows[WITH_MANAGER]["Who may read it"] == "The recipient and their manager"


def test_the_recipients_manager_never_exports_private_feedback(feedback, client_for) -> None:
    texts = _texts(client_for(feedback.manager), feedback.recipient)
    assert texts == {WITH_MANAGER, PUBLIC}


def test_a_manager_the_giver_was_not_shown_does_not_read_with_manager_feedback(
    feedback, client_for
) -> None:
    later_manager = PersonFactory(first_name="Lou", last_name="Later")
    recipient = feedback.recipient
    recipient.manager = later_manager
    recipient.path = f"{later_manager.path}{recipient.pk}/"
    recipient.save(update_fields=["manager", "path"])
    assert _texts(client_for(later_manager), recipient) == {PUBLIC}


def test_hr_admins_export_only_public_feedback_when_the_policy_keeps_it_private(
    feedback, program, client_for
) -> None:
    program.hr_reads_private_feedback = False
    program.save()
    assert _texts(client_for(feedback.hr_admin), feedback.recipient) == {PUBLIC}


def test_hr_admins_export_non_public_feedback_when_the_policy_says_so(
    feedback, program, client_for
) -> None:
    program.hr_reads_private_feedback = True
    program.save()
    texts = _texts(client_for(feedback.hr_admin), feedback.recipient)
    assert texts == {PRIVATE, WITH_MANAGER, PUBLIC, GIVEN}


@pytest.mark.parametrize("role", ["peer", "giver", "executive", "outsider"])
def test_people_outside_the_circle_cannot_export_someone_elses_feedback(
    feedback, client_for, role
) -> None:
    response = client_for(feedback[role]).get(
        reverse("feedback:export_csv"), {"person": feedback.recipient.pk}
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(kind="feedback.export").exists()


def test_the_giver_exports_what_they_gave(feedback, client_for) -> None:
    rows = _export(client_for(feedback.giver))
    assert {r["Text"] for r in rows} == {PRIVATE, WITH_MANAGER, PUBLIC}
    assert {r["Direction"] for r in rows} == {"given"}


def test_anonymous_upward_feedback_is_never_exported(program, client_for) -> None:
    program.anonymity_minimum = 3
    program.save()
    manager = PersonFactory(first_name="Mila", last_name="Boss")
    reports = [PersonFactory(manager=manager) for _ in range(3)]
    for i, person in enumerate(reports):
        services.write_upward_feedback(by=person, text=f"Upward secret {i}")
    services.release_upward_feedback(timezone.localdate() + timedelta(days=1))
    assert UpwardBatch.objects.filter(manager=manager).exists(), "the batch was released"
    for person in (manager, *reports):
        body = b"".join(
            client_for(person).get(reverse("feedback:export_csv")).streaming_content
        ).decode()
        assert "Upward secret" not in body


def test_text_that_looks_like_a_formula_is_neutralised(cast, client_for) -> None:
    FeedbackFactory(giver=cast.giver, recipient=cast.recipient, text='=WEBSERVICE("x")')
    [row] = _export(client_for(cast.recipient))
    assert row["Text"] == '\'=WEBSERVICE("x")'


def test_a_person_that_is_not_a_number_is_refused_naming_the_field(cast, client_for) -> None:
    response = client_for(cast.recipient).get(reverse("feedback:export_csv"), {"person": "x"})
    assert response.status_code == 400
    assert "Person:" in response.content.decode()


def test_the_query_count_does_not_grow_with_the_number_of_items(
    cast, client_for, django_assert_max_num_queries
) -> None:
    value = CompanyValueFactory(name="Own it")
    client = client_for(cast.recipient)
    # session, person, roles, program (HR policy), count, audit, the rows, their values
    budget = 8
    FeedbackFactory(giver=cast.giver, recipient=cast.recipient, values=[value])
    with django_assert_max_num_queries(budget):
        b"".join(client.get(reverse("feedback:export_csv")).streaming_content)
    for _ in range(30):
        FeedbackFactory(giver=cast.peer, recipient=cast.recipient, values=[value])
    with django_assert_max_num_queries(budget):
        body = b"".join(client.get(reverse("feedback:export_csv")).streaming_content)
    assert body.decode("utf-8-sig").count("Own it") == 31


def test_an_export_is_audited_with_the_person_and_the_row_count(feedback, client_for) -> None:
    _export(client_for(feedback.manager), feedback.recipient)
    event = AuditEvent.objects.get(kind="feedback.export")
    assert event.actor == feedback.manager
    assert event.subject == feedback.recipient
    assert event.changes == {"format": "csv", "person": feedback.recipient.pk, "rows": 2}
