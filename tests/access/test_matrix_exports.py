"""The access matrix for the exports: goals as CSV and XLSX, a person's feedback as CSV.

Everyone signed in may export (their own goals, their own feedback), so the goal exports
answer 200 to every role; what differs is what is inside. The private goal's title reaches
only its circle (the owner, their manager chain, HR admins); private feedback only its
recipient (HR admins only under the company's policy, off here); feedback "for the
recipient and their manager" only the recipient and that manager. Someone else's feedback
export is for their manager chain and covering HR; anyone else gets 404.

Exports are streamed, so rows here are checked by `check_export` (the shared `check_case`
reads `response.content`, which a streamed answer does not have)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse

from tandem.feedback.models import Feedback, Visibility
from tandem.goals.models import GoalLevel
from tandem.goals.models import Visibility as GoalVisibility
from tests.access.goals_periods import PERIOD, delete_goals, own_period
from tests.access.matrix import (
    EMPLOYEE,
    EXECUTIVE,
    HR_ADMIN,
    HR_PARTNER,
    MANAGER,
    OWNER,
    SKIP_MANAGER,
    Org,
    Row,
    assert_rows_build_their_own_urls,
    assert_unseen,
    case_ids,
    cases,
    check_export,
    client_as,
    expect,
    export_text,
    matrix_org,
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
    return f"?period={o.extras[PERIOD].pk}"


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


def _build_exports(org: Org) -> None:
    period = own_period(org, "Matrix exports period")
    company = GoalFactory(
        owner=org.people[EXECUTIVE],
        level=GoalLevel.COMPANY,
        period=period,
        title="Matrix-exports company goal",
    )
    GoalFactory(owner=org.owner, period=period, parent=company, title=PUBLIC_GOAL)
    GoalFactory(
        owner=org.owner,
        period=period,
        visibility=GoalVisibility.PRIVATE,
        title=PRIVATE_GOAL,
    )
    outsider = org.people[EMPLOYEE]
    FeedbackFactory(giver=outsider, recipient=org.owner, text=PRIVATE_FEEDBACK)
    FeedbackFactory(
        giver=outsider,
        recipient=org.owner,
        visibility=Visibility.WITH_MANAGER,
        text=MANAGER_FEEDBACK,
    )
    org.extras["exports_owner"] = org.owner
    org.extras["exports_leaver"] = org.leaver


def _tear_down_exports(org: Org) -> None:
    Feedback.objects.filter(recipient__in=org.everyone).delete()
    delete_goals(org)


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker, extras=_build_exports, cleanup=_tear_down_exports) as built:
        yield built


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    assert_unseen(check_export(row, role, org), role, row.url(org), READERS)


def test_the_private_goal_reaches_its_whole_circle(org: Org, db: None) -> None:
    url = reverse("goals:export_csv") + _period(org)
    for role in GOAL_CIRCLE:
        text = export_text(client_as(org, role).get(url))
        assert PRIVATE_GOAL in text, f"{role} should find the private goal in the export"


def test_feedback_reaches_the_readers_the_giver_chose(org: Org, db: None) -> None:
    url = _feedback_of("exports_owner")(org)
    for secret in (PRIVATE_FEEDBACK, MANAGER_FEEDBACK):
        for role in READERS[secret]:
            if role == EMPLOYEE:  # the giver: in their own export, not the owner's
                text = export_text(client_as(org, role).get(reverse("feedback:export_csv")))
            else:
                text = export_text(client_as(org, role).get(url))
            assert secret in text, f"{role} misses {secret!r}"


def test_every_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    assert_rows_build_their_own_urls(MATRIX, org)
