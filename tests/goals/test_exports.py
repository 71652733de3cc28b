"""Goal exports: who may export which goals, private goals never leaking, the filters,
formulas neutralised, XLSX matching CSV, a query count that does not grow with rows,
and the audit record."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tandem.audit.models import AuditEvent
from tandem.goals.models import Goal, GoalLevel, Health, Visibility
from tandem.org.models import Department, Person
from tests.factories import DepartmentFactory, PersonFactory, executive, hr_admin, hr_partner
from tests.goals.factories import GoalFactory, PeriodFactory

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@dataclass
class Company:
    engineering: Department
    platform: Department
    sales: Department
    manager: Person
    owner: Person
    peer: Person
    hr_admin: Person
    partner: Person
    executive: Person
    company_goal: Goal
    team_goal: Goal
    public_goal: Goal
    private_goal: Goal
    sales_goal: Goal


@pytest.fixture
def period():  # type: ignore[no-untyped-def]
    return PeriodFactory()


@pytest.fixture
def co(period) -> Company:  # type: ignore[no-untyped-def]
    engineering = DepartmentFactory(name="Engineering")
    platform = DepartmentFactory(name="Platform", parent=engineering)
    sales = DepartmentFactory(name="Sales")
    boss = executive(first_name="Eda", last_name="Exec")
    manager = PersonFactory(first_name="Mia", last_name="Manager", department=platform)
    owner = PersonFactory(first_name="Olu", last_name="Owner", department=platform, manager=manager)
    peer = PersonFactory(first_name="Pia", last_name="Peer", department=sales)
    company_goal = GoalFactory(
        owner=boss, level=GoalLevel.COMPANY, period=period, title="Win the market"
    )
    team_goal = GoalFactory(
        owner=manager,
        level=GoalLevel.TEAM,
        department=platform,
        period=period,
        parent=company_goal,
        title="Ship the platform",
    )
    public_goal = GoalFactory(
        owner=owner, period=period, parent=team_goal, title="Public goal of Olu"
    )
    private_goal = GoalFactory(
        owner=owner, period=period, visibility=Visibility.PRIVATE, title="Quiet merger"
    )
    sales_goal = GoalFactory(owner=peer, period=period, title="Sell more")
    return Company(
        engineering=engineering,
        platform=platform,
        sales=sales,
        manager=manager,
        owner=owner,
        peer=peer,
        hr_admin=hr_admin(first_name="Hana", last_name="Admin"),
        partner=hr_partner([engineering], first_name="Pat", last_name="Partner"),
        executive=boss,
        company_goal=company_goal,
        team_goal=team_goal,
        public_goal=public_goal,
        private_goal=private_goal,
        sales_goal=sales_goal,
    )


def _csv(client: Client, **params: Any) -> list[dict[str, str]]:
    response = client.get(reverse("goals:export_csv"), params)
    assert response.status_code == 200, response.content
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _titles(client: Client, **params: Any) -> set[str]:
    return {row["Title"] for row in _csv(client, **params)}


def test_a_peer_never_sees_a_private_goal_in_the_export(co, client_for) -> None:
    titles = _titles(client_for(co.peer))
    assert "Quiet merger" not in titles


def test_everyone_exports_their_own_goals_and_no_one_elses(co, client_for) -> None:
    assert _titles(client_for(co.peer)) == {"Sell more"}


def test_the_owner_exports_their_private_goal(co, client_for) -> None:
    assert _titles(client_for(co.owner)) == {"Public goal of Olu", "Quiet merger"}


def test_the_owners_manager_exports_their_subtree_private_goals_included(co, client_for) -> None:
    assert _titles(client_for(co.manager)) == {
        "Ship the platform",
        "Public goal of Olu",
        "Quiet merger",
    }


def test_an_hr_admin_exports_every_goal_private_ones_included(co, client_for) -> None:
    assert _titles(client_for(co.hr_admin)) == {
        "Win the market",
        "Ship the platform",
        "Public goal of Olu",
        "Quiet merger",
        "Sell more",
    }


def test_an_executive_exports_public_goals_org_wide_but_not_private_ones(co, client_for) -> None:
    assert _titles(client_for(co.executive)) == {
        "Win the market",
        "Ship the platform",
        "Public goal of Olu",
        "Sell more",
    }


def test_an_hr_partner_exports_their_departments_public_goals_only(co, client_for) -> None:
    assert _titles(client_for(co.partner)) == {"Ship the platform", "Public goal of Olu"}


def test_a_parent_the_viewer_may_not_see_is_left_blank(co, period, client_for) -> None:
    secret_parent = GoalFactory(
        owner=co.manager,
        level=GoalLevel.TEAM,
        period=period,
        visibility=Visibility.PRIVATE,
        title="Secret reorganisation",
    )
    GoalFactory(owner=co.owner, period=period, parent=secret_parent, title="Visible child")
    rows = {r["Title"]: r for r in _csv(client_for(co.executive))}
    child = rows["Visible child"]
    assert child["Parent goal id"] == ""
    assert child["Parent goal"] == ""
    assert "Secret reorganisation" not in rows
    manager_rows = {r["Title"]: r for r in _csv(client_for(co.manager))}
    assert manager_rows["Visible child"]["Parent goal"] == "Secret reorganisation"
    assert manager_rows["Visible child"]["Parent goal id"] == str(secret_parent.pk)


def test_an_hr_admin_sees_every_parent_private_ones_included(co, period, client_for) -> None:
    # HR admins' scope keeps every goal, so the export skips the per-row visibility check.
    secret_parent = GoalFactory(
        owner=co.manager, period=period, visibility=Visibility.PRIVATE, title="Secret plan"
    )
    GoalFactory(owner=co.owner, period=period, parent=secret_parent, title="Child of a secret")
    rows = {r["Title"]: r for r in _csv(client_for(co.hr_admin))}
    assert rows["Child of a secret"]["Parent goal"] == "Secret plan"
    assert rows["Child of a secret"]["Parent goal id"] == str(secret_parent.pk)
    assert rows["Win the market"]["Parent goal id"] == ""


def test_a_row_carries_every_column(co, client_for) -> None:
    goal = co.public_goal
    goal.progress = Decimal("0.4250")
    goal.health = Health.AT_RISK
    goal.churn = 2
    goal.last_checkin_at = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    goal.save(update_fields=["progress", "health", "churn", "last_checkin_at"])
    co.owner.time_zone = "Asia/Tokyo"
    co.owner.save(update_fields=["time_zone"])
    [row] = [r for r in _csv(client_for(co.owner)) if r["Goal id"] == str(goal.pk)]
    assert row == {
        "Goal id": str(goal.pk),
        "Title": "Public goal of Olu",
        "Level": "Individual goal",
        "Owner": "Olu Owner",
        "Owner e-mail": co.owner.email,
        "Department": "Platform",
        "Period": goal.period.name,
        "Parent goal id": str(co.team_goal.pk),
        "Parent goal": "Ship the platform",
        "Progress %": "42.5",
        "Health": "At risk",
        # 23:30 UTC on 2 March is the morning of 3 March in Tokyo, the viewer's zone.
        "Last check-in": "2026-03-03",
        "Churn": "2",
        "State": "Active",
        "Score": "",
    }


def test_the_department_filter_includes_sub_departments(co, client_for) -> None:
    titles = _titles(client_for(co.hr_admin), department=co.engineering.pk)
    assert titles == {"Ship the platform", "Public goal of Olu", "Quiet merger"}


def test_the_level_filter_keeps_one_level(co, client_for) -> None:
    assert _titles(client_for(co.hr_admin), level=GoalLevel.TEAM) == {"Ship the platform"}


def test_the_team_filter_keeps_the_goals_of_the_people_below_the_viewer(co, client_for) -> None:
    assert _titles(client_for(co.manager), people="team") == {
        "Public goal of Olu",
        "Quiet merger",
    }


def test_another_period_is_exported_only_when_asked_for(co, client_for) -> None:
    from datetime import date

    old = PeriodFactory(start_date=date(2020, 1, 1), end_date=date(2020, 3, 31))
    GoalFactory(owner=co.peer, period=old, title="Old goal")
    client = client_for(co.peer)
    assert _titles(client) == {"Sell more"}
    assert _titles(client, period=old.pk) == {"Old goal"}


def test_a_period_whose_goals_interleave_with_another_s_exports_all_of_them(
    co, period, client_for
) -> None:
    from datetime import date

    # The export starts its walk at the period's first goal id: goals of another period
    # created in between, and goals of this one created after them, change nothing.
    old = PeriodFactory(start_date=date(2020, 1, 1), end_date=date(2020, 3, 31))
    GoalFactory(owner=co.peer, period=old, title="Old goal")
    GoalFactory(owner=co.peer, period=period, title="Sell again")
    GoalFactory(owner=co.peer, period=old, title="Older goal")
    client = client_for(co.hr_admin)
    rows = _csv(client)
    assert {row["Title"] for row in rows} == {
        "Win the market",
        "Ship the platform",
        "Public goal of Olu",
        "Quiet merger",
        "Sell more",
        "Sell again",
    }
    assert [int(row["Goal id"]) for row in rows] == sorted(int(row["Goal id"]) for row in rows)
    assert _titles(client, period=old.pk) == {"Old goal", "Older goal"}


def test_a_period_that_does_not_exist_is_refused_naming_the_field(co, client_for) -> None:
    response = client_for(co.peer).get(reverse("goals:export_csv"), {"period": "nope"})
    assert response.status_code == 400
    assert "Period:" in response.content.decode()
    assert not AuditEvent.objects.filter(kind="goals.export").exists()


def test_titles_that_look_like_formulas_are_neutralised(co, period, client_for) -> None:
    GoalFactory(owner=co.peer, period=period, title='=HYPERLINK("https://evil.example")')
    titles = _titles(client_for(co.peer))
    assert '\'=HYPERLINK("https://evil.example")' in titles
    assert not any(t.startswith("=") for t in titles)


def _same(value: Any) -> Any:
    """A cell as both formats can compare it: numbers are numbers in XLSX, text in CSV."""
    if value is None:
        return ""
    try:
        return float(value)
    except ValueError:
        return str(value)


def test_the_xlsx_export_opens_and_holds_the_same_rows_as_the_csv(co, period, client_for) -> None:
    GoalFactory(owner=co.owner, period=period, title="+1 formula-looking title")
    client = client_for(co.hr_admin)
    response = client.get(reverse("goals:export_xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook["Goals"]
    header, *rows = [[_same(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    csv_rows = _csv(client)
    assert header == list(csv_rows[0].keys())
    assert rows == [[_same(v) for v in r.values()] for r in csv_rows]
    assert "'+1 formula-looking title" in {r[1] for r in rows}
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def _consume_counting(client: Client, name: str, assert_max: Any, limit: int) -> int:
    with assert_max(limit):
        response = client.get(reverse(name))
        body = b"".join(response.streaming_content)
    return len(body)


@pytest.mark.parametrize("name", ["goals:export_csv", "goals:export_xlsx"])
def test_the_query_count_does_not_grow_with_the_number_of_goals(
    co, period, client_for, django_assert_max_num_queries, name
) -> None:
    client = client_for(co.hr_admin)
    budget = 8  # session, person, roles, period, program, count, audit, the rows
    _consume_counting(client, name, django_assert_max_num_queries, budget)
    for i in range(40):
        owner = PersonFactory(department=co.platform, manager=co.manager)
        GoalFactory(owner=owner, period=period, parent=co.team_goal, title=f"Many {i}")
    _consume_counting(client, name, django_assert_max_num_queries, budget)
    assert len(_csv(client)) == 45


def test_an_export_is_audited_with_its_filters_and_row_count(co, client_for) -> None:
    _csv(client_for(co.manager), level=GoalLevel.INDIVIDUAL, department=co.platform.pk)
    event = AuditEvent.objects.get(kind="goals.export")
    assert event.actor == co.manager
    assert event.changes == {
        "format": "csv",
        "period": co.public_goal.period.name,
        "department": "Platform",
        "level": "individual",
        "people": None,
        "rows": 2,
    }


def test_an_xlsx_export_is_audited_too(co, client_for) -> None:
    client_for(co.peer).get(reverse("goals:export_xlsx"))
    event = AuditEvent.objects.get(kind="goals.export")
    assert event.changes["format"] == "xlsx"
    assert event.changes["rows"] == 1


def test_someone_not_signed_in_is_sent_to_sign_in(co) -> None:
    response = Client().get(reverse("goals:export_csv"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
