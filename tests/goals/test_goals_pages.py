"""The goal pages: my goals, company goals, the goal page, the forms; bad input answered on
the form naming the field; query budgets that do not grow with the data."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.goals.models import CheckIn, Goal, GoalComment, GoalLevel, Period, Visibility
from tandem.goals.services import goals as services
from tandem.org.models import Company
from tests.factories import DepartmentFactory, PersonFactory, executive, hr_admin
from tests.goals.factories import GoalFactory, KeyResultFactory, PeriodFactory

pytestmark = pytest.mark.django_db
# Tests marked `dates` read the current period: the quarter holding today.


@pytest.fixture
def people():
    dept = DepartmentFactory(name="Platform")
    boss = PersonFactory(first_name="Mia", last_name="Manager", department=dept)
    report = PersonFactory(first_name="Olu", last_name="Owner", department=dept, manager=boss)
    outsider = PersonFactory(first_name="Eve", last_name="Outsider")
    return boss, report, outsider


@pytest.fixture
def period():
    return PeriodFactory()


@pytest.mark.dates
def test_my_goals_teaches_how_to_start_when_there_are_none(client_for, people, period):
    _, report, _ = people
    company_goal = GoalFactory(level=GoalLevel.COMPANY, period=period, title="Win Europe")
    page = client_for(report).get(reverse("goals:mine")).content.decode()
    assert f"You have no goals for {period.name} yet" in page
    assert "Win Europe" in page and f"?parent={company_goal.pk}" in page


@pytest.mark.dates
def test_my_goals_lists_this_periods_goals_with_a_progress_bar(client_for, people, period):
    _, report, _ = people
    goal = GoalFactory(owner=report, period=period, title="Ship the API")
    KeyResultFactory(goal=goal)
    page = client_for(report).get(reverse("goals:mine")).content.decode()
    assert "Ship the API" in page and "<progress" in page and "No check-in yet" in page


def test_the_goal_page_shows_own_progress_next_to_the_aligned_average(client_for, people, period):
    boss, report, _ = people
    parent = GoalFactory(owner=boss, level=GoalLevel.TEAM, period=period, title="Team goal")
    GoalFactory(owner=report, parent=parent, period=period, progress="0.5")
    GoalFactory(owner=report, parent=parent, period=period, progress="1")
    page = client_for(boss).get(reverse("goals:detail", args=[parent.pk])).content.decode()
    assert "Own progress" in page and "Aligned goals' average" in page
    assert "75%" in page


def test_a_private_childs_progress_counts_but_its_title_is_hidden(client_for, people, period):
    boss, report, outsider = people
    parent = GoalFactory(owner=boss, level=GoalLevel.TEAM, period=period, title="Team goal")
    GoalFactory(
        owner=report,
        parent=parent,
        period=period,
        progress="1",
        visibility=Visibility.PRIVATE,
        title="Secret plan",
    )
    GoalFactory(owner=outsider, parent=parent, period=period, progress="0", title="Open plan")
    page = client_for(outsider).get(reverse("goals:detail", args=[parent.pk])).content.decode()
    assert "Secret plan" not in page and "Open plan" in page
    assert "50%" in page and "1 private goal aligned here is hidden" in page


def test_a_private_goal_is_not_found_for_an_outsider(client_for, people, period):
    _, report, outsider = people
    goal = GoalFactory(owner=report, period=period, visibility=Visibility.PRIVATE)
    assert client_for(outsider).get(reverse("goals:detail", args=[goal.pk])).status_code == 404


def test_a_private_goal_is_visible_to_the_owners_manager(client_for, people, period):
    boss, report, _ = people
    goal = GoalFactory(owner=report, period=period, visibility=Visibility.PRIVATE)
    assert client_for(boss).get(reverse("goals:detail", args=[goal.pk])).status_code == 200


def test_a_private_parent_shows_as_a_private_goal_in_the_chain(client_for, people, period):
    boss, report, outsider = people
    secret = GoalFactory(
        owner=report, period=period, visibility=Visibility.PRIVATE, title="Secret parent"
    )
    child = GoalFactory(owner=outsider, parent=secret, period=period)
    page = client_for(outsider).get(reverse("goals:detail", args=[child.pk])).content.decode()
    assert "Secret parent" not in page and "A private goal" in page


def test_creating_a_goal_from_the_form_aligns_it(client_for, people, period):
    boss, report, _ = people
    parent = GoalFactory(owner=boss, level=GoalLevel.TEAM, period=period)
    response = client_for(report).post(
        reverse("goals:create"),
        {
            "title": "Cut latency",
            "level": "individual",
            "period": period.pk,
            "parent": parent.pk,
            "visibility": "public",
            "kr-title": "p95 ms",
            "kr-kind": "number",
            "kr-start_value": "300",
            "kr-target_value": "150",
            "kr-weight": "1",
        },
    )
    goal = Goal.objects.get(title="Cut latency")
    assert response.status_code == 302 and goal.parent == parent
    assert goal.key_results.get().target_value == 150


def test_a_target_equal_to_the_start_is_shown_on_the_form(client_for, people, period):
    _, report, _ = people
    response = client_for(report).post(
        reverse("goals:create"),
        {
            "title": "Cut latency",
            "level": "individual",
            "period": period.pk,
            "visibility": "public",
            "kr-title": "p95",
            "kr-kind": "number",
            "kr-start_value": "5",
            "kr-target_value": "5",
        },
    )
    assert response.status_code == 200
    assert "Target: it equals the start value" in response.content.decode()
    assert not Goal.objects.exists()


def test_a_non_number_on_the_key_result_page_names_the_field(client_for, people, period):
    _, report, _ = people
    goal = GoalFactory(owner=report, period=period)
    response = client_for(report).post(
        reverse("goals:key_results", args=[goal.pk]),
        {
            "action": "add",
            "new-title": "Users",
            "new-kind": "number",
            "new-start_value": "0",
            "new-target_value": "ten",
            "new-weight": "1",
        },
    )
    assert response.status_code == 400
    assert "Target: “ten” is not a number." in response.content.decode()
    assert not goal.key_results.exists()


def test_editing_a_target_with_a_reason_appears_in_the_timeline(client_for, people, period):
    _, report, _ = people
    goal = GoalFactory(owner=report, period=period)
    kr = KeyResultFactory(goal=goal, target_value=100)
    client = client_for(report)
    response = client.post(
        reverse("goals:key_results", args=[goal.pk]),
        {
            "action": "update",
            "key_result": kr.pk,
            f"kr{kr.pk}-title": kr.title,
            f"kr{kr.pk}-kind": "number",
            f"kr{kr.pk}-start_value": "0",
            f"kr{kr.pk}-target_value": "80",
            f"kr{kr.pk}-weight": "1",
            f"kr{kr.pk}-current_value": "0",
            f"kr{kr.pk}-reason": "Budget cut",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("goals:detail", args=[goal.pk])).content.decode()
    assert "Why: Budget cut" in page


def test_aligning_to_a_descendant_is_refused_on_the_edit_form(client_for, people, period):
    boss, _, _ = people
    top = GoalFactory(owner=boss, level=GoalLevel.TEAM, period=period)
    child = GoalFactory(owner=boss, level=GoalLevel.TEAM, period=period, parent=top)
    response = client_for(boss).post(
        reverse("goals:edit", args=[top.pk]),
        {
            "title": top.title,
            "period": period.pk,
            "visibility": "public",
            "owner_email": boss.email,
            "parent": child.pk,
        },
    )
    assert response.status_code == 200
    top.refresh_from_db()
    assert top.parent_id is None


def test_the_edit_form_offers_the_short_menu_of_goals_to_align_to_not_every_goal(
    client_for, people, period
):
    boss, report, outsider = people
    goal = GoalFactory(owner=report, period=period)
    team_goal = GoalFactory(owner=boss, level=GoalLevel.TEAM, period=period, title="Team aim")
    elsewhere = GoalFactory(owner=outsider, period=period, title="Someone else's own goal")

    page = client_for(report).get(reverse("goals:edit", args=[goal.pk])).content.decode()

    assert f'<option value="{team_goal.pk}"' in page
    # Any visible goal may still be chosen (from its page), but the menu does not list them
    # all: at 100,000 people that menu was every goal of the company, a page of 40 s.
    assert f'<option value="{elsewhere.pk}"' not in page


def test_the_edit_form_still_accepts_a_visible_goal_outside_the_menu(client_for, people, period):
    boss, report, outsider = people
    goal = GoalFactory(owner=report, period=period)
    elsewhere = GoalFactory(owner=outsider, period=period)
    response = client_for(report).post(
        reverse("goals:edit", args=[goal.pk]),
        {
            "title": goal.title,
            "period": period.pk,
            "visibility": "public",
            "owner_email": report.email,
            "parent": elsewhere.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    goal.refresh_from_db()
    assert goal.parent_id == elsewhere.pk


def menu_options(page: str) -> list[int]:
    """The goal ids of the "Supports" menu, in order."""
    import re

    menu = page[page.index('name="parent"') :]
    menu = menu[: menu.index("</select>")]
    return [int(pk) for pk in re.findall(r'<option value="(\d+)"', menu)]


def test_the_new_goal_menu_leaves_out_goals_of_a_closed_period(client_for, people, period):
    boss, report, _ = people
    closed = PeriodFactory(
        name="Old quarter",
        start_date=period.start_date.replace(year=period.start_date.year - 1),
        end_date=period.end_date.replace(year=period.end_date.year - 1),
        closed_at=timezone.now(),
    )
    current = GoalFactory(owner=boss, level=GoalLevel.TEAM, period=period, title="This one")
    old = GoalFactory(owner=boss, level=GoalLevel.TEAM, period=closed, title="Old one")

    page = client_for(report).get(reverse("goals:create")).content.decode()

    assert current.pk in menu_options(page) and old.pk not in menu_options(page)


def test_the_new_goal_menu_lists_wide_goals_and_the_managers_goals_by_level_and_title(
    client_for, people, period, monkeypatch
):
    boss, report, outsider = people
    company = GoalFactory(owner=outsider, level=GoalLevel.COMPANY, period=period, title="Z")
    team_b = GoalFactory(owner=outsider, level=GoalLevel.TEAM, period=period, title="B team")
    team_a = GoalFactory(owner=outsider, level=GoalLevel.TEAM, period=period, title="A team")
    boss_own = GoalFactory(owner=boss, period=period, title="Boss's own")
    GoalFactory(owner=outsider, period=period, title="Someone else's own goal")

    page = client_for(report).get(reverse("goals:create")).content.decode()
    assert menu_options(page) == [company.pk, boss_own.pk, team_a.pk, team_b.pk]

    monkeypatch.setattr("tandem.goals.forms.goals.PARENT_CHOICES_LIMIT", 2)
    page = client_for(report).get(reverse("goals:create")).content.decode()
    assert menu_options(page) == [company.pk, boss_own.pk]


def test_the_new_goal_menu_takes_the_same_queries_whatever_the_number_of_goals(
    client_for, people, period, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    boss, report, outsider = people
    client = client_for(report)
    GoalFactory(owner=outsider, level=GoalLevel.TEAM, period=period)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("goals:create"))
    for _ in range(5):
        GoalFactory(owner=outsider, level=GoalLevel.TEAM, period=period)
        GoalFactory(owner=boss, period=period)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("goals:create"))


def test_the_new_goal_form_still_accepts_a_visible_goal_of_a_closed_period(
    client_for, people, period
):
    boss, report, _ = people
    closed = PeriodFactory(
        name="Old quarter",
        start_date=period.start_date.replace(year=period.start_date.year - 1),
        end_date=period.end_date.replace(year=period.end_date.year - 1),
        closed_at=timezone.now(),
    )
    old = GoalFactory(owner=boss, level=GoalLevel.TEAM, period=closed)
    response = client_for(report).post(
        reverse("goals:create"),
        {
            "title": "Cut latency",
            "level": "individual",
            "period": period.pk,
            "parent": old.pk,
            "visibility": "public",
            "kr-title": "p95 ms",
            "kr-kind": "number",
            "kr-start_value": "300",
            "kr-target_value": "150",
            "kr-weight": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Goal.objects.get(title="Cut latency").parent == old


def test_a_comment_with_a_mention_is_posted(client_for, people, period):
    boss, report, _ = people
    goal = GoalFactory(owner=report, period=period)
    response = client_for(boss).post(
        reverse("goals:comment", args=[goal.pk]), {"body": f"@{report.email.split('@')[0]} great"}
    )
    assert response.status_code == 302
    assert list(GoalComment.objects.get().mentions.all()) == [report]


def test_closing_with_carry_over_opens_the_copy(client_for, people):
    from datetime import date

    from tandem.goals.services.periods import ensure_periods

    _, report, _ = people
    current, following = ensure_periods(date(2026, 8, 1))
    goal = GoalFactory(owner=report, period=current)
    response = client_for(report).post(
        reverse("goals:close", args=[goal.pk]),
        {"score": "0.5", "reflection": "Half", "carry_over": "on"},
    )
    copy = Goal.objects.get(carried_from=goal)
    assert response["Location"] == reverse("goals:detail", args=[copy.pk])
    assert copy.period == following


def test_a_manager_bulk_assigns_to_direct_reports(client_for, people, period):
    boss, report, _ = people
    other = PersonFactory(manager=boss)
    response = client_for(boss).post(
        reverse("goals:bulk_assign"),
        {
            "goal_title": "Security training",
            "period": period.pk,
            "who": "direct",
            "kind": "boolean",
            "title": "Done",
        },
    )
    assert response.status_code == 302
    assert set(Goal.objects.values_list("owner_id", flat=True)) == {report.pk, other.pk}


def test_hr_adds_a_custom_period_and_a_backwards_one_is_refused(client_for):
    admin = hr_admin()
    client = client_for(admin)
    bad = client.post(
        reverse("goals:periods"),
        {
            "action": "create",
            "name": "Sprint",
            "start_date": "2026-09-01",
            "end_date": "2026-08-01",
        },
    )
    assert bad.status_code == 400 and "The end date" in bad.content.decode()
    assert not Period.objects.filter(name="Sprint").exists()
    good = client.post(
        reverse("goals:periods"),
        {
            "action": "create",
            "name": "Sprint",
            "start_date": "2026-08-01",
            "end_date": "2026-09-01",
        },
    )
    assert good.status_code == 302 and Period.objects.filter(name="Sprint").exists()


@pytest.mark.dates
def test_the_company_page_shows_the_mission_and_churn(client_for, people, period):
    boss, _, _ = people
    company = Company.load()
    company.mission = "Make work fair"
    company.save()
    GoalFactory(level=GoalLevel.COMPANY, period=period, title="Win Europe", owner=boss, churn=3)
    page = client_for(boss).get(reverse("goals:company")).content.decode()
    assert "Make work fair" in page and "Win Europe" in page and "Goal churn by department" in page


# --- Query budgets --------------------------------------------------------------------------


def _many_goals(owner, period, n):
    top = GoalFactory(owner=owner, period=period, level=GoalLevel.COMPANY, title="Top")
    for i in range(n):
        child = GoalFactory(owner=owner, period=period, parent=top, title=f"Child {i}")
        KeyResultFactory(goal=child)
        CheckIn.objects.create(goal=top, author=owner, health="on_track", confidence=7)
        services.add_comment(goal=top, by=owner, body=f"Note {i}")
    return top


@pytest.mark.parametrize("n", [1, 15])
@pytest.mark.dates
def test_my_goals_has_a_fixed_query_budget(
    client_for, people, period, n, django_assert_max_num_queries
):
    _, report, _ = people
    _many_goals(report, period, n)
    client = client_for(report)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("goals:mine")).status_code == 200


@pytest.mark.parametrize("n", [1, 15])
@pytest.mark.dates
def test_company_goals_has_a_fixed_query_budget(
    client_for, people, period, n, django_assert_max_num_queries
):
    _, report, _ = people
    for _ in range(n):
        _many_goals(executive(), period, 1)
    client = client_for(report)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("goals:company")).status_code == 200


@pytest.mark.parametrize("n", [1, 15])
def test_the_goal_page_has_a_fixed_query_budget(
    client_for, people, period, n, django_assert_max_num_queries
):
    _, report, _ = people
    top = _many_goals(report, period, n)
    services.update_goal(goal=top, by=report, title="Top goal", reason="clearer")
    client = client_for(report)
    with django_assert_max_num_queries(18):
        assert client.get(reverse("goals:detail", args=[top.pk])).status_code == 200


def test_the_new_goal_page_reads_the_open_periods_once(client_for, people, period):
    # Django's model choice menus read through a server-side cursor each time they are
    # walked, and a select is walked twice: three round trips apiece on PostgreSQL.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, report, _ = people
    client = client_for(report)
    client.get(reverse("goals:create"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("goals:create")).status_code == 200
    open_periods = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "goals_period"' in q["sql"]
        and '"closed_at" IS NULL' in q["sql"]
        and "goals_goal" not in q["sql"]
    ]
    assert len(open_periods) == 1, open_periods
