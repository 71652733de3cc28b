"""The presets page, applying a preset after seeing its diff, saving, exporting and importing
presets, undoing a change, and the program page's history."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.audit.models import AuditEvent
from tandem.program import presets, services
from tandem.program.models import CompanyPreset, Program, ProgramChange
from tests.factories import PROGRAM_FORM_SWITCHES, PersonFactory, hr_admin

pytestmark = pytest.mark.django_db


def _file(document: object) -> SimpleUploadedFile:
    content = document if isinstance(document, bytes) else json.dumps(document).encode()
    return SimpleUploadedFile("preset.json", content, content_type="application/json")


def _document(**switches: object) -> dict[str, object]:
    return {
        "format": "tandem-program-preset",
        "version": 1,
        "name": "Our own",
        "description": "Ours.",
        "switches": {**presets.SCALE_UP.values, **switches},
    }


# --- Choosing and applying a preset ------------------------------------------------------------


def test_the_presets_page_lists_each_preset_with_its_description(client_for):
    page = client_for(hr_admin()).get("/program/presets/").text
    for preset in presets.BUILT_IN:
        assert preset.name in page
        assert preset.description[:80] in page


def test_a_preset_shows_what_would_change_before_anything_does(client_for):
    page = client_for(hr_admin()).get("/program/presets/growth-first/").text
    assert "<strong>Reviews use rating scales</strong>: on → off" in page
    assert "Apply “Growth first”" in page
    assert not ProgramChange.objects.exists()


def test_confirming_applies_the_preset_as_one_change(client_for):
    response = client_for(hr_admin()).post(
        "/program/presets/growth-first/", {"reason": "Less judging"}
    )
    assert response.status_code == 302 and response["Location"] == "/program/"
    change = ProgramChange.objects.get()
    assert change.source == "preset:growth-first" and change.reason == "Less judging"
    assert Program.current().review_ratings_enabled is False


def test_a_preset_the_program_matches_says_nothing_would_change(client_for):
    admin = hr_admin()
    services.apply_preset(by=admin, key="scale-up")
    page = client_for(admin).get("/program/presets/scale-up/").text
    assert "already matches this preset" in page


def test_an_unknown_preset_is_not_found(client_for):
    assert client_for(hr_admin()).get("/program/presets/no-such-thing/").status_code == 404


def test_applying_a_preset_stays_within_its_query_budget(client_for, django_assert_max_num_queries):
    client = client_for(hr_admin())
    # Sign-in, roles, the program read twice (diff, then for update), its row created on
    # first use (3), the update, the change, the audit event, a savepoint pair.
    with django_assert_max_num_queries(13):
        response = client.post("/program/presets/enterprise/", {"reason": ""})
    assert response.status_code == 302


def test_the_editor_links_to_the_presets(client_for):
    assert 'href="/program/presets/"' in client_for(hr_admin()).get("/program/edit/").text


def test_an_editor_save_with_a_reason_is_in_the_history(client_for):
    admin = hr_admin()
    data = {
        "purposes": ["growth"],
        "purpose_statement": "",
        "anonymity_minimum": "6",
        "reason": "Small teams",
        **PROGRAM_FORM_SWITCHES,
    }
    assert client_for(admin).post("/program/edit/", data).status_code == 302
    change = ProgramChange.objects.get()
    assert change.source == "edit" and change.reason == "Small teams"
    assert change.changes["anonymity_minimum"] == [5, 6]


# --- Saving, exporting and importing --------------------------------------------------------


def test_hr_saves_the_current_program_as_a_preset(client_for):
    admin = hr_admin()
    services.update_program(by=admin, anonymity_minimum=8)
    response = client_for(admin).post(
        "/program/presets/save/", {"name": "Our 2026 program", "description": "As it is."}
    )
    assert response.status_code == 302
    saved = CompanyPreset.objects.get()
    assert saved.key == "our-2026-program" and saved.values["anonymity_minimum"] == 8
    assert presets.check_values(saved.values) == {}


def test_saving_a_preset_under_a_taken_name_is_refused(client_for):
    response = client_for(hr_admin()).post("/program/presets/save/", {"name": "Enterprise"})
    assert response.status_code == 400
    assert "already a preset called" in response.text
    assert not CompanyPreset.objects.exists()


def test_a_preset_exports_as_json_with_every_switch(client_for):
    response = client_for(hr_admin()).get("/program/presets/scale-up/export/")
    document = json.loads(response.content)
    assert response["Content-Disposition"].endswith('tandem-preset-scale-up.json"')
    assert document["name"] == "Scale-up"
    assert document["switches"] == dict(presets.SCALE_UP.values)


def test_an_exported_preset_imports_back_under_a_new_name(client_for):
    client = client_for(hr_admin())
    document = json.loads(client.get("/program/presets/enterprise/export/").content)
    document["name"] = "Enterprise, our way"
    response = client.post("/program/presets/import/", {"file": _file(document)})
    imported = CompanyPreset.objects.get()
    assert response["Location"] == f"/program/presets/{imported.key}/"
    assert imported.values == dict(presets.ENTERPRISE.values)
    assert imported.key == "enterprise-2"  # the built-in key stays the built-in's


def test_an_imported_preset_is_applied_like_a_built_in_one(client_for):
    admin = hr_admin()
    services.import_preset(by=admin, content=json.dumps(_document(anonymity_minimum=11)).encode())
    client_for(admin).post("/program/presets/our-own/", {"reason": ""})
    assert Program.current().anonymity_minimum == 11
    assert ProgramChange.objects.get().source == "preset:our-own"


@pytest.mark.parametrize(
    ("document", "named"),
    [
        ({**_document(), "switches": {**presets.SCALE_UP.values, "fun": True}}, "fun"),
        (
            {
                **_document(),
                "switches": {
                    k: v for k, v in presets.SCALE_UP.values.items() if k != "praise_public_allowed"
                },
            },
            "Public praise on the company feed",
        ),
        (_document(review_ratings_enabled="yes"), "Reviews use rating scales"),
        (_document(anonymity_minimum=2), "Anonymity minimum (people)"),
        (_document(upward_feedback_window_days="90"), "Upward feedback window (days)"),
        ({**_document(), "switches": []}, "as an object"),
        ({"name": "No switches"}, "the file gives none"),
        ({**_document(), "name": ""}, "give the preset a name"),
        ({**_document(), "colour": "red"}, "colour"),
        (["not", "an", "object"], "one JSON object"),
    ],
)
def test_a_bad_preset_file_is_refused_whole_naming_the_problem(client_for, document, named):
    response = client_for(hr_admin()).post("/program/presets/import/", {"file": _file(document)})
    assert response.status_code == 400
    assert named in response.text
    assert not CompanyPreset.objects.exists()
    assert not AuditEvent.objects.filter(kind="program.preset.import").exists()


def test_every_bad_switch_of_a_file_is_named_at_once(client_for):
    document = _document(anonymity_minimum=1, review_ratings_enabled=3, one_on_one_cadence="daily")
    text = client_for(hr_admin()).post("/program/presets/import/", {"file": _file(document)}).text
    for label in ("Anonymity minimum (people)", "Reviews use rating scales", "Usual 1:1 cadence"):
        assert label in text


def test_a_file_that_is_not_json_is_refused(client_for):
    response = client_for(hr_admin()).post("/program/presets/import/", {"file": _file(b"\xff{")})
    assert response.status_code == 400 and "not a JSON file" in response.text


def test_a_saved_preset_missing_a_newer_switch_cannot_be_applied(client_for):
    values = {k: v for k, v in presets.SCALE_UP.values.items() if k != "promotion_self_nomination"}
    CompanyPreset.objects.create(key="old", name="Old", values=values)
    client = client_for(hr_admin())
    assert "People may propose their own promotion" in client.get("/program/presets/old/").text
    assert client.post("/program/presets/old/", {"reason": ""}).status_code == 400
    assert not ProgramChange.objects.exists()


# --- Undoing a change ----------------------------------------------------------------------------


def test_undoing_a_change_shows_what_goes_back_and_restores_it(client_for):
    admin = hr_admin()
    change = services.apply_preset(by=admin, key="growth-first")
    client = client_for(admin)
    page = client.get(f"/program/changes/{change.pk}/revert/").text
    assert "Reviews use rating scales</strong>: off → on" in page
    assert client.post(f"/program/changes/{change.pk}/revert/", {"reason": ""}).status_code == 302
    assert Program.current().review_ratings_enabled is True


def test_undoing_a_change_a_later_one_overlaps_is_explained_and_refused(client_for):
    admin = hr_admin()
    change = services.apply_preset(by=admin, key="growth-first")
    services.apply_preset(by=admin, key="enterprise")
    client = client_for(admin)
    assert "cannot be undone now" in client.get(f"/program/changes/{change.pk}/revert/").text
    response = client.post(f"/program/changes/{change.pk}/revert/", {"reason": ""})
    assert response.status_code == 400
    assert Program.current().anonymity_minimum == 7


# --- The program page and its history ---------------------------------------------------------


def test_the_program_page_reads_as_a_document_in_sections(client_for):
    page = client_for(PersonFactory()).get("/program/").text
    for heading in (
        "Why we do this",
        "What happens when",
        "Who sees what",
        "What each result is used for",
        "How anonymity works",
    ):
        assert f">{heading}</h2>" in page


def test_the_program_page_shows_the_history_in_plain_words(client_for):
    admin = hr_admin(first_name="Hana", last_name="Ito")
    services.apply_preset(by=admin, key="growth-first", reason="We want conversations")
    page = client_for(PersonFactory()).get("/program/").text
    assert "Hana Ito (HR admin) applied the preset “Growth first”" in page
    assert "“We want conversations”" in page
    assert "Reviews use rating scales: on → off" in page
    assert "Undo this change" not in page


def test_the_history_is_newest_first(client_for):
    admin = hr_admin()
    services.update_program(by=admin, one_on_one_cadence="monthly", reason="First")
    services.update_program(by=admin, one_on_one_cadence="weekly", reason="Second")
    page = client_for(PersonFactory()).get("/program/").text
    assert page.index("“Second”") < page.index("“First”")


def test_the_history_is_paged(client_for):
    admin = hr_admin()
    for days in range(11):
        services.update_program(by=admin, upward_feedback_window_days=30 + days, reason=f"R{days}")
    client = client_for(PersonFactory())
    first = client.get("/program/").text
    assert "“R10”" in first and "“R0”" not in first and "Older changes" in first
    older = first.split('href="/program/?after=')[1].split('"')[0]
    second = client.get(f"/program/?after={older}").text
    assert "“R0”" in second and "“R10”" not in second


def test_a_bad_page_link_shows_the_newest_changes(client_for):
    services.update_program(by=hr_admin(), one_on_one_cadence="monthly", reason="Only")
    page = client_for(PersonFactory()).get("/program/?after=nonsense").text
    assert "That page link is not valid" in page and "“Only”" in page


def test_history_dates_are_in_the_viewers_time_zone(client_for):
    services.update_program(by=hr_admin(), one_on_one_cadence="monthly")
    ProgramChange.objects.update(at=datetime(2026, 3, 3, 23, 30, tzinfo=UTC))
    page = client_for(PersonFactory(time_zone="Asia/Tokyo")).get("/program/").text
    assert "4 March 2026, 08:30" in page


def test_hr_admins_can_undo_from_the_history(client_for):
    admin = hr_admin()
    change = services.apply_preset(by=admin, key="growth-first")
    page = client_for(admin).get("/program/").text
    assert f'href="/program/changes/{change.pk}/revert/"' in page


def test_the_program_page_keeps_its_query_budget_with_a_long_history(
    client_for, django_assert_max_num_queries
):
    admin = hr_admin()
    for days in range(12):
        services.update_program(by=admin, upward_feedback_window_days=30 + days)
    services.import_preset(by=admin, content=json.dumps(_document()).encode())
    services.apply_preset(by=admin, key="our-own")
    client = client_for(PersonFactory())
    with django_assert_max_num_queries(8):
        assert client.get("/program/").status_code == 200
