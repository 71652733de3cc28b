"""HR's playbook pages: editing with validation that names the field and changes nothing,
a preview that saves nothing, publishing (audited), and completion per manager counted
in the database, within HR's scope, against a recount."""

from __future__ import annotations

from typing import Any

import pytest

from tandem.audit.models import AuditEvent
from tandem.coach.models import Playbook, PlaybookProgress
from tandem.coach.queries import playbooks as queries
from tandem.coach.services import playbooks as services
from tests.coach.playbook_helpers import FIRST, SBI, client_of, complete, shipped
from tests.factories import DepartmentFactory, PersonFactory, hr_admin, hr_partner

pytestmark = pytest.mark.django_db
EDIT = f"/hr/coach/playbooks/{SBI}/"


@pytest.fixture(autouse=True)
def books() -> dict[str, Playbook]:
    return shipped()


def form_data(playbook: Playbook, **changes: Any) -> dict[str, str]:
    """The edit form as the page sends it, with `changes` applied."""
    data: dict[str, str] = {"title": playbook.title, "summary": playbook.summary}
    steps = list(playbook.steps.all())
    questions = list(playbook.questions.all())
    data.update({"steps-TOTAL_FORMS": str(len(steps) + 1), "steps-INITIAL_FORMS": str(len(steps))})
    for n, s in enumerate(steps):
        data[f"steps-{n}-title"], data[f"steps-{n}-body"] = s.title, s.body
    data.update(
        {
            "questions-TOTAL_FORMS": str(len(questions)),
            "questions-INITIAL_FORMS": str(len(questions)),
        }
    )
    for n, q in enumerate(questions):
        data[f"questions-{n}-prompt"] = q.prompt
        data[f"questions-{n}-choices"] = "\n".join(q.choices)
        data[f"questions-{n}-answer"] = str(q.answer + 1)
        data[f"questions-{n}-explanation"] = q.explanation
    data.update(changes)
    return data


def snapshot() -> tuple[Any, ...]:
    p = Playbook.objects.get(slug=SBI)
    return (
        p.title,
        p.summary,
        p.version,
        list(p.steps.values_list("title", "body")),
        list(p.questions.values_list("prompt", "choices", "answer")),
    )


