"""The guided set-up (/program/setup/): each step's save and validation, resuming, the
landing after sign-in, and finishing."""

from __future__ import annotations

import re

import pytest
from django.utils.html import escape

from tandem.audit.models import AuditEvent
from tandem.org.models import CompanyValue
from tandem.program import setup as guided
from tandem.program.forms import SetupCalendarForm, SetupVisibilityForm
from tandem.program.models import EDITABLE_PROGRAM_FIELDS, Program, ProgramChange, ProgramSetup
from tests.factories import PASSWORD, PersonFactory, hr_admin

CALENDAR = {
    "fiscal_year_start_month": "4",
    "review_months": ["6", "12"],
    "goal_period_length": "half",
    "checkin_cadence": "fortnightly",
    "one_on_one_cadence": "monthly",
    "review_ratings_enabled": "",
    "review_score": "manager",
    "review_peers_enabled": "on",
    "review_phase_days": "21",
    "review_reminder_days_before": "5",
}
VISIBILITY = {
    "anonymity_minimum": "6",
    "private_goals_allowed": "on",
    "feedback_private_allowed": "on",
    "feedback_with_manager_allowed": "on",
    "praise_public_allowed": "on",
    "upward_feedback_enabled": "on",
}
STEP_DATA = {
    "why": {"purposes": ["growth"], "purpose_statement": "So everyone knows where they stand."},
    "values": {"values": "Customer first: start from the customer\nCandour"},
    "preset": {"preset": "growth-first"},
    "calendar": CALENDAR,
    "visibility": VISIBILITY,
    "people": {},
}


def step_url(key: str) -> str:
    return f"/program/setup/{key}/"


def done_steps() -> list[str]:
    return list(ProgramSetup.current().steps_done)


@pytest.fixture
def admin_client(client_for):  # type: ignore[no-untyped-def]
    return client_for(hr_admin())


# --- Step 1: why ------------------------------------------------------------------------------


def test_the_why_step_saves_purposes_and_statement_as_one_audited_change(admin_client):
    response = admin_client.post(
        step_url("why"),
        {"purposes": ["growth", "pay"], "purpose_statement": "  Because people grow.  "},
    )
    assert response.status_code == 302
    assert response["Location"] == step_url("values")
    program = Program.current()
    assert program.purposes == ["growth", "pay"]
    assert program.purpose_statement == "Because people grow."
    change = ProgramChange.objects.get()
    assert change.reason == "Guided set-up: why we do performance management."
    assert AuditEvent.objects.filter(kind="program.update").count() == 1
    assert AuditEvent.objects.filter(kind="program.setup.step", note="why").count() == 1
    assert done_steps() == ["why"]


def test_the_why_step_refuses_no_purpose_and_no_statement_naming_both(admin_client):
    response = admin_client.post(step_url("why"), {"purpose_statement": ""})
    assert response.status_code == 200
    assert "What the results are used for</a>: Tick at least one use" in response.text
    assert "Why we do it, in our own words</a>: Write a sentence or two" in response.text
    assert "Nothing was saved" in response.text
    assert not Program.objects.exists()
    assert not ProgramSetup.objects.exists()


def test_the_why_step_refuses_a_use_that_does_not_exist(admin_client):
    response = admin_client.post(
        step_url("why"), {"purposes": ["bonus"], "purpose_statement": "Why."}
    )
    assert response.status_code == 200
    assert "What the results are used for</a>:" in response.text
    assert not ProgramSetup.objects.exists()


def test_the_why_step_explains_the_trade_off_of_each_use(admin_client):
    text = admin_client.get(step_url("why")).text
    for sentence in guided.PURPOSE_TRADE_OFFS.values():
        assert sentence in text


# --- Step 2: values ---------------------------------------------------------------------------


def test_the_values_step_saves_the_company_values_in_order(admin_client):
    response = admin_client.post(
        step_url("values"), {"values": "Candour: say it kindly\n\nCustomer first"}
    )
    assert response.status_code == 302
    assert response["Location"] == step_url("preset")
    assert list(CompanyValue.objects.values_list("name", "description")) == [
        ("Candour", "say it kindly"),
        ("Customer first", ""),
    ]
    assert AuditEvent.objects.filter(kind="company.values").count() == 1
    assert done_steps() == ["values"]


