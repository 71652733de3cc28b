"""The access matrix's anonymity probes: a cycle with upward and peer reviews, and what each
role learns from each page and endpoint about who wrote what (docs/anonymity.md).

The manager (Mia) is reviewed upward by five reports: the owner (Olu) and four colleagues
who exist only here; the phase has closed and the answers were released, and Mia's reviews
are shared. The owner is reviewed by two peers (the outsider Eve and a colleague of this
module only), anonymous to the owner, also released and shared. So every reader who may
read a group sees the answers — and no role sees an upward writer's name, an upward
review's id or state, or (as the owner) which peer wrote what.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from tandem.org.models import Person
from tandem.reviews import tally
from tandem.reviews.models import (
    Cycle,
    NominationStatus,
    Participant,
    PhaseKind,
    Relationship,
    Review,
    ReviewState,
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
    api,
    assert_rows_build_their_own_urls,
    assert_unseen,
    case_ids,
    cases,
    check_api_case,
    check_export,
    expect,
    matrix_org,
    pk,
    register_tables,
    url,
)
from tests.access.reviews_cleanup import delete_cycles
from tests.factories import PersonFactory
from tests.reviews.factories import add_review, nominate, participant_of, running_cycle

HR = (HR_ADMIN, HR_PARTNER)
ABOUT_MIA = (MANAGER, SKIP_MANAGER, *HR)  # Mia herself (shared), her manager, covering HR
ABOUT_OLU = (OWNER, MANAGER, SKIP_MANAGER, *HR)
UPWARD_OLU = "MATRIX-UPWARD-BY-OLU-5521"
UPWARD_OTHERS = [f"MATRIX-UPWARD-BY-COLLEAGUE-{n}-77" for n in range(4)]
PEER_EVE = "MATRIX-PEER-BY-EVE-3318"
PEER_OTHER = "MATRIX-PEER-BY-COLLEAGUE-6604"
COLLEAGUE_SURNAME = "Unseenwriter"

register_tables(Cycle, Participant, Review)


def _mia(o: Org) -> int:
    return o.extras["mia"].pk


def _olu(o: Org) -> int:
    return o.extras["olu"].pk


MATRIX: tuple[Row, ...] = (
    Row(
        "reviews:participant",
        "the manager, reviewed upward (released)",
        lambda o: url("reviews:participant", _mia(o)),
        expect(ABOUT_MIA),
    ),
    Row(
        "reviews:participant",
        "the owner, reviewed by anonymous peers (released)",
        lambda o: url("reviews:participant", _olu(o)),
        expect(ABOUT_OLU),
    ),
    Row(
        "reviews:review",
        "the owner's upward review of the manager",
        lambda o: url("reviews:review", pk(o, "upward_by_olu")),
        expect(OWNER),
    ),
    Row(
        "reviews:review",
        "Eve's anonymous peer review of the owner",
        lambda o: url("reviews:review", pk(o, "peer_by_eve")),
        expect((EMPLOYEE, MANAGER, SKIP_MANAGER, *HR)),
    ),
    Row(
        "api:get_review",
        "the owner's upward review of the manager",
        lambda o: url("api:get_review", pk(o, "upward_by_olu")),
        api(OWNER),
    ),
    Row(
        "api:list_anonymous_answers",
        "about the manager",
        lambda o: url("api:list_anonymous_answers", _mia(o)),
        api(ABOUT_MIA),
    ),
    Row(
        "api:list_anonymous_answers",
        "about the owner",
        lambda o: url("api:list_anonymous_answers", _olu(o)),
        api(ABOUT_OLU),
    ),
    Row(
        "api:get_review_participant",
        "the manager",
        lambda o: url("api:get_review_participant", _mia(o)),
        api(ABOUT_MIA),
    ),
    Row(
        "api:list_reviews",
        "everything one may read",
        lambda o: url("api:list_reviews") + "?role=all&limit=200",
        api(),
    ),
    Row(
        "api:get_cycle_progress",
        "the cycle",
        lambda o: url("api:get_cycle_progress", o.extras["cycle"].pk),
        api((MANAGER, SKIP_MANAGER, *HR, "other_partner")),
    ),
)

EXPORTS: tuple[Row, ...] = (
    Row(
        "reviews:export_progress_csv",
        "the cycle",
        lambda o: url("reviews:export_progress_csv", o.extras["cycle"].pk),
        expect((MANAGER, SKIP_MANAGER, *HR, "other_partner")),
    ),
)


def _answered(review: Review, text: str) -> dict[str, object]:
    questions = review.template_version.content["sections"][0]["questions"]
    return {
        q["key"]: {"rating": 4 if q["kind"] == "rating" else None, "comment": text}
        for q in questions
    }


def _submit(review: Review, text: str) -> None:
    Review.objects.filter(pk=review.pk).update(
        state=ReviewState.SUBMITTED,
        answers=_answered(review, text),
        submitted_at=timezone.now() - timedelta(days=3),
    )


def _build(org: Org) -> None:
    """Written directly, not through the services: no audit event may outlive the module."""
    mia, olu = org.manager, org.owner
    relationships = (Relationship.SELF, Relationship.MANAGER, Relationship.PEER)
    cycle = running_cycle([mia, olu], relationships=(*relationships, Relationship.UPWARD))
    org.extras["cycle"] = cycle
    colleagues = [
        PersonFactory(
            first_name=f"Col{n}",
            # The four upward writers carry a surname that must never be shown; the fifth
            # is a peer of the owner, whose name his managers and HR may read.
            last_name=COLLEAGUE_SURNAME if n < 4 else "Peerwriter",
            manager=mia,
            department=org.platform,
        )
        for n in range(5)
    ]
    org.extras["colleagues"] = colleagues
    mia_part, olu_part = participant_of(cycle, mia), participant_of(cycle, olu)
    upward_by_olu = add_review(mia_part, olu, Relationship.UPWARD)
    _submit(upward_by_olu, UPWARD_OLU)
    for colleague, text in zip(colleagues[:4], UPWARD_OTHERS, strict=True):
        _submit(add_review(mia_part, colleague, Relationship.UPWARD), text)
    nominate(olu_part, org.people[EMPLOYEE], status=NominationStatus.APPROVED)
    nominate(olu_part, colleagues[4], status=NominationStatus.APPROVED)
    peer_by_eve = Review.objects.get(participant=olu_part, reviewer=org.people[EMPLOYEE])
    _submit(peer_by_eve, PEER_EVE)
    _submit(Review.objects.get(participant=olu_part, reviewer=colleagues[4]), PEER_OTHER)
    today = timezone.localdate()
    cycle.phases.filter(kind=PhaseKind.PEER).update(
        opens_on=today - timedelta(days=20), due_on=today - timedelta(days=2)
    )
    Participant.objects.filter(cycle=cycle).update(
        anonymous_released_on=today - timedelta(days=1), shared_at=timezone.now()
    )
    tally.refresh(cycle_id=cycle.pk)
    org.extras.update(
        mia=mia_part, olu=olu_part, upward_by_olu=upward_by_olu, peer_by_eve=peer_by_eve
    )


def _tear_down(org: Org) -> None:
    if "cycle" in org.extras:
        delete_cycles([org.extras["cycle"].pk])
    colleagues = org.extras.get("colleagues", [])
    Person.objects.filter(pk__in=[c.pk for c in colleagues]).delete()


@pytest.fixture(scope="module")
def org(django_db_setup: None, django_db_blocker) -> Iterator[Org]:  # type: ignore[no-untyped-def]
    with matrix_org(django_db_blocker, extras=_build, cleanup=_tear_down) as built:
        yield built


# Each secret reaches only these roles: the upward answers as a group (the owner reads the
# one he wrote, as his own review), the peer answers likewise.
READERS = {
    UPWARD_OLU: (OWNER, *ABOUT_MIA),
    **dict.fromkeys(UPWARD_OTHERS, ABOUT_MIA),
    PEER_EVE: (EMPLOYEE, *ABOUT_OLU),
    PEER_OTHER: ABOUT_OLU,
    COLLEAGUE_SURNAME: (MANAGER, SKIP_MANAGER, *HR),  # as people in the progress export
}


def _dicts(value: object) -> Iterator[dict[str, object]]:
    if isinstance(value, dict):
        yield value
        for inner in value.values():
            yield from _dicts(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _dicts(inner)


def _no_writer_rows(text: str, role: str, org: Org) -> None:
    """No per-writer trace of an anonymous review: no upward review's page, id or state for
    anyone but its writer; no peer's name or number for the owner."""
    upward = Review.objects.filter(participant=org.extras["mia"], relationship="upward")
    others = [r.pk for r in upward if not (role == OWNER and r.reviewer_id == org.owner.pk)]
    for review_id in others:
        assert f"/reviews/{review_id}/" not in text, f"{role} gets an upward review's page"
    if text.startswith(("{", "[")):
        for found in _dicts(json.loads(text)):
            if found.get("relationship") != "upward":
                continue
            if "id" in found:  # a review: only its writer gets it
                assert found["id"] not in others, f"{role} reads an upward review's row"
            else:  # a count of reviews per state
                assert "state" not in found, f"{role} reads upward reviews' states"
    if role == OWNER:
        for peer in (org.people[EMPLOYEE], org.extras["colleagues"][4]):
            assert peer.display_name not in text, "the owner learns who reviewed him"
        assert "Peer 1" not in text and "Peer 2" not in text


@pytest.mark.parametrize(("row", "role"), cases(MATRIX), ids=case_ids(MATRIX))
def test_role_learns_nothing_about_anonymous_writers(row: Row, role: str, org: Org, db) -> None:  # type: ignore[no-untyped-def]
    text = check_api_case(row, role, org)
    assert_unseen(
        text, role, row.url(org), {k: v for k, v in READERS.items() if k != COLLEAGUE_SURNAME}
    )
    if text is not None:
        assert COLLEAGUE_SURNAME not in text, f"{row.url(org)} names an upward writer to {role}"
        _no_writer_rows(text, role, org)


@pytest.mark.parametrize(("row", "role"), cases(EXPORTS), ids=case_ids(EXPORTS))
def test_exports_say_nothing_about_anonymous_writers(row: Row, role: str, org: Org, db) -> None:  # type: ignore[no-untyped-def]
    text = check_export(row, role, org)
    assert_unseen(text, role, row.url(org), READERS)
    if text is not None:
        _no_writer_rows(text, role, org)


def test_every_row_builds_a_url_of_its_own_name(org: Org, db) -> None:  # type: ignore[no-untyped-def]
    assert_rows_build_their_own_urls((*MATRIX, *EXPORTS), org)
