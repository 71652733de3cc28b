"""The pages of a first cycle in minutes (issue 16, item 7): the new cycle from the
program, the one set-up form with its phase dates, the launch checklist and who the launch
tells, Share on the submitted review and in Things waiting for you, and the import preview
with its summary and button first."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tandem.program import presets
from tandem.program.models import Program
from tandem.reviews.inbox import review_work
from tandem.reviews.models import Cycle, Phase, PhaseKind, ReviewState
from tandem.reviews.services.starter import create_starter_kit
from tandem.reviews.services.writing import submit
from tests.factories import PersonFactory
from tests.reviews.factories import close_phase, set_phase
from tests.reviews.setup_helpers import draft_cycle, edit_page_data, launch
from tests.reviews.writing_helpers import fresh, full_answers, make_team

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 4)  # a Wednesday


@pytest.fixture
def client(hr: Any, client_for: Any) -> Any:
    return client_for(hr)


def _apply(key: str) -> None:
    preset = presets.built_in(key)
    assert preset is not None
    program = Program.load()
    for name, value in preset.values.items():
        setattr(program, name, value)
    program.save()


def test_the_new_cycle_form_is_filled_in_before_hr_types_anything(client: Any) -> None:
    with time_machine.travel(TODAY, tick=False):
        page = client.get(reverse("reviews:cycle_new")).content.decode()
    assert 'value="Reviews first half 2026"' in page
    assert 'value="2026-01-01"' in page and 'value="2026-06-30"' in page
    assert 'value="2026-03-09"' in page  # next Monday


def test_the_new_cycle_page_says_what_the_program_gives_the_cycle(client: Any) -> None:
    _apply("growth-first")
    page = client.get(reverse("reviews:cycle_new")).content.decode()
    assert "self review, manager review, upward review" in page
    assert "Each phase lasts 14 days" in page


def test_creating_a_cycle_takes_the_programs_schedule_and_opens_its_page(
    client: Any, hr: Any
) -> None:
    _apply("startup-okrs")
    create_starter_kit(by=hr)
    response = client.post(
        reverse("reviews:cycle_new"),
        {
            "name": "Spring",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "starts_on": "2026-03-09",
        },
    )
    cycle = Cycle.objects.get(name="Spring")
    assert response["Location"] == reverse("reviews:cycle_setup", args=[cycle.pk])
    self_phase = Phase.objects.get(cycle=cycle, kind=PhaseKind.SELF)
    assert (self_phase.opens_on, self_phase.due_on) == (date(2026, 3, 9), date(2026, 3, 15))


def test_a_bad_start_date_names_the_field_and_creates_nothing(client: Any) -> None:
    response = client.post(
        reverse("reviews:cycle_new"),
        {
            "name": "Spring",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "starts_on": "the ninth",
        },
    )
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert not Cycle.objects.exists()


def test_the_set_up_page_saves_phase_dates_with_everything_else_in_one_save(
    client: Any, hr: Any
) -> None:
    cycle = draft_cycle(hr)
    data = edit_page_data(
        cycle,
        **{"basics-name": "Renamed", "phases-sharing_due_on": "2027-01-31"},
    )
    response = client.post(reverse("reviews:cycle_edit", args=[cycle.pk]), data)
    assert response.status_code == 302
    assert Cycle.objects.get(pk=cycle.pk).name == "Renamed"
    assert Phase.objects.get(cycle=cycle, kind=PhaseKind.SHARING).due_on == date(2027, 1, 31)


def test_a_phase_due_before_it_opens_names_the_phase_and_saves_nothing(
    client: Any, hr: Any
) -> None:
    cycle = draft_cycle(hr)
    opens = Phase.objects.get(cycle=cycle, kind=PhaseKind.MANAGER).opens_on
    data = edit_page_data(
        cycle,
        **{
            "basics-name": "Renamed",
            "phases-manager_due_on": date(opens.year - 1, 1, 1).isoformat(),
        },
    )
    response = client.post(reverse("reviews:cycle_edit", args=[cycle.pk]), data)
    assert "Manager review: the due date is before the phase opens." in response.content.decode()
    assert Cycle.objects.get(pk=cycle.pk).name == "Spring review"


def test_a_phase_with_only_one_date_names_the_missing_one(client: Any, hr: Any) -> None:
    cycle = draft_cycle(hr)
    data = edit_page_data(cycle, **{"phases-self_due_on": ""})
    response = client.post(reverse("reviews:cycle_edit", args=[cycle.pk]), data)
    assert "Self review: give the due date too." in response.content.decode()


def test_the_checklist_links_each_missing_step_to_where_it_is_fixed(client: Any, hr: Any) -> None:
    cycle = draft_cycle(hr)
    Phase.objects.filter(cycle=cycle, kind=PhaseKind.MANAGER).delete()
    page = client.get(reverse("reviews:cycle_setup", args=[cycle.pk])).content.decode()
    edit = reverse("reviews:cycle_edit", args=[cycle.pk])
    assert f'href="{edit}#phases">Fix: phase dates</a>' in page
    assert "Manager review: give the dates of this phase." in page
    assert "Review and launch…" not in page


def test_the_cycle_page_says_where_it_departs_from_the_program(client: Any, hr: Any) -> None:
    _apply("growth-first")
    cycle = draft_cycle(hr, use_for="calibration")
    page = client.get(reverse("reviews:cycle_setup", args=[cycle.pk])).content.decode()
    assert "Upward reviews: off — the program says on." in page
    assert "Results used for: development and calibration — the program says" in page


def test_the_launch_confirmation_names_the_first_people_it_tells(client: Any, hr: Any) -> None:
    people = [PersonFactory(first_name=f"Zed{n}", last_name="Zulu") for n in range(7)]
    cycle = draft_cycle(hr, additions=people)
    page = client.get(reverse("reviews:cycle_launch", args=[cycle.pk])).content.decode()
    assert "Zed0 Zulu, Zed1 Zulu" in page
    assert " more; " in page


def test_the_submitted_manager_review_has_the_share_button(client_for: Any) -> None:
    team = make_team()
    review = team.manager_review
    submit(review, answers=full_answers(review), version=0, by=team.manager)
    client = client_for(team.manager)
    page = client.get(reverse("reviews:review", args=[review.pk])).content.decode()
    assert "Share with Olu Owner" in page
    client.post(reverse("reviews:share", args=[team.participant.pk]))
    assert fresh(review).state == ReviewState.SHARED


def test_no_share_button_before_the_sharing_phase_opens(client_for: Any) -> None:
    team = make_team()
    review = team.manager_review
    submit(review, answers=full_answers(review), version=0, by=team.manager)
    close_phase(team.cycle, PhaseKind.SHARING)
    page = client_for(team.manager).get(reverse("reviews:review", args=[review.pk]))
    assert "Share with Olu Owner" not in page.content.decode()


def test_the_reviewee_gets_no_share_button(client_for: Any) -> None:
    team = make_team()
    review = team.manager_review
    submit(review, answers=full_answers(review), version=0, by=team.manager)
    page = client_for(team.owner).get(reverse("reviews:review", args=[review.pk]))
    assert "Share with" not in page.content.decode()


def test_things_waiting_asks_the_manager_to_share_once_sharing_opens(client_for: Any) -> None:
    team = make_team()
    review = team.manager_review
    submit(review, answers=full_answers(review), version=0, by=team.manager)
    items = [i for i in review_work(team.manager) if i.kind == "reviews.share"]
    assert [i.title for i in items] == [f"Share your review of Olu Owner ({team.cycle.name})"]
    assert items[0].url == reverse("reviews:review", args=[review.pk])


def test_nothing_to_share_is_waiting_before_the_sharing_phase(client_for: Any) -> None:
    team = make_team()
    review = team.manager_review
    submit(review, answers=full_answers(review), version=0, by=team.manager)
    phase = Phase.objects.get(cycle=team.cycle, kind=PhaseKind.SHARING)
    later = phase.due_on.replace(year=phase.due_on.year + 1)
    set_phase(team.cycle, PhaseKind.SHARING, opens_on=later, due_on=later)
    assert not [i for i in review_work(team.manager) if i.kind == "reviews.share"]


def test_a_shared_review_is_no_longer_waiting_to_be_shared(client_for: Any) -> None:
    team = make_team()
    review = team.manager_review
    submit(review, answers=full_answers(review), version=0, by=team.manager)
    client_for(team.manager).post(reverse("reviews:share", args=[team.participant.pk]))
    assert not [i for i in review_work(team.manager) if i.kind == "reviews.share"]


def test_the_import_preview_shows_the_summary_and_the_button_before_the_changes(
    client: Any,
) -> None:
    csv = b"email,first_name,last_name\nnew1@example.com,New,One\nnew2@example.com,New,Two\n"
    response = client.post(
        reverse("org:hr_import"),
        {"action": "upload", "file": SimpleUploadedFile("p.csv", csv, "text/csv")},
        follow=True,
    )
    page = response.content.decode()
    assert (
        page.index("2</strong> created")
        < page.index("Import 2 people")
        < page.index('id="changes-heading"')
    )


def test_a_running_cycle_keeps_its_phases_when_one_is_blanked_on_the_set_up_page(
    client: Any, hr: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cycle = launch(
        draft_cycle(hr, additions=[PersonFactory()]), hr, django_capture_on_commit_callbacks
    )
    data = edit_page_data(cycle, **{"phases-manager_opens_on": None, "phases-manager_due_on": None})
    response = client.post(reverse("reviews:cycle_edit", args=[cycle.pk]), data)
    assert "Manager review: give the dates of this phase." in response.content.decode()
    assert Phase.objects.filter(cycle=cycle, kind=PhaseKind.MANAGER).exists()


def test_a_running_cycles_deadline_is_extended_on_the_set_up_page(
    client: Any, hr: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cycle = launch(
        draft_cycle(hr, additions=[PersonFactory()]), hr, django_capture_on_commit_callbacks
    )
    data = edit_page_data(cycle, **{"phases-acknowledgement_due_on": "2099-12-31"})
    assert client.post(reverse("reviews:cycle_edit", args=[cycle.pk]), data).status_code == 302
    phase = Phase.objects.get(cycle=cycle, kind=PhaseKind.ACKNOWLEDGEMENT)
    assert phase.due_on == date(2099, 12, 31)