def test_the_values_step_shows_the_current_values_one_a_line(admin_client):
    CompanyValue.objects.create(name="Ownership", description="we finish what we start")
    text = admin_client.get(step_url("values")).text
    assert "Ownership: we finish what we start" in text


def test_the_values_step_refuses_a_repeated_value_naming_the_line(admin_client):
    response = admin_client.post(step_url("values"), {"values": "Candour\nCustomer\ncandour"})
    assert response.status_code == 200
    assert "Line 3: “candour” is already on line 1." in response.text
    assert not CompanyValue.objects.exists()
    assert not ProgramSetup.objects.exists()


def test_the_values_step_refuses_a_line_without_a_name(admin_client):
    response = admin_client.post(step_url("values"), {"values": "Candour\n: no name here"})
    assert response.status_code == 200
    assert "Line 2: write the value&#x27;s name before the colon." in response.text


def test_the_values_step_may_be_left_empty_to_add_values_later(admin_client):
    assert admin_client.post(step_url("values"), {"values": ""}).status_code == 302
    assert done_steps() == ["values"]
    assert not CompanyValue.objects.exists()


# --- Step 3: a preset -------------------------------------------------------------------------


def test_the_preset_step_shows_each_preset_with_its_description_and_diff(admin_client):
    text = admin_client.get(step_url("preset")).text
    for key, name in (("growth-first", "Growth first"), ("enterprise", "Enterprise")):
        assert f'value="{key}"' in text
        assert name in text
    assert "without ratings there is no calibrated" in text  # growth first's trade-off
    assert "Anonymity minimum (people)</strong>: 5 → 7" in text  # enterprise's diff


def test_the_preset_step_applies_the_chosen_preset_through_the_audited_service(admin_client):
    response = admin_client.post(step_url("preset"), {"preset": "enterprise"})
    assert response.status_code == 302
    assert response["Location"] == step_url("calendar")
    assert Program.current().anonymity_minimum == 7
    change = ProgramChange.objects.get()
    assert change.source == "preset:enterprise"
    assert AuditEvent.objects.filter(kind="program.preset.apply").count() == 1
    assert done_steps() == ["preset"]


def test_a_preset_keeps_what_the_results_are_used_for_once_the_why_step_is_saved(
    admin_client,
):
    admin_client.post(step_url("why"), STEP_DATA["why"])
    assert "stays as you said in step 1" in admin_client.get(step_url("preset")).text
    admin_client.post(step_url("preset"), {"preset": "enterprise"})
    program = Program.current()
    assert program.purposes == ["growth"]
    assert program.anonymity_minimum == 7
    assert "purposes" not in ProgramChange.objects.latest("pk").changes


def test_the_preset_step_may_keep_the_current_settings(admin_client):
    assert admin_client.post(step_url("preset"), {"preset": ""}).status_code == 302
    assert not ProgramChange.objects.exists()
    assert done_steps() == ["preset"]


def test_the_preset_step_refuses_a_preset_that_does_not_exist(admin_client):
    response = admin_client.post(step_url("preset"), {"preset": "no-such-preset"})
    assert response.status_code == 200
    assert "Start from</a>: Choose one of the presets listed" in response.text
    assert not ProgramSetup.objects.exists()


def test_choosing_a_preset_the_program_already_matches_changes_nothing(admin_client):
    admin_client.post(step_url("preset"), {"preset": "scale-up"})
    assert admin_client.post(step_url("preset"), {"preset": "scale-up"}).status_code == 302
    assert ProgramChange.objects.count() == 1


# --- Step 4: the calendar ---------------------------------------------------------------------


def test_the_calendar_step_saves_the_rhythm(admin_client):
    response = admin_client.post(step_url("calendar"), CALENDAR)
    assert response.status_code == 302
    program = Program.current()
    assert program.fiscal_year_start_month == 4
    assert program.goal_period_length == "half"
    assert program.review_ratings_enabled is False
    assert program.review_months == [6, 12]
    assert ProgramChange.objects.get().changes["review_ratings_enabled"] == [True, False]
    assert done_steps() == ["calendar"]


