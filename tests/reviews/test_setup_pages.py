"""The HR setup pages: they render, bad input shows the field's message and saves nothing,
and each page costs a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tandem.reviews.models import (
    Cycle,
    CycleStatus,
    Participant,
    Phase,
    QuestionKind,
    RatingScale,
    Relationship,
    Template,
    TemplateQuestion,
)
from tandem.reviews.services import cycles, setup
from tests.factories import DepartmentFactory, PersonFactory
from tests.reviews.factories import RatingScaleFactory, template_with_questions
from tests.reviews.setup_helpers import draft_cycle, edit_page_data, launch

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(hr: Any, client_for: Any) -> Any:
    return client_for(hr)


def _team(size: int) -> Any:
    department = DepartmentFactory()
    boss = PersonFactory(department=department)
    for _ in range(size - 1):
        PersonFactory(department=department, manager=boss)
    return department


def test_the_overview_lists_cycles_and_links_to_create_one(client: Any, hr: Any) -> None:
    draft_cycle(hr, name="Spring 2026")
    page = client.get(reverse("reviews:admin")).content.decode()
    assert "Spring 2026" in page and reverse("reviews:cycle_new") in page


def test_hr_admins_see_the_review_cycles_entry_in_the_navigation(client: Any) -> None:
    assert "Review cycles" in client.get(reverse("home")).content.decode()


def test_a_scale_is_created_from_the_form(client: Any) -> None:
    data = {"name": "Three", "description": ""}
    for n in (1, 2, 3):
        data[f"label_{n}"] = f"L{n}"
        data[f"description_{n}"] = f"Means {n}"
    response = client.post(reverse("reviews:scale_new"), data)
    assert response.status_code == 302
    assert len(RatingScale.objects.get(name="Three").points) == 3


def test_a_scale_point_without_a_label_shows_the_point_and_saves_nothing(client: Any) -> None:
    data = {
        "name": "Three",
        "label_1": "Low",
        "description_1": "a",
        "label_2": "",
        "description_2": "b",
        "label_3": "High",
        "description_3": "c",
    }
    response = client.post(reverse("reviews:scale_new"), data)
    assert response.status_code == 200
    assert "Point 2: give it a label." in response.content.decode()
    assert not RatingScale.objects.exists()


def test_the_template_editor_shows_sections_questions_and_version_history(
    client: Any, hr: Any, django_capture_on_commit_callbacks: Any
) -> None:
    department = _team(2)
    cycle = launch(
        draft_cycle(hr, departments=[department], name="Autumn", relationships=["self"]),
        hr,
        django_capture_on_commit_callbacks,
    )
    template = cycle.forms.get().template
    page = client.get(reverse("reviews:template_edit", args=[template.pk])).content.decode()
    assert "Rating with an optional comment?" in page
    assert "v1" in page and "Autumn" in page


def test_adding_a_question_with_a_scale_to_free_text_shows_the_message(client: Any) -> None:
    template = template_with_questions(Relationship.SELF)
    section = template.sections.get()
    response = client.post(
        reverse("reviews:template_question_add", args=[section.pk]),
        {"kind": QuestionKind.TEXT, "prompt": "Why?", "scale": RatingScaleFactory().pk},
    )
    assert response.status_code == 200
    assert "A free-text question has no rating scale." in response.content.decode()
    assert TemplateQuestion.objects.filter(section=section).count() == 2


def test_a_rating_question_with_no_scale_chosen_asks_to_choose_and_saves_nothing(
    client: Any,
) -> None:
    section = template_with_questions(Relationship.SELF).sections.get()
    response = client.post(
        reverse("reviews:template_question_add", args=[section.pk]),
        {"kind": QuestionKind.RATING, "prompt": "How did it go?", "allow_comment": "on"},
    )
    assert response.status_code == 200
    assert "Choose a rating scale, or “No rating: written comments only”." in response.text
    assert section.questions.count() == 2


def test_comments_only_is_a_choice_a_goals_question_can_make(client: Any) -> None:
    section = template_with_questions(Relationship.SELF).sections.get()
    response = client.post(
        reverse("reviews:template_question_add", args=[section.pk]),
        {
            "kind": QuestionKind.GOALS,
            "prompt": "Your goals?",
            "scale": "none",
            "allow_comment": "on",
        },
    )
    assert response.status_code == 302
    assert section.questions.get(prompt="Your goals?").scale is None


def test_comments_only_for_a_rating_question_says_to_use_free_text(client: Any) -> None:
    section = template_with_questions(Relationship.SELF).sections.get()
    response = client.post(
        reverse("reviews:template_question_add", args=[section.pk]),
        {"kind": QuestionKind.RATING, "prompt": "How?", "scale": "none", "allow_comment": "on"},
    )
    assert "make it a free-text question" in response.text
    assert section.questions.count() == 2


def test_editing_a_comments_only_question_shows_that_choice(client: Any, hr: Any) -> None:
    section = template_with_questions(Relationship.SELF).sections.get()
    question = setup.add_question(
        section, by=hr, kind=QuestionKind.VALUES, prompt="Values?", scale=None
    )
    page = client.get(reverse("reviews:template_question_edit", args=[question.pk])).text
    assert '<option value="none" selected>No rating: written comments only</option>' in page


def test_a_question_is_added_from_its_page(client: Any) -> None:
    section = template_with_questions(Relationship.SELF).sections.get()
    response = client.post(
        reverse("reviews:template_question_add", args=[section.pk]),
        {"kind": QuestionKind.TEXT, "prompt": "What next?", "required": "on"},
    )
    assert response.status_code == 302
    assert section.questions.filter(prompt="What next?").exists()


def test_a_new_template_opens_its_editor(client: Any) -> None:
    response = client.post(
        reverse("reviews:template_new"), {"name": "Self 2026", "relationship": "self"}
    )
    template = Template.objects.get(name="Self 2026")
    assert response["Location"] == reverse("reviews:template_edit", args=[template.pk])


def test_a_new_cycle_is_a_draft(client: Any) -> None:
    response = client.post(
        reverse("reviews:cycle_new"),
        {"name": "H1", "period_start": "2026-01-01", "period_end": "2026-06-30"},
    )
    cycle = Cycle.objects.get(name="H1")
    assert response.status_code == 302 and cycle.status == CycleStatus.DRAFT


def test_weights_that_do_not_add_up_show_the_message_and_save_nothing(client: Any, hr: Any) -> None:
    cycle = draft_cycle(hr)
    data = edit_page_data(
        cycle,
        **{
            "basics-name": "Renamed",
            "settings-score_method": "weighted",
            "settings-weight_goals": "30",
            "settings-weight_competencies": "0",
            "settings-weight_manager": "40",
            "settings-weight_self": "10",
            "settings-weight_peers": "10",
        },
    )
    response = client.post(reverse("reviews:cycle_edit", args=[cycle.pk]), data)
    assert response.status_code == 200
    assert "The weights add up to 90; they must add up to 100." in response.content.decode()
    cycle.refresh_from_db()
    assert (cycle.score_method, cycle.name) == ("manager_rating", "Spring review")


def test_an_unknown_email_in_the_rules_is_named(client: Any, hr: Any) -> None:
    cycle = draft_cycle(hr)
    response = client.post(
        reverse("reviews:cycle_edit", args=[cycle.pk]),
        edit_page_data(cycle, **{"people-additions": "nobody@example.com"}),
    )
    assert "No one has the e-mail nobody@example.com." in response.content.decode()


def test_the_cycle_page_is_one_form_with_one_save_button(client: Any, hr: Any) -> None:
    cycle = draft_cycle(hr)
    page = client.get(reverse("reviews:cycle_edit", args=[cycle.pk])).content.decode()
    assert page.count("<form") == 1 + page.count('action="/logout/"')
    assert page.count('type="submit"') == 1 + page.count('action="/logout/"')


def test_a_setting_changed_before_choosing_templates_is_saved_with_them(
    client: Any, hr: Any
) -> None:
    cycle = draft_cycle(hr, relationships=[Relationship.SELF])
    template = template_with_questions(Relationship.MANAGER)
    response = client.post(
        reverse("reviews:cycle_edit", args=[cycle.pk]),
        edit_page_data(
            cycle,
            **{"settings-use_for": "pay_promotion", "forms-manager": str(template.pk)},
        ),
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.use_for == "pay_promotion"
    assert cycle.forms.get(relationship=Relationship.MANAGER).template == template


def test_a_mistake_in_one_part_saves_no_part_and_keeps_what_was_typed(client: Any, hr: Any) -> None:
    cycle = draft_cycle(hr)
    template = template_with_questions(Relationship.PEER)
    response = client.post(
        reverse("reviews:cycle_edit", args=[cycle.pk]),
        edit_page_data(
            cycle,
            **{
                "basics-name": "Autumn 2026",
                "forms-peer": str(template.pk),
                "people-additions": "nobody@example.com",
            },
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved" in page and 'value="Autumn 2026"' in page
    cycle.refresh_from_db()
    assert cycle.name == "Spring review"
    assert not cycle.forms.filter(relationship=Relationship.PEER).exists()


def test_a_refusal_by_a_later_part_undoes_the_earlier_parts(client: Any, hr: Any) -> None:
    cycle = draft_cycle(hr)
    someone = PersonFactory()
    response = client.post(
        reverse("reviews:cycle_edit", args=[cycle.pk]),
        edit_page_data(
            cycle,
            **{
                "basics-name": "Autumn 2026",
                "people-additions": someone.email,
                "people-removals": someone.email,
            },
        ),
    )
    assert "is both added and left out" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.name == "Spring review" and cycle.manual_additions == []


def test_the_forms_part_picks_templates(client: Any, hr: Any) -> None:
    cycle = cycles.create_cycle(
        by=hr,
        name="X",
        period_start=__import__("datetime").date(2026, 1, 1),
        period_end=__import__("datetime").date(2026, 6, 1),
    )
    template = template_with_questions(Relationship.MANAGER)
    response = client.post(
        reverse("reviews:cycle_edit", args=[cycle.pk]),
        edit_page_data(cycle, **{"forms-manager": str(template.pk)}),
    )
    assert response.status_code == 302
    assert cycle.forms.get().template == template


def test_phase_dates_out_of_order_name_the_phase_and_save_nothing(client: Any, hr: Any) -> None:
    cycle = cycles.create_cycle(
        by=hr,
        name="X",
        period_start=__import__("datetime").date(2026, 1, 1),
        period_end=__import__("datetime").date(2026, 6, 1),
    )
    data = {}
    for kind in ("self", "nomination", "peer", "manager", "sharing", "acknowledgement"):
        data[f"{kind}_opens_on"] = "2026-07-01"
        data[f"{kind}_due_on"] = "2026-07-10"
    data["manager_opens_on"] = "2026-06-01"
    response = client.post(reverse("reviews:cycle_phases", args=[cycle.pk]), data)
    assert response.status_code == 200
    assert "Manager review: it opens before" in response.content.decode()
    assert not Phase.objects.filter(cycle=cycle).exists()


def test_the_setup_page_previews_participants_and_offers_the_launch(client: Any, hr: Any) -> None:
    cycle = draft_cycle(hr, departments=[_team(3)])
    page = client.get(reverse("reviews:cycle_setup", args=[cycle.pk])).content.decode()
    assert "<strong>3</strong> people" in page
    assert reverse("reviews:cycle_launch", args=[cycle.pk]) in page


def _confirm(client: Any, cycle: Cycle, capture: Any, **data: Any) -> Any:
    page = client.get(reverse("reviews:cycle_launch", args=[cycle.pk])).context
    fields = {"people": page["preview"].people, "reviews": page["preview"].total_reviews}
    with capture(execute=True):
        return client.post(reverse("reviews:cycle_launch", args=[cycle.pk]), {**fields, **data})


def test_launching_from_the_page_shows_launched(
    client: Any, hr: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cycle = draft_cycle(hr, departments=[_team(3)])
    response = _confirm(client, cycle, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:cycle_setup", args=[cycle.pk])
    fragment = client.get(reverse("reviews:cycle_launch_progress", args=[cycle.pk]))
    assert "Launched" in fragment.content.decode()
    assert "hx-trigger" not in fragment.content.decode()


def test_the_launch_page_says_what_launching_does_before_anything_is_sent(
    client: Any, hr: Any
) -> None:
    cycle = draft_cycle(
        hr, departments=[_team(3)], relationships=[Relationship.SELF, Relationship.MANAGER]
    )
    page = client.get(reverse("reviews:cycle_launch", args=[cycle.pk])).content.decode()
    assert "3 people take part" in page
    assert "5 reviews" in page and "3 self reviews, 2 manager reviews" in page
    assert "3 people are told" in page and "3 by e-mail now" in page
    assert "never signed in" not in page
    assert Cycle.objects.get(pk=cycle.pk).status == CycleStatus.DRAFT


def test_the_launch_page_counts_reviewers_who_never_signed_in(client: Any, hr: Any) -> None:
    department = DepartmentFactory()
    boss = PersonFactory(department=department, password=None)
    PersonFactory(department=department, manager=boss, password=None)
    PersonFactory(department=department, manager=boss)
    cycle = draft_cycle(hr, departments=[department])
    page = client.get(reverse("reviews:cycle_launch", args=[cycle.pk])).content.decode()
    assert "2 of them have never signed in" in page
    assert "their e-mail is also their invitation" in page


def test_pressing_launch_without_the_confirmation_launches_nothing(
    client: Any, hr: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cycle = draft_cycle(hr, departments=[_team(3)])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:cycle_launch", args=[cycle.pk]))
    assert response["Location"] == reverse("reviews:cycle_launch", args=[cycle.pk])
    assert Cycle.objects.get(pk=cycle.pk).status == CycleStatus.DRAFT


def test_a_launch_whose_numbers_changed_since_is_shown_again(
    client: Any, hr: Any, django_capture_on_commit_callbacks: Any
) -> None:
    department = _team(3)
    cycle = draft_cycle(hr, departments=[department])
    response = _confirm(client, cycle, django_capture_on_commit_callbacks, people=2)
    assert response["Location"] == reverse("reviews:cycle_launch", args=[cycle.pk])
    assert Cycle.objects.get(pk=cycle.pk).status == CycleStatus.DRAFT
    page = client.get(response["Location"]).content.decode()
    assert "the cycle now has 3 people" in page


def test_a_draft_that_is_not_ready_lists_what_is_missing_and_offers_no_launch(
    client: Any, hr: Any
) -> None:
    cycle = draft_cycle(hr, relationships=[Relationship.MANAGER], kinds=[QuestionKind.TEXT])
    page = client.get(reverse("reviews:cycle_launch", args=[cycle.pk])).content.decode()
    assert "It cannot launch yet" in page
    assert "has none. Mark one of its rating questions" in page
    assert 'name="people"' not in page


def test_while_launching_the_progress_polls_every_two_seconds(client: Any, hr: Any) -> None:
    cycle = draft_cycle(hr)
    Cycle.objects.filter(pk=cycle.pk).update(
        status=CycleStatus.LAUNCHING, launch_done=25, launch_total=100
    )
    page = client.get(reverse("reviews:cycle_launch_progress", args=[cycle.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and "25%" in page and "25 of 100" in page


def test_a_late_joiner_is_added_from_the_participants_page(
    client: Any, hr: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cycle = launch(draft_cycle(hr, departments=[_team(2)]), hr, django_capture_on_commit_callbacks)
    newcomer = PersonFactory()
    response = client.post(
        reverse("reviews:participant_add", args=[cycle.pk]),
        {"email": newcomer.email, "reason": "Joined late"},
    )
    assert response.status_code == 302
    assert Participant.objects.get(cycle=cycle, person=newcomer).added_late


def test_removing_without_a_reason_removes_nobody(
    client: Any, hr: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cycle = launch(draft_cycle(hr, departments=[_team(2)]), hr, django_capture_on_commit_callbacks)
    participant = Participant.objects.filter(cycle=cycle).first()
    client.post(reverse("reviews:participant_remove", args=[participant.pk]), {"reason": ""})
    participant.refresh_from_db()
    assert participant.removed_at is None


def test_participants_are_searched_by_name(
    client: Any, hr: Any, django_capture_on_commit_callbacks: Any
) -> None:
    department = _team(2)
    PersonFactory(department=department, first_name="Zelda", last_name="Quark")
    cycle = launch(
        draft_cycle(hr, departments=[department]), hr, django_capture_on_commit_callbacks
    )
    page = client.get(reverse("reviews:cycle_participants", args=[cycle.pk]), {"q": "quark"})
    text = page.content.decode()
    assert "Zelda Quark" in text and text.count("<tr>") == 2


def test_a_tampered_page_link_starts_again(
    client: Any, hr: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cycle = launch(draft_cycle(hr, departments=[_team(2)]), hr, django_capture_on_commit_callbacks)
    page = client.get(reverse("reviews:cycle_participants", args=[cycle.pk]), {"cursor": "x!"})
    assert page.status_code == 200 and "start again" in page.content.decode()


@pytest.mark.parametrize("size", [3, 30])
def test_setup_pages_have_a_fixed_query_budget(
    client: Any,
    hr: Any,
    size: int,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    draft = draft_cycle(hr, departments=[_team(size)], name="Draft")
    running = launch(
        draft_cycle(hr, departments=[_team(size)], name="Running"),
        hr,
        django_capture_on_commit_callbacks,
    )
    template = running.forms.first().template
    for url, budget in (
        (reverse("reviews:admin"), 8),
        (reverse("reviews:templates"), 8),
        (reverse("reviews:scales"), 8),
        (reverse("reviews:template_edit", args=[template.pk]), 14),
        (reverse("reviews:cycle_edit", args=[draft.pk]), 16),
        # 19: whether the chosen templates ask for ratings, for the "used for" sentence;
        # 20: the program, for where the cycle departs from it.
        (reverse("reviews:cycle_setup", args=[draft.pk]), 20),
        # 20: the first reviewers' names, for who the launch tells.
        (reverse("reviews:cycle_launch", args=[draft.pk]), 20),
        (reverse("reviews:cycle_setup", args=[running.pk]), 12),
        (reverse("reviews:cycle_participants", args=[running.pk]), 10),
        (reverse("reviews:cycle_phases", args=[running.pk]), 8),
    ):
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200, url
