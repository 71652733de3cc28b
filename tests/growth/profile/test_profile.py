"""The competency profile: gaps, whose ratings reach which reader, the peers' anonymity
minimum, who may read a profile, and the page's and API's query budgets."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tandem.access.rules import NotAllowed
from tandem.growth.queries.profile import competency_profile, largest_gaps
from tandem.program.models import Program
from tandem.reviews.models import Participant, Relationship, Review
from tandem.reviews.services import sharing
from tests.factories import DepartmentFactory, PersonFactory, api_token, hr_admin
from tests.growth.factories_profile import framework, framework_cycle, peer_review, place, rate
from tests.reviews.factories import five_points

pytestmark = pytest.mark.django_db

MANAGER_RATINGS = {"craft": 2, "delivery": 4, "collaboration": 3}


@pytest.fixture
def world() -> dict[str, Any]:
    department = DepartmentFactory(name="Platform")
    boss = PersonFactory(department=department)
    lead = PersonFactory(department=department, manager=boss)
    ada = PersonFactory(department=department, manager=lead)
    peers = [PersonFactory(department=department, manager=lead) for _ in range(3)]
    other_lead = PersonFactory(department=department, manager=boss)
    fw = framework()
    place(ada, fw.levels[1])
    cycle = framework_cycle([ada])
    return {
        "boss": boss, "lead": lead, "ada": ada, "peers": peers,
        "other_lead": other_lead, "fw": fw, "cycle": cycle,
    }  # fmt: skip


def _review(world: dict[str, Any], relationship: str) -> Review:
    return Review.objects.get(
        cycle=world["cycle"], reviewee=world["ada"], relationship=relationship
    )


def _by_key(viewer: Any, person: Any, **kwargs: Any) -> dict[str, Any]:
    return {row.key: row for row in competency_profile(viewer, person, **kwargs)}


def _minimum(value: int) -> None:
    program = Program.load()
    program.anonymity_minimum = value
    program.save()


def _share(world: dict[str, Any]) -> None:
    participant = Participant.objects.get(cycle=world["cycle"], person=world["ada"])
    sharing.share(participant, by=world["lead"])


def test_the_gap_is_the_scales_meets_point_minus_the_managers_rating(
    world: dict[str, Any],
) -> None:
    rate(_review(world, Relationship.MANAGER), MANAGER_RATINGS)
    meets = next(p["value"] for p in five_points() if p["label"].lower().startswith("meets"))
    rows = _by_key(world["lead"], world["ada"])
    assert {key: row.gap for key, row in rows.items()} == {
        key: float(meets - value) for key, value in MANAGER_RATINGS.items()
    }


def test_the_largest_gaps_come_first_and_only_positive_ones(world: dict[str, Any]) -> None:
    rate(_review(world, Relationship.MANAGER), MANAGER_RATINGS)
    assert [row.key for row in largest_gaps(world["lead"], world["ada"])] == ["craft"]


def test_each_row_shows_what_the_persons_level_expects(world: dict[str, Any]) -> None:
    rows = _by_key(world["ada"], world["ada"])
    assert rows["craft"].expected == "Craft at IC2"


def test_a_given_level_shows_that_levels_expectations(world: dict[str, Any]) -> None:
    rows = _by_key(world["lead"], world["ada"], level=world["fw"].levels[0])
    assert rows["delivery"].expected == "Delivery at IC1"


def test_the_person_does_not_see_the_managers_rating_before_it_is_shared(
    world: dict[str, Any],
) -> None:
    rate(_review(world, Relationship.MANAGER), MANAGER_RATINGS)
    assert _by_key(world["ada"], world["ada"])["craft"].manager is None


def test_the_person_sees_the_managers_rating_once_shared(world: dict[str, Any]) -> None:
    rate(_review(world, Relationship.MANAGER), MANAGER_RATINGS)
    _share(world)
    assert _by_key(world["ada"], world["ada"])["craft"].manager == 2.0


def test_the_self_rating_is_the_persons_own(world: dict[str, Any]) -> None:
    rate(_review(world, Relationship.SELF), {"craft": 5, "delivery": 4, "collaboration": 4})
    assert _by_key(world["ada"], world["ada"])["craft"].self_rating == 5.0


def test_the_peers_mean_is_never_shown_below_the_anonymity_minimum(
    world: dict[str, Any],
) -> None:
    _minimum(3)
    for peer in world["peers"][:2]:
        rate(peer_review(world["cycle"], world["ada"], peer), MANAGER_RATINGS)
    assert _by_key(world["lead"], world["ada"])["craft"].peers is None


def test_the_peers_mean_is_shown_from_the_anonymity_minimum(world: dict[str, Any]) -> None:
    _minimum(3)
    for peer, craft in zip(world["peers"], (2, 3, 5), strict=True):
        rate(peer_review(world["cycle"], world["ada"], peer), {**MANAGER_RATINGS, "craft": craft})
    assert _by_key(world["lead"], world["ada"])["craft"].peers == round((2 + 3 + 5) / 3, 2)


def test_a_higher_program_minimum_withholds_the_peers_mean(world: dict[str, Any]) -> None:
    _minimum(5)
    for peer in world["peers"]:
        rate(peer_review(world["cycle"], world["ada"], peer), MANAGER_RATINGS)
    assert _by_key(world["lead"], world["ada"])["craft"].peers is None


def test_the_person_does_not_see_anonymous_peers_before_they_are_released(
    world: dict[str, Any],
) -> None:
    for peer in world["peers"]:
        rate(peer_review(world["cycle"], world["ada"], peer), MANAGER_RATINGS)
    rate(_review(world, Relationship.MANAGER), MANAGER_RATINGS)
    _share(world)
    assert _by_key(world["ada"], world["ada"])["craft"].peers is None


def test_a_manager_above_and_hr_may_read_the_profile(world: dict[str, Any]) -> None:
    assert competency_profile(world["boss"], world["ada"])
    assert competency_profile(hr_admin(), world["ada"])


def test_a_manager_outside_the_chain_may_not_read_the_profile(world: dict[str, Any]) -> None:
    with pytest.raises(NotAllowed):
        competency_profile(world["other_lead"], world["ada"])


def test_the_page_of_a_non_reports_profile_is_404(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(world["other_lead"])
    url = reverse("growth:person_profile", args=[world["ada"].pk])
    assert client.get(url).status_code == 404


def test_the_profile_page_shows_chart_table_and_gaps(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    rate(_review(world, Relationship.MANAGER), MANAGER_RATINGS)
    client = Client()
    client.force_login(world["lead"])
    url = reverse("growth:person_profile", args=[world["ada"].pk])
    with django_assert_max_num_queries(16):
        page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="profile-chart-summary"' in text and "1 below what the level expects" in text


def test_the_profile_pages_queries_do_not_grow_with_cycles(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    rate(_review(world, Relationship.MANAGER), MANAGER_RATINGS)
    for _ in range(3):
        cycle = framework_cycle([world["ada"]])
        rate(Review.objects.get(cycle=cycle, relationship=Relationship.MANAGER), MANAGER_RATINGS)
    client = Client()
    client.force_login(world["lead"])
    with django_assert_max_num_queries(16):
        client.get(reverse("growth:person_profile", args=[world["ada"].pk]))


def test_the_api_gives_the_profile_with_its_gaps(world: dict[str, Any]) -> None:
    rate(_review(world, Relationship.MANAGER), MANAGER_RATINGS)
    token = api_token(world["lead"])
    got = Client().get(
        f"/api/v1/growth/people/{world['ada'].pk}/profile",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert got.status_code == 200
    rows = {row["key"]: row for row in got.json()["competencies"]}
    assert rows["craft"]["gap"] == 1.0 and got.json()["placement"]["level"] == "IC2"


def test_the_api_answers_404_for_a_non_reports_profile(world: dict[str, Any]) -> None:
    token = api_token(world["other_lead"])
    got = Client().get(
        f"/api/v1/growth/people/{world['ada'].pk}/profile",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert got.status_code == 404


def test_a_person_without_a_placement_has_an_empty_profile_that_says_why(
    world: dict[str, Any],
) -> None:
    client = Client()
    client.force_login(world["lead"])
    page = client.get(reverse("growth:person_profile", args=[world["lead"].pk]))
    assert "not placed on a career track yet" in page.content.decode()