def test_the_calendar_step_refuses_an_unknown_period_and_a_reminder_too_early(admin_client):
    data = {**CALENDAR, "goal_period_length": "decade", "review_reminder_days_before": "40"}
    response = admin_client.post(step_url("calendar"), data)
    assert response.status_code == 200
    assert "Goal periods</a>:" in response.text
    assert "Review reminder (days before a deadline)</a>:" in response.text
    assert not Program.objects.exists()


def test_the_calendar_step_refuses_a_month_that_does_not_exist(admin_client):
    response = admin_client.post(step_url("calendar"), {**CALENDAR, "review_months": ["13"]})
    assert response.status_code == 200
    assert "Review cycles open in</a>: Select a valid choice. 13 is not one" in response.text
    assert not Program.objects.exists()


def test_the_program_page_says_when_review_cycles_open(admin_client):
    admin_client.post(step_url("calendar"), CALENDAR)
    assert "Review cycles usually open in June and December." in admin_client.get("/program/").text


def test_the_calendar_step_saves_what_a_new_review_cycle_starts_from(admin_client):
    data = {**CALENDAR, "review_upward_enabled": "on", "review_score": "weighted"}
    assert admin_client.post(step_url("calendar"), data).status_code == 302
    program = Program.current()
    assert program.review_peers_enabled is True
    assert program.review_upward_enabled is True
    assert program.review_phase_days == 21
    assert program.review_score == "weighted"
    assert ProgramChange.objects.get().changes["review_phase_days"] == [14, 21]


def test_the_calendar_step_turns_peer_reviews_off_when_unticked(admin_client):
    Program.objects.create(pk=1, review_peers_enabled=True)
    data = {k: v for k, v in CALENDAR.items() if k != "review_peers_enabled"}
    assert admin_client.post(step_url("calendar"), data).status_code == 302
    assert Program.current().review_peers_enabled is False


def test_the_calendar_step_shows_the_programs_review_cycle_defaults(admin_client):
    Program.objects.create(pk=1, review_phase_days=21, review_upward_enabled=True)
    text = admin_client.get(step_url("calendar")).text
    assert 'name="review_phase_days" value="21"' in text
    assert re.search(r'<input type="checkbox" name="review_upward_enabled"[^>]* checked>', text)


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("4", "At least 5 days: a step needs time to be done."),
        ("61", "At most 60 days: six steps that long already fill a year."),
        ("two weeks", "Give a whole number of days."),
        ("", "Give a number of days (14 is the usual choice)."),
    ],
)
def test_the_calendar_step_refuses_a_step_length_naming_the_field(admin_client, days, message):
    response = admin_client.post(step_url("calendar"), {**CALENDAR, "review_phase_days": days})
    assert response.status_code == 200
    assert f"Days for each step of a review cycle</a>: {message}" in response.text
    assert not Program.objects.exists()
    assert not ProgramSetup.objects.exists()


def test_the_calendar_step_refuses_an_unknown_overall_score_naming_the_field(admin_client):
    response = admin_client.post(step_url("calendar"), {**CALENDAR, "review_score": "median"})
    assert response.status_code == 200
    assert "Overall score of a review</a>: Choose one of the ways listed." in response.text
    assert not Program.objects.exists()


def test_the_calendar_step_explains_each_review_cycle_default(admin_client):
    text = admin_client.get(step_url("calendar")).text
    for name in ("review_score", "review_peers_enabled", "review_upward_enabled"):
        assert escape(guided.TRADE_OFFS[name]) in text, name
    assert "Each of a cycle&#x27;s six steps (self review to sharing) lasts this long." in text


def test_the_calendar_step_says_what_turning_ratings_off_changes(admin_client):
    text = admin_client.get(step_url("calendar")).text
    assert "Off: reviews are written answers only" in text


# --- Step 5: visibility and anonymity ---------------------------------------------------------


def test_the_visibility_step_saves_who_sees_what(admin_client):
    response = admin_client.post(step_url("visibility"), VISIBILITY)
    assert response.status_code == 302
    assert response["Location"] == step_url("people")
    program = Program.current()
    assert program.anonymity_minimum == 6
    assert program.hr_reads_private_feedback is False
    assert done_steps() == ["visibility"]


