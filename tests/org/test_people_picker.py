"""The people picker's search (`/people/pick/`): what it finds, for whom, and what it says
to bad input. The widget's behaviour in a browser is in tests/browser/test_picker_journey.py."""

from __future__ import annotations

import pytest

from tandem.org import queries
from tandem.org.models import PersonStatus
from tests.factories import DepartmentFactory, PersonFactory, hr_admin

PICK = "/people/pick/"


def picked(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.email for p in response.context["people"]]


@pytest.fixture
def viewer(db):  # type: ignore[no-untyped-def]
    return PersonFactory(first_name="Viv", last_name="Viewer", email="viv@example.com")


def test_it_finds_a_colleague_by_the_start_of_their_first_name(client_for, viewer):
    PersonFactory(first_name="Jennifer", last_name="Alvarez", email="jen@example.com")
    PersonFactory(first_name="Bram", last_name="Jensen", email="bram@example.com")
    response = client_for(viewer).get(PICK, {"q": "Jenn"})
    assert picked(response) == ["jen@example.com"]


def test_it_finds_a_colleague_by_the_start_of_their_last_name(client_for, viewer):
    PersonFactory(first_name="Bram", last_name="Jensen", email="bram@example.com")
    response = client_for(viewer).get(PICK, {"q": "jens"})
    assert picked(response) == ["bram@example.com"]


def test_it_finds_a_colleague_by_the_start_of_their_email(client_for, viewer):
    PersonFactory(first_name="Ana", last_name="Lee", email="a.lee@example.com")
    response = client_for(viewer).get(PICK, {"q": "a.le"})
    assert picked(response) == ["a.lee@example.com"]


def test_it_matches_the_start_of_words_not_the_middle(client_for, viewer):
    PersonFactory(first_name="Marta", last_name="Olsen", email="marta@example.com")
    assert picked(client_for(viewer).get(PICK, {"q": "rta"})) == []


def test_every_typed_word_must_match(client_for, viewer):
    PersonFactory(first_name="Jen", last_name="Alvarez", email="jen@example.com")
    PersonFactory(first_name="Jen", last_name="Brook", email="jenb@example.com")
    assert picked(client_for(viewer).get(PICK, {"q": "jen alv"})) == ["jen@example.com"]


def test_it_shows_initials_title_and_department(client_for, viewer):
    sales = DepartmentFactory(name="Sales")
    PersonFactory(
        first_name="Jen", last_name="Alvarez", title="Account Executive", department=sales
    )
    html = client_for(viewer).get(PICK, {"q": "alv"}).text
    assert 'role="option"' in html
    assert ">JA<" in html
    assert "Account Executive · Sales" in html


def test_it_returns_at_most_ten_people(client_for, viewer):
    PersonFactory.create_batch(12, last_name="Smith")
    response = client_for(viewer).get(PICK, {"q": "smi"})
    assert len(picked(response)) == 10


def test_it_hides_people_who_left_from_employees(client_for, viewer):
    PersonFactory(first_name="Gone", last_name="Away", status=PersonStatus.LEFT)
    assert picked(client_for(viewer).get(PICK, {"q": "gone", "left": "on"})) == []


def test_it_leaves_out_people_who_left_even_for_hr_unless_asked(client_for):
    PersonFactory(first_name="Gone", last_name="Away", email="gone@example.com", status="left")
    client = client_for(hr_admin())
    assert picked(client.get(PICK, {"q": "gone"})) == []
    assert picked(client.get(PICK, {"q": "gone", "left": "on"})) == ["gone@example.com"]


def test_exclude_me_leaves_the_viewer_out(client_for, viewer):
    assert picked(client_for(viewer).get(PICK, {"q": "viv"})) == ["viv@example.com"]
    assert picked(client_for(viewer).get(PICK, {"q": "viv", "exclude": "me"})) == []


def test_within_reports_keeps_only_the_viewers_direct_reports(client_for, viewer):
    PersonFactory(last_name="Ober", email="mine@example.com", manager=viewer)
    PersonFactory(last_name="Ober", email="other@example.com")
    response = client_for(viewer).get(PICK, {"q": "ober", "within": "reports"})
    assert picked(response) == ["mine@example.com"]


def test_an_unknown_filter_value_gets_a_note_not_an_error(client_for, viewer):
    response = client_for(viewer).get(PICK, {"q": "viv", "within": "everyone-ever"})
    assert response.status_code == 200
    assert picked(response) == []
    assert "cannot search that way" in response.text


@pytest.mark.parametrize(
    "q",
    ["j", "", " ", "x" * 200, "'; drop table org_person; --", "<script>alert(1)</script>",
     "%", "_", "\\", "Ünïcödé", "😀😀"],
)  # fmt: skip
def test_bad_input_gets_a_friendly_note_never_an_error(client_for, viewer, q):
    PersonFactory(first_name="Jen", last_name="Alvarez")
    response = client_for(viewer).get(PICK, {"q": q})
    assert response.status_code == 200
    assert "<script>" not in response.text
    assert "data-picker-note" in response.text


def test_one_letter_asks_for_a_second_one(client_for, viewer):
    response = client_for(viewer).get(PICK, {"q": "j"})
    assert "Type at least two letters" in response.text


def test_no_match_says_no_one_was_found(client_for, viewer):
    response = client_for(viewer).get(PICK, {"q": "zzqx"})
    assert "No one found" in response.text


def test_a_percent_sign_is_not_a_wildcard(client_for, viewer):
    PersonFactory(first_name="Jen", last_name="Alvarez")
    assert picked(client_for(viewer).get(PICK, {"q": "%%"})) == []


def test_a_nul_byte_in_the_address_gets_the_sites_message_naming_q(client_for, viewer):
    # Every page answers NUL in its address so (core.middleware.QueryTextMiddleware);
    # picker.js never sends one, as it turns NUL into a space before asking.
    response = client_for(viewer).get(PICK, {"q": "jen\x00"})
    assert response.status_code == 400
    assert "“q”" in response.text


def test_the_search_itself_treats_a_nul_byte_as_a_space(viewer):
    PersonFactory(first_name="Jen", last_name="Alvarez", email="jen@example.com")
    found = queries.people_to_pick(viewer, q="jen\x00alv")
    assert [p.email for p in found] == ["jen@example.com"]


def test_it_needs_sign_in(client):
    response = client.get(PICK, {"q": "jen"})
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_it_answers_get_only(client_for, viewer):
    assert client_for(viewer).post(PICK, {"q": "jen"}).status_code == 405


def test_its_query_count_does_not_grow_with_matches(
    client_for, viewer, django_assert_max_num_queries
):
    PersonFactory.create_batch(15, last_name="Smith")
    client = client_for(viewer)
    # Session, person, roles, "has reports?" (the actor), then the one search.
    with django_assert_max_num_queries(5):
        response = client.get(PICK, {"q": "smi"})
    assert len(picked(response)) == 10


def test_it_finds_a_name_with_accents_typed_without_them(client_for, viewer):
    PersonFactory(first_name="José", last_name="Núñez", email="jose@example.com")
    assert picked(client_for(viewer).get(PICK, {"q": "jose nun"})) == ["jose@example.com"]


def test_it_finds_a_name_with_accents_typed_with_them(client_for, viewer):
    PersonFactory(first_name="José", last_name="Núñez", email="jose@example.com")
    assert picked(client_for(viewer).get(PICK, {"q": "Núñ"})) == ["jose@example.com"]
