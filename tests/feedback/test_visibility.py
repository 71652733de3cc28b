"""The visibility matrix: every visibility × giver, recipient, recipient's manager, peer, HR
admin (with the company's hr_reads_private_feedback policy on and off), executive and
outsider — on the feedback page, the profile timeline, the API and search."""

from __future__ import annotations

import itertools

import pytest

from tandem.feedback.models import Visibility
from tests.feedback.conftest import ROLES
from tests.feedback.factories import FeedbackFactory

TOKEN = "Zephyrine-visibility-token"

READERS: dict[tuple[str, bool], set[str]] = {
    (Visibility.PRIVATE, False): {"giver", "recipient"},
    (Visibility.PRIVATE, True): {"giver", "recipient", "hr_admin"},
    (Visibility.WITH_MANAGER, False): {"giver", "recipient", "manager"},
    (Visibility.WITH_MANAGER, True): {"giver", "recipient", "manager", "hr_admin"},
    (Visibility.PUBLIC, False): set(ROLES),
    (Visibility.PUBLIC, True): set(ROLES),
}
CASES = list(itertools.product(Visibility.values, (False, True), ROLES))
IDS = [f"{v}-hr_reads_private_{'on' if hr else 'off'}-{role}" for v, hr, role in CASES]


@pytest.fixture
def made(cast, program):  # type: ignore[no-untyped-def]
    def make(visibility: str, hr_reads: bool):  # type: ignore[no-untyped-def]
        program.hr_reads_private_feedback = hr_reads
        program.save()
        return FeedbackFactory(
            giver=cast.giver, recipient=cast.recipient, visibility=visibility, text=TOKEN
        )

    return make


def may_read(visibility: str, hr_reads: bool, role: str) -> bool:
    return role in READERS[(visibility, hr_reads)]


@pytest.mark.parametrize(("visibility", "hr_reads", "role"), CASES, ids=IDS)
def test_the_feedback_page_opens_only_for_its_readers(
    cast, made, client_for, visibility, hr_reads, role
):
    feedback = made(visibility, hr_reads)
    response = client_for(cast[role]).get(f"/feedback/{feedback.pk}/")
    assert response.status_code == (200 if may_read(visibility, hr_reads, role) else 404)


@pytest.mark.parametrize(("visibility", "hr_reads", "role"), CASES, ids=IDS)
def test_the_profile_timeline_shows_it_only_to_its_readers(
    cast, made, client_for, visibility, hr_reads, role
):
    made(visibility, hr_reads)
    response = client_for(cast[role]).get(
        f"/feedback/people/{cast.recipient.pk}/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert (TOKEN in response.text) == may_read(visibility, hr_reads, role)


@pytest.mark.parametrize(("visibility", "hr_reads", "role"), CASES, ids=IDS)
def test_the_api_answers_only_its_readers(cast, made, client_for, visibility, hr_reads, role):
    feedback = made(visibility, hr_reads)
    response = client_for(cast[role]).get(f"/api/v1/feedback/{feedback.pk}")
    assert response.status_code == (200 if may_read(visibility, hr_reads, role) else 404)


@pytest.mark.parametrize(("visibility", "hr_reads", "role"), CASES, ids=IDS)
def test_search_finds_it_only_for_its_readers(cast, made, client_for, visibility, hr_reads, role):
    made(visibility, hr_reads)
    response = client_for(cast[role]).get("/api/v1/feedback", {"q": "zephyrine"})
    found = [item["text"] for item in response.json()["items"]]
    assert (found == [TOKEN]) == may_read(visibility, hr_reads, role)


@pytest.mark.parametrize("visibility", Visibility.values)
def test_my_feedback_search_finds_it_for_the_giver_and_the_recipient(
    cast, made, client_for, visibility
):
    made(visibility, False)
    given = client_for(cast.giver).post("/feedback/", {"tab": "given", "q": "zephyrine"})
    received = client_for(cast.recipient).post("/feedback/", {"tab": "received", "q": "zephyrine"})
    assert TOKEN in given.text
    assert TOKEN in received.text


def test_a_later_manager_does_not_inherit_feedback_written_for_the_earlier_one(cast, client_for):
    feedback = FeedbackFactory(
        giver=cast.giver, recipient=cast.recipient, visibility=Visibility.WITH_MANAGER
    )
    cast.recipient.manager = cast.peer
    cast.recipient.save(update_fields=["manager"])
    assert client_for(cast.peer).get(f"/feedback/{feedback.pk}/").status_code == 404
    assert client_for(cast.manager).get(f"/feedback/{feedback.pk}/").status_code == 200
