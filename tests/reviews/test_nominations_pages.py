"""The nomination pages: what the reviewee, the manager and the peer see and do, and their
query budgets."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.reviews.models import Nomination, NominationStatus, Relationship, Review
from tandem.reviews.queries.nominations import decline_url_for
from tandem.reviews.services.nominations import propose_peers
from tests.factories import PersonFactory, hr_admin
from tests.reviews.factories import add_participant, close_phase, nominate
from tests.reviews.nominations_helpers import team

pytestmark = pytest.mark.django_db


def _page(t) -> str:
    return reverse("reviews:nominations", args=[t.participant.pk])


def _search(t) -> str:
    return reverse("reviews:nomination_search", args=[t.participant.pk])


def test_the_reviewee_sees_the_limits_and_who_sees_what(client_for) -> None:
    t = team()
    text = client_for(t.reviewee).get(_page(t)).content.decode()
    assert "2 to 4 peers" in text
    assert "Who sees what" in text
    assert "Propose these peers" in text


def test_the_reviewee_proposes_through_the_page(client_for) -> None:
    t = team()
    response = client_for(t.reviewee).post(_page(t), {"peers": t.ids(0, 1)})
    assert response.status_code == 302
    assert Nomination.objects.filter(participant=t.participant).count() == 2


def test_a_refused_proposal_names_the_field_and_keeps_the_ticks(client_for) -> None:
    t = team()
    response = client_for(t.reviewee).post(_page(t), {"peers": t.ids(0)})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Choose at least 2 peers" in text
    assert f'value="{t.colleagues[0].pk}"' in text
    assert not Nomination.objects.exists()


def test_a_bad_id_in_the_form_is_a_message_not_a_500(client_for) -> None:
    t = team()
    response = client_for(t.reviewee).post(_page(t), {"peers": ["1; drop", "2"]})
    assert response.status_code == 200
    assert "is not a person" in response.content.decode()


def test_a_closed_phase_says_so_and_offers_no_form(client_for) -> None:
    t = team()
    close_phase(t.cycle, "nomination")
    text = client_for(t.reviewee).get(_page(t)).content.decode()
    assert "Propose these peers" not in text
    assert "closed" in text


def test_search_shows_load_and_disables_people_at_the_cap(client_for) -> None:
    t = team(peer_review_cap=1)
    busy = PersonFactory(first_name="Zelda", last_name="Busy")
    nominate(add_participant(t.cycle, PersonFactory()), busy, status=NominationStatus.APPROVED)
    free = PersonFactory(first_name="Zelda", last_name="Free")
    text = client_for(t.reviewee).get(_search(t), {"q": "zelda"}).content.decode()
    assert "writes 1 of 1 peer review" in text
    assert "writes 0 of 1 peer review" in text
    assert f'value="{busy.pk}" id="found-{busy.pk}" disabled' in text
    assert f'value="{free.pk}" id="found-{free.pk}">' in text
    assert "(the limit)" in text


def test_search_never_offers_the_reviewee_or_leavers(client_for) -> None:
    t = team()
    gone = PersonFactory(first_name="Rae", last_name="Gone", status="left")
    text = client_for(t.reviewee).get(_search(t), {"q": "rae"}).content.decode()
    assert f'value="{t.reviewee.pk}"' not in text
    assert f'value="{gone.pk}"' not in text


def test_search_keeps_the_ticked_people(client_for) -> None:
    t = team()
    text = (
        client_for(t.reviewee)
        .get(_search(t), {"q": "nobody-matches", "peers": t.ids(2)})
        .content.decode()
    )
    assert f'value="{t.colleagues[2].pk}" id="picked-{t.colleagues[2].pk}" checked' in text


def test_the_manager_sees_the_proposal_with_loads_and_approves_it(client_for) -> None:
    t = team()
    propose_peers(t.participant, t.ids(0, 1), by=t.reviewee)
    client = client_for(t.manager)
    text = client.get(_page(t)).content.decode()
    assert "Approve as proposed" in text
    assert "(writes 1 of 2)" in text
    response = client.post(reverse("reviews:nomination_approve", args=[t.participant.pk]))
    assert response.status_code == 302
    assert Review.objects.filter(relationship=Relationship.PEER).count() == 2


def test_the_manager_changes_the_list_then_approves(client_for) -> None:
    t = team()
    propose_peers(t.participant, t.ids(0, 1), by=t.reviewee)
    client_for(t.manager).post(
        reverse("reviews:nomination_approve", args=[t.participant.pk]),
        {"change": "on", "peers": t.ids(1, 2)},
    )
    approved = Nomination.objects.filter(status=NominationStatus.APPROVED)
    assert sorted(approved.values_list("peer_id", flat=True)) == sorted(t.ids(1, 2))


def test_the_peer_declines_through_the_confirm_page(client_for) -> None:
    t = team()
    nomination = nominate(t.participant, t.colleagues[0], status=NominationStatus.APPROVED)
    client = client_for(t.colleagues[0])
    url = reverse("reviews:nomination_decline", args=[nomination.pk])
    assert "Declining deletes" in client.get(url).content.decode()
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "Never worked together."}).status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.DECLINED


def test_the_manager_sees_the_reason_and_replaces_the_peer(client_for) -> None:
    t = team()
    nomination = nominate(
        t.participant, t.colleagues[0], status=NominationStatus.DECLINED, with_review=False
    )
    Nomination.objects.filter(pk=nomination.pk).update(decline_reason="Never met them.")
    client = client_for(t.manager)
    assert "Never met them." in client.get(_page(t)).content.decode()
    response = client.post(
        reverse("reviews:nomination_replace", args=[nomination.pk]), {"peer": t.ids(3)}
    )
    assert response.status_code == 302
    assert Review.objects.filter(reviewer=t.colleagues[3]).exists()


def test_the_reviewee_does_not_see_the_decline_reason(client_for) -> None:
    t = team()
    nomination = nominate(
        t.participant, t.colleagues[0], status=NominationStatus.DECLINED, with_review=False
    )
    Nomination.objects.filter(pk=nomination.pk).update(decline_reason="SECRET-REASON")
    assert "SECRET-REASON" not in client_for(t.reviewee).get(_page(t)).content.decode()


def test_the_approvals_page_lists_people_waiting_with_counts(client_for) -> None:
    t = team()
    propose_peers(t.participant, t.ids(0, 1), by=t.reviewee)
    text = client_for(t.manager).get(reverse("reviews:approvals")).content.decode()
    assert t.reviewee.display_name in text
    assert _page(t) in text


def test_the_approvals_page_has_an_empty_state(client_for) -> None:
    text = client_for(PersonFactory()).get(reverse("reviews:approvals")).content.decode()
    assert "Nothing is waiting for you" in text


def test_hr_approves_all_from_the_approvals_page(client_for) -> None:
    t = team()
    propose_peers(t.participant, t.ids(0, 1), by=t.reviewee)
    client = client_for(hr_admin())
    assert "Approve all in" in client.get(reverse("reviews:approvals")).content.decode()
    response = client.post(reverse("reviews:nominations_approve_all", args=[t.cycle.pk]))
    assert response.status_code == 302
    assert Review.objects.filter(relationship=Relationship.PEER).count() == 2


def _grow(t, extra: int) -> None:
    for i in range(extra):
        other = add_participant(t.cycle, PersonFactory())
        nominate(other, t.colleagues[i % 4], status=NominationStatus.APPROVED)


@pytest.mark.parametrize("extra", [0, 12])
def test_the_managers_page_has_a_fixed_query_budget(
    client_for, django_assert_max_num_queries, extra: int
) -> None:
    t = team()
    propose_peers(t.participant, t.ids(0, 1, 2, 3), by=t.reviewee)
    nominate(t.participant, t.colleagues[4], status=NominationStatus.DECLINED, with_review=False)
    _grow(t, extra)
    client = client_for(t.manager)
    with django_assert_max_num_queries(16):
        assert client.get(_page(t), {"q": "a"}).status_code == 200


@pytest.mark.parametrize("extra", [0, 12])
def test_search_has_a_fixed_query_budget(
    client_for, django_assert_max_num_queries, extra: int
) -> None:
    t = team()
    _grow(t, extra)
    client = client_for(t.reviewee)
    # 14: the participant scope looks the reader's participants up by id first (one query).
    with django_assert_max_num_queries(14):
        client.get(_search(t), {"q": "a", "peers": t.ids(0, 1)})


@pytest.mark.parametrize("size", [1, 8])
def test_the_approvals_page_has_a_fixed_query_budget(
    client_for, django_assert_max_num_queries, size: int
) -> None:
    t = team(size=size + 2)
    for person in [t.reviewee, *t.colleagues[:size]]:
        participant = t.cycle.participants.get(person=person)
        others = [c for c in t.colleagues if c != person][:2]
        for other in others:
            nominate(participant, other)
    client = client_for(t.manager)
    # The cycles approving today, then the page's ids with the total, then its rows.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("reviews:approvals"))
    assert response.content.decode().count("Review the peers") == size + 1


def test_an_open_peer_review_links_to_its_decline_page() -> None:
    t = team()
    nomination = nominate(t.participant, t.colleagues[0], status=NominationStatus.APPROVED)
    review = Review.objects.get(reviewer=t.colleagues[0], relationship=Relationship.PEER)
    assert decline_url_for(review) == reverse("reviews:nomination_decline", args=[nomination.pk])
    review.state = "submitted"
    assert decline_url_for(review) == ""
