"""E-mails never carry private text: each says who and what happened, and links to it.

For every kind of notification (notifications/kinds.py) the real flow that sends it runs
with a marker in everything people type on the way — feedback, questions, comments, an
agenda, a private note, review answers, reasons — and the e-mail that goes out must not
contain the marker, and must say something besides its links.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from tandem.exports import services as export_services
from tandem.feedback import services as feedback_services
from tandem.goals.reminders import send_checkin_reminders
from tandem.goals.services import goals as goal_services
from tandem.meetings import services as meeting_services
from tandem.meetings.reminders import send_agenda_reminders
from tandem.notifications import kinds
from tandem.notifications.kinds import KINDS, Delivery, Kind
from tandem.notifications.models import Notification
from tandem.notifications.services import notify
from tandem.program.models import Program
from tandem.reviews.models import PhaseKind, Relationship
from tandem.reviews.reminders import send_review_reminders
from tandem.reviews.services.nominations import decline
from tandem.reviews.services.sharing import acknowledge, reopen, share
from tandem.reviews.services.writing import save_draft, submit
from tandem.team.weekly import send_team_weeks
from tests.factories import PersonFactory, hr_admin
from tests.goals.factories import GoalFactory, PeriodFactory
from tests.meetings.factories import agenda_item, pair, private_note, series_with_meeting
from tests.reviews.factories import participant_of, running_cycle, set_phase
from tests.reviews.writing_helpers import fresh, make_team, rating_key, text_key

pytestmark = pytest.mark.django_db

SECRET = "Zq-private-7731"  # typed into every text field of every flow
TODAY = date(2031, 6, 9)  # a Monday


def _answers(review: Any) -> dict[str, Any]:
    return {
        rating_key(review): {"rating": 4, "comment": SECRET},
        text_key(review): {"comment": SECRET},
    }


def _feedback_received() -> None:
    feedback_services.give_feedback(
        by=PersonFactory(), recipient=PersonFactory(), text=SECRET, visibility="private"
    )


def _praise_received() -> None:
    feedback_services.give_feedback(
        by=PersonFactory(), recipient=PersonFactory(), text=SECRET, visibility="public"
    )


def _feedback_request(due: date | None = None) -> None:
    manager, report = pair()
    feedback_services.create_feedback_request(
        by=report,
        subject=report,
        asked=[manager],
        visibility="private",
        questions=SECRET,
        due_date=due,
        today=TODAY,
    )


def _feedback_request_reminder() -> None:
    _feedback_request(due=TODAY + timedelta(days=1))
    mail.outbox.clear()
    feedback_services.send_request_reminders(TODAY)


def _upward_released() -> None:
    program = Program.load()
    program.anonymity_minimum = 3
    program.save()
    manager = PersonFactory()
    for _ in range(3):
        feedback_services.write_upward_feedback(
            by=PersonFactory(manager=manager), text=SECRET, today=TODAY
        )
    # Released by the daily run, never by the write that reaches the minimum.
    feedback_services.release_upward_feedback(TODAY + timedelta(days=1))


def _mention() -> None:
    PersonFactory(email="mentioned.person@example.com")
    goal = GoalFactory(visibility="public")
    goal_services.add_comment(goal=goal, by=goal.owner, body=f"@mentioned.person {SECRET}")


def _goal_comment() -> None:
    goal = GoalFactory(visibility="public")
    goal_services.add_comment(goal=goal, by=PersonFactory(), body=SECRET)


def _checkin_reminder() -> None:
    today = TODAY + timedelta(days=Program.current().checkin_reminder_weekday)
    GoalFactory(title=SECRET)
    send_checkin_reminders(today)


def _agenda() -> None:
    manager, report = pair()
    tomorrow = datetime(2031, 6, 10, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
    _, meeting = series_with_meeting(manager, report, starts_at=tomorrow)
    agenda_item(meeting, report, SECRET)
    private_note(meeting, report, SECRET)
    send_agenda_reminders(TODAY)


def _action_item() -> None:
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report)
    meeting_services.add_action_item(by=manager, meeting=meeting, text=SECRET, owner=report)


def _review_reopened() -> None:
    team = make_team()
    review = team.manager_review
    submit(review, answers=_answers(review), version=0, by=team.manager)
    mail.outbox.clear()
    reopen(fresh(review), reason=SECRET, by=hr_admin())


def _nomination_declined() -> None:
    team = make_team()
    nomination = team.participant.nominations.get(peer=team.peer)
    decline(nomination, reason=SECRET, by=team.peer)


def _review_reminder() -> None:
    boss = PersonFactory()
    ana = PersonFactory(manager=boss)
    cycle = running_cycle([boss, ana])
    participant = participant_of(cycle, ana)
    review = participant.reviews.get(relationship=Relationship.MANAGER)
    save_draft(review, answers=_answers(review), version=0, by=boss)
    today = timezone.localdate()
    set_phase(
        cycle,
        PhaseKind.MANAGER,
        opens_on=today - timedelta(days=7),
        due_on=today + timedelta(days=3),
    )
    mail.outbox.clear()
    send_review_reminders(today)


def _review_shared_and_acknowledged() -> None:
    team = make_team()
    review = team.manager_review
    submit(review, answers=_answers(review), version=0, by=team.manager)
    share(team.participant, by=team.manager)
    acknowledge(participant_of(team.cycle, team.owner), comment=SECRET, by=team.owner)


def _team_week() -> None:
    manager, report = pair()
    GoalFactory(owner=report, title=SECRET)
    feedback_services.give_feedback(
        by=PersonFactory(), recipient=report, text=SECRET, visibility="private"
    )
    tomorrow = datetime(2031, 6, 10, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
    _, meeting = series_with_meeting(manager, report, starts_at=tomorrow)
    agenda_item(meeting, report, SECRET)
    private_note(meeting, manager, SECRET)
    mail.outbox.clear()
    send_team_weeks(TODAY)


def _export_ready() -> None:
    period = PeriodFactory(name="Export flow period")
    GoalFactory(owner=PersonFactory(), period=period, title=SECRET)
    export_services.request_export(
        by=hr_admin(),
        source="goals",
        format="xlsx",
        params={"period": period.pk, "department": None, "level": "", "people": "", "tz": "UTC"},
        title="Goals, Export flow period",
        filename="goals.xlsx",
        rows=1,
    )


def _webhook_disabled() -> None:
    from tandem.core.encryption import seal
    from tandem.integrations.webhooks import services as webhook_services
    from tandem.integrations.webhooks.models import Endpoint
    from tests.factories import it_admin

    it_admin()
    endpoint = Endpoint.objects.create(
        name="Warehouse",
        url=f"https://hooks.example.com/{SECRET}",
        event_types=["goal.closed"],
        secret_sealed=seal(f"whsec_{SECRET}", purpose=webhook_services.PURPOSE),
        failing_since=timezone.now() - timedelta(days=2),
    )
    webhook_services._disable_if_failing(endpoint.pk, now=timezone.now())


# Each kind, and the flow that sends it with SECRET typed everywhere on the way.
FLOWS: dict[str, Callable[[], None]] = {
    "exports.ready": _export_ready,
    "feedback.received": _feedback_received,
    "feedback.request": _feedback_request,
    "feedback.request_reminder": _feedback_request_reminder,
    "feedback.upward_released": _upward_released,
    "praise.received": _praise_received,
    "mention": _mention,
    "goals.checkin_reminder": _checkin_reminder,
    "goals.comment": _goal_comment,
    "integrations.webhook_disabled": _webhook_disabled,
    "meetings.agenda": _agenda,
    "meetings.action_item": _action_item,
    "reviews.assigned": _review_reopened,
    "reviews.nomination": _nomination_declined,
    "reviews.reminder": _review_reminder,
    "reviews.shared": _review_shared_and_acknowledged,
    "team.weekly": _team_week,
}


def test_every_kind_of_notification_has_a_flow_here() -> None:
    assert set(FLOWS) == set(KINDS), "add the new kind's flow to FLOWS"


@pytest.fixture
def everything_by_email(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every kind e-mailed by default, so each flow's e-mail goes out."""
    for name, kind in KINDS.items():
        monkeypatch.setitem(kinds.KINDS, name, Kind(kind.label, Delivery.EMAIL, kind.about))


@pytest.mark.parametrize("kind", sorted(FLOWS))
def test_the_email_says_what_happened_without_the_text_written(
    kind: str, everything_by_email: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        FLOWS[kind]()
    emails = [m for m in mail.outbox if kind_of(m) == kind] or mail.outbox
    assert emails, f"the {kind} flow sent no e-mail"
    for message in emails:
        assert SECRET not in message.subject, f"{kind}: {message.subject}"
        assert SECRET not in message.body, f"{kind} e-mails the text written:\n{message.body}"
        said = [line for line in message.body.splitlines() if line.strip() and "://" not in line]
        assert said, f"{kind}: the e-mail is empty apart from its links:\n{message.body}"


def kind_of(message: Any) -> str:
    found = Notification.objects.filter(title=message.subject).values_list("kind", flat=True)
    return found.first() or ""


def test_a_notification_without_a_body_still_says_what_happened(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify(person=PersonFactory(), kind="mention", title="Ana mentioned you", url="/x/")
    (message,) = mail.outbox
    assert "Ana mentioned you" in message.body.split("http")[0]