def test_the_visibility_step_saves_whether_peer_reviewers_are_named(admin_client):
    assert Program.current().review_peer_names_hidden is True
    assert admin_client.post(step_url("visibility"), VISIBILITY).status_code == 302
    assert Program.current().review_peer_names_hidden is False
    assert ProgramChange.objects.get().changes["review_peer_names_hidden"] == [True, False]


def test_the_visibility_step_explains_hiding_peer_reviewers_names(admin_client):
    text = admin_client.get(step_url("visibility")).text
    assert "Peer reviewers&#x27; names hidden from the person reviewed" in text
    assert "peers write more candidly when the person reviewed cannot tell who wrote" in text


def test_the_visibility_step_refuses_an_anonymity_minimum_below_the_floor(admin_client):
    response = admin_client.post(step_url("visibility"), {**VISIBILITY, "anonymity_minimum": "2"})
    assert response.status_code == 200
    assert "Anonymity minimum (people)</a>: At least 3; below that" in response.text
    assert not Program.objects.exists()


def test_the_visibility_step_refuses_a_minimum_that_is_not_a_number(admin_client):
    response = admin_client.post(
        step_url("visibility"), {**VISIBILITY, "anonymity_minimum": "five"}
    )
    assert response.status_code == 200
    assert "Give a whole number of people." in response.text


# --- Step 6: people ---------------------------------------------------------------------------


def test_the_people_step_links_to_the_import_and_may_be_left_for_later(admin_client):
    text = admin_client.get(step_url("people")).text
    assert 'href="/hr/import/"' in text
    assert "Add people later, continue" in text
    response = admin_client.post(step_url("people"))
    assert response["Location"] == step_url("review")
    assert done_steps() == ["people"]


# --- Step 7: review and finish ----------------------------------------------------------------


def test_the_review_step_shows_the_generated_program_page(admin_client):
    admin_client.post(step_url("why"), STEP_DATA["why"])
    text = admin_client.get(step_url("review")).text
    assert "So everyone knows where they stand." in text
    assert "Who sees what" in text and "How anonymity works" in text


def test_finishing_is_refused_while_a_step_is_not_done_naming_it(admin_client):
    admin_client.post(step_url("why"), STEP_DATA["why"])
    response = admin_client.post(step_url("review"))
    assert response.status_code == 200
    assert "these steps are not saved: The values we live by;" in response.text
    assert ProgramSetup.current().completed_at is None


def test_finishing_after_every_step_lands_on_the_program_page(admin_client):
    for key, data in STEP_DATA.items():
        assert admin_client.post(step_url(key), data).status_code == 302, key
    response = admin_client.post(step_url("review"))
    assert response["Location"] == "/program/"
    setup = ProgramSetup.current()
    assert setup.completed_at is not None
    assert AuditEvent.objects.filter(kind="program.setup.finish").count() == 1


# --- Resuming ---------------------------------------------------------------------------------


def test_a_fresh_set_up_starts_at_the_first_step(admin_client):
    assert admin_client.get("/program/setup/")["Location"] == step_url("why")


def test_the_next_visit_resumes_at_the_first_step_not_done(admin_client):
    admin_client.post(step_url("why"), STEP_DATA["why"])
    admin_client.post(step_url("preset"), STEP_DATA["preset"])
    assert admin_client.get("/program/setup/")["Location"] == step_url("values")
    admin_client.post(step_url("values"), STEP_DATA["values"])
    assert admin_client.get("/program/setup/")["Location"] == step_url("calendar")


def test_the_progress_list_shows_done_current_and_to_do(admin_client):
    admin_client.post(step_url("why"), STEP_DATA["why"])
    text = admin_client.get(step_url("values")).text
    assert '<a href="/program/setup/why/">1. Why</a> <span class="setup-state">done</span>' in text
    assert '<span aria-current="step">2. Values</span>' in text
    assert (
        '<a href="/program/setup/preset/">3. Starting point</a> '
        '<span class="setup-state">to do</span>'
    ) in text


def test_a_finished_set_up_can_be_gone_through_again_from_the_start(admin_client):
    ProgramSetup.objects.create(pk=1, steps_done=list(guided.STEP_KEYS[:-1]))
    admin_client.post(step_url("review"))
    assert admin_client.get("/program/setup/")["Location"] == step_url("why")
    assert "The set-up was finished on" in admin_client.get(step_url("why")).text


