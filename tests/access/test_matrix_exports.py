"""The access matrix for the exports: goals as CSV and XLSX, a person's feedback as CSV.

Everyone signed in may export (their own goals, their own feedback), so the goal exports
answer 200 to every role; what differs is what is inside. The private goal's title reaches
only its circle (the owner, their manager chain, HR admins); private feedback only its
recipient (HR admins only under the company's policy, off here); feedback "for the
recipient and their manager" only the recipient and that manager. Someone else's feedback
export is for their manager chain and covering HR; anyone else gets 404.

Exports are streamed, so rows here are checked by this module's own `_check` (the shared
`check_case` reads `response.content`, which a streamed answer does not have)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tandem.feedback.models import Feedback, Visibility
from tandem.goals.models import Goal, GoalLevel, Period
from tandem.goals.models import Visibility as GoalVisibility
from tests.access.matrix import (
    ANONYMOUS,
    EMPLOYEE,
    EXECUTIVE,
    HR_ADMIN,
    HR_PARTNER,
    MANAGER,
    OWNER,
    SKIP_MANAGER,
    Org,
    Row,
    build_org,
    case_ids,
    cases,
    client_as,
    end_sessions,
    expect,
    matches,
    signed_in_sessions,
    tear_down_org,
)
from tests.feedback.factories import FeedbackFactory
from tests.goals.factories import GoalFactory

PRIVATE_GOAL = "Matrix-exports private goal: the quiet merger"
PUBLIC_GOAL = "Matrix-exports public goal"
PRIVATE_FEEDBACK = "Matrix-exports private feedback for Olu only"
MANAGER_FEEDBACK = "Matrix-exports feedback for Olu and Mia"
GOAL_CIRCLE = (OWNER, MANAGER, SKIP_MANAGER, HR_ADMIN)
FEEDBACK_EXPORTERS = (OWNER, MANAGER, SKIP_MANAGER, HR_ADMIN, HR_PARTNER)
# Who reads each secret in an export. The outsider (EMPLOYEE) gave both pieces of feedback,
# so finds them in their own export, and nowhere else.
READERS = {
    PRIVATE_GOAL: GOAL_CIRCLE,
    PRIVATE_FEEDBACK: (OWNER, EMPLOYEE),
    MANAGER_FEEDBACK: (OWNER, MANAGER, EMPLOYEE),
}


def _period(o: Org) -> str:
    return f"?period={o.extras['exports_period'].pk}"


def _goals(name: str, extra: str = ""):  # type: ignore[no-untyped-def]
    return lambda o: reverse(name) + _period(o) + extra


def _feedback_of(key: str):  # type: ignore[no-untyped-def]
    return lambda o: reverse("feedback:export_csv") + f"?person={o.extras[key].pk}"


MATRIX: tuple[Row, ...] = (
    Row("goals:export_csv", "the period's goals", _goals("goals:export_csv"), expect()),
    Row(
        "goals:export_csv",
        "the team's goals",
        _goals("goals:export_csv", "&people=team"),
        expect(),
    ),
    Row(
        "goals:export_csv",
        "a department and a level",
        lambda o: (
            reverse("goals:export_csv")
            + _period(o)
            + f"&department={o.engineering.pk}&level=individual"
        ),
        expect(),
    ),
    Row(
        "goals:export_csv",
        "a period that is not a number",
        lambda o: reverse("goals:export_csv") + "?period=soon",
        expect(ok=400, denied=400),
    ),
    Row("goals:export_xlsx", "the period's goals", _goals("goals:export_xlsx"), expect()),
    Row(
        "goals:export_xlsx",
        "a level that does not exist",
        lambda o: reverse("goals:export_xlsx") + "?level=galaxy",
        expect(ok=400, denied=400),
    ),
    Row("feedback:export_csv", "my own", lambda o: reverse("feedback:export_csv"), expect()),
    Row(
        "feedback:export_csv",
        "the owner's",
        _feedback_of("exports_owner"),
        expect(FEEDBACK_EXPORTERS),
    ),
    Row(
        "feedback:export_csv",
        "the colleague who left",
        _feedback_of("exports_leaver"),
        expect((HR_ADMIN, HR_PARTNER)),
    ),
    Row(
        "feedback:export_csv",
        "a person who does not exist",
        lambda o: reverse("feedback:export_csv") + "?person=987654321",
        expect(()),
    ),
)


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        built = build_org()
        today = timezone.localdate()
        period = Period.objects.create(
            name="Matrix exports period",
            start_date=today - timedelta(days=10),
            end_date=today + timedelta(days=60),
        )
        people = built.everyone
        try:
            signed_in_sessions(built)
            company = GoalFactory(
                owner=built.people[EXECUTIVE],
                level=GoalLevel.COMPANY,
                period=period,
                title="Matrix-exports company goal",
            )
            GoalFactory(owner=built.owner, period=period, parent=company, title=PUBLIC_GOAL)
            GoalFactory(
                owner=built.owner,
                period=period,
                visibility=GoalVisibility.PRIVATE,
                title=PRIVATE_GOAL,
            )
            outsider = built.people[EMPLOYEE]
            FeedbackFactory(giver=outsider, recipient=built.owner, text=PRIVATE_FEEDBACK)
            FeedbackFactory(
                giver=outsider,
                recipient=built.owner,
                visibility=Visibility.WITH_MANAGER,
                text=MANAGER_FEEDBACK,
            )
            built.extras["exports_period"] = period
            built.extras["exports_owner"] = built.owner
            built.extras["exports_leaver"] = built.leaver
            yield built
        finally:
            end_sessions(built)
            Feedback.objects.filter(recipient__in=people).delete()
            Goal.objects.filter(period=period, parent__isnull=False).delete()
            Goal.objects.filter(period=period).delete()
            Period.objects.filter(pk=period.pk).delete()
            tear_down_org(built)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    """The export as text: CSV as it is, XLSX cell by cell."""
    body = b"".join(response.streaming_content)
    if response["Content-Type"].startswith("text/csv"):
        return body.decode("utf-8-sig")
    workbook = load_workbook(io.BytesIO(body), read_only=True)
    return "\n".join(
        "\t".join("" if cell is None else str(cell) for cell in row)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def _check(row: Row, role: str, org: Org) -> str | None:
    """Request the row's URL as `role`, assert the status, and return a 200's export text."""
    target = row.url(org)
    response = client_as(org, role).get(target)
    expected = row.expected[role]
    assert matches(response.status_code, expected), (
        f"GET {target} as {role}: expected {expected}, got {response.status_code}"
    )
    if role == ANONYMOUS:
        assert response["Location"].startswith("/login/"), response["Location"]
    if response.status_code == 200:
        assert response.streaming, f"{target} is not streamed"
        return _text(response)
    return None


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    text = _check(row, role, org)
    if text is None:
        return
    for secret, readers in READERS.items():
        if role not in readers:
            assert secret not in text, f"{row.url(org)} shows {role} {secret!r}"


def test_the_private_goal_reaches_its_whole_circle(org: Org, db: None) -> None:
    url = reverse("goals:export_csv") + _period(org)
    for role in GOAL_CIRCLE:
        text = _text(client_as(org, role).get(url))
        assert PRIVATE_GOAL in text, f"{role} should find the private goal in the export"


def test_feedback_reaches_the_readers_the_giver_chose(org: Org, db: None) -> None:
    url = _feedback_of("exports_owner")(org)
    for secret in (PRIVATE_FEEDBACK, MANAGER_FEEDBACK):
        for role in READERS[secret]:
            if role == EMPLOYEE:  # the giver: in their own export, not the owner's
                text = _text(client_as(org, role).get(reverse("feedback:export_csv")))
            else:
                text = _text(client_as(org, role).get(url))
            assert secret in text, f"{role} misses {secret!r}"


def test_every_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    from django.urls import resolve

    wrong = [
        row.label for row in MATRIX if resolve(row.url(org).split("?")[0]).view_name != row.name
    ]
    assert not wrong, wrong
