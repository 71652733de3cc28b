"""Every action on reviews and nominations is refused, changing nothing, once its phase
closed or once the cycle closed — by the service, the page's POST and the API alike.

One table: each action names the phases whose closing stops it (None: only the cycle's
closing stops it, e.g. HR reopening a review), how the service is called, and how a
person does it through a page and through the API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.org.models import Person
from tandem.reviews.models import (
    Nomination,
    NominationStatus,
    Participant,
    PhaseKind,
    Relationship,
    Review,
    ReviewState,
)
from tandem.reviews.services import cycles, launch, nominations, sharing, writing
from tests.factories import PersonFactory
from tests.reviews.api_helpers import BASE, Team, bearer, make_team, send
from tests.reviews.factories import close_phase, nominate, participant_of
from tests.reviews.writing_helpers import text_key

pytestmark = pytest.mark.django_db


@dataclass
class World:
    """The API team (boss → manager → report, peer; an outsider), with something to do for
    every action: a proposed peer (c1), a declined one (c2), someone free to pick (c3),
    someone not in the cycle (c4), the report's manager review submitted (share, reopen)
    and the outsider's shared (acknowledge)."""

    t: Team
    c1: Person
    c2: Person
    c3: Person
    c4: Person

    @property
    def participant(self) -> Participant:
        return participant_of(self.t.cycle, self.t.report)

    @property
    def self_review(self) -> Review:
        return self.t.review(Relationship.SELF)

    @property
    def manager_review(self) -> Review:
        return self.t.review(Relationship.MANAGER)

    def nomination(self, peer: Person) -> Nomination:
        return Nomination.objects.get(participant=self.participant, peer=peer)

    @property
    def outsider(self) -> Participant:
        return participant_of(self.t.cycle, self.t.outsider)


def world() -> World:
    t = make_team(peers_min=1, peers_max=4, peer_review_cap=3)
    c1, c2, c3, c4 = (PersonFactory(manager=t.manager) for _ in range(4))
    participant = participant_of(t.cycle, t.report)
    nominate(participant, c1)
    nominate(participant, c2, status=NominationStatus.DECLINED)
    now = timezone.now()
    Review.objects.filter(participant=participant, relationship=Relationship.MANAGER).update(
        state=ReviewState.SUBMITTED, submitted_at=now
    )
    outsider = participant_of(t.cycle, t.outsider)
    Review.objects.filter(participant=outsider, relationship=Relationship.MANAGER).update(
        state=ReviewState.SHARED, submitted_at=now, shared_at=now
    )
    Participant.objects.filter(pk=outsider.pk).update(shared_at=now)
    return World(t, c1, c2, c3, c4)


def snapshot(w: World) -> Any:
    cycle = w.t.cycle
    return (
        list(
            Review.objects.filter(cycle=cycle)
            .order_by("pk")
            .values_list("pk", "reviewer_id", "state", "answers", "version", "shared_at")
        ),
        list(
            Nomination.objects.filter(cycle=cycle)
            .order_by("pk")
            .values_list("pk", "peer_id", "status", "decided_at")
        ),
        list(
            Participant.objects.filter(cycle=cycle)
            .order_by("pk")
            .values_list("pk", "removed_at", "shared_at", "acknowledged_at")
        ),
    )


def _draft(w: World) -> dict[str, Any]:
    review = w.self_review
    return {"version": review.version, f"{text_key(review)}-comment": "Late words."}


@dataclass
class Action:
    name: str
    phases: tuple[str, ...] | None  # closing these stops it; None: only the cycle closing
    service: Callable[[World], Any]
    page: Callable[[World], tuple[Person, str, dict[str, Any]]] | None
    api: Callable[[World], tuple[Person, str, str, dict[str, Any]]] | None

    def __str__(self) -> str:
        return self.name


SELF, NOMINATION, PEER = PhaseKind.SELF, PhaseKind.NOMINATION, PhaseKind.PEER
SHARING, ACK = PhaseKind.SHARING, PhaseKind.ACKNOWLEDGEMENT

