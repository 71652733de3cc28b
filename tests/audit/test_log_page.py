"""The audit log page: HR admins browse and filter; everyone else gets 404."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from tandem.audit.models import AuditEvent
from tandem.audit.queries import encode_cursor
from tests.factories import (
    DepartmentFactory,
    PersonFactory,
    executive,
    hr_admin,
    hr_partner,
    it_admin,
)


def event(**fields):  # type: ignore[no-untyped-def]
    defaults = {
        "actor_label": "system",
        "kind": "person.update",
        "object_type": "org.person",
        "object_id": "1",
        "object_label": "Someone",
        "changes": {},
    }
    return AuditEvent.objects.create(**{**defaults, **fields})


@pytest.fixture
def admin():  # type: ignore[no-untyped-def]
    return hr_admin(time_zone="America/New_York", email="hr@example.com")


def test_hr_admins_see_when_who_where_what_which_and_the_changes(client_for, admin):
    ana = PersonFactory(first_name="Ana", preferred_name="", last_name="Lima")
    event(
        at=datetime(2025, 3, 3, 14, 5, tzinfo=UTC),
        actor=admin,
        actor_label="Harper HR <hr@example.com>",
        ip_address="203.0.113.9",
        kind="person.update",
        object_id=str(ana.pk),
        object_label="Ana Lima",
        subject=ana,
        changes={"title": ["Engineer", "Senior Engineer"]},
    )
    response = client_for(admin).get("/hr/audit/")
    assert response.status_code == 200
    text = response.text
    assert "3 Mar 2025, 09:05:00 EST" in text  # 14:05 UTC in the viewer's New York time
    assert "Harper HR &lt;hr@example.com&gt;" in text
    assert "203.0.113.9" in text
    assert "person.update" in text
    assert "Ana Lima" in text and f"org.person #{ana.pk}" in text
    assert "<del>Engineer</del> → <ins>Senior Engineer</ins>" in text


@pytest.mark.parametrize(
    "make",
    [
        PersonFactory,
        executive,
        it_admin,
        lambda: hr_partner([DepartmentFactory()]),
    ],
    ids=["employee", "executive", "it_admin", "hr_partner"],
)
def test_everyone_but_hr_admins_gets_404(client_for, make):
    event()
    assert client_for(make()).get("/hr/audit/").status_code == 404


def test_a_manager_gets_404(client_for):
    boss = PersonFactory()
    PersonFactory(manager=boss)
    assert client_for(boss).get("/hr/audit/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/hr/audit/")["Location"].startswith("/login/")


def test_the_page_offers_no_way_to_edit_or_delete(client_for, admin):
    event()
    text = client_for(admin).get("/hr/audit/").text
    assert 'method="post"' not in text.split("<main", 1)[1]
    assert "Delete" not in text and "Edit" not in text


def test_it_filters_by_the_person_the_record_is_about(client_for, admin):
    ana = PersonFactory(first_name="Ana", last_name="Lima", email="ana@example.com")
    ben = PersonFactory(first_name="Ben", last_name="Okafor")
    event(subject=ana, object_label="about-ana")
    event(subject=ben, object_label="about-ben")
    text = client_for(admin).get("/hr/audit/", {"person": "ana@example.com"}).text
    assert "about-ana" in text and "about-ben" not in text


def test_it_filters_by_who_did_it(client_for, admin):
    doer = PersonFactory(first_name="Dora", last_name="Doer")
    event(actor=doer, actor_label="Dora Doer", object_label="by-dora")
    event(actor_label="command line", object_label="by-cli")
    client = client_for(admin)
    text = client.get("/hr/audit/", {"actor": "dora doer"}).text
    assert "by-dora" in text and "by-cli" not in text
    text = client.get("/hr/audit/", {"actor": "command line"}).text
    assert "by-cli" in text and "by-dora" not in text


def test_it_filters_by_kind_from_a_select_of_the_kinds_on_record(client_for, admin):
    event(kind="token.create", object_label="a-token")
    event(kind="program.update", object_label="the-program")
    client = client_for(admin)
    page = client.get("/hr/audit/").text
    assert '<option value="token.create">token.create</option>' in page
    assert '<option value="program.update">program.update</option>' in page
    text = client.get("/hr/audit/", {"kind": "token.create"}).text
    assert "a-token" in text and "the-program" not in text


def test_the_date_range_is_read_in_the_viewers_time_zone(client_for, admin):
    # 04:30 UTC on 4 March is still 3 March in New York (UTC-5).
    event(at=datetime(2025, 3, 4, 4, 30, tzinfo=UTC), object_label="late-on-the-3rd")
    event(at=datetime(2025, 3, 4, 5, 30, tzinfo=UTC), object_label="early-on-the-4th")
    event(at=datetime(2025, 3, 2, 12, 0, tzinfo=UTC), object_label="on-the-2nd")
    client = client_for(admin)
    text = client.get("/hr/audit/", {"date_from": "2025-03-03", "date_to": "2025-03-03"}).text
    assert "late-on-the-3rd" in text
    assert "early-on-the-4th" not in text and "on-the-2nd" not in text
    text = client.get("/hr/audit/", {"date_from": "2025-03-04"}).text
    assert "early-on-the-4th" in text and "late-on-the-3rd" not in text


def test_a_bad_date_is_named_and_never_a_500(client_for, admin):
    response = client_for(admin).get("/hr/audit/", {"date_from": "3rd of March"})
    assert response.status_code == 200
    assert 'id="date_from-errors"' in response.text
    assert "Enter a valid date" in response.text


def test_an_end_before_the_start_is_named(client_for, admin):
    response = client_for(admin).get(
        "/hr/audit/", {"date_from": "2025-03-05", "date_to": "2025-03-01"}
    )
    assert 'id="date_to-errors"' in response.text
    assert "before “From”" in response.text


def test_an_unknown_kind_is_named(client_for, admin):
    response = client_for(admin).get("/hr/audit/", {"kind": "nonsense"})
    assert response.status_code == 200
    assert 'id="kind-errors"' in response.text


def test_a_tampered_page_link_is_refused_with_a_link_to_the_first_page(client_for, admin):
    event(object_label="newest")
    response = client_for(admin).get("/hr/audit/", {"after": "!!not-a-cursor"})
    assert response.status_code == 400
    assert "page link is not valid" in response.text
    assert "Go to the first page" in response.text
    assert "newest" not in response.text


def test_it_pages_newest_first_without_gaps_or_repeats(client_for, admin):
    at = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
    for n in range(120):  # same timestamp for all: the id breaks ties
        event(at=at, object_label=f"row-{n:03d}-")
    client = client_for(admin)
    seen: list[str] = []
    url, params = "/hr/audit/", {"kind": "person.update"}
    for _ in range(3):
        response = client.get(url, params)
        seen += re.findall(r"row-\d{3}-", response.text)
        match = re.search(r'after=([A-Za-z0-9_\-]+)" rel="next"', response.text)
        if not match:
            break
        params = {"kind": "person.update", "after": match.group(1)}
    assert seen == [f"row-{n:03d}-" for n in reversed(range(120))]


def test_the_page_has_a_fixed_query_budget(client_for, admin, django_assert_max_num_queries):
    client = client_for(admin)
    people = PersonFactory.create_batch(3)
    for person in people:
        event(subject=person, actor=person, actor_label=str(person))
    # 7: the page's 6, plus the header's unread-notification count (one query on every page).
    with django_assert_max_num_queries(7):
        assert client.get("/hr/audit/").status_code == 200
    more = PersonFactory.create_batch(30)
    for person in more:
        for kind in ("person.update", "person.create", "token.create"):
            event(subject=person, actor=person, actor_label=str(person), kind=kind)
    last = AuditEvent.objects.order_by("-at", "-pk")[40]
    with django_assert_max_num_queries(7):
        assert client.get("/hr/audit/", {"after": encode_cursor(last)}).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get("/hr/audit/", {"person": "a", "actor": "e"}).status_code == 200


def test_htmx_filtering_returns_only_the_results(client_for, admin):
    event(object_label="the-row")
    response = client_for(admin).get("/hr/audit/", HTTP_HX_REQUEST="true")
    assert "the-row" in response.text
    assert "<html" not in response.text
    assert "<form" not in response.text


def test_the_page_is_not_cached(client_for, admin):
    response = client_for(admin).get("/hr/audit/")
    assert "no-store" in response["Cache-Control"]