def test_each_step_has_back_except_the_first(admin_client):
    assert "Back<span" not in admin_client.get(step_url("why")).text
    assert 'href="/program/setup/why/">Back' in admin_client.get(step_url("values")).text


def test_an_unknown_step_is_404(admin_client):
    assert admin_client.get(step_url("nonsense")).status_code == 404


def test_every_field_a_step_shows_explains_its_trade_off():
    fields = [*SetupCalendarForm.base_fields, *SetupVisibilityForm.base_fields]
    assert set(fields) == {*guided.CALENDAR_FIELDS, *guided.VISIBILITY_FIELDS}
    for name in (*fields, "purpose_statement", "values"):
        assert guided.TRADE_OFFS[name], name


def test_every_program_switch_is_set_in_a_step_or_left_to_the_editor():
    steps = (guided.WHY_FIELDS, guided.CALENDAR_FIELDS, guided.VISIBILITY_FIELDS)
    covered = [name for fields in steps for name in fields] + list(guided.EDITOR_ONLY)
    assert sorted(covered) == sorted(EDITABLE_PROGRAM_FIELDS)


def test_every_switch_left_to_the_editor_says_why():
    for name, reason in guided.EDITOR_ONLY.items():
        assert len(reason.split()) >= 8, name


def test_the_review_step_lists_the_switches_left_to_the_editor(admin_client):
    text = admin_client.get(step_url("review")).text
    assert "Left for the program editor" in text
    assert "<strong>Goal scoring scale</strong>: How key results are scored" in text
    assert "<strong>People may propose their own promotion</strong>: Promotions come" in text


# --- Landing after sign-in --------------------------------------------------------------------


def sign_in(client, person):  # type: ignore[no-untyped-def]
    return client.post("/login/", {"username": person.email, "password": PASSWORD})


def test_the_first_hr_admin_of_a_fresh_installation_lands_on_the_set_up(client):
    assert sign_in(client, hr_admin())["Location"] == "/program/setup/"


def test_an_hr_admin_lands_on_the_set_up_again_while_it_is_unfinished(client, client_for):
    admin = hr_admin()
    client_for(admin).post(step_url("why"), STEP_DATA["why"])
    assert sign_in(client, admin)["Location"] == "/program/setup/"


def test_an_hr_admin_lands_home_once_the_set_up_is_finished(client):
    ProgramSetup.objects.create(pk=1, steps_done=list(guided.STEP_KEYS))
    ProgramSetup.objects.filter(pk=1).update(completed_at="2025-01-01T00:00:00Z")
    assert sign_in(client, hr_admin())["Location"] == "/"


def test_an_hr_admin_lands_home_when_the_program_was_configured_without_the_set_up(client):
    Program.load()
    assert sign_in(client, hr_admin())["Location"] == "/"


def test_a_sign_in_with_a_next_page_goes_there_even_during_the_set_up(client):
    admin = hr_admin()
    response = client.post("/login/?next=/people/", {"username": admin.email, "password": PASSWORD})
    assert response["Location"] == "/people/"


def test_an_hr_admin_lands_home_when_people_are_in_tandem_before_any_set_up(client):
    PersonFactory()
    assert sign_in(client, hr_admin())["Location"] == "/"


def test_an_employee_lands_home_on_a_fresh_installation(client):
    assert sign_in(client, PersonFactory())["Location"] == "/"


def test_the_home_page_links_hr_admins_to_the_set_up(admin_client):
    assert 'href="/program/setup/"' in admin_client.get("/").text


def test_the_home_page_does_not_link_employees_to_the_set_up(client_for):
    assert 'href="/program/setup/"' not in client_for(PersonFactory()).get("/").text


@pytest.mark.parametrize("key", [step.key for step in guided.STEPS])
def test_every_description_a_step_points_to_is_on_the_page(admin_client, key):
    html = admin_client.get(step_url(key)).content.decode()
    described_by = {
        target
        for value in re.findall(r'aria-describedby="([^"]+)"', html)
        for target in value.split()
    }
    missing = {target for target in described_by if f'id="{target}"' not in html}
    assert not missing, f"{key}: aria-describedby points at {sorted(missing)}, not on the page"
