"""Private notes are readable by their author alone: not the other participant, not the
managers above, not HR (admins included), not executives — on pages, in the API, in the
audit trail and in search. 1:1 content is the two participants' alone."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.meetings import services
from tandem.meetings.models import MeetingStatus
from tests.factories import (
    DepartmentFactory,
    PersonFactory,
    api_token,
    executive,
    hr_admin,
    hr_partner,
)
from tests.meetings.factories import series_with_meeting

pytestmark = pytest.mark.django_db

SECRET = "Thinking-of-leaving-7731"
SHARED = "Shared-notes-4410"


@pytest.fixture
def cast():  # type: ignore[no-untyped-def]
    department = DepartmentFactory()
    skip = PersonFactory(department=department)
    manager = PersonFactory(manager=skip, department=department)
    report = PersonFactory(manager=manager, department=department)
    series, meeting = series_with_meeting(
        manager, report, starts_at=timezone.now() - timedelta(hours=1)
    )
    services.save_private_note(by=report, meeting=meeting, text=SECRET)
    services.save_shared_notes(by=manager, meeting=meeting, text=SHARED)
    services.hold_meeting(by=manager, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    return {
        "series": series,
        "meeting": meeting,
        "author": report,
        "other participant": manager,
        "manager's manager": skip,
        "hr admin": hr_admin(),
        "hr partner": hr_partner([department]),
        "executive": executive(),
        "outsider": PersonFactory(),
    }


OTHERS = (
    "other participant",
    "manager's manager",
    "hr admin",
    "hr partner",
    "executive",
    "outsider",
)


def _without_echo(text: str) -> str:
    """A search box shows back what was searched for; that is not a leak."""
    return (
        text.replace(f'value="{SECRET}"', "").replace(f"“{SECRET}”", "").replace(f"q={SECRET}", "")
    )


def _pages(cast) -> list[str]:  # type: ignore[no-untyped-def]
    series, meeting = cast["series"], cast["meeting"]
    return [
        reverse("meetings:meeting", args=[meeting.pk]),
        reverse("meetings:series", args=[series.pk]),
        reverse("meetings:index"),
        reverse("meetings:meeting_ics", args=[meeting.pk]),
        reverse("audit:log"),
        reverse("audit:log") + f"?q={SECRET}",
        reverse("org:person", args=[cast["author"].pk]),
        reverse("home"),
    ]


def test_the_author_reads_their_private_note_on_the_meeting_page(cast, client_for):
    page = client_for(cast["author"]).get(reverse("meetings:meeting", args=[cast["meeting"].pk]))
    assert SECRET in page.content.decode()
    assert "Only you can read this note" in page.content.decode()


def test_the_author_finds_their_private_note_by_searching_the_history(cast, client_for):
    url = reverse("meetings:series", args=[cast["series"].pk])
    assert SECRET in client_for(cast["author"]).post(url, {"q": SECRET}).content.decode()


def test_searching_the_history_is_a_post_so_the_words_stay_out_of_access_logs(cast, client_for):
    url = reverse("meetings:series", args=[cast["series"].pk])
    page = client_for(cast["author"]).get(url).content.decode()
    assert '<form method="post" role="search"' in page
    assert (
        "No past meeting matches"
        not in client_for(cast["author"]).get(url, {"q": "no-such-words"}).content.decode()
    ), "a search in the address is ignored"


@pytest.mark.parametrize("role", OTHERS)
def test_no_other_role_finds_the_private_note_by_searching_the_history(cast, client_for, role):
    url = reverse("meetings:series", args=[cast["series"].pk])
    response = client_for(cast[role]).post(url, {"q": SECRET})
    assert response.status_code in (200, 404)
    assert SECRET not in _without_echo(response.content.decode(errors="replace"))


@pytest.mark.parametrize("role", OTHERS)
def test_no_other_role_reads_the_private_note_on_any_page(cast, client_for, role):
    client = client_for(cast[role])
    for url in _pages(cast):
        response = client.get(url)
        assert response.status_code in (200, 302, 404), url
        assert SECRET not in _without_echo(response.content.decode(errors="replace")), (
            f"{role} reads it on {url}"
        )


@pytest.mark.parametrize("role", OTHERS)
def test_no_other_role_reads_the_private_note_through_the_api(cast, role):
    from django.test import Client

    client = Client(headers={"Authorization": f"Bearer {api_token(cast[role])}"})
    meeting, series = cast["meeting"], cast["series"]
    for url in (
        f"/api/v1/one-on-ones/meetings/{meeting.pk}/private-note",
        f"/api/v1/one-on-ones/meetings/{meeting.pk}",
        f"/api/v1/one-on-ones/series/{series.pk}/meetings",
        "/api/v1/one-on-ones/series",
        f"/api/v1/one-on-ones/meetings/{meeting.pk}/agenda-items",
        f"/api/v1/one-on-ones/meetings/{meeting.pk}/action-items",
    ):
        response = client.get(url)
        assert SECRET not in response.content.decode(), f"{role} reads it at {url}"
    own = client.get(f"/api/v1/one-on-ones/meetings/{meeting.pk}/private-note")
    if role == "other participant":
        assert own.status_code == 200 and json.loads(own.content)["text"] == ""
    else:
        assert own.status_code == 404


def test_the_audit_trail_says_a_private_note_was_edited_without_its_text(cast):
    events = AuditEvent.objects.filter(kind="meetings.private_note.edit")
    assert events.count() == 1
    event = events.get()
    assert event.note == "private note edited"
    everything = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert SECRET not in everything
    assert SHARED not in everything, "shared notes are not for HR either"


@pytest.mark.parametrize("role", ("manager's manager", "hr partner", "executive", "outsider"))
def test_only_participants_and_hr_admins_see_that_a_series_exists(cast, client_for, role):
    url = reverse("meetings:series", args=[cast["series"].pk])
    assert client_for(cast[role]).get(url).status_code == 404


def test_hr_admins_see_when_meetings_happen_but_not_what_was_said(cast, client_for):
    client = client_for(cast["hr admin"])
    page = client.get(reverse("meetings:series", args=[cast["series"].pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert SHARED not in text and SECRET not in text
    assert "HR admins included" in text
    assert client.get(reverse("meetings:meeting", args=[cast["meeting"].pk])).status_code == 404


def test_the_other_participant_reads_shared_notes_but_not_the_private_note(cast, client_for):
    page = client_for(cast["other participant"]).get(
        reverse("meetings:meeting", args=[cast["meeting"].pk])
    )
    text = page.content.decode()
    assert SHARED in text and SECRET not in text
