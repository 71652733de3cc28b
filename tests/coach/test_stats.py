"""HR's coach page: counts per department (HR admins all, partners their departments), the
company's words (HR admins, audited), a fixed number of queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.coach import services
from tandem.coach.models import CoachTally, CoachWord
from tandem.coach.views import months_back
from tests.factories import (
    DepartmentFactory,
    PersonFactory,
    executive,
    hr_admin,
    hr_partner,
    it_admin,
)

pytestmark = pytest.mark.django_db
PAGE = "/hr/coach/"


def client_of(person) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(person)
    return c


@pytest.fixture
def depts():  # type: ignore[no-untyped-def]
    return DepartmentFactory(name="Support"), DepartmentFactory(name="Sales")


def tally(department, rule: str, fired: int, changed: int) -> CoachTally:  # type: ignore[no-untyped-def]
    return CoachTally.objects.create(
        department=department,
        kind="feedback",
        rule=rule,
        month=timezone.localdate().replace(day=1),
        fired=fired,
        changed=changed,
    )


def test_hr_admins_see_every_departments_counts_with_the_share_changed(depts) -> None:  # type: ignore[no-untyped-def]
    support, sales = depts
    tally(support, "vague", 10, 4)
    tally(sales, "personality", 5, 5)
    html = client_of(hr_admin()).get(PAGE).content.decode()
    assert "Support" in html and "Sales" in html
    assert "4 (40%)" in html and "5 (100%)" in html


def test_an_hr_partner_sees_only_the_departments_they_cover(depts) -> None:  # type: ignore[no-untyped-def]
    support, sales = depts
    tally(support, "vague", 10, 4)
    tally(sales, "personality", 7, 3)
    tally(None, "absolute", 2, 1)
    html = client_of(hr_partner([support])).get(PAGE).content.decode()
    assert "Support" in html
    assert "Sales" not in html and "3 (43%)" not in html
    assert "no department" not in html and "2 (50%)" not in html


@pytest.mark.parametrize(
    "make", [PersonFactory, executive, it_admin], ids=["employee", "executive", "it_admin"]
)
def test_people_without_an_hr_role_get_a_404(make) -> None:  # type: ignore[no-untyped-def]
    assert client_of(make()).get(PAGE).status_code == 404


def test_a_manager_gets_a_404() -> None:
    manager = PersonFactory()
    PersonFactory(manager=manager)
    assert client_of(manager).get(PAGE).status_code == 404


def test_the_page_takes_a_fixed_number_of_queries(depts, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    admin = hr_admin()
    client = client_of(admin)
    client.get(PAGE)  # warm the session
    for i in range(30):
        tally(DepartmentFactory(name=f"Dept {i}"), "vague", i + 1, i)
        CoachWord.objects.create(word=f"word{i}", added_by=admin)
    with django_assert_max_num_queries(12):
        response = client.get(PAGE)
    assert response.status_code == 200


def test_a_bad_period_falls_back_to_three_months(depts) -> None:  # type: ignore[no-untyped-def]
    response = client_of(hr_admin()).get(PAGE, {"months": "9999"})
    assert response.status_code == 200


def test_an_hr_admin_adds_a_word_that_is_audited_and_then_flagged() -> None:
    admin = hr_admin()
    response = client_of(admin).post(
        "/hr/coach/words/", {"word": "grumpy", "better": "Say what happened."}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(kind="coach.word_added", actor=admin).exists()
    c = client_of(PersonFactory())
    html = c.post(
        "/coach/panel/",
        {"kind": "feedback", "field": "text", "text": "He is grumpy with the support team."},
    ).content.decode()
    assert "Say what happened." in html


def test_a_builtin_word_cannot_be_added_twice() -> None:
    response = client_of(hr_admin()).post("/hr/coach/words/", {"word": "Abrasive"})
    assert response.status_code == 400
    assert "built-in list already" in response.content.decode()
    assert not CoachWord.objects.exists()


def test_a_word_with_digits_or_markup_is_refused() -> None:
    response = client_of(hr_admin()).post("/hr/coach/words/", {"word": "<b>x1</b>"})
    assert response.status_code == 400
    assert not CoachWord.objects.exists()


def test_an_hr_partner_cannot_add_a_word(depts) -> None:  # type: ignore[no-untyped-def]
    partner = hr_partner([depts[0]])
    assert client_of(partner).post("/hr/coach/words/", {"word": "grumpy"}).status_code == 404
    assert not CoachWord.objects.exists()


def test_removing_a_word_is_audited() -> None:
    admin = hr_admin()
    word = services.add_word(word="grumpy", better="", by=admin)
    response = client_of(admin).post(f"/hr/coach/words/{word.pk}/remove/")
    assert response.status_code == 302
    assert not CoachWord.objects.exists()
    assert AuditEvent.objects.filter(kind="coach.word_removed").exists()


@pytest.mark.parametrize(
    ("today", "months", "since"),
    [
        ("2026-12-04", 1, "2026-12-01"),
        ("2026-12-04", 3, "2026-10-01"),
        ("2026-02-28", 3, "2025-12-01"),
        ("2026-12-31", 12, "2026-01-01"),
    ],
)
def test_the_period_starts_on_the_first_of_the_right_month(today, months, since) -> None:  # type: ignore[no-untyped-def]
    assert months_back(date.fromisoformat(today), months) == date.fromisoformat(since)
