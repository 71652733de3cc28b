"""Progress and results exports: formula-looking cells neutralised, results for HR only."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tandem.audit.models import AuditEvent
from tandem.reviews import scores
from tandem.reviews.models import Relationship
from tests.factories import DepartmentFactory, PersonFactory, hr_admin, hr_partner
from tests.reviews.factories import review_of, running_cycle
from tests.reviews.running_helpers import submit

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("https://evil.example","click")'


def body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


@pytest.fixture
def cycle_with_text():  # type: ignore[no-untyped-def]
    boss = PersonFactory(first_name="Bea", last_name="Boss")
    sneaky = PersonFactory(first_name="+cmd", last_name="Person", manager=boss)
    cycle = running_cycle([boss, sneaky])
    submit(
        review_of(cycle, sneaky, Relationship.MANAGER),
        {"q1": 4},
        comments={"q1": "Strong year.", "q2": FORMULA},
    )
    scores.refresh_cycle(cycle)
    return cycle, boss, sneaky


def test_the_progress_csv_neutralises_a_formula_in_a_name(client_for, cycle_with_text):
    cycle, boss, sneaky = cycle_with_text
    response = client_for(hr_admin()).get(reverse("reviews:export_progress_csv", args=[cycle.pk]))
    text = body(response).decode("utf-8-sig")
    assert "'+cmd Person" in text
    assert "\n+cmd" not in text and ",+cmd" not in text
    header = text.splitlines()[0]
    assert header.startswith("Name,E-mail,Department at launch,Manager at launch,Self review")


def test_the_progress_export_has_one_row_per_participant(client_for, cycle_with_text):
    cycle, boss, sneaky = cycle_with_text
    text = body(
        client_for(hr_admin()).get(reverse("reviews:export_progress_csv", args=[cycle.pk]))
    ).decode("utf-8-sig")
    rows = text.strip().splitlines()
    assert len(rows) == 3
    assert "Submitted" in rows[2] or "Submitted" in rows[1]


def test_the_results_csv_neutralises_a_formula_in_a_comment(client_for, cycle_with_text):
    cycle, boss, sneaky = cycle_with_text
    response = client_for(hr_admin()).get(reverse("reviews:export_results_csv", args=[cycle.pk]))
    text = body(response).decode("utf-8-sig")
    assert "'=HYPERLINK(" in text
    assert ',"=HYPERLINK' not in text and ",=HYPERLINK" not in text
    assert "Strong year." in text
    assert "75.00" in text  # the overall score, once scored
    assert AuditEvent.objects.filter(kind="review.export_results").exists()


def test_the_results_xlsx_keeps_formulas_as_text(client_for, cycle_with_text):
    cycle, boss, sneaky = cycle_with_text
    response = client_for(hr_admin()).get(reverse("reviews:export_results_xlsx", args=[cycle.pk]))
    sheet = load_workbook(io.BytesIO(body(response)), read_only=True).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "'" + FORMULA in cells
    assert "'+cmd Person" in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_a_manager_may_export_progress_but_not_results(client_for, cycle_with_text):
    cycle, boss, sneaky = cycle_with_text
    client = client_for(boss)
    assert client.get(reverse("reviews:export_progress_xlsx", args=[cycle.pk])).status_code == 200
    assert client.get(reverse("reviews:export_results_csv", args=[cycle.pk])).status_code == 404
    assert client.get(reverse("reviews:export_results_xlsx", args=[cycle.pk])).status_code == 404


def test_an_employee_may_export_nothing(client_for, cycle_with_text):
    cycle, boss, sneaky = cycle_with_text
    client = client_for(sneaky)
    assert client.get(reverse("reviews:export_progress_csv", args=[cycle.pk])).status_code == 404
    assert client.get(reverse("reviews:export_results_csv", args=[cycle.pk])).status_code == 404


def test_an_hr_partner_exports_only_their_departments(client_for, cycle_with_text):
    cycle, boss, sneaky = cycle_with_text
    partner = hr_partner([DepartmentFactory()])
    response = client_for(partner).get(reverse("reviews:export_results_csv", args=[cycle.pk]))
    assert response.status_code == 200
    assert "Strong year." not in body(response).decode("utf-8-sig")


def _results_queries(client, cycle) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("reviews:export_results_csv", args=[cycle.pk]))
        rows = body(response).decode("utf-8-sig").strip().splitlines()
    return len(captured), len(rows)


def _cycle_of(size: int):  # type: ignore[no-untyped-def]
    boss = PersonFactory()
    people = [boss, *(PersonFactory(manager=boss) for _ in range(size - 1))]
    cycle = running_cycle(people)
    for person in people[1:]:
        submit(review_of(cycle, person, Relationship.MANAGER), {"q1": 3}, comments={"q1": "Ok."})
    return cycle


def test_the_results_export_runs_as_many_queries_for_a_big_cycle_as_for_a_small_one(
    client_for, monkeypatch
):
    # Two rows per fetch, so both cycles span several chunks (the old export ran two
    # queries per chunk: 392 for 95,000 participants).
    monkeypatch.setattr("tandem.reviews.exports.CHUNK", 2)
    client = client_for(hr_admin())
    small, large = _cycle_of(3), _cycle_of(9)
    small_queries, small_rows = _results_queries(client, small)
    large_queries, large_rows = _results_queries(client, large)
    assert (small_rows, large_rows) == (4, 10)
    assert small_queries == large_queries
    assert large_queries <= 14


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["reviews:export_progress_csv", "reviews:export_results_csv"])
def test_a_csv_export_reads_its_rows_inside_a_transaction_that_ends_with_them(
    client_for, cycle_with_text, monkeypatch, name
):
    # Outside a transaction Django declares PostgreSQL's cursor WITH HOLD, which computes
    # every row before the first leaves (1.8-2.4 s at 100,000 people): `exports.stream`
    # reads them inside one. One row per chunk, so the first chunk leaves mid-read.
    monkeypatch.setattr("tandem.core.exports.CSV_ROWS_PER_CHUNK", 1)
    cycle, _, _ = cycle_with_text
    response = client_for(hr_admin()).get(reverse(name, args=[cycle.pk]))
    chunks = iter(response.streaming_content)
    next(chunks)
    assert connection.in_atomic_block
    rest = b"".join(chunks)
    assert not connection.in_atomic_block
    assert b"Person" in rest or b"Boss" in rest
