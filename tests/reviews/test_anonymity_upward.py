"""Upward reviews, tried as an attacker would: the manager reviewed, their own manager and HR
(without the program switch) never see an upward answer before the minimum answered and the
answers were released; afterwards only per question, shuffled, never as one writer's row;
no per-writer state, count or time while the phase is open — in pages, the API, exports,
the evidence packet, notifications, reminders and the audit trail (docs/anonymity.md)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.access.rules import can
from tandem.audit.models import AnonymousTally, AuditEvent
from tandem.notifications.models import Notification
from tandem.reviews import evidence
from tandem.reviews.models import PhaseKind, Relationship
from tandem.reviews.queries import anonymous
from tandem.reviews.services import reminders
from tests.reviews.anonymity_helpers import page_text, set_minimum, upward_team
from tests.reviews.api_helpers import BASE, bearer
from tests.reviews.factories import close_phase

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 11, 10, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture(autouse=True)
def _pinned():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team():  # type: ignore[no-untyped-def]
    set_minimum(3)
    return upward_team(reports=4)


def _readers(team):  # type: ignore[no-untyped-def]
    """Everyone who reads about the manager: the manager (once shared), their manager and
    HR (admin, covering partner) — none of them may know who wrote an upward review."""
    return [team.manager, team.boss, team.admin, team.partner]


def _participant_url(team) -> str:  # type: ignore[no-untyped-def]
    return f"/reviews/participants/{team.participant.pk}/"


def _api_groups(person, team):  # type: ignore[no-untyped-def]
    url = f"{BASE}/participants/{team.participant.pk}/anonymous-answers"
    response = bearer(person).get(url)
    assert response.status_code == 200, response.content
    return response.json()


# --- Nothing before the minimum, nothing before release -------------------------------------


def test_below_the_minimum_no_reader_ever_sees_an_upward_answer(team, client_for):
    team.share()
    for report in team.reports[:2]:  # 2 of the 3 needed
        team.write(report)
    team.close_and_release()
    for reader in _readers(team):
        page = page_text(client_for(reader), _participant_url(team))
        assert "UPWARD-ANSWER" not in page
        assert "fewer than 3" in page
        [group] = _api_groups(reader, team)
        assert group["status"] == "withheld" and group["sections"] == []
        assert "UPWARD-ANSWER" not in json.dumps(group)


def test_with_enough_answers_nothing_shows_until_the_phase_closed_and_the_daily_run(
    team, client_for
):
    team.share()
    for report in team.reports:
        team.write(report)
    for reader in _readers(team):
        assert "UPWARD-ANSWER" not in page_text(client_for(reader), _participant_url(team))
        [group] = _api_groups(reader, team)
        assert group["sections"] == [] and group["answered"] is None
    close_phase(team.cycle, PhaseKind.PEER)
    [group] = _api_groups(team.boss, team)
    assert group["status"] == "closed" and group["sections"] == []
    team.close_and_release()
    [group] = _api_groups(team.boss, team)
    assert group["status"] == "released" and group["answered"] == 4


def test_released_answers_are_per_question_with_no_writer_rows(team, client_for):
    team.share()
    for report in team.reports:
        team.write(report)
    team.close_and_release()
    upward_ids = [team.review_by(r).pk for r in team.reports]
    for reader in _readers(team):
        page = page_text(client_for(reader), _participant_url(team))
        assert all(f"UPWARD-ANSWER-{r.pk}" in page for r in team.reports)
        for report in team.reports:
            assert report.display_name not in page
        for pk in upward_ids:
            assert f"/reviews/{pk}/" not in page and f"review-{pk}" not in page
        assert "Report 1" not in page and "Upward review by" not in page
        [group] = _api_groups(reader, team)
        dumped = json.dumps(group)
        assert all(report.email not in dumped for report in team.reports)
        for question in (q for s in group["sections"] for q in s["questions"]):
            assert set(question) == {"key", "kind", "prompt", "answers"}
            assert len(question["answers"]) == 4
            for answer in question["answers"]:
                assert set(answer) == {"rating", "rating_label", "comment", "items"}


def test_the_answers_keep_one_order_on_every_page_and_call(team, client_for):
    for report in team.reports:
        team.write(report)
    team.close_and_release()
    first = _api_groups(team.boss, team)
    assert _api_groups(team.boss, team) == first == _api_groups(team.admin, team)


def test_no_reader_can_open_an_upward_review_by_id(team, client_for):
    review = team.write(team.reports[0])
    team.share()
    team.close_and_release()
    for reader in _readers(team):
        assert not can(reader, "review.view", review)
        assert client_for(reader).get(f"/reviews/{review.pk}/").status_code == 404
        assert bearer(reader).get(f"{BASE}/reviews/{review.pk}").status_code == 404
        listed = bearer(reader).get(f"{BASE}/reviews", {"role": "all", "limit": 200}).json()
        assert all(r["relationship"] != "upward" for r in listed["items"])
    assert client_for(team.reports[0]).get(f"/reviews/{review.pk}/").status_code == 200


def test_the_manager_reads_their_upward_answers_only_once_their_reviews_are_shared(team):
    for report in team.reports:
        team.write(report)
    team.close_and_release()
    assert anonymous.groups_for(team.manager, team.participant) == []
    team.share()
    [group] = anonymous.groups_for(team.manager, team.participant)
    assert group.status == anonymous.RELEASED


# --- No per-writer states, counts or times while the phase is open ---------------------------


def test_the_participant_record_lists_no_upward_states_for_any_reader(team):
    team.share()
    team.write(team.reports[0])
    for reader in _readers(team):
        body = bearer(reader).get(f"{BASE}/participants/{team.participant.pk}").json()
        assert all(row["relationship"] != "upward" for row in body["reviews"])
        [status] = body["anonymous"]
        assert status["status"] == "not_yet" and status["answered"] is None


def test_reading_the_record_before_and_after_one_writer_submits_shows_no_difference(
    team, client_for
):
    """The timing attack: poll, let one report submit, poll again — page and API alike."""
    team.share()
    for report in team.reports[:2]:
        team.write(report)
    readers = _readers(team)
    api = f"{BASE}/participants/{team.participant.pk}"
    before = {
        r.pk: (
            page_text(client_for(r), _participant_url(team)),
            bearer(r).get(api).json(),
            _api_groups(r, team),
        )
        for r in readers
    }
    team.write(team.reports[2])  # the third: the minimum is reached now
    for reader in readers:
        after = (
            page_text(client_for(reader), _participant_url(team)),
            bearer(reader).get(api).json(),
            _api_groups(reader, team),
        )
        assert after == before[reader.pk], f"{reader} saw the submit"
    # Tomorrow, the day-granular count says "enough" — never at the moment itself.
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        [group] = _api_groups(team.boss, team)
        assert group["status"] == "enough"


def test_progress_shows_no_upward_counts_while_the_phase_is_open(team, client_for):
    team.write(team.reports[0])
    for reader in (team.boss, team.admin, team.partner):
        progress = bearer(reader).get(f"{BASE}/cycles/{team.cycle.pk}/progress").json()
        [upward] = [p for p in progress["phases"] if p["key"] == "upward"]
        assert upward["counts_hidden"] is True
        assert upward["done"] is None and upward["in_progress"] is None
        page = page_text(client_for(reader), f"/reviews/cycles/{team.cycle.pk}/")
        assert "how many are done is shown once the phase has closed" in page
    close_phase(team.cycle, PhaseKind.PEER)
    progress = bearer(team.boss).get(f"{BASE}/cycles/{team.cycle.pk}/progress").json()
    [upward] = [p for p in progress["phases"] if p["key"] == "upward"]
    assert (upward["counts_hidden"], upward["done"], upward["overdue"]) == (False, 1, 0)


def test_group_figures_leave_upward_reviews_out(team):
    before = bearer(team.boss).get(f"{BASE}/cycles/{team.cycle.pk}/progress/managers").json()
    team.write(team.reports[0])
    after = bearer(team.boss).get(f"{BASE}/cycles/{team.cycle.pk}/progress/managers").json()
    assert after == before


def test_late_upward_reviews_are_never_listed_as_overdue(team, client_for):
    close_phase(team.cycle, PhaseKind.PEER)
    for reader in (team.boss, team.admin):
        page = page_text(client_for(reader), f"/reviews/cycles/{team.cycle.pk}/overdue/")
        assert all(report.display_name not in page for report in team.reports)


def test_the_progress_export_says_only_enough_or_not_yet_while_the_phase_is_open(team, client_for):
    for report in team.reports[:3]:
        team.write(report)

    def upward_cell(reader) -> str:  # type: ignore[no-untyped-def]
        response = client_for(reader).get(f"/reviews/cycles/{team.cycle.pk}/progress.csv")
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = {row["Name"]: row for row in csv.DictReader(io.StringIO(body))}
        return rows[team.manager.display_name]["Upward reviews submitted"]

    assert upward_cell(team.boss) == "not yet enough", "submitted today: not counted yet"
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        assert upward_cell(team.boss) == "enough so far"
        assert upward_cell(team.admin) == "enough so far"
    close_phase(team.cycle, PhaseKind.PEER)
    assert upward_cell(team.boss) == "3 of 4"


# --- The evidence packet, notifications, reminders, the audit trail --------------------------


def test_the_manager_review_packet_holds_the_group_not_the_rows(team, client_for):
    for report in team.reports:
        team.write(report)
    team.close_and_release()
    manager_review = team.cycle.reviews.get(
        participant=team.participant, relationship=Relationship.MANAGER
    )
    packet = evidence.packet(team.boss, manager_review)
    assert all(item.obj.relationship != "upward" for item in packet.reviews.items)
    page = page_text(client_for(team.boss), f"/reviews/{manager_review.pk}/")
    assert "Anonymous answers about" in page
    assert all(f"UPWARD-ANSWER-{r.pk}" in page for r in team.reports)
    assert all(report.display_name not in page for report in team.reports)


def test_submitting_tells_nobody_and_leaves_no_row_in_the_audit_trail(team):
    watched = [team.manager, team.boss, team.admin, team.partner]
    notes_before = {p.pk: Notification.objects.filter(person=p).count() for p in watched}
    events_before = AuditEvent.objects.count()
    team.write(team.reports[0])
    assert {p.pk: Notification.objects.filter(person=p).count() for p in watched} == notes_before
    assert AuditEvent.objects.count() == events_before
    assert AnonymousTally.objects.filter(kind="review.submitted").get().count == 1


def test_no_one_but_hr_with_the_switch_reminds_upward_writers_by_hand(team):
    with pytest.raises(ValidationError, match="anonymous"):
        reminders.remind(team.cycle, by=team.boss, relationship=Relationship.UPWARD)
    # A reminder of everything open reaches no upward writer as such: the reports here have
    # nothing else open (their self reviews are submitted first).
    for report in team.reports:
        review = team.cycle.reviews.get(reviewer=report, relationship=Relationship.SELF)
        review.state = "submitted"
        review.save(update_fields=["state"])
    assert reminders.remind(team.cycle, by=team.admin, phase=PhaseKind.PEER) == 0


def test_once_released_a_late_upward_review_cannot_be_submitted(team):
    for report in team.reports[:3]:
        team.write(report)
    team.close_and_release()
    team.cycle.phases.filter(kind=PhaseKind.PEER).update(due_on=NOW.date() + timedelta(days=3))
    with pytest.raises(ValidationError, match="released"):
        team.write(team.reports[3])


# --- HR with the program switch -------------------------------------------------------------


def test_hr_reads_each_upward_review_with_its_writer_when_the_program_allows(team, client_for):
    program = set_minimum(3)
    program.hr_reads_upward_reviews = True
    program.save()
    review = team.write(team.reports[0])
    admin = bearer(team.admin).get(f"{BASE}/reviews/{review.pk}").json()
    assert admin["reviewer"]["id"] == team.reports[0].pk
    assert bearer(team.boss).get(f"{BASE}/reviews/{review.pk}").status_code == 404
    progress = bearer(team.admin).get(f"{BASE}/cycles/{team.cycle.pk}/progress").json()
    [upward] = [p for p in progress["phases"] if p["key"] == "upward"]
    assert upward["counts_hidden"] is False and upward["done"] == 1


def test_the_program_page_states_who_reads_upward_reviews(client_for):
    program = set_minimum(4)
    page = page_text(client_for(upward_team(reports=1).reports[0]), "/program/")
    assert "HR cannot see who wrote what" in page and "at least 4 people answered" in page
    program.hr_reads_upward_reviews = True
    program.save()
    page = page_text(client_for(upward_team(reports=1).reports[0]), "/program/")
    assert "HR may read each upward review one by one" in page
