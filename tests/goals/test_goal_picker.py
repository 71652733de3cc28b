"""The "Supports" goal picker's search (`/goals/pick/`): goals found by title words, grouped
by level, scoped to what the user may see and align to; bad input answered kindly."""

from __future__ import annotations

import pytest

from tandem.goals.models import GoalLevel, Visibility
from tests.factories import DepartmentFactory, PersonFactory
from tests.goals.factories import GoalFactory, PeriodFactory

pytestmark = pytest.mark.django_db
PICK = "/goals/pick/"


def titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [goal.title for _, goals in response.context["groups"] for goal in goals]


@pytest.fixture
def viewer():
    return PersonFactory(first_name="Viv", last_name="Viewer")


@pytest.fixture
def period():
    return PeriodFactory()


def test_it_finds_goals_by_the_start_of_a_title_word(client_for, viewer, period):
    GoalFactory(level=GoalLevel.COMPANY, period=period, title="Win the European market")
    GoalFactory(level=GoalLevel.COMPANY, period=period, title="Cut churn")
    response = client_for(viewer).get(PICK, {"q": "euro", "level": "individual"})
    assert titles(response) == ["Win the European market"]


def test_it_groups_goals_company_first_then_team_then_individual(client_for, viewer, period):
    platform = DepartmentFactory(name="Platform")
    GoalFactory(level=GoalLevel.INDIVIDUAL, period=period, title="Growth: my part")
    GoalFactory(
        level=GoalLevel.TEAM, period=period, title="Growth for Platform", department=platform
    )
    GoalFactory(level=GoalLevel.COMPANY, period=period, title="Growth everywhere")
    response = client_for(viewer).get(PICK, {"q": "growth", "level": "individual"})
    assert [label for label, _ in response.context["groups"]] == ["Company", "Team", "Individual"]
    assert 'aria-label="Team goals"' in response.text
    assert "Platform</span>" in response.text


def test_a_team_goal_is_offered_only_wider_or_equal_goals(client_for, viewer, period):
    GoalFactory(level=GoalLevel.INDIVIDUAL, period=period, title="Growth: my part")
    GoalFactory(level=GoalLevel.COMPANY, period=period, title="Growth everywhere")
    response = client_for(viewer).get(PICK, {"q": "growth", "level": "team"})
    assert titles(response) == ["Growth everywhere"]


def test_it_hides_private_goals_of_others(client_for, viewer, period):
    GoalFactory(period=period, title="Secret merger", visibility=Visibility.PRIVATE)
    assert titles(client_for(viewer).get(PICK, {"q": "secret", "level": "individual"})) == []


def test_it_leaves_out_the_edited_goals_own_subtree(client_for, viewer, period):
    mine = GoalFactory(owner=viewer, period=period, title="Ship it")
    GoalFactory(owner=viewer, period=period, parent=mine, title="Ship the part")
    GoalFactory(level=GoalLevel.COMPANY, period=period, title="Ship everything")
    response = client_for(viewer).get(
        PICK, {"q": "ship", "level": "individual", "not_under": mine.pk}
    )
    assert titles(response) == ["Ship everything"]


@pytest.mark.parametrize(
    "params",
    [{"q": "g"}, {"q": "x" * 200}, {"q": "'; drop table goals_goal; --"},
     {"q": "<script>alert(1)</script>"}, {"q": "growth", "level": "galaxy"},
     {"q": "growth", "not_under": "99999999999999999999999"}],
)  # fmt: skip
def test_bad_input_gets_a_friendly_note_never_an_error(client_for, viewer, period, params):
    GoalFactory(level=GoalLevel.COMPANY, period=period, title="Growth everywhere")
    response = client_for(viewer).get(PICK, params)
    assert response.status_code == 200
    assert "data-picker-note" in response.text
    assert "<script>" not in response.text


def test_it_needs_sign_in(client):
    assert client.get(PICK, {"q": "growth"}).status_code == 302


def test_its_query_count_is_fixed(client_for, viewer, period, django_assert_max_num_queries):
    for n in range(20):
        GoalFactory(level=GoalLevel.COMPANY, period=period, title=f"Growth {n}")
    client = client_for(viewer)
    # Session, person, roles, "has reports?" (the actor), then the one search.
    with django_assert_max_num_queries(5):
        response = client.get(PICK, {"q": "growth", "level": "individual"})
    assert len(titles(response)) == 15


def test_the_goal_form_offers_the_picker_with_the_short_menu_behind_it(client_for, viewer, period):
    GoalFactory(level=GoalLevel.COMPANY, period=period, title="Growth everywhere")
    page = client_for(viewer).get("/goals/new/").text
    assert 'data-picker-url="/goals/pick/?level=' in page
    assert "data-picker-strict" in page
    assert "Growth everywhere" in page  # the no-script menu
