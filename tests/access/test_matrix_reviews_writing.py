"""The access matrix for writing, reading, sharing, acknowledging and reopening reviews.

The owner (Olu) is reviewed in a running cycle: their self review and the peer review by
the outsider (Eve, the approved peer) are submitted; the manager review is a draft their
manager is writing. So: a peer cannot read the manager review; the owner cannot read it
before it is shared, nor the peer review; the skip-level manager reads submitted reviews
only; HR reads everything in the departments it covers; everyone else gets 404.
POSTs send data that is refused with a message (no version, no reason, nothing to share),
so an allowed role gets its page back and nothing changes for anyone.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tandem.reviews.models import (
    Cycle,
    Participant,
    Relationship,
    Review,
    ReviewRevision,
    ReviewState,
    SubmittedRating,
)
from tests.access.matrix import (
    EMPLOYEE,
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
    check_case,
    expect,
    matrix_org,
    pk,
    register_tables,
    url,
)
from tests.access.reviews_cleanup import delete_cycles
from tests.reviews.factories import (
    CycleFactory,
    nominate,
    participant_of,
    review_of,
    running_cycle,
)

MANAGER_DRAFT = "MATRIX-MANAGER-DRAFT-4410"
PEER_TEXT = "MATRIX-PEER-REVIEW-7302"
SELF_TEXT = "MATRIX-SELF-REVIEW-9187"
HR = (HR_ADMIN, HR_PARTNER)


def _participant(o: Org) -> int:
    return o.extras["participant"].pk


# Who may read each review (review.view).
MANAGER_REVIEW_READERS = (MANAGER, *HR)
PEER_REVIEW_READERS = (EMPLOYEE, MANAGER, SKIP_MANAGER, *HR)
SELF_REVIEW_READERS = (OWNER, MANAGER, SKIP_MANAGER, *HR)
PARTICIPANT_VIEWERS = (OWNER, MANAGER, SKIP_MANAGER, *HR)

MATRIX: tuple[Row, ...] = (
    Row(
        "reviews:review",
        "the manager review, a draft",
        lambda o: url("reviews:review", pk(o, "manager_review")),
        expect(MANAGER_REVIEW_READERS),
    ),
    Row(
        "reviews:review",
        "a submitted peer review",
        lambda o: url("reviews:review", pk(o, "peer_review")),
        expect(PEER_REVIEW_READERS),
    ),
    Row(
        "reviews:review",
        "a submitted self review",
        lambda o: url("reviews:review", pk(o, "self_review")),
        expect(SELF_REVIEW_READERS),
    ),
    Row(
        "reviews:review_save",
        "no version",
        lambda o: url("reviews:review_save", pk(o, "manager_review")),
        expect(MANAGER),
        method="POST",
    ),
    Row(
        "reviews:review_submit",
        "no version",
        lambda o: url("reviews:review_submit", pk(o, "manager_review")),
        expect(MANAGER),
        method="POST",
    ),
    Row(
        "reviews:evidence",
        "the manager review's packet",
        lambda o: url("reviews:evidence", pk(o, "manager_review")),
        expect(MANAGER),
    ),
    Row(
        "reviews:review_reopen",
        "confirm page",
        lambda o: url("reviews:review_reopen", pk(o, "peer_review")),
        expect(HR),
    ),
    Row(
        "reviews:review_reopen",
        "no reason",
        lambda o: url("reviews:review_reopen", pk(o, "peer_review")),
        expect(HR),
        method="POST",
    ),
    Row(
        "reviews:review_history",
        "a submitted peer review",
        lambda o: url("reviews:review_history", pk(o, "peer_review")),
        expect((EMPLOYEE, *HR)),
    ),
    Row(
        "reviews:participant",
        "the owner's summary",
        lambda o: url("reviews:participant", _participant(o)),
        expect(PARTICIPANT_VIEWERS),
    ),
    Row(
        "reviews:share",
        "manager review not submitted yet",
        lambda o: url("reviews:share", _participant(o)),
        expect((MANAGER, HR_ADMIN), ok=302),
        method="POST",
    ),
    Row(
        "reviews:acknowledge",
        "nothing shared yet",
        lambda o: url("reviews:acknowledge", _participant(o)),
        expect(OWNER),
        method="POST",
        data={"comment": "Read it."},
    ),
    Row(
        "reviews:release_all",
        "a draft cycle",
        lambda o: url("reviews:release_all", o.extras["draft_cycle"].pk),
        expect(HR_ADMIN, ok=302),
        method="POST",
    ),
)


register_tables(Cycle, Participant, Review, ReviewRevision, SubmittedRating)


def _build_reviews(org: Org) -> None:
    """Written directly, not through the services: no audit event may outlive the module."""
    cycle = running_cycle([org.owner])
    participant = participant_of(cycle, org.owner)
    nominate(participant, org.people[EMPLOYEE], status="approved")
    self_review = review_of(cycle, org.owner, Relationship.SELF)
    manager_review = review_of(cycle, org.owner, Relationship.MANAGER)
    peer_review = review_of(cycle, org.owner, Relationship.PEER)

    def answered(review: Review, text: str) -> dict[str, object]:
        questions = review.template_version.content["sections"][0]["questions"]
        return {
            q["key"]: {"rating": 3 if q["kind"] == "rating" else None, "comment": text}
            for q in questions
        }

    Review.objects.filter(pk=self_review.pk).update(
        state=ReviewState.SUBMITTED, answers=answered(self_review, SELF_TEXT)
    )
    Review.objects.filter(pk=peer_review.pk).update(
        state=ReviewState.SUBMITTED, answers=answered(peer_review, PEER_TEXT)
    )
    Review.objects.filter(pk=manager_review.pk).update(
        state=ReviewState.IN_PROGRESS, answers=answered(manager_review, MANAGER_DRAFT), version=3
    )
    org.extras.update(
        cycle=cycle,
        participant=participant,
        self_review=self_review,
        manager_review=manager_review,
        peer_review=peer_review,
        draft_cycle=CycleFactory(),
    )


def _tear_down_reviews(org: Org) -> None:
    delete_cycles([org.extras[key].pk for key in ("cycle", "draft_cycle") if key in org.extras])


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker, extras=_build_reviews, cleanup=_tear_down_reviews) as built:
        yield built


# Each review's text reaches only those who may read that review.
READERS = {
    MANAGER_DRAFT: MANAGER_REVIEW_READERS,
    PEER_TEXT: PEER_REVIEW_READERS,
    SELF_TEXT: SELF_REVIEW_READERS,
}


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    text = check_case(row, role, org)
    assert_unseen(text, role, row.url(org), READERS)
    if text is not None and role == OWNER:
        peer = org.people[EMPLOYEE].display_name
        assert peer not in text, f"{row.url(org)} names the peer reviewer to the owner"


def test_every_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    assert_rows_build_their_own_urls(MATRIX, org)
