"""Calibration on the reviews side: what calibration writes on participants, the phase rule
(no sharing while a session is open or a dated calibration phase runs), the rating of
record each reader sees, calibration's entries on a review's history, and the export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.program.models import Program
from tandem.reviews import history, phases, purpose, scores
from tandem.reviews.models import (
    CalibrationState,
    Participant,
    Phase,
    PhaseKind,
    ReviewState,
    UseFor,
)
from tandem.reviews.services.calibration import (
    REASON_MAX,
    mark_in_calibration,
    record_final,
    release_from_calibration,
    rescore,
)
from tandem.reviews.services.sharing import release_all, release_due, share
from tandem.reviews.services.writing import submit
from tests.factories import PersonFactory, hr_admin
from tests.reviews.factories import add_participant, add_review
from tests.reviews.writing_helpers import Team, fresh, full_answers, make_team, rating_key

pytestmark = pytest.mark.django_db

REASON = "Delivered the migration that two other teams depended on."


@pytest.fixture
def team() -> Team:
    return make_team()


def _submitted(team: Team, rating: int = 3) -> None:
    review = team.manager_review
    submit(review, answers=full_answers(review, rating=rating), version=0, by=team.manager)


def _participant(team: Team) -> Participant:
    return Participant.objects.select_related("cycle", "person").get(pk=team.participant.pk)


def _locked(team: Team, *, rating: int = 4, was: int = 3, reason: str = REASON) -> Participant:
    mark_in_calibration([team.participant.pk])
    record_final(team.participant.pk, rating=rating, points=5, calibrated_from=was, reason=reason)
    return _participant(team)


def _switch(on: bool) -> None:
    program = Program.load()
    program.calibration_shown_to_employee = on
    program.save()


def _calibration_phase(team: Team, *, ends_in_days: int) -> Phase:
    today = timezone.localdate()
    return Phase.objects.create(
        cycle=team.cycle,
        kind=PhaseKind.CALIBRATION,
        opens_on=today - timedelta(days=3),
        due_on=today + timedelta(days=ends_in_days),
    )


# --- The services calibration calls --------------------------------------------------------


def test_marking_people_in_calibration_opens_their_state_without_a_final_rating(team):
    assert mark_in_calibration([team.participant.pk]) == 1
    participant = _participant(team)
    assert participant.calibration_state == CalibrationState.OPEN
    assert participant.final_rating is None and participant.calibrated_from is None


def test_releasing_from_calibration_goes_back_to_not_calibrated(team):
    mark_in_calibration([team.participant.pk])
    assert release_from_calibration([team.participant.pk]) == 1
    assert _participant(team).calibration_state == CalibrationState.NONE


def test_releasing_leaves_a_locked_participant_locked(team):
    _submitted(team)
    _locked(team)
    assert release_from_calibration([team.participant.pk]) == 0
    assert _participant(team).calibration_state == CalibrationState.LOCKED


def test_recording_the_final_rating_locks_it_with_the_rating_before_and_the_reason(team):
    participant = _locked(team, rating=4, was=3)
    assert participant.calibration_state == CalibrationState.LOCKED
    assert (participant.final_rating, participant.final_rating_points) == (4, 5)
    assert participant.calibrated_from == 3
    assert participant.calibration_reason == REASON


def test_an_unchanged_rating_records_no_rating_before_and_no_reason(team):
    participant = _locked(team, rating=3, was=3, reason="Kept as it was.")
    assert participant.final_rating == 3
    assert participant.calibrated_from is None and participant.calibration_reason == ""


def test_a_long_reason_is_shortened_to_300_characters(team):
    participant = _locked(team, reason="word " * 200)
    assert len(participant.calibration_reason) == REASON_MAX
    assert participant.calibration_reason.endswith("…")


def test_the_score_follows_the_calibrated_rating(team):
    _submitted(team, rating=3)
    assert _participant(team).overall_score == Decimal("50.00")
    participant = _locked(team, rating=5, was=3)
    assert participant.overall_score == Decimal("100.00")
    assert "as calibrated" in " ".join(scores.explain(participant))


def test_opening_a_session_again_puts_the_score_back_on_the_managers_rating(team):
    _submitted(team, rating=3)
    _locked(team, rating=5, was=3)
    mark_in_calibration([team.participant.pk])
    assert _participant(team).overall_score == Decimal("50.00")


# --- The phase rule --------------------------------------------------------------------------


def test_sharing_is_refused_while_the_persons_session_is_open(team):
    _submitted(team)
    mark_in_calibration([team.participant.pk])
    with pytest.raises(ValidationError) as caught:
        share(_participant(team), by=team.manager)
    assert caught.value.message_dict["share"] == [
        "Olu Owner's rating is being calibrated in an open session; it can be shared once "
        "the session is locked."
    ]
    assert fresh(team.manager_review).state == ReviewState.SUBMITTED


def test_sharing_is_allowed_once_the_session_is_locked(team):
    _submitted(team)
    _locked(team)
    share(_participant(team), by=team.manager)
    assert fresh(team.manager_review).state == ReviewState.SHARED


def test_sharing_waits_for_a_dated_calibration_phase_to_close(team):
    _submitted(team)
    phase = _calibration_phase(team, ends_in_days=2)
    with pytest.raises(ValidationError) as caught:
        share(_participant(team), by=team.manager)
    assert "calibration phase runs until" in caught.value.message_dict["share"][0]
    phase.due_on = timezone.localdate() - timedelta(days=1)
    phase.save(update_fields=["due_on"])
    share(_participant(team), by=team.manager)
    assert fresh(team.manager_review).state == ReviewState.SHARED


def test_release_all_waits_for_a_dated_calibration_phase_to_close(team):
    _submitted(team)
    _calibration_phase(team, ends_in_days=2)
    with pytest.raises(ValidationError):
        release_all(team.cycle, by=hr_admin())
    assert fresh(team.manager_review).state == ReviewState.SUBMITTED


@pytest.mark.dates
def test_the_release_date_waits_for_the_calibration_phase_without_failing(team):
    _submitted(team)
    _calibration_phase(team, ends_in_days=2)
    team.cycle.release_on = timezone.localdate()
    team.cycle.save(update_fields=["release_on"])
    assert release_due(timezone.localdate()) == 0
    assert fresh(team.manager_review).state == ReviewState.SUBMITTED


def test_release_all_holds_back_people_in_an_open_session_and_counts_them(team):
    _submitted(team)
    colleague = PersonFactory(manager=team.manager)
    other = add_participant(team.cycle, colleague)
    other_review = add_review(other, team.manager, "manager")
    submit(other_review, answers=full_answers(other_review), version=0, by=team.manager)
    mark_in_calibration([team.participant.pk])
    released = release_all(team.cycle, by=hr_admin())
    assert (released.shared, released.held_back) == (1, 1)
    assert fresh(team.manager_review).state == ReviewState.SUBMITTED
    assert fresh(other_review).state == ReviewState.SHARED
    assert _participant(team).shared_at is None


def test_release_all_page_says_how_many_were_held_back(team, client_for):
    _submitted(team)
    mark_in_calibration([team.participant.pk])
    client = client_for(hr_admin())
    response = client.post(reverse("reviews:release_all", args=[team.cycle.pk]), follow=True)
    page = response.content.decode()
    assert "Shared 0 submitted manager reviews at once. 1 is held back" in page


def test_the_manager_is_not_offered_a_share_the_server_would_refuse(team, client_for):
    _submitted(team)
    mark_in_calibration([team.participant.pk])
    page = client_for(team.manager).get(_page(team)).content.decode()
    assert "Share with Olu Owner" not in page
    assert "being calibrated in an open session" in page


def test_the_share_button_comes_back_once_the_session_is_locked(team, client_for):
    _submitted(team)
    _locked(team)
    assert "Share with Olu Owner" in client_for(team.manager).get(_page(team)).content.decode()


def test_the_cycle_page_says_why_share_all_waits_instead_of_offering_it(team, client_for):
    _submitted(team)
    _calibration_phase(team, ends_in_days=2)
    page = client_for(hr_admin()).get(reverse("reviews:cycle", args=[team.cycle.pk])).text
    assert 'id="release-refused"' in page
    assert "Share all submitted manager reviews now</button>" not in page


def test_the_cycle_page_counts_reviews_held_back_by_an_open_session(team, client_for):
    _submitted(team)
    mark_in_calibration([team.participant.pk])
    page = client_for(hr_admin()).get(reverse("reviews:cycle", args=[team.cycle.pk])).text
    assert 'data-held-back="1"' in page


def test_the_refusal_names_the_phase_rule_before_anything_is_written(team):
    _calibration_phase(team, ends_in_days=0)
    assert phases.refusal(team.cycle, "review.share") is not None
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert phases.refusal(team.cycle, "review.share", today=tomorrow) is None


# --- What each reader sees -------------------------------------------------------------------


def _page(team: Team) -> str:
    return reverse("reviews:participant", args=[team.participant.pk])


def _shared_and_calibrated(team: Team) -> None:
    _submitted(team, rating=3)
    _locked(team, rating=4, was=3)
    share(_participant(team), by=team.manager)


def test_the_employee_sees_the_final_rating_and_not_the_one_before_with_the_switch_off(
    team, client_for
):
    _switch(False)
    _shared_and_calibrated(team)
    page = client_for(team.owner).get(_page(team)).content.decode()
    assert "4 — Above expectations" in page
    assert "3 — Meets expectations" not in page
    assert "Calibrated from" not in page and REASON not in page
    assert "data-calibrated-from" not in page


def test_the_employee_reading_the_manager_review_sees_the_final_rating_there_too(team, client_for):
    _switch(False)
    _shared_and_calibrated(team)
    url = reverse("reviews:review", args=[team.manager_review.pk])
    page = client_for(team.owner).get(url).content.decode()
    assert "4 — Above expectations" in page
    assert "3 — Meets expectations" not in page and "Calibrated from" not in page


def test_the_employee_sees_from_what_to_what_and_why_with_the_switch_on(team, client_for):
    _switch(True)
    _shared_and_calibrated(team)
    page = client_for(team.owner).get(_page(team)).content.decode()
    assert ("Calibrated from 3 — Meets expectations to 4 — Above expectations. " + REASON) in page


def test_the_employee_sees_no_rating_before_the_review_is_shared(team, client_for):
    _switch(True)
    _submitted(team, rating=3)
    _locked(team, rating=4, was=3)
    page = client_for(team.owner).get(_page(team)).content.decode()
    assert "data-rating=" not in page and "Calibrated from" not in page


def test_the_manager_sees_the_final_rating_and_the_calibration_note(team, client_for):
    _switch(False)
    _submitted(team, rating=3)
    _locked(team, rating=4, was=3)
    page = client_for(team.manager).get(_page(team)).content.decode()
    assert 'data-rating="4"' in page
    assert "Calibrated from 3 — Meets expectations to 4 — Above expectations." in page
    assert REASON in page
    assert "but not from what it was changed or why" in page


def test_the_manager_is_told_the_person_sees_the_change_when_the_switch_is_on(team, client_for):
    _switch(True)
    _submitted(team, rating=3)
    _locked(team, rating=4, was=3)
    page = client_for(team.manager).get(_page(team)).content.decode()
    assert "with from what it was changed and why" in page


def test_hr_sees_the_final_rating_and_the_calibration_note(team, client_for):
    _submitted(team, rating=3)
    _locked(team, rating=4, was=3)
    page = client_for(hr_admin()).get(_page(team)).content.decode()
    assert 'data-rating="4"' in page and 'data-calibrated-from="3"' in page


def test_the_participant_page_keeps_its_query_budget_once_calibrated(
    team, client_for, django_assert_max_num_queries
):
    _shared_and_calibrated(team)
    # One more than before calibration (10 and 12): the program's switch, read once to tell
    # the manager what the person sees, and to tell the person whether they see the change.
    for reader, budget in ((team.manager, 11), (team.owner, 13)):
        client = client_for(reader)
        client.get(_page(team))
        with django_assert_max_num_queries(budget):
            assert client.get(_page(team)).status_code == 200


# --- The API ---------------------------------------------------------------------------------


def _api(team: Team, person: Any) -> dict[str, Any]:
    from tests.reviews.api_helpers import bearer

    url = f"/api/v1/reviews/participants/{team.participant.pk}"
    return bearer(person).get(url).json()  # type: ignore[no-any-return]


def test_the_api_gives_managers_the_final_rating_and_the_rating_before(team):
    _submitted(team, rating=3)
    _locked(team, rating=4, was=3)
    body = _api(team, team.manager)
    assert (body["final_rating"], body["calibrated_from"]) == (4, 3)
    assert body["calibration_reason"] == REASON
    assert body["calibration_state"] == CalibrationState.LOCKED


def test_the_api_never_gives_the_employee_the_rating_before_with_the_switch_off(team):
    _switch(False)
    _shared_and_calibrated(team)
    body = _api(team, team.owner)
    assert body["final_rating"] == 4
    assert body["calibrated_from"] is None and body["calibration_reason"] is None
    assert body["calibration_state"] == ""


def test_the_api_gives_the_employee_the_rating_before_with_the_switch_on(team):
    _switch(True)
    _shared_and_calibrated(team)
    body = _api(team, team.owner)
    assert (body["final_rating"], body["calibrated_from"]) == (4, 3)


def test_the_api_review_shows_the_employee_the_final_overall_rating(team):
    from tests.reviews.api_helpers import bearer

    _switch(False)
    _shared_and_calibrated(team)
    review = team.manager_review
    body = bearer(team.owner).get(f"/api/v1/reviews/reviews/{review.pk}").json()
    assert body["answers"][rating_key(review)]["rating"] == 4
    manager_body = bearer(team.manager).get(f"/api/v1/reviews/reviews/{review.pk}").json()
    assert manager_body["answers"][rating_key(review)]["rating"] == 3


# --- History ---------------------------------------------------------------------------------


@pytest.fixture
def calibration_history(team: Team) -> Iterator[datetime]:
    when = timezone.now()

    def provider(participant_id: int) -> list[tuple[datetime, str]]:
        if participant_id != team.participant.pk:
            return []
        return [
            (when + timedelta(minutes=2), "Hana Facilitatrix locked the session."),
            (when + timedelta(minutes=1), "Hana Facilitatrix changed the rating from 3 to 4."),
        ]

    history.register_participant_history(provider)
    yield when
    history._PROVIDERS.remove(provider)


def test_hr_reads_calibrations_entries_on_the_manager_reviews_history_in_time_order(
    team, client_for, calibration_history
):
    _submitted(team)
    url = reverse("reviews:review_history", args=[team.manager_review.pk])
    page = client_for(hr_admin()).get(url).content.decode()
    changed = page.index("changed the rating from 3 to 4")
    locked = page.index("locked the session")
    assert locked < changed, "newest first, like the versions kept"
    assert page.count("data-history-event") == 2


def test_calibration_entries_merge_with_the_kept_versions_by_time(
    team, client_for, calibration_history
):
    from tandem.reviews.services.sharing import reopen

    _submitted(team)
    admin = hr_admin()
    reopen(team.manager_review, reason="Rating on the wrong question", by=admin)
    url = reverse("reviews:review_history", args=[team.manager_review.pk])
    page = client_for(admin).get(url).content.decode()
    assert page.index("locked the session") < page.index("Rating on the wrong question")


def test_the_manager_does_not_read_calibrations_entries_on_their_review_history(
    team, client_for, calibration_history
):
    _submitted(team)
    url = reverse("reviews:review_history", args=[team.manager_review.pk])
    page = client_for(team.manager).get(url).content.decode()
    assert "Facilitatrix" not in page


# --- What the forms say, and the export --------------------------------------------------------


def test_forms_say_used_in_calibration_once_sessions_discuss_the_cycles_people():
    team = make_team(use_for=UseFor.CALIBRATION)
    assert "in calibration" not in purpose.used_for(team.cycle)
    mark_in_calibration([team.participant.pk])
    assert "in calibration" in purpose.used_for(team.cycle)


def _results(client: Any, team: Team) -> list[dict[str, str]]:
    response = client.get(reverse("reviews:export_results_csv", args=[team.cycle.pk]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_results_export_has_the_final_rating_the_rating_before_and_the_reason(team, client_for):
    _submitted(team, rating=3)
    _locked(team, rating=4, was=3)
    (row,) = _results(client_for(hr_admin()), team)
    assert (row["Final rating"], row["Calibrated from"]) == ("4", "3")
    assert row["Calibration reason"] == REASON


def test_the_results_export_gives_the_managers_rating_before_calibration(team, client_for):
    _submitted(team, rating=3)
    (row,) = _results(client_for(hr_admin()), team)
    assert (row["Final rating"], row["Calibrated from"]) == ("3", "")


# --- The cycle page's way to calibration -----------------------------------------------------


def test_hr_finds_the_cycles_calibration_sessions_from_the_cycle_page(team, client_for):
    page = client_for(hr_admin()).get(reverse("reviews:cycle", args=[team.cycle.pk])).text
    link = reverse("calibration:cycle", kwargs={"cycle_id": team.cycle.pk})
    assert f'href="{link}" data-calibration-link' in page


def test_a_manager_following_the_cycle_gets_no_calibration_link(team, client_for):
    response = client_for(team.boss).get(reverse("reviews:cycle", args=[team.cycle.pk]))
    assert response.status_code == 200
    assert "data-calibration-link" not in response.text


# --- Reminders -------------------------------------------------------------------------------


def _share_work(team: Team) -> int:
    from tandem.reviews.queries.progress import open_work

    work = open_work(team.cycle, phases=[PhaseKind.SHARING])
    return work.get(team.manager.pk, {}).get("share", 0)


def test_the_manager_is_reminded_to_share_a_submitted_review(team):
    _submitted(team)
    assert _share_work(team) == 1


def test_no_reminder_to_share_a_review_an_open_session_holds(team):
    _submitted(team)
    mark_in_calibration([team.participant.pk])
    assert _share_work(team) == 0


def test_no_reminder_to_share_while_the_calibration_phase_runs(team):
    _submitted(team)
    _calibration_phase(team, ends_in_days=2)
    assert _share_work(team) == 0


def test_a_whole_session_is_rescored_at_a_fixed_number_of_queries(
    team, django_assert_max_num_queries
):
    people = [team.participant]
    for _ in range(12):
        colleague = PersonFactory(manager=team.manager)
        other = add_participant(team.cycle, colleague)
        review = add_review(other, team.manager, "manager")
        submit(review, answers=full_answers(review, rating=2), version=0, by=team.manager)
        people.append(other)
    ids = [p.pk for p in people]
    mark_in_calibration(ids)
    for pk in ids:
        record_final(pk, rating=5, points=5, calibrated_from=2, reason=REASON, rescore_now=False)
    # Who is in which cycle, the cycles, the ratings version bump, the overall question, the
    # ratings, the calibrated ratings, the participants, one bulk update: 8 whatever the size
    # of the session.
    with django_assert_max_num_queries(8):
        assert rescore(ids) == len(ids)
    assert Participant.objects.get(pk=people[1].pk).overall_score == Decimal("100.00")
