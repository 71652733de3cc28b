"""Calibration's pages: the sessions of a cycle, creating one, the session side by side,
moving a person with a reason, the guideline, locking."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.calibration import services
from tandem.calibration.models import Adjustment, Entry, ScopeKind, Session, SessionStatus
from tandem.reviews.models import CalibrationState
from tests.calibration.helpers import make_company, session_of_all
from tests.factories import PersonFactory
from tests.reviews.factories import add_participant

pytestmark = pytest.mark.django_db

WHY = "Led the incident review for the whole platform group."


@pytest.fixture
def company():
    return make_company()


@pytest.fixture
def session(company):
    return session_of_all(company)


def _page(client, session, query: str = ""):
    return client.get(reverse("calibration:session", args=[session.pk]) + query)


def _entry(session, company, key):
    return Entry.objects.get(session=session, participant__person=company.people[key])


def test_hr_sees_the_sessions_of_a_cycle(client_for, company, session):
    response = client_for(company.hr).get(reverse("calibration:cycle", args=[company.cycle.pk]))
    assert response.status_code == 200
    assert "Everyone" in response.content.decode()
    assert "Create a session" in response.content.decode()


def test_the_cycle_page_has_a_helpful_empty_state(client_for, company):
    response = client_for(company.hr).get(reverse("calibration:cycle", args=[company.cycle.pk]))
    assert "No calibration sessions in this cycle yet" in response.content.decode()


def test_hr_creates_a_session_from_the_form(client_for, company):
    response = client_for(company.hr).post(
        reverse("calibration:cycle", args=[company.cycle.pk]),
        {
            "name": "Platform",
            "scope_kind": "department",
            "department": company.platform.pk,
            "facilitators": company.facilitator.email,
        },
    )
    session = Session.objects.get(name="Platform")
    assert response.status_code == 302
    assert response["Location"] == reverse("calibration:session", args=[session.pk])
    assert session.entries.count() == 2


def test_a_form_without_facilitators_names_the_field_and_creates_nothing(client_for, company):
    response = client_for(company.hr).post(
        reverse("calibration:cycle", args=[company.cycle.pk]),
        {"name": "Platform", "scope_kind": "department", "department": company.platform.pk},
    )
    assert response.status_code == 400
    assert "facilitator" in response.content.decode().lower()
    assert not Session.objects.exists()


def test_a_manual_session_from_picked_people(client_for, company):
    client_for(company.hr).post(
        reverse("calibration:cycle", args=[company.cycle.pk]),
        {
            "name": "Picked",
            "scope_kind": "manual",
            "people": company.people["bo"].email,
            "facilitators": company.facilitator.email,
        },
    )
    session = Session.objects.get(name="Picked")
    assert list(session.entries.values_list("participant__person", flat=True)) == [
        company.people["bo"].pk
    ]


def test_the_session_page_shows_everyone_side_by_side_to_the_facilitator(
    client_for, company, session
):
    text = _page(client_for(company.facilitator), session).content.decode()
    for surname in ("Zephyrine", "Quintavo", "Wexholm", "Ystradgyn"):
        assert surname in text
    assert "Move Ada Zephyrine" in text
    assert "data-nine-box" in text
    assert "distribution-chart" in text


def test_a_participating_manager_sees_only_their_reports_and_cannot_move(
    client_for, company, session
):
    text = _page(client_for(company.lead_a), session).content.decode()
    assert "Zephyrine" in text and "Quintavo" in text
    assert "Wexholm" not in text and "Ystradgyn" not in text
    assert "Save the move" not in text
    assert "Lock the ratings" not in text


def test_the_filters_narrow_the_rows(client_for, company, session):
    text = _page(
        client_for(company.hr), session, f"?department={company.sales.pk}"
    ).content.decode()
    assert 'id="entry-' + str(_entry(session, company, "bea").pk) + '"' in text
    assert 'id="entry-' + str(_entry(session, company, "ada").pk) + '"' not in text


def test_the_level_filter_narrows_the_rows(client_for, company, session):
    text = _page(client_for(company.hr), session, "?level=L2").content.decode()
    assert f'id="entry-{_entry(session, company, "abe").pk}"' in text
    assert f'id="entry-{_entry(session, company, "ada").pk}"' not in text


def test_moving_with_a_reason_saves_and_says_so(client_for, company, session):
    entry = _entry(session, company, "abe")
    client = client_for(company.facilitator)
    response = client.post(
        reverse("calibration:adjust", args=[entry.pk]),
        {"rating": "3", "potential": "2", "category": "evidence", "reason": WHY},
        follow=True,
    )
    entry.refresh_from_db()
    assert (entry.rating, entry.potential) == (3, 2)
    assert "the reason is recorded" in response.content.decode()
    assert WHY in response.content.decode()  # in the row's history


def test_a_move_without_a_reason_saves_nothing_and_says_why(client_for, company, session):
    entry = _entry(session, company, "abe")
    response = client_for(company.facilitator).post(
        reverse("calibration:adjust", args=[entry.pk]),
        {"rating": "3", "potential": "3", "category": "evidence", "reason": ""},
        follow=True,
    )
    entry.refresh_from_db()
    assert (entry.rating, entry.potential) == (2, None)
    assert not Adjustment.objects.exists()
    assert "Nothing was saved" in response.content.decode()
    assert "reason" in response.content.decode().lower()


def test_a_participating_manager_cannot_post_a_move(client_for, company, session):
    entry = _entry(session, company, "abe")
    response = client_for(company.lead_a).post(
        reverse("calibration:adjust", args=[entry.pk]),
        {"rating": "3", "category": "evidence", "reason": WHY},
    )
    assert response.status_code == 404
    assert not Adjustment.objects.exists()


def test_hr_sets_the_guideline(client_for, company, session):
    client_for(company.hr).post(
        reverse("calibration:guideline", args=[session.pk]),
        {"point_1": "10", "point_2": "20", "point_3": "40", "point_4": "20", "point_5": "10"},
    )
    session.refresh_from_db()
    assert session.guideline["3"] == 40


def test_a_guideline_that_does_not_add_up_is_refused(client_for, company, session):
    response = client_for(company.hr).post(
        reverse("calibration:guideline", args=[session.pk]),
        {"point_1": "10", "point_2": "20"},
        follow=True,
    )
    session.refresh_from_db()
    assert session.guideline == {}
    assert "add up to 100" in response.content.decode()


def test_locking_asks_first_then_locks(client_for, company, session):
    client = client_for(company.facilitator)
    url = reverse("calibration:lock", args=[session.pk])
    assert "Lock “Everyone”?" in client.get(url).content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN
    client.post(url)
    session.refresh_from_db()
    assert session.status == SessionStatus.LOCKED
    assert company.participant("ada").calibration_state == CalibrationState.LOCKED


def test_a_locked_session_shows_no_moves(client_for, company, session):
    client = client_for(company.hr)
    client.post(reverse("calibration:lock", args=[session.pk]))
    text = _page(client, session).content.decode()
    assert "Save the move" not in text
    assert "ratings of record" in text


def test_hr_takes_someone_out(client_for, company, session):
    entry = _entry(session, company, "bo")
    client_for(company.hr).post(reverse("calibration:remove", args=[entry.pk]))
    assert not Entry.objects.filter(pk=entry.pk).exists()
    assert company.participant("bo").calibration_state == CalibrationState.NONE


@pytest.mark.parametrize("extra", [0, 12])
def test_the_session_page_query_count_is_fixed(
    client_for, company, extra, django_assert_max_num_queries
):
    for _ in range(extra):
        person = PersonFactory(manager=company.lead_a, department=company.platform)
        add_participant(company.cycle, person)
    session = session_of_all(company)
    client = client_for(company.hr)
    _page(client, session)  # warm the session, the actor and the rater-effects estimate
    # 22 for the session, 4 for the rater effects (the ratings' fingerprint, the cached
    # estimate, its managers' names).
    with django_assert_max_num_queries(26):
        response = _page(client, session)
    assert response.status_code == 200


def test_hr_adds_people_to_a_session(client_for, company):
    session = services.create_session(
        company.hr,
        company.cycle,
        name="Platform",
        scope_kind=ScopeKind.DEPARTMENT,
        department=company.platform,
        facilitator_ids=[company.facilitator.pk],
    )
    response = client_for(company.hr).post(
        reverse("calibration:add", args=[session.pk]),
        {"people": company.people["bo"].email},
        follow=True,
    )
    assert "Added 1 person." in response.content.decode()
    assert session.entries.filter(participant__person=company.people["bo"]).exists()


def test_adding_someone_already_in_a_session_says_who_and_adds_nobody(client_for, company, session):
    response = client_for(company.hr).post(
        reverse("calibration:add", args=[session.pk]),
        {"people": company.people["bo"].email},
        follow=True,
    )
    assert "Nobody was added" in response.content.decode()
    assert "Ystradgyn" in response.content.decode()


def test_a_reason_is_shown_as_text_not_markup(client_for, company, session):
    entry = _entry(session, company, "abe")
    services.adjust(
        company.hr, entry, rating=3, category="evidence", reason="<b>Bold</b> & <script>x</script>"
    )
    text = _page(client_for(company.hr), session).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;script&gt;" in text
    assert "<script>x</script>" not in text


def test_hr_reads_each_managers_leniency_beside_the_session(client_for, company):
    session = session_of_all(company)
    response = _page(client_for(company.hr), session)
    assert b"How leniently each manager rates" in response.content
    assert b"statistical aid" in response.content


def test_a_taking_part_manager_does_not_read_the_leniency_figures(client_for, company):
    session = session_of_all(company)
    response = _page(client_for(company.lead_a), session)
    assert response.status_code == 200
    assert b"How leniently each manager rates" not in response.content


def test_the_calibration_list_shows_hr_every_session_and_the_cycles(client_for, company):
    session = session_of_all(company)
    response = client_for(company.hr).get(reverse("calibration:index"))
    assert f'data-session="{session.pk}"'.encode() in response.content
    assert reverse("calibration:cycle", args=[company.cycle.pk]).encode() in response.content


def test_the_calibration_list_shows_a_taking_part_manager_their_session(client_for, company):
    session = session_of_all(company)
    response = client_for(company.lead_a).get(reverse("calibration:index"))
    assert f'data-session="{session.pk}"'.encode() in response.content
    assert reverse("calibration:cycle", args=[company.cycle.pk]).encode() not in response.content


def test_the_calibration_list_says_so_when_one_takes_part_in_nothing(client_for, company):
    session_of_all(company)
    outsider = PersonFactory()
    response = client_for(outsider).get(reverse("calibration:index"))
    assert b"data-session=" not in response.content
    assert b"You take part in no calibration session" in response.content
