"""The access matrix for running a review cycle: my reviews, cycles, progress, overdue,
the one-click reminder, and the progress and results exports.

The owner is reviewed by their manager (the manager review carries a comment only HR and
the manager chain may read) and by the outsider as a nominated peer. Progress is for HR
(partners: their departments' figures) and managers (their subtree); results exports are
for HR only, and an HR partner who does not cover the owner gets an empty file. Exports
are streamed, so they are checked here rather than by the shared `check_case`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tandem.notifications.models import Notification
from tandem.reviews.models import (
    NominationStatus,
    Relationship,
    Review,
)
from tests.access.matrix import (
    EMPLOYEE,
    HR_ADMIN,
    HR_PARTNER,
    MANAGER,
    OTHER_PARTNER,
    SKIP_MANAGER,
    Org,
    Row,
    assert_rows_build_their_own_urls,
    assert_unseen,
    case_ids,
    cases,
    check_case,
    check_export,
    client_as,
    expect,
    export_text,
    matrix_org,
    register_fingerprint,
    url,
)
from tests.access.reviews_cleanup import delete_cycles
from tests.reviews.factories import nominate, participant_of, review_of, running_cycle
from tests.reviews.running_helpers import submit

PROGRESS = (MANAGER, SKIP_MANAGER, HR_ADMIN, HR_PARTNER, OTHER_PARTNER)
RESULTS = (HR_ADMIN, HR_PARTNER, OTHER_PARTNER)
# Who may read the manager's comment in an export (HR covering the owner).
COMMENT_READERS = (HR_ADMIN, HR_PARTNER)
MANAGER_COMMENT = "MATRIX-RUNNING-MANAGER-COMMENT-4410"


def _cycle(o: Org) -> int:
    return o.extras["running_cycle"].pk


MATRIX: tuple[Row, ...] = (
    Row("reviews:mine", "my reviews", lambda o: url("reviews:mine"), expect()),
    Row("reviews:cycles", "cycles I follow", lambda o: url("reviews:cycles"), expect()),
    Row(
        "reviews:cycle",
        "progress",
        lambda o: url("reviews:cycle", _cycle(o)),
        expect(PROGRESS),
    ),
    Row(
        "reviews:overdue",
        "overdue list",
        lambda o: url("reviews:overdue", _cycle(o)),
        expect(PROGRESS),
    ),
    Row(
        "reviews:remind",
        "remind the self review phase",
        lambda o: url("reviews:remind", _cycle(o)),
        expect(PROGRESS, ok=302),
        method="POST",
        data={"phase": "self"},
    ),
    Row(
        "reviews:export_progress_csv",
        "progress",
        lambda o: url("reviews:export_progress_csv", _cycle(o)),
        expect(PROGRESS),
    ),
    Row(
        "reviews:export_progress_xlsx",
        "progress",
        lambda o: url("reviews:export_progress_xlsx", _cycle(o)),
        expect(PROGRESS),
    ),
    Row(
        "reviews:export_results_csv",
        "results",
        lambda o: url("reviews:export_results_csv", _cycle(o)),
        expect(RESULTS),
    ),
    Row(
        "reviews:export_results_xlsx",
        "results",
        lambda o: url("reviews:export_results_xlsx", _cycle(o)),
        expect(RESULTS),
    ),
)
EXPORTS = {row.name for row in MATRIX if row.name.startswith("reviews:export_")}


def _running_fingerprint() -> tuple[object, ...]:
    return (
        Notification.objects.filter(kind="reviews.reminder").count(),
        list(Review.objects.order_by("pk").values_list("pk", "state", "version")),
    )


register_fingerprint(_running_fingerprint)


def _build_cycle(org: Org) -> None:
    cycle = running_cycle([org.owner, org.manager])
    org.extras["running_cycle"] = cycle
    nominate(
        participant_of(cycle, org.owner),
        org.people[EMPLOYEE],
        status=NominationStatus.APPROVED,
    )
    submit(
        review_of(cycle, org.owner, Relationship.MANAGER),
        {"q1": 4},
        comments={"q1": MANAGER_COMMENT},
    )


def _tear_down_cycle(org: Org) -> None:
    if "running_cycle" in org.extras:
        delete_cycles([_cycle(org)])


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker, extras=_build_cycle, cleanup=_tear_down_cycle) as built:
        yield built


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    text = check_export(row, role, org) if row.name in EXPORTS else check_case(row, role, org)
    assert_unseen(text, role, row.url(org), {MANAGER_COMMENT: COMMENT_READERS})
    if text is not None and role == OTHER_PARTNER and row.name != "reviews:cycles":
        assert org.owner.email not in text, f"{row.url(org)} shows {role} the owner"


def test_the_covering_partner_reads_the_managers_comment_in_the_results(org: Org, db: None) -> None:
    response = client_as(org, HR_PARTNER).get(url("reviews:export_results_csv", _cycle(org)))
    assert MANAGER_COMMENT in export_text(response)


def test_the_skip_manager_follows_the_owner_in_the_progress_export(org: Org, db: None) -> None:
    response = client_as(org, SKIP_MANAGER).get(url("reviews:export_progress_csv", _cycle(org)))
    assert org.owner.email in export_text(response)


def test_every_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    assert_rows_build_their_own_urls(MATRIX, org)
