"""Launching a cycle: frozen snapshots, the reviews it creates, progress, failure and
re-runs, and who takes part after launch (late joiners, leavers, a new manager)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tandem.access.rules import SYSTEM
from tandem.audit.models import AuditEvent
from tandem.notifications.models import Notification
from tandem.org.models import Department
from tandem.org.services.imports import import_people
from tandem.org.services.people import change_manager
from tandem.program.models import Program
from tandem.reviews import versions
from tandem.reviews.models import (
    CycleForm,
    CycleStatus,
    Participant,
    QuestionKind,
    Relationship,
    Review,
    ReviewState,
    TemplateQuestion,
    TemplateVersion,
)
from tandem.reviews.services import cycles
from tandem.reviews.services.launch import notify_launch
from tests.factories import DepartmentFactory, PersonFactory
from tests.reviews.setup_helpers import draft_cycle, launch

pytestmark = pytest.mark.django_db


@pytest.fixture
def team() -> dict[str, Any]:
    """A department with a head, a manager under them and two reports."""
    department = DepartmentFactory(name="Platform")
    head = PersonFactory(department=department, title="Head of Platform")
    lead = PersonFactory(department=department, manager=head, title="Team Lead")
    ada = PersonFactory(department=department, manager=lead, title="Engineer", level="IC3")
    bo = PersonFactory(department=department, manager=lead, title="Engineer")
    return {"department": department, "head": head, "lead": lead, "ada": ada, "bo": bo}


def _cycle(hr: Any, team: dict[str, Any], **kwargs: Any) -> Any:
    kwargs.setdefault("departments", [team["department"]])
    return draft_cycle(hr, **kwargs)


def _reviews(cycle: Any, relationship: str) -> set[tuple[int, int]]:
    return set(
        Review.objects.filter(cycle=cycle, relationship=relationship).values_list(
            "reviewee_id", "reviewer_id"
        )
    )


def test_launch_freezes_each_persons_title_department_and_manager(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cycle = launch(_cycle(hr, team), hr, django_capture_on_commit_callbacks)
    assert cycle.status == CycleStatus.ACTIVE and cycle.launched_at is not None
    ada = Participant.objects.get(cycle=cycle, person=team["ada"])
    assert (ada.title, ada.level, ada.department_name) == ("Engineer", "IC3", "Platform")
    assert ada.manager_id == team["lead"].pk
    assert ada.manager_name == team["lead"].display_name
    assert ada.path == team["ada"].path


def test_launch_creates_a_self_review_for_everyone_and_a_manager_review_where_there_is_one(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cycle = launch(_cycle(hr, team), hr, django_capture_on_commit_callbacks)
    people = [team[k] for k in ("head", "lead", "ada", "bo")]
    assert _reviews(cycle, Relationship.SELF) == {(p.pk, p.pk) for p in people}
    assert _reviews(cycle, Relationship.MANAGER) == {
        (p.pk, p.manager_id) for p in people if p.manager_id
    }


def test_the_manager_writes_the_manager_review_even_when_not_taking_part(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cycle = draft_cycle(hr, departments=[DepartmentFactory()], additions=[team["ada"]])
    cycle = launch(cycle, hr, django_capture_on_commit_callbacks)
    assert _reviews(cycle, Relationship.MANAGER) == {(team["ada"].pk, team["lead"].pk)}


def test_upward_and_skip_level_reviews_follow_the_reporting_lines(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    relationships = (Relationship.SELF, Relationship.UPWARD, Relationship.SKIP_LEVEL)
    cycle = launch(
        _cycle(hr, team, relationships=relationships), hr, django_capture_on_commit_callbacks
    )
    head, lead, ada, bo = (team[k].pk for k in ("head", "lead", "ada", "bo"))
    assert _reviews(cycle, Relationship.UPWARD) == {(lead, ada), (lead, bo), (head, lead)}
    assert _reviews(cycle, Relationship.SKIP_LEVEL) == {(ada, head), (bo, head)}
    assert not _reviews(cycle, Relationship.MANAGER)


def test_a_change_of_manager_after_launch_changes_neither_snapshot_nor_manager_reviewer(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cycle = launch(_cycle(hr, team), hr, django_capture_on_commit_callbacks)
    change_manager(person=team["ada"], manager=team["head"], by=hr)
    ada = Participant.objects.get(cycle=cycle, person=team["ada"])
    assert ada.manager_id == team["lead"].pk
    assert ada.manager_name == team["lead"].display_name
    review = Review.objects.get(participant=ada, relationship=Relationship.MANAGER)
    assert review.reviewer_id == team["lead"].pk


def test_the_reviews_use_the_versions_frozen_at_launch(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cycle = launch(_cycle(hr, team), hr, django_capture_on_commit_callbacks)
    form = CycleForm.objects.get(cycle=cycle, relationship=Relationship.SELF)
    assert form.version is not None
    versions_used = set(
        Review.objects.filter(cycle=cycle, relationship=Relationship.SELF).values_list(
            "template_version_id", flat=True
        )
    )
    assert versions_used == {form.version_id}


def test_with_ratings_switched_off_the_frozen_forms_have_no_scales(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    program = Program.load()
    program.review_ratings_enabled = False
    program.save()
    cycle = launch(_cycle(hr, team), hr, django_capture_on_commit_callbacks)
    form = CycleForm.objects.select_related("version").get(
        cycle=cycle, relationship=Relationship.SELF
    )
    assert form.version is not None
    assert all(q["scale"] is None for q in versions.questions(form.version.content))


def test_reviewers_are_told_once_each(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cycle = launch(_cycle(hr, team), hr, django_capture_on_commit_callbacks)
    lead = Notification.objects.get(kind="reviews.assigned", person=team["lead"])
    assert lead.title == f"3 reviews to write in “{cycle.name}”"
    assert Notification.objects.filter(kind="reviews.assigned").count() == 4


def test_progress_reaches_the_total(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    seen: list[tuple[int, int]] = []
    cycle = _cycle(hr, team)
    with django_capture_on_commit_callbacks(execute=False):
        cycles.launch_cycle(cycle, by=hr)
    cycles.run_launch(cycle.pk, progress=lambda done, total: seen.append((done, total)))
    cycle.refresh_from_db()
    assert cycle.launch_total > 0 and cycle.launch_done == cycle.launch_total
    assert seen[-1] == (cycle.launch_total, cycle.launch_total)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_the_launch_is_audited_once(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cycle = launch(_cycle(hr, team), hr, django_capture_on_commit_callbacks)
    event = AuditEvent.objects.get(kind="review.cycle_launch", object_id=str(cycle.pk))
    assert event.actor_id == hr.pk
    assert event.changes["participants"] == 4


def test_a_failed_launch_leaves_nothing_and_says_why(
    hr: Any,
    team: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("tandem.reviews.services.launch_sql.insert_reviews", boom)
    cycle = _cycle(hr, team)
    # The task backend keeps the task's exception in its result; the cycle says it too.
    with django_capture_on_commit_callbacks(execute=True):
        cycles.launch_cycle(cycle, by=hr)
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.DRAFT
    assert "disk full" in cycle.launch_error
    assert not Participant.objects.filter(cycle=cycle).exists()
    assert not Review.objects.filter(cycle=cycle).exists()
    assert not CycleForm.objects.filter(cycle=cycle, version__isnull=False).exists()


def test_running_the_launch_again_creates_nothing_twice(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cycle = launch(_cycle(hr, team), hr, django_capture_on_commit_callbacks)
    counts = (Participant.objects.count(), Review.objects.count(), Notification.objects.count())
    assert cycles.run_launch(cycle.pk) is None
    # A worker that died half-way and is retried: the cycle is still "launching".
    type(cycle).objects.filter(pk=cycle.pk).update(status=CycleStatus.LAUNCHING)
    cycles.run_launch(cycle.pk)
    notify_launch(cycle.pk)
    after = (Participant.objects.count(), Review.objects.count(), Notification.objects.count())
    assert after == counts


def _people(count: int) -> Any:
    department = DepartmentFactory()
    boss = PersonFactory(department=department)
    for _ in range(count - 1):
        PersonFactory(department=department, manager=boss)
    return department


@pytest.mark.parametrize("size", [10, 40])
def test_the_launch_takes_the_same_number_of_queries_for_any_size(
    hr: Any,
    size: int,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    department = _people(size)
    relationships = (
        Relationship.SELF,
        Relationship.MANAGER,
        Relationship.UPWARD,
        Relationship.SKIP_LEVEL,
    )
    cycle = draft_cycle(hr, departments=[department], relationships=relationships)
    with django_capture_on_commit_callbacks(execute=False):
        cycles.launch_cycle(cycle, by=hr)
    with django_assert_max_num_queries(65):
        cycles.run_launch(cycle.pk)
    assert Participant.objects.filter(cycle=cycle).count() == size


def test_a_draft_without_forms_phases_or_people_cannot_launch(hr: Any) -> None:
    cycle = cycles.create_cycle(
        by=hr,
        name="Empty",
        period_start=__import__("datetime").date(2025, 1, 1),
        period_end=__import__("datetime").date(2025, 6, 30),
    )
    cycles.set_participant_rules(cycle, by=hr, departments=[DepartmentFactory()])
    with pytest.raises(ValidationError) as error:
        cycles.launch_cycle(cycle, by=hr)
    assert set(error.value.message_dict) >= {"forms", "phases", "participants"}
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.DRAFT


def test_a_template_without_questions_cannot_launch(hr: Any, team: dict[str, Any]) -> None:
    cycle = _cycle(hr, team, kinds=())
    with pytest.raises(ValidationError) as error:
        cycles.launch_cycle(cycle, by=hr)
    assert "no questions" in error.value.message_dict["forms"][0]


def test_a_score_of_the_manager_rating_needs_a_question_marked_overall(
    hr: Any, team: dict[str, Any]
) -> None:
    cycle = _cycle(hr, team, kinds=(QuestionKind.TEXT,))
    with pytest.raises(ValidationError) as error:
        cycles.launch_cycle(cycle, by=hr)
    message = error.value.message_dict["score"][0]
    assert message.startswith("The overall score is the manager's rating")
    assert "Mark one of its rating questions" in message
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.DRAFT


def test_a_weighted_score_with_the_manager_rating_needs_it_too(
    hr: Any, team: dict[str, Any]
) -> None:
    cycle = _cycle(
        hr,
        team,
        kinds=(QuestionKind.TEXT,),
        score_method="weighted",
        weight_goals=50,
        weight_manager=50,
    )
    assert "weighted 50% on the manager's rating" in cycles.launch_problems(cycle)["score"]


def test_a_score_without_the_manager_rating_needs_no_overall_question(
    hr: Any, team: dict[str, Any]
) -> None:
    cycle = _cycle(
        hr,
        team,
        kinds=(QuestionKind.TEXT,),
        score_method="weighted",
        weight_goals=100,
        weight_manager=0,
    )
    assert "score" not in cycles.launch_problems(cycle)


def test_with_ratings_switched_off_no_overall_question_is_needed(
    hr: Any, team: dict[str, Any]
) -> None:
    Program.objects.create(pk=1, review_ratings_enabled=False)
    cycle = _cycle(hr, team, kinds=(QuestionKind.TEXT,))
    assert cycles.launch_problems(cycle) == {}


def test_a_rating_question_saved_without_a_scale_before_stops_the_launch(
    hr: Any, team: dict[str, Any]
) -> None:
    cycle = _cycle(hr, team)
    self_form = cycle.forms.get(relationship=Relationship.SELF)
    TemplateQuestion.objects.filter(section__template=self_form.template).update(
        scale=None, is_overall=False
    )
    problem = cycles.launch_problems(cycle)["questions"]
    assert problem.startswith("Self review: the rating question")
    assert "has no rating scale" in problem


@pytest.mark.parametrize(
    "relationships",
    [
        (Relationship.SELF, Relationship.MANAGER),
        (Relationship.MANAGER, Relationship.UPWARD, Relationship.SKIP_LEVEL),
    ],
)
def test_the_launch_preview_counts_what_the_launch_creates(
    hr: Any,
    team: dict[str, Any],
    relationships: tuple[str, ...],
    django_capture_on_commit_callbacks: Any,
) -> None:
    cycle = _cycle(hr, team, relationships=relationships)
    preview = cycles.launch_preview(cycle)

    launch(cycle, hr, django_capture_on_commit_callbacks)

    made = Review.objects.filter(cycle=cycle)
    assert preview.people == Participant.objects.filter(cycle=cycle).count()
    assert preview.reviews == {r: made.filter(relationship=r).count() for r in relationships}
    assert preview.reviewers == made.values("reviewer_id").distinct().count()
    assert preview.reviewers == Notification.objects.filter(kind="reviews.assigned").count()


def test_launching_to_imported_reviewers_sends_each_an_email_they_can_act_on(
    hr: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    result = import_people(
        by=SYSTEM,
        rows=[
            {
                "employee_id": "E1",
                "email": "lead@example.com",
                "first_name": "Lee",
                "last_name": "Lead",
                "department": "Imported",
            },
            {
                "employee_id": "E2",
                "email": "ana@example.com",
                "first_name": "Ana",
                "last_name": "Ng",
                "department": "Imported",
                "manager_employee_id": "E1",
            },
        ],
    )
    assert result.applied
    cycle = draft_cycle(hr, departments=[Department.objects.get(name="Imported")])

    launch(cycle, hr, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.com", "lead@example.com"]
    for message in mail.outbox:
        link = re.search(r"https?://[^/\s]+(/welcome/\S+)", message.body)
        assert link, message.body
        visitor = Client()
        page = visitor.get(link.group(1), follow=True)
        landed = visitor.post(
            page.redirect_chain[-1][0],
            {
                "new_password1": "a-long-new-passphrase-7",
                "new_password2": "a-long-new-passphrase-7",
            },
            follow=True,
        )
        assert landed.request["PATH_INFO"] == reverse("reviews:mine")
        assert landed.status_code == 200 and "Spring review" in landed.text


# --- After launch ----------------------------------------------------------------------------


def test_a_late_joiner_gets_a_snapshot_and_reviews_and_the_reason_is_audited(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cycle = launch(_cycle(hr, team), hr, django_capture_on_commit_callbacks)
    newcomer = PersonFactory(manager=team["lead"], title="New Engineer")
    participant = cycles.add_participant(cycle, newcomer, reason="Joined in March", by=hr)
    assert participant.added_late and participant.title == "New Engineer"
    assert (newcomer.pk, team["lead"].pk) in _reviews(cycle, Relationship.MANAGER)
    assert (newcomer.pk, newcomer.pk) in _reviews(cycle, Relationship.SELF)
    event = AuditEvent.objects.get(kind="review.participant_add")
    assert event.note == "Joined in March"


def test_adding_a_late_joiner_needs_a_reason(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cycle = launch(_cycle(hr, team), hr, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as error:
        cycles.add_participant(cycle, PersonFactory(), reason="  ", by=hr)
    assert "reason" in error.value.message_dict
    assert Participant.objects.filter(cycle=cycle).count() == 4


def test_a_leaver_is_removed_with_the_reason_and_keeps_their_reviews(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cycle = launch(_cycle(hr, team), hr, django_capture_on_commit_callbacks)
    bo = Participant.objects.get(cycle=cycle, person=team["bo"])
    cycles.remove_participant(bo, reason="Left the company", by=hr)
    bo.refresh_from_db()
    assert bo.removed_at is not None and bo.removed_reason == "Left the company"
    assert Review.objects.filter(participant=bo).count() == 2
    assert AuditEvent.objects.get(kind="review.participant_remove").note == "Left the company"


def test_hr_hands_an_open_manager_review_to_the_new_manager(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cycle = launch(_cycle(hr, team), hr, django_capture_on_commit_callbacks)
    ada = Participant.objects.get(cycle=cycle, person=team["ada"])
    review = cycles.reassign_manager_review(ada, team["head"], reason="New manager", by=hr)
    assert review.reviewer_id == team["head"].pk and review.answers == {}
    ada.refresh_from_db()
    assert ada.manager_id == team["head"].pk


def test_a_submitted_manager_review_is_not_handed_on(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cycle = launch(_cycle(hr, team), hr, django_capture_on_commit_callbacks)
    ada = Participant.objects.get(cycle=cycle, person=team["ada"])
    Review.objects.filter(participant=ada, relationship=Relationship.MANAGER).update(
        state=ReviewState.SUBMITTED
    )
    with pytest.raises(ValidationError) as error:
        cycles.reassign_manager_review(ada, team["head"], reason="New manager", by=hr)
    assert "manager" in error.value.message_dict
    assert Review.objects.get(participant=ada, relationship=Relationship.MANAGER).reviewer_id == (
        team["lead"].pk
    )


def test_closing_a_running_cycle(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cycle = launch(_cycle(hr, team), hr, django_capture_on_commit_callbacks)
    cycle = cycles.close_cycle(cycle, by=hr)
    assert cycle.status == CycleStatus.CLOSED and cycle.closed_at is not None


def test_a_second_launch_reuses_an_unchanged_version(
    hr: Any, team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    first = launch(_cycle(hr, team), hr, django_capture_on_commit_callbacks)
    template = CycleForm.objects.get(cycle=first, relationship=Relationship.SELF).template
    second = _cycle(hr, team, name="Autumn review")
    cycles.set_forms(second, by=hr, forms={Relationship.SELF: template})
    second = launch(second, hr, django_capture_on_commit_callbacks)
    assert TemplateVersion.objects.filter(template=template).count() == 1
