"""Closed and finished work is history, read-only: /reviews/ lists only what can still be
done under "To do", the rest under "History"; a review page whose answers can no longer
change shows them as text, with one true sentence saying why."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.org import demo
from tandem.org.models import Person
from tandem.reviews.models import Cycle, CycleStatus, PhaseKind, Relationship, Review, ReviewState
from tandem.reviews.queries import progress
from tandem.reviews.services import cycles
from tests.factories import PersonFactory, hr_admin
from tests.reviews.factories import close_phase, running_cycle, set_phase
from tests.reviews.writing_helpers import make_team

pytestmark = pytest.mark.django_db


def _finish(cycle: Cycle) -> None:
    cycles.close_cycle(cycle, by=hr_admin())


# --- /reviews/ ---------------------------------------------------------------------------------


def test_an_unsubmitted_review_of_a_finished_cycle_is_history_not_late_work(client_for):
    t = make_team()
    _finish(t.cycle)
    mine = progress.my_reviews(t.manager)
    assert mine.to_do == []
    assert [r.pk for r in mine.history] == [t.manager_review.pk]
    assert mine.history[0].closed_note.startswith("Not submitted; the cycle closed on")
    text = client_for(t.manager).get(reverse("reviews:mine")).content.decode()
    assert "days late" not in text and "day late" not in text
    assert text.index("History") < text.index(t.cycle.name)
    assert "Nothing to write right now" in text


def test_a_review_whose_phase_closed_in_a_running_cycle_is_history_with_the_way_out():
    t = make_team()
    close_phase(t.cycle, PhaseKind.MANAGER)
    mine = progress.my_reviews(t.manager)
    assert mine.to_do == []
    assert "ask HR to extend it" in mine.history[0].closed_note


def test_to_do_lists_only_open_work_soonest_due_first():
    t = make_team()
    today = timezone.localdate()
    set_phase(t.cycle, PhaseKind.SELF, opens_on=today, due_on=today + timedelta(days=3))
    other = running_cycle([PersonFactory(manager=t.manager)])
    mine = progress.my_reviews(t.manager)
    assert [r.cycle_id for r in mine.to_do] == [t.cycle.pk, other.pk]
    assert all(r.is_open for r in mine.to_do)


def test_a_review_whose_phase_has_not_opened_is_coming_up_not_to_do():
    t = make_team()
    today = timezone.localdate()
    set_phase(t.cycle, PhaseKind.SELF, opens_on=today + timedelta(2), due_on=today + timedelta(9))
    mine = progress.my_reviews(t.owner)
    assert [r.pk for r in mine.upcoming] == [t.self_review.pk]
    assert mine.to_do == []


def test_submitted_reviews_are_history_newest_first():
    t = make_team()
    Review.objects.filter(pk=t.manager_review.pk).update(state=ReviewState.SUBMITTED)
    later = running_cycle([PersonFactory(manager=t.manager)])
    later_review = Review.objects.get(cycle=later, relationship=Relationship.MANAGER)
    Review.objects.filter(pk=later_review.pk).update(state=ReviewState.SHARED)
    mine = progress.my_reviews(t.manager)
    assert [r.pk for r in mine.history] == [later_review.pk, t.manager_review.pk]


def test_history_is_paged_and_a_later_page_starts_after_the_last_one_shown(client_for):
    manager = PersonFactory()
    reports = [PersonFactory(manager=manager) for _ in range(progress.HISTORY_PAGE + 3)]
    cycle = running_cycle(reports)
    _finish(cycle)
    first = progress.my_reviews(manager)
    assert len(first.history) == progress.HISTORY_PAGE
    assert first.history_next
    second = progress.my_reviews(manager, history_after=int(first.history_next))
    assert len(second.history) == 3
    assert not {r.pk for r in first.history} & {r.pk for r in second.history}
    client = client_for(manager)
    assert f"?history={first.history_next}" in client.get(reverse("reviews:mine")).content.decode()
    page = client.get(reverse("reviews:mine"), {"history": first.history_next}).content.decode()
    assert "Older reviews" not in page
    assert sum(reverse("reviews:review", args=[r.pk]) in page for r in second.history) == 3


def test_a_broken_history_link_starts_again(client_for):
    response = client_for(PersonFactory()).get(reverse("reviews:mine"), {"history": "x"})
    assert response.status_code == 200
    assert "start again" in response.content.decode()


@pytest.mark.parametrize("size", [3, 40])
def test_my_reviews_with_history_has_a_fixed_query_budget(
    size, client_for, django_assert_max_num_queries
):
    manager = PersonFactory()
    finished = running_cycle([PersonFactory(manager=manager) for _ in range(size)])
    _finish(finished)
    running_cycle([PersonFactory(manager=manager) for _ in range(size)])
    client = client_for(manager)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("reviews:mine"))
    assert response.status_code == 200


def test_the_api_lists_to_do_and_history_apart():
    from tests.reviews.api_helpers import BASE, bearer
    from tests.reviews.api_helpers import make_team as api_team

    t = api_team()
    close_phase(t.cycle, PhaseKind.SELF)
    client = bearer(t.report)
    to_do = client.get(f"{BASE}/reviews", {"work": "to_do"}).json()["items"]
    history = client.get(f"{BASE}/reviews", {"work": "history"}).json()["items"]
    assert to_do == []
    assert [r["relationship"] for r in history] == [Relationship.SELF]


# --- The review page ---------------------------------------------------------------------------


def test_a_review_of_a_finished_cycle_is_read_only_and_says_so(client_for):
    t = make_team()
    Review.objects.filter(pk=t.self_review.pk).update(answers={}, state=ReviewState.IN_PROGRESS)
    _finish(t.cycle)
    text = client_for(t.owner).get(reverse("reviews:review", args=[t.self_review.pk])).content
    page = text.decode()
    assert reverse("reviews:review_save", args=[t.self_review.pk]) not in page
    assert "review.js" not in page
    # The page speaks the viewer's time zone: late in the UTC evening it is tomorrow in Berlin.
    closed_at = Cycle.objects.get(pk=t.cycle.pk).closed_at
    closed = timezone.localdate(closed_at, ZoneInfo(t.owner.time_zone))
    assert f"closed on {closed.day} " in page
    assert "answers can no longer change" in page
    assert "ask HR to extend it" not in page
    assert "is not running" not in page


def test_a_review_whose_phase_closed_is_read_only_and_points_to_hr(client_for):
    t = make_team()
    close_phase(t.cycle, PhaseKind.SELF)
    page = client_for(t.owner).get(reverse("reviews:review", args=[t.self_review.pk]))
    text = page.content.decode()
    assert reverse("reviews:review_save", args=[t.self_review.pk]) not in text
    assert "phase closed on" in text and "ask HR to extend it" in text


def test_a_review_whose_phase_is_open_still_shows_the_form(client_for):
    t = make_team()
    text = client_for(t.owner).get(reverse("reviews:review", args=[t.self_review.pk])).content
    assert reverse("reviews:review_save", args=[t.self_review.pk]) in text.decode()


def test_hr_is_not_offered_to_reopen_a_review_of_a_finished_cycle(client_for):
    t = make_team()
    Review.objects.filter(pk=t.manager_review.pk).update(state=ReviewState.SUBMITTED)
    _finish(t.cycle)
    admin = hr_admin()
    text = client_for(admin).get(reverse("reviews:review", args=[t.manager_review.pk])).content
    assert reverse("reviews:review_reopen", args=[t.manager_review.pk]) not in text.decode()


def test_the_peer_page_offers_no_approval_once_the_nomination_phase_closed(client_for):
    from tandem.reviews.models import NominationStatus
    from tests.reviews.factories import nominate, participant_of

    t = make_team()
    participant = participant_of(t.cycle, t.owner)
    nominate(participant, PersonFactory(manager=t.manager), status=NominationStatus.PROPOSED)
    close_phase(t.cycle, PhaseKind.NOMINATION)
    text = client_for(t.manager).get(reverse("reviews:nominations", args=[participant.pk]))
    page = text.content.decode()
    assert reverse("reviews:nomination_approve", args=[participant.pk]) not in page
    assert "ask HR to extend it" in page


# --- The demo company ----------------------------------------------------------------------


@pytest.mark.dates
def test_a_demo_manager_sees_the_finished_cycle_under_history_not_as_late_work(client):
    demo.load_demo(people=60, seed=11, today=date(2026, 11, 26))
    finished = Cycle.objects.get(status=CycleStatus.CLOSED, imported_at=None)
    open_in_finished = Review.objects.filter(
        cycle=finished, state__in=[ReviewState.NOT_STARTED, ReviewState.IN_PROGRESS]
    ).values_list("reviewer_id", flat=True)
    managers = Person.objects.filter(reports__isnull=False).distinct()
    assert managers.exists()
    for person in managers:
        mine = progress.my_reviews(person, date(2026, 11, 26))
        assert all(r.cycle_id != finished.pk for r in mine.to_do + mine.upcoming)
    assert open_in_finished  # the demo leaves a few reviews of the finished cycle unsubmitted
    person = Person.objects.get(pk=open_in_finished[0])
    mine = progress.my_reviews(person, date(2026, 11, 26))
    notes = [r.closed_note for r in mine.history if r.cycle_id == finished.pk]
    assert any(note.startswith("Not submitted; the cycle closed on") for note in notes)
    client.force_login(person)
    page = client.get(reverse("reviews:mine")).content.decode()
    to_do, history = page.split('id="history-heading"', 1)
    assert finished.name not in to_do.split('id="to-do-heading"', 1)[1]
    assert finished.name in history
    assert "late</span>" not in page


def test_the_approvals_list_leaves_out_peers_that_can_no_longer_be_approved(client_for):
    from tandem.reviews.models import NominationStatus
    from tandem.reviews.queries import nominations as nomination_queries
    from tests.reviews.factories import nominate, participant_of

    t = make_team()
    participant = participant_of(t.cycle, t.owner)
    nominate(participant, PersonFactory(manager=t.manager), status=NominationStatus.PROPOSED)
    assert nomination_queries.pending_approvals(t.manager)[1] == 1
    close_phase(t.cycle, PhaseKind.NOMINATION)
    assert nomination_queries.pending_approvals(t.manager) == ([], 0)
    assert nomination_queries.pending_by_cycle(hr_admin()) == []


def test_the_decline_page_offers_no_form_once_peer_reviews_are_due(client_for):
    from tandem.reviews.models import Nomination

    t = make_team()
    close_phase(t.cycle, PhaseKind.NOMINATION)
    close_phase(t.cycle, PhaseKind.PEER)
    nomination = Nomination.objects.get(peer=t.peer)
    page = client_for(t.peer).get(reverse("reviews:nomination_decline", args=[nomination.pk]))
    text = page.content.decode()
    assert "Decline the peer review</button>" not in text
    assert "phase closed on" in text


def test_submit_with_nothing_typed_is_refused_before_the_confirmation(client_for):
    t = make_team()
    close_phase(t.cycle, PhaseKind.SELF)
    review = t.self_review
    response = client_for(t.owner).post(
        reverse("reviews:review_submit", args=[review.pk]), {"version": review.version}
    )
    text = response.content.decode()
    assert "ask HR to extend it" in text
    assert 'name="confirm"' not in text


def test_the_api_says_whether_a_review_can_still_be_written_and_why_not():
    from tests.reviews.api_helpers import BASE, bearer
    from tests.reviews.api_helpers import make_team as api_team

    t = api_team()
    review = t.review(Relationship.SELF)
    client = bearer(t.report)
    before = client.get(f"{BASE}/reviews/{review.pk}").json()
    assert (before["writable"], before["read_only_reason"]) == (True, "")
    cycles.close_cycle(t.cycle, by=t.admin)
    after = client.get(f"{BASE}/reviews/{review.pk}").json()
    assert after["writable"] is False
    assert "closed on" in after["read_only_reason"]
    assert "answers can no longer change" in after["read_only_reason"]
