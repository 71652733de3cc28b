"""The access matrix for the reviews API: every endpoint, for every role.

The owner is reviewed in a running cycle: they write their self review (in progress), their
manager has submitted the manager review (not shared yet), and the outsider (EMPLOYEE, in
Sales) is the owner's nominated peer and has submitted the peer review. So: a peer cannot
read the manager review, the owner cannot read either before sharing, a manager reads only
what is submitted below them, HR partners read their departments, and everyone else gets a
404. Writes are sent as JSON; a refused one changes nothing. Allowed writes run inside the
test's transaction and are rolled back.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tandem.reviews.models import (
    Cycle,
    CycleForm,
    CycleStatus,
    Nomination,
    NominationStatus,
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
    OTHER_PARTNER,
    OWNER,
    SKIP_MANAGER,
    Org,
    Row,
    api,
    assert_unseen,
    body,
    case_ids,
    cases,
    check_api_case,
    matrix_org,
    pk,
    register_tables,
    url,
)
from tests.access.reviews_cleanup import delete_cycles
from tests.reviews.factories import CycleFactory, nominate, review_of, running_cycle

PARTICIPANT_VIEWERS = (OWNER, MANAGER, SKIP_MANAGER, HR_ADMIN, HR_PARTNER)
SELF_READERS = (OWNER, HR_ADMIN, HR_PARTNER)  # in progress: not yet for the managers
MANAGER_READERS = (MANAGER, SKIP_MANAGER, HR_ADMIN, HR_PARTNER)  # submitted, not shared
PEER_READERS = (EMPLOYEE, MANAGER, SKIP_MANAGER, HR_ADMIN, HR_PARTNER)
APPROVERS = (MANAGER, SKIP_MANAGER, HR_ADMIN)
PROGRESS = (MANAGER, SKIP_MANAGER, HR_ADMIN, HR_PARTNER, OTHER_PARTNER)

SELF_TEXT = "MATRIX-SELF-REVIEW-4410"
MANAGER_TEXT = "MATRIX-MANAGER-REVIEW-9932"
PEER_TEXT = "MATRIX-PEER-REVIEW-2275"

register_tables(Cycle, Participant, Nomination, Review, ReviewRevision, SubmittedRating)


MATRIX: tuple[Row, ...] = (
    # --- Reading ---------------------------------------------------------------------------
    Row(
        "api:list_review_templates",
        "list",
        lambda o: url("api:list_review_templates"),
        api(HR_ADMIN),
    ),
    Row(
        "api:get_review_template",
        "the self template",
        lambda o: url("api:get_review_template", pk(o, "reviews_template")),
        api(HR_ADMIN),
    ),
    Row("api:list_review_cycles", "list", lambda o: url("api:list_review_cycles"), api()),
    Row(
        "api:get_review_cycle",
        "a running cycle",
        lambda o: url("api:get_review_cycle", pk(o, "reviews_cycle")),
        api(),
    ),
    Row(
        "api:get_review_cycle",
        "a draft",
        lambda o: url("api:get_review_cycle", pk(o, "reviews_draft")),
        api(HR_ADMIN),
    ),
    Row(
        "api:list_cycle_participants",
        "scoped list",
        lambda o: url("api:list_cycle_participants", pk(o, "reviews_cycle")),
        api(),
    ),
    Row(
        "api:get_review_participant",
        "the owner",
        lambda o: url("api:get_review_participant", pk(o, "reviews_participant")),
        api(PARTICIPANT_VIEWERS),
    ),
    Row(
        "api:list_cycle_nominations",
        "scoped list",
        lambda o: url("api:list_cycle_nominations", pk(o, "reviews_cycle")),
        api(),
    ),
    Row(
        "api:list_participant_nominations",
        "the owner's peers",
        lambda o: url("api:list_participant_nominations", pk(o, "reviews_participant")),
        api(PARTICIPANT_VIEWERS),
    ),
    Row("api:list_reviews", "mine to write", lambda o: url("api:list_reviews"), api()),
    Row(
        "api:get_review",
        "self review in progress",
        lambda o: url("api:get_review", pk(o, "reviews_self")),
        api(SELF_READERS),
    ),
    Row(
        "api:get_review",
        "manager review submitted, not shared",
        lambda o: url("api:get_review", pk(o, "reviews_manager")),
        api(MANAGER_READERS),
    ),
    Row(
        "api:get_review",
        "peer review submitted",
        lambda o: url("api:get_review", pk(o, "reviews_peer")),
        api(PEER_READERS),
    ),
    Row(
        "api:get_cycle_progress",
        "figures",
        lambda o: url("api:get_cycle_progress", pk(o, "reviews_cycle")),
        api(PROGRESS),
    ),
    Row(
        "api:list_cycle_progress_by_manager",
        "figures",
        lambda o: url("api:list_cycle_progress_by_manager", pk(o, "reviews_cycle")),
        api(PROGRESS),
    ),
    # --- Writing ---------------------------------------------------------------------------
    Row(
        "api:save_review_draft",
        "the self review, no change",
        lambda o: url("api:save_review_draft", pk(o, "reviews_self")),
        api(OWNER),
        method="PATCH",
        data=body(lambda o: {"answers": {}, "version": o.extras["reviews_self"].version}),
    ),
    Row(
        "api:submit_review",
        "the self review, a required answer missing",
        lambda o: url("api:submit_review", pk(o, "reviews_self")),
        api(OWNER, ok=422),
        method="POST",
        data=body(lambda o: {"version": o.extras["reviews_self"].version}),
    ),
    Row(
        "api:reopen_review",
        "the submitted manager review",
        lambda o: url("api:reopen_review", pk(o, "reviews_manager")),
        api((HR_ADMIN, HR_PARTNER)),
        method="POST",
        data=body(lambda o: {"reason": "Rated the wrong person"}),
    ),
    Row(
        "api:propose_review_peers",
        "keep the approved peer",
        lambda o: url("api:propose_review_peers", pk(o, "reviews_participant")),
        api(OWNER, ok=201),
        method="POST",
        data=body(lambda o: {"peers": []}),
    ),
    Row(
        "api:approve_review_peers",
        "nothing new to approve",
        lambda o: url("api:approve_review_peers", pk(o, "reviews_participant")),
        api(APPROVERS),
        method="POST",
        data=body(lambda o: {}),
    ),
    Row(
        "api:decline_review_nomination",
        "no reason",
        lambda o: url("api:decline_review_nomination", pk(o, "reviews_nomination")),
        api(EMPLOYEE, ok=422),
        method="POST",
        data=body(lambda o: {"reason": ""}),
    ),
    Row(
        "api:replace_review_peer",
        "a peer who already submitted",
        lambda o: url("api:replace_review_peer", pk(o, "reviews_nomination")),
        api(APPROVERS, ok=422),
        method="POST",
        data=body(lambda o: {"peer": o.people[OTHER_PARTNER].pk}),
    ),
    Row(
        "api:share_review",
        "the submitted manager review",
        lambda o: url("api:share_review", pk(o, "reviews_participant")),
        api((MANAGER, HR_ADMIN)),
        method="POST",
    ),
    Row(
        "api:acknowledge_review",
        "not shared yet",
        lambda o: url("api:acknowledge_review", pk(o, "reviews_participant")),
        api(OWNER, ok=422),
        method="POST",
        data=body(lambda o: {"comment": "Thanks"}),
    ),
)


def _answers(text: str) -> dict[str, Any]:
    return {"q1": {"rating": 4, "comment": ""}, "q2": {"rating": None, "comment": text}}


def _build_reviews(org: Org) -> None:
    """Written directly, not through the services: no audit event may outlive the module."""
    owner, employee = org.owner, org.people[EMPLOYEE]
    cycle = running_cycle([owner], peers_min=1)
    participant = Participant.objects.get(cycle=cycle, person=owner)
    nomination = nominate(participant, employee, status=NominationStatus.APPROVED)
    self_review = review_of(cycle, owner, Relationship.SELF)
    manager_review = review_of(cycle, owner, Relationship.MANAGER)
    peer_review = review_of(cycle, owner, Relationship.PEER)
    Review.objects.filter(pk=self_review.pk).update(
        state=ReviewState.IN_PROGRESS, answers={"q2": {"comment": SELF_TEXT}}, version=1
    )
    for review, text in ((manager_review, MANAGER_TEXT), (peer_review, PEER_TEXT)):
        Review.objects.filter(pk=review.pk).update(
            state=ReviewState.SUBMITTED, answers=_answers(text), version=3
        )
        review.refresh_from_db()
    self_review.refresh_from_db()
    org.extras.update(
        reviews_cycle=cycle,
        reviews_draft=CycleFactory(status=CycleStatus.DRAFT),
        reviews_template=CycleForm.objects.get(cycle=cycle, relationship="self").template,
        reviews_participant=participant,
        reviews_nomination=nomination,
        reviews_self=self_review,
        reviews_manager=manager_review,
        reviews_peer=peer_review,
    )


def _tear_down_reviews(org: Org) -> None:
    keys = ("reviews_cycle", "reviews_draft")
    delete_cycles([pk(org, key) for key in keys if key in org.extras])


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker, extras=_build_reviews, cleanup=_tear_down_reviews) as built:
        yield built


# Each review's text reaches only those who may read that review.
READERS = {SELF_TEXT: SELF_READERS, MANAGER_TEXT: MANAGER_READERS, PEER_TEXT: PEER_READERS}


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_gets_the_expected_status(row: Row, role: str, org: Org, db: None) -> None:
    assert_unseen(check_api_case(row, role, org), role, row.url(org), READERS)
