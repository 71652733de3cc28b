"""The access matrix for peer nomination pages: every URL, for every role.

The owner is reviewed in a running cycle. The outsider (EMPLOYEE, in Sales) is the owner's
approved peer and may decline; the outsider's manager is proposed and waits for approval;
the colleague who left once declined, with a reason only approvers may read. The owner
nominates; their manager, the skip-level manager and HR admins approve; HR admins approve
all at once; everyone else gets a 404. Allowed writes run inside the test's transaction
and are rolled back; refused ones change nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tandem.notifications.models import Notification
from tandem.reviews.models import (
    Nomination,
    NominationStatus,
    Participant,
    Review,
)
from tests.access.matrix import (
    EMPLOYEE,
    FORM,
    HR_ADMIN,
    MANAGER,
    OWNER,
    SIGNED_IN,
    SKIP_MANAGER,
    Org,
    Row,
    assert_rows_build_their_own_urls,
    assert_unseen,
    case_ids,
    cases,
    check_case,
    expect,
    matrix_org,
    register_fingerprint,
    table_rows,
    url,
)
from tests.access.reviews_cleanup import delete_cycles
from tests.reviews.factories import nominate, running_cycle

APPROVERS = (MANAGER, SKIP_MANAGER, HR_ADMIN)
ON_THE_PAGE = (OWNER, *APPROVERS)
DECLINE_REASON = "MATRIX-DECLINE-REASON-4410"


def _participant(o: Org) -> int:
    return o.extras["nominations_participant"].pk


MATRIX: tuple[Row, ...] = (
    Row(
        "reviews:nominations",
        "the owner's peers",
        lambda o: url("reviews:nominations", _participant(o)),
        expect(ON_THE_PAGE),
    ),
    Row(
        "reviews:nominations",
        "propose nobody",
        lambda o: url("reviews:nominations", _participant(o)),
        expect(OWNER, ok=FORM),
        method="POST",
    ),
    Row(
        "reviews:nomination_search",
        "search",
        lambda o: url("reviews:nomination_search", _participant(o)) + "?q=a",
        expect(ON_THE_PAGE),
    ),
    Row(
        "reviews:nomination_approve",
        "approve as proposed (too few)",
        lambda o: url("reviews:nomination_approve", _participant(o)),
        expect(APPROVERS, ok=FORM),
        method="POST",
    ),
    Row(
        "reviews:nomination_decline",
        "confirm page",
        lambda o: url("reviews:nomination_decline", o.extras["nominations_approved"].pk),
        expect(EMPLOYEE),
    ),
    Row(
        "reviews:nomination_decline",
        "no reason",
        lambda o: url("reviews:nomination_decline", o.extras["nominations_approved"].pk),
        expect(EMPLOYEE, ok=FORM),
        method="POST",
    ),
    Row(
        "reviews:nomination_replace",
        "nobody picked",
        lambda o: url("reviews:nomination_replace", o.extras["nominations_declined"].pk),
        expect(APPROVERS, ok=FORM),
        method="POST",
    ),
    Row("reviews:approvals", "my approvals", lambda o: url("reviews:approvals"), expect()),
    Row(
        "reviews:nominations_approve_all",
        "a cycle with nothing proposed",
        lambda o: url("reviews:nominations_approve_all", o.extras["nominations_quiet"].pk),
        expect(HR_ADMIN, ok=302),
        method="POST",
    ),
)


def _nominations_fingerprint() -> tuple[object, ...]:
    return (
        table_rows(Nomination),
        table_rows(Review),
        table_rows(Participant),
        Notification.objects.filter(kind="reviews.nomination").count(),
    )


register_fingerprint(_nominations_fingerprint)


def _build_nominations(org: Org) -> None:
    """Written directly, not through the services: no audit event may outlive the module."""
    cycle = running_cycle([org.owner], peers_min=3, peers_max=5)
    participant = Participant.objects.get(cycle=cycle, person=org.owner)
    approved = nominate(participant, org.people[EMPLOYEE], status=NominationStatus.APPROVED)
    nominate(participant, org.outsider_manager)
    declined = nominate(participant, org.leaver, status=NominationStatus.DECLINED)
    Nomination.objects.filter(pk=declined.pk).update(decline_reason=DECLINE_REASON)
    org.extras.update(
        nominations_cycle=cycle,
        nominations_quiet=running_cycle([]),
        nominations_participant=participant,
        nominations_approved=approved,
        nominations_declined=declined,
    )


def _tear_down_nominations(org: Org) -> None:
    keys = ("nominations_cycle", "nominations_quiet")
    delete_cycles([org.extras[key].pk for key in keys if key in org.extras])


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(
        django_db_blocker, extras=_build_nominations, cleanup=_tear_down_nominations
    ) as built:
        yield built


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    text = check_case(row, role, org)
    assert_unseen(text, role, row.url(org), {DECLINE_REASON: APPROVERS})


def test_approvers_read_the_decline_reason(org: Org, db: None) -> None:
    row = MATRIX[0]
    text = check_case(row, MANAGER, org)
    assert text is not None and DECLINE_REASON in text


def test_every_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    assert_rows_build_their_own_urls(MATRIX, org)


def test_the_matrix_covers_every_signed_in_role() -> None:
    assert all(set(SIGNED_IN) <= set(row.expected) for row in MATRIX)
