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
from django.urls import resolve, reverse

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
    build_org,
    case_ids,
    cases,
    check_case,
    end_sessions,
    expect,
    register_fingerprint,
    signed_in_sessions,
    tear_down_org,
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
FORM = (200, 302)


def url(name: str, *args: object) -> str:
    return reverse(name, args=args)


def _review(o: Org, key: str) -> int:
    return o.extras[key].pk


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
        lambda o: url("reviews:review", _review(o, "manager_review")),
        expect(MANAGER_REVIEW_READERS),
    ),
    Row(
        "reviews:review",
        "a submitted peer review",
        lambda o: url("reviews:review", _review(o, "peer_review")),
        expect(PEER_REVIEW_READERS),
    ),
    Row(
        "reviews:review",
        "a submitted self review",
        lambda o: url("reviews:review", _review(o, "self_review")),
        expect(SELF_REVIEW_READERS),
    ),
    Row(
        "reviews:review_save",
        "no version",
        lambda o: url("reviews:review_save", _review(o, "manager_review")),
        expect(MANAGER),
        method="POST",
    ),
    Row(
        "reviews:review_submit",
        "no version",
        lambda o: url("reviews:review_submit", _review(o, "manager_review")),
        expect(MANAGER),
        method="POST",
    ),
    Row(
        "reviews:evidence",
        "the manager review's packet",
        lambda o: url("reviews:evidence", _review(o, "manager_review")),
        expect(MANAGER),
    ),
    Row(
        "reviews:review_reopen",
        "confirm page",
        lambda o: url("reviews:review_reopen", _review(o, "peer_review")),
        expect(HR),
    ),
    Row(
        "reviews:review_reopen",
        "no reason",
        lambda o: url("reviews:review_reopen", _review(o, "peer_review")),
        expect(HR),
        method="POST",
    ),
    Row(
        "reviews:review_history",
        "a submitted peer review",
        lambda o: url("reviews:review_history", _review(o, "peer_review")),
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


def _rows(model: type) -> list[tuple[object, ...]]:
    return list(model._default_manager.order_by("pk").values_list())


def _reviews_fingerprint() -> tuple[object, ...]:
    return tuple(_rows(m) for m in (Cycle, Participant, Review, ReviewRevision, SubmittedRating))


register_fingerprint(_reviews_fingerprint)


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
    with django_db_blocker.unblock():
        built = build_org()
        try:
            _build_reviews(built)
            signed_in_sessions(built)
            yield built
        finally:
            end_sessions(built)
            _tear_down_reviews(built)
            tear_down_org(built)


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    text = check_case(row, role, org)
    if text is None:
        return
    if role not in MANAGER_REVIEW_READERS:
        assert MANAGER_DRAFT not in text, f"{row.url(org)} shows {role} the manager's draft"
    if role not in PEER_REVIEW_READERS:
        assert PEER_TEXT not in text, f"{row.url(org)} shows {role} the peer review"
    if role == OWNER:
        peer = org.people[EMPLOYEE].display_name
        assert peer not in text, f"{row.url(org)} names the peer reviewer to the owner"
    if role not in SELF_REVIEW_READERS:
        assert SELF_TEXT not in text, f"{row.url(org)} shows {role} the self review"


def test_every_row_builds_a_url_of_its_own_name(org: Org, db: None) -> None:
    wrong = [
        f"{row.label} builds {row.url(org)} ({resolve(row.url(org)).view_name})"
        for row in MATRIX
        if resolve(row.url(org)).view_name != row.name
    ]
    assert not wrong, "\n".join(wrong)
