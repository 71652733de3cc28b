"""Journey 2: an HR admin imports people from an HRIS export through the upload page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import FilePayload, Locator, Page, expect

from tests.browser.conftest import Org, PageWatch, open_nav, sign_in

pytestmark = pytest.mark.browser

HEADER = "employee_id,email,first_name,last_name,title,department,manager_email,start_date"
NEW_PEOPLE = [
    "N-101,gia@example.com,Gia,Moretti,Marketing Lead,Marketing,ines@example.com,2024-02-01",
    "N-102,{hugo},Hugo,Laine,Content Writer,Marketing,gia@example.com,2024-03-01",
    "N-103,ivy@example.com,Ivy,Osei,Designer,Marketing,gia@example.com,15.03.2024",
]


def _export(hugo_email: str) -> FilePayload:
    rows = [HEADER, *(line.format(hugo=hugo_email) for line in NEW_PEOPLE)]
    return {
        "name": "bamboohr-export.csv",
        "mimeType": "text/csv",
        "buffer": ("\n".join(rows) + "\n").encode(),
    }


def _upload(page: Page, payload: FilePayload) -> None:
    page.get_by_label("HRIS export").set_input_files(payload)
    page.get_by_role("button", name="Check the file").click()


def _cells(row: Locator) -> Locator:
    return row.get_by_role("cell")


def test_an_hr_admin_fixes_a_bad_row_previews_and_imports_new_people(
    page: Page, org: Org, watch: PageWatch
) -> None:
    sign_in(page, org.hr)
    page.get_by_role("link", name="Import people from your HRIS").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import people from your HRIS")

    # A bad e-mail on row 3 (the header is row 1): the whole file is refused, nothing saved.
    _upload(page, _export("hugo.example.com"))
    problems = page.get_by_role("alert")
    expect(problems.get_by_role("heading")).to_have_text(
        "bamboohr-export.csv was not imported: 1 problem"
    )
    problem_rows = problems.get_by_role("row")
    expect(problem_rows).to_have_count(2)  # the header and the one problem
    expect(_cells(problem_rows.nth(1)).nth(0)).to_have_text("3")
    expect(_cells(problem_rows.nth(1)).nth(1)).to_have_text("email")
    expect(_cells(problem_rows.nth(1)).nth(2)).to_contain_text("hugo.example.com")

    # Fixed file: a preview with counts and every change, still nothing saved.
    _upload(page, _export("hugo@example.com"))
    expect(page).to_have_url(re.compile(r"/hr/import/\?batch=\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Preview: bamboohr-export.csv")
    expect(page.get_by_text("3 rows checked")).to_be_visible()
    counts = page.locator(".import-counts").get_by_role("listitem")
    expect(counts).to_have_text(["3 created", "0 updated", "0 unchanged", "0 deactivated"])
    expect(page.get_by_text("New departments: Marketing.")).to_be_visible()
    changes = page.get_by_role("table", name="Changes")
    for row, name in [(2, "Gia Moretti"), (3, "Hugo Laine"), (4, "Ivy Osei")]:
        expect(
            changes.get_by_role("row", name=re.compile(rf"^{row} create {name}\b"))
        ).to_have_count(1)

    page.get_by_role("button", name="Import 3 people").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Imported: bamboohr-export.csv")
    expect(page.get_by_role("status")).to_contain_text("Imported bamboohr-export.csv")

    # The new people are in the directory, under the manager the file named.
    open_nav(page, "People")
    page.get_by_label("Search by name, title, e-mail or department").fill("marketing")
    page.get_by_role("button", name="Search").click()
    results = page.get_by_role("table").get_by_role("row")
    expect(results).to_have_count(4)  # the header and three new people
    page.get_by_role("link", name="Hugo Laine").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hugo Laine")
    chain = page.get_by_role("navigation", name="Manager chain")
    expect(chain.get_by_role("link")).to_have_text([org.ceo.display_name, "Gia Moretti"])

    watch.assert_clean()
