"""Calibration over the API: listing sessions, reading one, moving a person, locking."""

from __future__ import annotations

import pytest

from tandem.calibration.models import Adjustment, Entry
from tandem.reviews.models import Relationship
from tandem.reviews.services.writing import submit
from tests.calibration.helpers import make_company, session_of_all
from tests.reviews.api_helpers import bearer, error_fields, send
from tests.reviews.factories import review_of
from tests.reviews.writing_helpers import full_answers

pytestmark = pytest.mark.django_db

BASE = "/api/v1/calibration"
WHY = "Consistent with the other platform teams' ratings."


@pytest.fixture
def company():
    return make_company()


@pytest.fixture
def session(company):
    return session_of_all(company)


def _entry(session, company, key):
    return Entry.objects.get(session=session, participant__person=company.people[key])


def test_hr_lists_the_sessions_of_a_cycle(company, session):
    response = bearer(company.hr).get(f"{BASE}/cycles/{company.cycle.pk}/sessions")
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": session.pk,
            "cycle_id": company.cycle.pk,
            "name": "Everyone",
            "scope_kind": "manager",
            "status": "open",
            "people": 4,
            "guideline": {},
            "locked_at": None,
        }
    ]


def test_someone_without_a_session_gets_404_for_the_cycle(company, session):
    response = bearer(company.people["ada"]).get(f"{BASE}/cycles/{company.cycle.pk}/sessions")
    assert response.status_code == 404


def test_a_session_lists_the_people_side_by_side(company, session):
    body = bearer(company.facilitator).get(f"{BASE}/sessions/{session.pk}").json()
    assert body["points"] == 5
    ada = next(e for e in body["entries"] if e["person"]["name"].startswith("Ada"))
    assert (ada["manager_rating"], ada["rating"], ada["potential"]) == (4, 4, None)


def test_a_participating_manager_reads_only_their_reports(company, session):
    body = bearer(company.lead_b).get(f"{BASE}/sessions/{session.pk}").json()
    assert sorted(e["person"]["name"].split()[0] for e in body["entries"]) == ["Bea", "Bo"]


def test_one_page_answers_every_person_with_the_total_and_no_next_page(company, session):
    body = bearer(company.hr).get(f"{BASE}/sessions/{session.pk}").json()
    people = Entry.objects.filter(session=session).count()
    assert (len(body["entries"]), body["total"], body["offset"]) == (people, people, 0)
    assert (body["limit"], body["next_offset"]) == (100, None)


def test_pages_cover_every_person_exactly_once_in_name_order(company, session):
    client = bearer(company.hr)
    whole = client.get(f"{BASE}/sessions/{session.pk}").json()["entries"]
    seen, offset, pages = [], 0, 0
    while offset is not None:
        page = client.get(f"{BASE}/sessions/{session.pk}?limit=2&offset={offset}").json()
        assert len(page["entries"]) <= 2
        assert page["total"] == len(whole)
        seen += [entry["id"] for entry in page["entries"]]
        offset, pages = page["next_offset"], pages + 1
    assert len(whole) > 2
    assert pages == -(-len(whole) // 2)
    assert seen == [entry["id"] for entry in whole]


def test_a_page_keeps_each_persons_figures(company, session):
    client = bearer(company.hr)
    whole = client.get(f"{BASE}/sessions/{session.pk}").json()["entries"]
    page = client.get(f"{BASE}/sessions/{session.pk}?limit=2&offset=1").json()["entries"]
    assert page == whole[1:3]


def test_the_total_counts_only_the_people_the_caller_may_see(company, session):
    body = bearer(company.lead_b).get(f"{BASE}/sessions/{session.pk}?limit=1").json()
    assert (len(body["entries"]), body["total"], body["next_offset"]) == (1, 2, 1)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=many", "limit"),
        ("offset=-1", "offset"),
        ("offset=2000000", "offset"),
    ],
)
def test_a_bad_page_parameter_answers_422_naming_it(company, session, query, field):
    response = bearer(company.hr).get(f"{BASE}/sessions/{session.pk}?{query}")
    assert response.status_code == 422
    assert error_fields(response) == [field]
    assert field in response.json()["detail"]


def test_a_facilitator_moves_a_person_with_a_reason(company, session):
    entry = _entry(session, company, "bo")
    response = send(
        bearer(company.facilitator),
        "POST",
        f"{BASE}/entries/{entry.pk}/adjust",
        {"rating": 4, "potential": 3, "category": "consistency", "reason": WHY},
    )
    assert response.status_code == 200
    assert (response.json()["rating"], response.json()["potential"]) == (4, 3)


def test_a_move_without_a_reason_answers_422_naming_it(company, session):
    entry = _entry(session, company, "bo")
    response = send(
        bearer(company.hr),
        "POST",
        f"{BASE}/entries/{entry.pk}/adjust",
        {"rating": 4, "category": "evidence", "reason": ""},
    )
    assert response.status_code == 422
    assert "reason" in error_fields(response)
    assert not Adjustment.objects.exists()


def test_a_rating_off_the_scale_answers_422(company, session):
    entry = _entry(session, company, "bo")
    response = send(
        bearer(company.hr),
        "POST",
        f"{BASE}/entries/{entry.pk}/adjust",
        {"rating": 9, "category": "evidence", "reason": WHY},
    )
    assert response.status_code == 422
    assert "rating" in error_fields(response)


def test_a_participating_manager_cannot_move_anyone(company, session):
    entry = _entry(session, company, "bo")
    response = send(
        bearer(company.lead_b),
        "POST",
        f"{BASE}/entries/{entry.pk}/adjust",
        {"rating": 4, "category": "evidence", "reason": WHY},
    )
    assert response.status_code == 404


def test_locking_answers_the_locked_session(company, session):
    response = send(bearer(company.hr), "POST", f"{BASE}/sessions/{session.pk}/lock")
    assert response.status_code == 200
    assert response.json()["status"] == "locked"


def test_adjusting_a_locked_session_answers_422(company, session):
    send(bearer(company.hr), "POST", f"{BASE}/sessions/{session.pk}/lock")
    entry = _entry(session, company, "bo")
    response = send(
        bearer(company.hr),
        "POST",
        f"{BASE}/entries/{entry.pk}/adjust",
        {"rating": 4, "category": "evidence", "reason": WHY},
    )
    assert response.status_code == 422
    assert "locked" in response.json()["detail"] + str(response.json()["errors"])


def test_an_enormous_id_is_a_404(company):
    response = bearer(company.hr).get(f"{BASE}/sessions/{2**70}")
    assert response.status_code in (404, 422)


def test_the_self_score_is_the_persons_submitted_self_ratings_alone(company, session):
    review = review_of(company.cycle, company.people["ada"], Relationship.SELF)
    submit(review, answers=full_answers(review, rating=2), version=0, by=review.reviewer)
    found = bearer(company.hr).get(f"{BASE}/sessions/{session.pk}").json()["entries"]
    scores = {e["person"]["name"].split()[0]: (e["self_score"], e["manager_rating"]) for e in found}
    assert scores["Ada"] == (25.0, 4)
    assert scores["Bea"][0] is None
