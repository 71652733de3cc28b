"""The access matrix for 1:1s: every page and endpoint, for every role.

A 1:1 is between the owner and their manager. Only those two read its content; HR admins
see that the series exists and when it meets (series page and metadata endpoints), nobody
else learns anything (404). The owner's private note must never reach anyone but the owner.
API writes (POST/PATCH/PUT/DELETE) are sent as JSON; a refused one changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from tandem.meetings.models import (
    ActionItem,
    AgendaItem,
    Meeting,
    MeetingStatus,
    PrivateNote,
    Series,
    SeriesKind,
    SeriesStatus,
)
from tests.access.matrix import (
    FORM,
    HR_ADMIN,
    MANAGER,
    OWNER,
    SKIP_MANAGER,
    Org,
    Row,
    api,
    assert_rows_build_their_own_urls,
    assert_unseen,
    case_ids,
    cases,
    check_api_case,
    check_case,
    expect,
    matrix_org,
    register_tables,
    url,
)

PARTICIPANTS = (OWNER, MANAGER)
METADATA = (OWNER, MANAGER, HR_ADMIN)
PRIVATE_TEXT = "MATRIX-PRIVATE-NOTE-5521"
SHARED_TEXT = "MATRIX-SHARED-NOTES-8830"
AGENDA_TEXT = "MATRIX-AGENDA-ITEM-1177"


def _series(o: Org) -> int:
    return o.extras["series"].pk


def _meeting(o: Org) -> int:
    return o.extras["meeting"].pk


def _held(o: Org) -> int:
    return o.extras["held"].pk


def _agenda(o: Org) -> int:
    return o.extras["agenda_item"].pk


def _action(o: Org) -> int:
    return o.extras["action_item"].pk


MATRIX: tuple[Row, ...] = (
    # --- Pages ----------------------------------------------------------------------------
    Row("meetings:index", "my 1:1s", lambda o: url("meetings:index"), expect()),
    Row("meetings:create", "form", lambda o: url("meetings:create"), expect()),
    Row(
        "meetings:create",
        "empty form",
        lambda o: url("meetings:create"),
        expect(ok=FORM),
        method="POST",
    ),
    Row(
        "meetings:skip_level",
        "empty request",
        lambda o: url("meetings:skip_level"),
        expect(ok=FORM),
        method="POST",
    ),
    Row(
        "meetings:series",
        "the owner's 1:1",
        lambda o: url("meetings:series", _series(o)),
        expect(METADATA),
    ),
    Row(
        "meetings:answer",
        "a skip-level request to the skip manager, no answer",
        lambda o: url("meetings:answer", o.extras["skip_request"].pk),
        expect((OWNER, SKIP_MANAGER), ok=302),
        method="POST",
    ),
    Row(
        "meetings:series_ics",
        "the owner's 1:1",
        lambda o: url("meetings:series_ics", _series(o)),
        expect(PARTICIPANTS),
    ),
    Row(
        "meetings:meeting",
        "next meeting",
        lambda o: url("meetings:meeting", _meeting(o)),
        expect(PARTICIPANTS),
    ),
    Row(
        "meetings:meeting",
        "a held meeting",
        lambda o: url("meetings:meeting", _held(o)),
        expect(PARTICIPANTS),
    ),
    Row(
        "meetings:meeting_ics",
        "next meeting",
        lambda o: url("meetings:meeting_ics", _meeting(o)),
        expect(PARTICIPANTS),
    ),
    Row(
        "meetings:agenda_add",
        "empty item",
        lambda o: url("meetings:agenda_add", _meeting(o)),
        expect(PARTICIPANTS, ok=FORM),
        method="POST",
    ),
    Row(
        "meetings:agenda_done",
        "tick off",
        lambda o: url("meetings:agenda_done", _agenda(o)),
        expect(PARTICIPANTS, ok=302),
        method="POST",
        data={"done": "on"},
    ),
    Row(
        "meetings:agenda_move",
        "move down",
        lambda o: url("meetings:agenda_move", _agenda(o)),
        expect(PARTICIPANTS, ok=302),
        method="POST",
        data={"direction": "down"},
    ),
    Row(
        "meetings:notes",
        "shared notes",
        lambda o: url("meetings:notes", _meeting(o)),
        expect(PARTICIPANTS, ok=302),
        method="POST",
        data={"shared_notes": "We talked."},
    ),
    Row(
        "meetings:private_note",
        "private note",
        lambda o: url("meetings:private_note", _meeting(o)),
        expect(PARTICIPANTS, ok=302),
        method="POST",
        data={"private_note": "Mine."},
    ),
    Row(
        "meetings:action_add",
        "without an owner",
        lambda o: url("meetings:action_add", _meeting(o)),
        expect(PARTICIPANTS, ok=302),
        method="POST",
        data={"text": "Do it"},
    ),
    Row(
        "meetings:action_done",
        "tick off",
        lambda o: url("meetings:action_done", _meeting(o), _action(o)),
        expect(PARTICIPANTS, ok=302),
        method="POST",
        data={"done": "on"},
    ),
    Row(
        "meetings:hold",
        "a meeting that is not due yet",
        lambda o: url("meetings:hold", _meeting(o)),
        expect(PARTICIPANTS, ok=302),
        method="POST",
    ),
    Row(
        "meetings:reschedule",
        "form",
        lambda o: url("meetings:reschedule", _meeting(o)),
        expect(PARTICIPANTS),
    ),
    Row(
        "meetings:reschedule",
        "empty form",
        lambda o: url("meetings:reschedule", _meeting(o)),
        expect(PARTICIPANTS, ok=FORM),
        method="POST",
    ),
    # --- API ------------------------------------------------------------------------------
    Row("api:list_one_on_one_series", "list", lambda o: url("api:list_one_on_one_series"), api()),
    Row(
        "api:create_one_on_one_series",
        "no report",
        lambda o: url("api:create_one_on_one_series"),
        api(ok=422),
        method="POST",
    ),
    Row(
        "api:get_one_on_one_series",
        "the owner's 1:1",
        lambda o: url("api:get_one_on_one_series", _series(o)),
        api(METADATA),
    ),
    Row(
        "api:list_series_meetings",
        "the owner's 1:1",
        lambda o: url("api:list_series_meetings", _series(o)),
        api(METADATA),
    ),
    Row(
        "api:get_meeting",
        "next meeting",
        lambda o: url("api:get_meeting", _meeting(o)),
        api(METADATA),
    ),
    Row(
        "api:update_meeting",
        "no change",
        lambda o: url("api:update_meeting", _meeting(o)),
        api(PARTICIPANTS),
        method="PATCH",
    ),
    Row(
        "api:hold_meeting",
        "not due yet",
        lambda o: url("api:hold_meeting", _meeting(o)),
        api(PARTICIPANTS, ok=422),
        method="POST",
    ),
    Row(
        "api:get_private_note",
        "own note",
        lambda o: url("api:get_private_note", _meeting(o)),
        api(PARTICIPANTS),
    ),
    Row(
        "api:put_private_note",
        "own note",
        lambda o: url("api:put_private_note", _meeting(o)),
        api(PARTICIPANTS),
        method="PUT",
        data={"text": "Mine."},
    ),
    Row(
        "api:list_agenda_items",
        "next meeting",
        lambda o: url("api:list_agenda_items", _meeting(o)),
        api(PARTICIPANTS),
    ),
    Row(
        "api:create_agenda_item",
        "empty",
        lambda o: url("api:create_agenda_item", _meeting(o)),
        api(PARTICIPANTS, ok=422),
        method="POST",
    ),
    Row(
        "api:update_agenda_item",
        "tick off",
        lambda o: url("api:update_agenda_item", _agenda(o)),
        api(PARTICIPANTS),
        method="PATCH",
        data={"done": True},
    ),
    Row(
        "api:delete_agenda_item",
        "remove",
        lambda o: url("api:delete_agenda_item", _agenda(o)),
        api(PARTICIPANTS, ok=204),
        method="DELETE",
    ),
    Row(
        "api:list_action_items",
        "next meeting",
        lambda o: url("api:list_action_items", _meeting(o)),
        api(PARTICIPANTS),
    ),
    Row(
        "api:create_action_item",
        "without an owner",
        lambda o: url("api:create_action_item", _meeting(o)),
        api(PARTICIPANTS, ok=422),
        method="POST",
        data={"text": "Do it"},
    ),
    Row(
        "api:update_action_item",
        "tick off",
        lambda o: url("api:update_action_item", _action(o)),
        api(PARTICIPANTS),
        method="PATCH",
        data={"done": True},
    ),
    Row(
        "api:delete_action_item",
        "remove",
        lambda o: url("api:delete_action_item", _action(o)),
        api(PARTICIPANTS, ok=204),
        method="DELETE",
    ),
)


register_tables(Series, Meeting, AgendaItem, ActionItem, PrivateNote)


def _build_meetings(org: Org) -> None:
    """Written directly, not through the services: no audit event may outlive the module."""
    now = timezone.now()
    series = Series.objects.create(
        manager=org.manager,
        report=org.owner,
        cadence="weekly",
        first_start=now - timedelta(days=7),
        time_zone="Europe/Berlin",
    )
    held_at = now - timedelta(days=7)
    held = Meeting.objects.create(
        series=series,
        slot=held_at,
        starts_at=held_at,
        ends_at=held_at + timedelta(minutes=30),
        status=MeetingStatus.HELD,
        held_at=held_at,
        shared_notes=SHARED_TEXT,
    )
    upcoming_at = now + timedelta(days=3)
    meeting = Meeting.objects.create(
        series=series,
        slot=upcoming_at,
        starts_at=upcoming_at,
        ends_at=upcoming_at + timedelta(minutes=30),
    )
    org.extras["series"] = series
    org.extras["held"] = held
    org.extras["meeting"] = meeting
    org.extras["agenda_item"] = AgendaItem.objects.create(
        meeting=meeting, author=org.owner, text=AGENDA_TEXT, position=1
    )
    AgendaItem.objects.create(meeting=meeting, author=org.manager, text="Second", position=2)
    org.extras["action_item"] = ActionItem.objects.create(
        series=series,
        origin=held,
        origin_starts_at=held.starts_at,
        owner=org.owner,
        created_by=org.manager,
        text="Carry me over",
    )
    PrivateNote.objects.create(meeting=held, author=org.owner, text=PRIVATE_TEXT)
    PrivateNote.objects.create(meeting=meeting, author=org.owner, text=PRIVATE_TEXT)
    org.extras["skip_request"] = Series.objects.create(
        manager=org.people[SKIP_MANAGER],
        report=org.owner,
        kind=SeriesKind.SKIP_LEVEL,
        status=SeriesStatus.REQUESTED,
        cadence="monthly",
        first_start=now + timedelta(days=10),
    )


def _tear_down_meetings(org: Org) -> None:
    series = [org.extras[key].pk for key in ("series", "skip_request") if key in org.extras]
    Series.objects.filter(pk__in=series).delete()


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(
        django_db_blocker, extras=_build_meetings, cleanup=_tear_down_meetings
    ) as built:
        yield built


# Only the owner reads their private note; only the two of them the 1:1's content.
READERS = {PRIVATE_TEXT: (OWNER,), SHARED_TEXT: PARTICIPANTS, AGENDA_TEXT: PARTICIPANTS}


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    check = check_api_case if row.name.startswith("api:") else check_case
    assert_unseen(check(row, role, org), role, row.url(org), READERS)


def test_every_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    # An API path serves several methods, each its own URL name: pages only.
    pages = [row for row in MATRIX if not row.name.startswith("api:")]
    assert_rows_build_their_own_urls(pages, org)