def test_hr_admin_saves_an_edit_and_the_version_goes_up() -> None:
    admin = hr_admin()
    playbook = Playbook.objects.get(slug=SBI)
    data = form_data(playbook, title="SBI, our way", **{"steps-0-body": "**New** text"})
    response = client_of(admin).post(EDIT, data)
    assert response.status_code == 302
    playbook.refresh_from_db()
    assert playbook.title == "SBI, our way" and playbook.version == 2
    assert playbook.steps.get(position=1).body == "**New** text"
    event = AuditEvent.objects.get(kind="playbook.edited")
    assert event.actor == admin


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"summary": "  "}, "summary"),
        ({"questions-0-answer": "4"}, "Question 1"),
        ({"questions-0-choices": "only one"}, "Question 1"),
        ({"questions-1-explanation": ""}, "Question 2"),
        ({"steps-0-body": ""}, "Step 1"),
        (
            {
                "steps-TOTAL_FORMS": "3",
                "steps-INITIAL_FORMS": "3",
                "steps-2-title": "",
                "steps-2-body": "",
            },
            "Steps",
        ),
        ({"questions-TOTAL_FORMS": "1", "questions-INITIAL_FORMS": "1"}, "Quiz"),
        ({"steps-TOTAL_FORMS": "50"}, "Steps"),
        ({"questions-0-answer": "nine"}, "number"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(changes: dict[str, str], named: str) -> None:
    before = snapshot()
    playbook = Playbook.objects.get(slug=SBI)
    response = client_of(hr_admin()).post(EDIT, form_data(playbook, **changes))
    assert response.status_code == 400
    html = response.content.decode()
    assert named.lower() in html.lower()
    assert snapshot() == before
    assert not AuditEvent.objects.filter(kind="playbook.edited").exists()


def test_the_management_form_missing_is_a_400_not_a_500() -> None:
    response = client_of(hr_admin()).post(EDIT, {"title": "x", "summary": "y"})
    assert response.status_code == 400


def test_preview_renders_the_markdown_safely_and_saves_nothing() -> None:
    before = snapshot()
    playbook = Playbook.objects.get(slug=SBI)
    body = "**Bold move** <script>alert(1)</script> [x](javascript:alert(1))"
    data = form_data(playbook, preview="1", **{"steps-0-body": body})
    html = client_of(hr_admin()).post(EDIT, data).content.decode()
    assert "<strong>Bold move</strong>" in html
    assert "<script>alert(1)" not in html and 'href="javascript:' not in html
    assert snapshot() == before


def test_unpublishing_hides_the_playbook_and_is_audited() -> None:
    admin = hr_admin()
    client_of(admin).post(f"/hr/coach/playbooks/{SBI}/publish/", {"published": "0"})
    assert not Playbook.objects.get(slug=SBI).published
    assert AuditEvent.objects.filter(kind="playbook.unpublished", actor=admin).count() == 1
    assert client_of(PersonFactory()).get(f"/coach/playbooks/{SBI}/").status_code == 404
    client_of(admin).post(f"/hr/coach/playbooks/{SBI}/publish/", {"published": "1"})
    assert AuditEvent.objects.filter(kind="playbook.published").count() == 1


def test_a_step_body_with_script_is_stored_as_typed_and_shown_escaped() -> None:
    playbook = Playbook.objects.get(slug=SBI)
    data = form_data(playbook, **{"steps-0-body": '<img src=x onerror="alert(1)">'})
    client_of(hr_admin()).post(EDIT, data)
    html = client_of(PersonFactory()).get(f"/coach/playbooks/{SBI}/").content.decode()
    assert "<img src=x" not in html and "&lt;img" in html


# --- Completion -------------------------------------------------------------------------


def _managers(department, n: int) -> list:  # type: ignore[no-untyped-def]
    people = []
    for _ in range(n):
        manager = PersonFactory(department=department)
        PersonFactory(manager=manager, department=department)
        people.append(manager)
    return people


def test_completion_figures_match_a_recount(books) -> None:  # type: ignore[no-untyped-def]
    dept = DepartmentFactory()
    a, b, c = _managers(dept, 3)
    complete(a, books[SBI])
    complete(a, books[FIRST])
    services.mark_step_done(playbook=books[SBI], position=1, by=b)
    services.answer_quiz(
        playbook=books[FIRST],
        answers={q.position: q.answer for q in books[FIRST].questions.all()},
        by=b,
    )
    complete(PersonFactory(department=dept), books[SBI])  # not a manager: not counted
    page = queries.completion(hr_admin())
    rows = {row.person.pk: row for row in page.rows}
    for manager in (a, b, c):
        mine = PlaybookProgress.objects.filter(person=manager)
        row = rows[manager.pk]
        assert row.started == mine.count()
        assert row.completed == mine.filter(completed_at__isnull=False).count()
        assert row.quiz_passed == mine.filter(quiz_passed=True).count()
    assert page.managers == 3
    totals = {p.slug: n for p, n in page.completed_by}
    assert totals[SBI] == 1 and totals[FIRST] == 1
    slugs = [p.slug for p in page.playbooks]
    assert rows[b.pk].states[slugs.index(SBI)] == "In progress"
    assert rows[a.pk].states[slugs.index(SBI)] == "Completed"
    assert rows[c.pk].states[slugs.index(SBI)] == "Not started"


def test_an_hr_partner_sees_only_the_managers_of_their_departments(books) -> None:  # type: ignore[no-untyped-def]
    mine, other = DepartmentFactory(), DepartmentFactory()
    (inside,) = _managers(mine, 1)
    (outside,) = _managers(other, 1)
    html = client_of(hr_partner([mine])).get("/hr/coach/playbooks/").content.decode()
    assert f'data-person="{inside.pk}"' in html
    assert f'data-person="{outside.pk}"' not in html
    assert "Edit the playbooks" not in html


def test_an_hr_partners_totals_count_only_the_managers_of_their_departments(books) -> None:  # type: ignore[no-untyped-def]
    mine, other = DepartmentFactory(), DepartmentFactory()
    inside, _ = _managers(mine, 2)
    (outside,) = _managers(other, 1)
    complete(inside, books[SBI])
    complete(outside, books[SBI])
    page = queries.completion(hr_partner([mine]))
    assert page.managers == 2
    assert {p.slug: n for p, n in page.completed_by}[SBI] == 1


def test_a_manager_who_left_is_not_counted(books) -> None:  # type: ignore[no-untyped-def]
    dept = DepartmentFactory()
    stays, leaves = _managers(dept, 2)
    complete(leaves, books[SBI])
    leaves.status = "left"
    leaves.save(update_fields=["status"])
    page = queries.completion(hr_admin())
    assert [row.person.pk for row in page.rows] == [stays.pk]
    assert page.managers == 1
    assert {p.slug: n for p, n in page.completed_by}[SBI] == 0


def test_the_completion_list_pages_by_name_50_at_a_time(books) -> None:  # type: ignore[no-untyped-def]
    _managers(DepartmentFactory(), 52)
    admin = hr_admin()
    first = queries.completion(admin)
    assert len(first.rows) == 50 and first.next_cursor
    second = queries.completion(admin, cursor=first.next_cursor)
    assert len(second.rows) == 2 and second.next_cursor is None
    seen = {r.person.pk for r in first.rows} | {r.person.pk for r in second.rows}
    assert len(seen) == 52 == first.managers


def test_a_bad_page_link_starts_again_from_the_first_page() -> None:
    response = client_of(hr_admin()).get("/hr/coach/playbooks/?cursor=garbage")
    assert response.status_code == 200
    assert "not valid" in response.content.decode()