ACTIONS = [
    Action(
        "save a draft",
        (SELF,),
        lambda w: writing.save_draft(
            w.self_review,
            answers={text_key(w.self_review): {"comment": "Late."}},
            version=w.self_review.version,
            by=w.t.report,
        ),
        lambda w: (w.t.report, reverse("reviews:review_save", args=[w.self_review.pk]), _draft(w)),
        lambda w: (
            w.t.report,
            "PATCH",
            f"{BASE}/reviews/{w.self_review.pk}",
            {
                "answers": {text_key(w.self_review): {"comment": "Late."}},
                "version": w.self_review.version,
            },
        ),
    ),
    Action(
        "submit",
        (SELF,),
        lambda w: writing.submit(w.self_review, version=w.self_review.version, by=w.t.report),
        lambda w: (
            w.t.report,
            reverse("reviews:review_submit", args=[w.self_review.pk]),
            {**_draft(w), "confirm": "on"},
        ),
        lambda w: (
            w.t.report,
            "POST",
            f"{BASE}/reviews/{w.self_review.pk}/submit",
            {"version": w.self_review.version},
        ),
    ),
    Action(
        "propose peers",
        (NOMINATION,),
        lambda w: nominations.propose_peers(w.participant, [w.c3.pk], by=w.t.report),
        lambda w: (
            w.t.report,
            reverse("reviews:nominations", args=[w.participant.pk]),
            {"peers": [w.c3.pk]},
        ),
        lambda w: (
            w.t.report,
            "POST",
            f"{BASE}/participants/{w.participant.pk}/nominations",
            {"peers": [w.c3.pk]},
        ),
    ),
    Action(
        "approve as proposed",
        (NOMINATION,),
        lambda w: nominations.approve_peers(w.participant, by=w.t.manager),
        lambda w: (w.t.manager, reverse("reviews:nomination_approve", args=[w.participant.pk]), {}),
        lambda w: (
            w.t.manager,
            "POST",
            f"{BASE}/participants/{w.participant.pk}/nominations/approve",
            {},
        ),
    ),
    Action(
        "add and remove peers (HR)",
        (NOMINATION,),
        lambda w: nominations.approve_peers(w.participant, by=w.t.admin, peers=[w.c3.pk]),
        lambda w: (
            w.t.admin,
            reverse("reviews:nomination_approve", args=[w.participant.pk]),
            {"change": "on", "peers": [w.c3.pk]},
        ),
        lambda w: (
            w.t.admin,
            "POST",
            f"{BASE}/participants/{w.participant.pk}/nominations/approve",
            {"peers": [w.c3.pk]},
        ),
    ),
    Action(
        "approve every pending nomination (HR)",
        (NOMINATION,),
        lambda w: nominations.approve_all_pending(w.t.cycle, by=w.t.admin),
        lambda w: (w.t.admin, reverse("reviews:nominations_approve_all", args=[w.t.cycle.pk]), {}),
        None,
    ),
    Action(
        "decline a peer review",
        (NOMINATION, PEER),
        lambda w: nominations.decline(w.nomination(w.t.peer), reason="Too busy.", by=w.t.peer),
        lambda w: (
            w.t.peer,
            reverse("reviews:nomination_decline", args=[w.nomination(w.t.peer).pk]),
            {"reason": "Too busy."},
        ),
        lambda w: (
            w.t.peer,
            "POST",
            f"{BASE}/nominations/{w.nomination(w.t.peer).pk}/decline",
            {"reason": "Too busy."},
        ),
    ),
    Action(
        "replace a declined peer",
        (NOMINATION, PEER),
        lambda w: nominations.replace_peer(w.nomination(w.c2), w.c3.pk, by=w.t.manager),
        lambda w: (
            w.t.manager,
            reverse("reviews:nomination_replace", args=[w.nomination(w.c2).pk]),
            {"peer": [w.c3.pk]},
        ),
        lambda w: (
            w.t.manager,
            "POST",
            f"{BASE}/nominations/{w.nomination(w.c2).pk}/replace",
            {"peer": w.c3.pk},
        ),
    ),
    Action(
        "share",
        (SHARING,),
        lambda w: sharing.share(w.participant, by=w.t.manager),
        lambda w: (w.t.manager, reverse("reviews:share", args=[w.participant.pk]), {}),
        lambda w: (w.t.manager, "POST", f"{BASE}/participants/{w.participant.pk}/share", {}),
    ),
    Action(
        "acknowledge",
        (ACK,),
        lambda w: sharing.acknowledge(w.outsider, comment="Thanks.", by=w.t.outsider),
        lambda w: (
            w.t.outsider,
            reverse("reviews:acknowledge", args=[w.outsider.pk]),
            {"comment": "Thanks."},
        ),
        lambda w: (
            w.t.outsider,
            "POST",
            f"{BASE}/participants/{w.outsider.pk}/acknowledge",
            {"comment": "Thanks."},
        ),
    ),
    Action(
        "reopen (HR)",
        None,
        lambda w: sharing.reopen(w.manager_review, reason="A typo.", by=w.t.admin),
        lambda w: (
            w.t.admin,
            reverse("reviews:review_reopen", args=[w.manager_review.pk]),
            {"reason": "A typo."},
        ),
        lambda w: (
            w.t.admin,
            "POST",
            f"{BASE}/reviews/{w.manager_review.pk}/reopen",
            {"reason": "A typo."},
        ),
    ),
    Action(
        "share every manager review at once (HR)",
        None,
        lambda w: sharing.release_all(w.t.cycle, by=w.t.admin),
        lambda w: (w.t.admin, reverse("reviews:release_all", args=[w.t.cycle.pk]), {}),
        None,
    ),
    Action(
        "add a late joiner (HR)",
        None,
        lambda w: launch.add_participant(w.t.cycle, w.c4, reason="Joined late.", by=w.t.admin),
        lambda w: (
            w.t.admin,
            reverse("reviews:participant_add", args=[w.t.cycle.pk]),
            {"email": w.c4.email, "reason": "Joined late."},
        ),
        None,
    ),
    Action(
        "remove a leaver (HR)",
        None,
        lambda w: launch.remove_participant(w.outsider, reason="Left.", by=w.t.admin),
        lambda w: (
            w.t.admin,
            reverse("reviews:participant_remove", args=[w.outsider.pk]),
            {"reason": "Left."},
        ),
        None,
    ),
]

