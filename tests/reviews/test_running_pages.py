"""The running pages: my reviews, cycles, a cycle's progress, overdue, the remind button.
Each has a query budget that does not depend on the size of the cycle."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.notifications.models import Notification
from tandem.reviews.models import PhaseKind, Relationship, Review
from tests.factories import PersonFactory, hr_admin
from tests.reviews.factories import close_phase, review_of, running_cycle

pytestmark = pytest.mark.django_db


def company(size: int):  # type: ignore[no-untyped-def]
    boss = PersonFactory(first_name="Bea", last_name="Boss")
    people = [boss, *(PersonFactory(manager=boss) for _ in range(size - 1))]
    return boss, people, running_cycle(people)


@pytest.mark.parametrize("size", [5, 25])
def test_the_progress_page_has_a_fixed_query_budget(
    size, client_for, django_assert_max_num_queries
):
    boss, people, cycle = company(size)
    client = client_for(hr_admin())
    with django_assert_max_num_queries(24):
        response = client.get(reverse("reviews:cycle", args=[cycle.pk]))
    assert response.status_code == 200
    assert "Completion by phase" in response.content.decode()


def test_the_progress_page_shows_figures_and_the_remind_button(client_for):
    boss, people, cycle = company(3)
    text = client_for(hr_admin()).get(reverse("reviews:cycle", args=[cycle.pk])).content.decode()
    assert "Self reviews" in text and "0 of 3" in text
    assert "Remind everyone with something open" in text
    assert reverse("reviews:export_results_csv", args=[cycle.pk]) in text


def test_a_manager_sees_their_teams_progress_without_results_exports(client_for):
    boss, people, cycle = company(3)
    text = client_for(boss).get(reverse("reviews:cycle", args=[cycle.pk])).content.decode()
    assert "0 of 2" in text  # their two reports' self reviews
    assert reverse("reviews:export_results_csv", args=[cycle.pk]) not in text


def test_an_employee_cannot_open_the_progress_page(client_for):
    boss, people, cycle = company(3)
    response = client_for(people[1]).get(reverse("reviews:cycle", args=[cycle.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("size", [5, 25])
def test_the_overdue_page_lists_late_reviews_in_a_fixed_budget(
    size, client_for, django_assert_max_num_queries
):
    boss, people, cycle = company(size)
    close_phase(cycle, PhaseKind.SELF)
    client = client_for(hr_admin())
    with django_assert_max_num_queries(14):
        response = client.get(reverse("reviews:overdue", args=[cycle.pk]))
    text = response.content.decode()
    assert text.count('class="pill overdue"') == min(size, 50)


def test_a_bad_page_link_on_the_overdue_page_starts_again(client_for):
    boss, people, cycle = company(3)
    close_phase(cycle, PhaseKind.SELF)
    response = client_for(hr_admin()).get(
        reverse("reviews:overdue", args=[cycle.pk]) + "?cursor=not-a-link&relationship=nonsense"
    )
    assert response.status_code == 200
    assert "start again" in response.content.decode()


@pytest.mark.parametrize("size", [3, 12])
def test_my_reviews_has_a_fixed_query_budget(size, client_for, django_assert_max_num_queries):
    boss, people, cycle = company(size)
    client = client_for(boss)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("reviews:mine"))
    text = response.content.decode()
    written = Review.objects.filter(reviewer=boss)
    assert all(reverse("reviews:review", args=[r.pk]) in text for r in written)
    assert written.count() == size  # their self review and one per report


def test_my_reviews_has_a_helpful_empty_state(client_for):
    text = client_for(PersonFactory()).get(reverse("reviews:mine")).content.decode()
    assert "Nothing to write right now" in text
    assert "Reviews you submit, and reviews of cycles that have finished" in text
    assert "You are not part of a review cycle yet" in text


def test_the_cycles_page_lists_cycles_i_take_part_in(client_for):
    boss, people, cycle = company(3)
    outsider = PersonFactory()
    assert cycle.name in client_for(people[1]).get(reverse("reviews:cycles")).content.decode()
    assert cycle.name not in client_for(outsider).get(reverse("reviews:cycles")).content.decode()


def test_the_remind_button_sends_one_reminder_each(client_for, django_capture_on_commit_callbacks):
    boss, people, cycle = company(3)
    client = client_for(hr_admin())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:remind", args=[cycle.pk]), {"phase": "self"})
    assert response.status_code == 302
    assert Notification.objects.filter(kind="reviews.reminder").count() == 3


def test_reminding_for_a_closed_phase_explains_why_nothing_was_sent(client_for):
    boss, people, cycle = company(3)
    close_phase(cycle, PhaseKind.SELF)
    response = client_for(hr_admin()).post(
        reverse("reviews:remind", args=[cycle.pk]), {"phase": "self"}, follow=True
    )
    assert "phase is not open" in response.content.decode()
    assert not Notification.objects.exists()


def test_the_navigation_has_a_reviews_item(client_for):
    text = client_for(PersonFactory()).get(reverse("reviews:mine")).content.decode()
    assert f'href="{reverse("reviews:mine")}" aria-current="page"' in text
    assert '<span class="nav-label">Reviews</span>' in text


def test_the_review_link_points_to_the_review_page(client_for):
    boss, people, cycle = company(2)
    review = review_of(cycle, people[1], Relationship.SELF)
    text = client_for(people[1]).get(reverse("reviews:mine")).content.decode()
    assert reverse("reviews:review", args=[review.pk]) in text