PHASE_BOUND = [a for a in ACTIONS if a.phases is not None]


def close(w: World, condition: str, action: Action) -> str:
    """Close the action's phases or the whole cycle; the words the refusal must contain."""
    if condition == "cycle closed":
        cycles.close_cycle(w.t.cycle, by=w.t.admin)
        return "closed on"
    for kind in action.phases or ():
        close_phase(w.t.cycle, kind)
    return "ask HR to extend it"


def cases() -> list[Any]:
    return [
        *(pytest.param(a, "phase closed", id=f"{a}-phase closed") for a in PHASE_BOUND),
        *(pytest.param(a, "cycle closed", id=f"{a}-cycle closed") for a in ACTIONS),
    ]


@pytest.mark.parametrize(("action", "condition"), cases())
def test_the_service_refuses_and_changes_nothing(action: Action, condition: str) -> None:
    w = world()
    words = close(w, condition, action)
    before = snapshot(w)
    with pytest.raises(ValidationError) as error:
        action.service(w)
    assert words in " ".join(error.value.messages)
    assert snapshot(w) == before


@pytest.mark.parametrize(("action", "condition"), cases())
def test_the_page_refuses_and_changes_nothing(action: Action, condition: str, client_for) -> None:
    assert action.page is not None
    w = world()
    words = close(w, condition, action)
    person, url, data = action.page(w)
    client: Client = client_for(person)
    before = snapshot(w)
    response = client.post(url, data, follow=True)
    assert response.status_code < 500
    assert words in response.content.decode()
    assert snapshot(w) == before


API_CASES = [
    p
    for p in cases()
    if p.values[0].api is not None  # type: ignore[union-attr]
]


@pytest.mark.parametrize(("action", "condition"), API_CASES)
def test_the_api_refuses_in_the_one_error_shape_and_changes_nothing(
    action: Action, condition: str
) -> None:
    assert action.api is not None
    w = world()
    words = close(w, condition, action)
    person, method, url, body = action.api(w)
    before = snapshot(w)
    response = send(bearer(person), method, url, body)
    assert response.status_code == 422, response.content
    payload = response.json()
    assert set(payload) >= {"detail", "errors"}
    assert words in payload["detail"] + " ".join(e["msg"] for e in payload["errors"])
    assert snapshot(w) == before
