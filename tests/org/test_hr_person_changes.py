"""Changing a person's manager and status from the HR pages: preview, confirm, audit."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.sessions.models import Session
from django.urls import reverse

from tandem.access.models import ApiToken, SignInSession
from tandem.access.services import create_token
from tandem.audit.models import AuditEvent
from tandem.org.models import Person, PersonStatus, ReportingLine
from tandem.org.services.people import today
from tests.factories import DepartmentFactory, PersonFactory, hr_admin, hr_partner


def manager_url(person):
    return reverse("org:hr_person_manager", args=[person.pk])


def status_url(person):
    return reverse("org:hr_person_status", args=[person.pk])


# --- Manager ---------------------------------------------------------------------------


def test_the_manager_page_previews_the_change_in_plain_words_before_confirming(client_for):
    admin = hr_admin()
    ben = PersonFactory(first_name="Ben", last_name="Ng", preferred_name="")
    ana = PersonFactory(first_name="Ana", last_name="Silva", preferred_name="")
    PersonFactory(first_name="Carla", last_name="Report", preferred_name="", manager=ana)
    response = client_for(admin).post(
        manager_url(ana), {"manager": ben.email, "effective": "2031-03-01", "reason": ""}
    )
    assert response.status_code == 200
    text = " ".join(response.text.split())
    assert "From 1 March 2031, Ana Silva will report to <strong>Ben Ng</strong>" in text
    assert "Carla Report" in text
    assert "recorded in the audit log" in text
    ana.refresh_from_db()
    assert ana.manager is None  # nothing changes until confirmed


def test_it_changes_the_manager_from_a_date_and_audits_the_reason(client_for):
    admin = hr_admin()
    old = PersonFactory()
    ben = PersonFactory(employee_id="BEN-1")
    ana = PersonFactory(manager=old, start_date=date(2020, 1, 1))
    report = PersonFactory(manager=ana)
    effective = today() - timedelta(days=3)
    response = client_for(admin).post(
        manager_url(ana),
        {
            "manager": "BEN-1",
            "effective": effective.isoformat(),
            "reason": "Team split",
            "confirm": "yes",
        },
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    report.refresh_from_db()
    assert ana.manager == ben
    assert report.path.startswith(ben.path)
    assert ReportingLine.manager_on(ana, effective - timedelta(days=1)) == old
    assert ReportingLine.manager_on(ana, effective) == ben
    event = AuditEvent.objects.get(kind="person.manager_change")
    assert event.changes["effective"] == [None, effective.isoformat()]
    assert event.note == "Team split"
    assert event.actor == admin


def test_it_refuses_a_manager_cycle_naming_the_chain(client_for):
    admin = hr_admin()
    ana = PersonFactory(first_name="Ana", last_name="Top", preferred_name="")
    ben = PersonFactory(first_name="Ben", last_name="Middle", preferred_name="", manager=ana)
    cara = PersonFactory(first_name="Cara", last_name="Low", preferred_name="", manager=ben)
    response = client_for(admin).post(
        manager_url(ana),
        {"manager": cara.email, "effective": today().isoformat(), "confirm": "yes"},
    )
    assert response.status_code == 200
    errors = str(response.context["form"].errors["manager"])
    assert "Cara Low → Ben Middle → Ana Top" in errors
    ana.refresh_from_db()
    assert ana.manager is None


def test_it_refuses_someone_as_their_own_manager(client_for):
    admin = hr_admin()
    ana = PersonFactory()
    response = client_for(admin).post(
        manager_url(ana), {"manager": ana.email, "effective": today().isoformat()}
    )
    assert "cannot be their own manager" in str(response.context["form"].errors["manager"])


def test_it_refuses_a_date_before_the_current_reporting_line(client_for):
    admin = hr_admin()
    ana = PersonFactory(start_date=date(2024, 6, 1))
    ben = PersonFactory()
    response = client_for(admin).post(
        manager_url(ana), {"manager": ben.email, "effective": "2024-01-01", "confirm": "yes"}
    )
    assert response.status_code == 200
    assert "pick that day or a later one" in str(response.context["form"].errors["effective"])
    assert AuditEvent.objects.filter(kind="person.manager_change").count() == 0


def test_it_rejects_an_effective_date_that_is_not_a_date(client_for):
    admin = hr_admin()
    ana = PersonFactory()
    response = client_for(admin).post(
        manager_url(ana), {"manager": "", "effective": "31/02/2024", "confirm": "yes"}
    )
    assert response.status_code == 200
    assert "effective" in response.context["form"].errors


def test_it_can_make_someone_report_to_no_one(client_for):
    admin = hr_admin()
    ana = PersonFactory(manager=PersonFactory(), start_date=date(2020, 1, 1))
    response = client_for(admin).post(
        manager_url(ana), {"manager": "", "effective": today().isoformat(), "confirm": "yes"}
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.manager is None
    assert ana.path == f"/{ana.pk}/"


# --- Status ----------------------------------------------------------------------------


def test_the_status_page_says_that_leaving_ends_every_session_and_token(client_for):
    admin = hr_admin()
    ana = PersonFactory()
    text = " ".join(client_for(admin).get(status_url(ana)).text.split())
    assert "signed out of every session and every API token they hold stops working" in text


def test_the_status_preview_says_who_the_reports_move_to_and_when(client_for):
    admin = hr_admin()
    ben = PersonFactory(first_name="Ben", last_name="Ng", preferred_name="")
    ana = PersonFactory(first_name="Ana", last_name="Silva", preferred_name="", manager=ben)
    PersonFactory(manager=ana)
    end = today() + timedelta(days=30)
    response = client_for(admin).post(
        status_url(ana), {"status": "left", "end_date": end.isoformat()}
    )
    text = " ".join(response.text.split())
    assert f"will move to Ben Ng on {end:%-d %B %Y}" in text
    assert "Their account closes now" in text
    ana.refresh_from_db()
    assert ana.status == PersonStatus.ACTIVE


def test_leaving_closes_the_account_moves_the_reports_and_is_audited(client_for):
    admin = hr_admin()
    ben = PersonFactory(start_date=date(2020, 1, 1))
    ana = PersonFactory(manager=ben, start_date=date(2020, 1, 1))
    report = PersonFactory(manager=ana, start_date=date(2021, 1, 1))
    ana_client = client_for(ana)
    create_token(person=ana, name="laptop", by=ana)
    response = client_for(admin).post(
        status_url(ana),
        {"status": "left", "end_date": today().isoformat(), "reason": "Moved on", "confirm": "yes"},
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    report.refresh_from_db()
    assert ana.status == PersonStatus.LEFT
    assert not ana.is_active
    assert report.manager == ben
    assert not SignInSession.objects.filter(person=ana).exists()
    assert not ApiToken.objects.filter(person=ana, revoked_at__isnull=True).exists()
    assert ana_client.get("/").status_code == 302  # signed out
    event = AuditEvent.objects.get(kind="person.status_change")
    assert event.changes["status"] == ["active", "left"]
    assert "Moved on" in event.note
    assert Session.objects.count() >= 1  # the HR admin is still signed in


def test_it_rejects_a_last_day_before_the_start_date(client_for):
    admin = hr_admin()
    ana = PersonFactory(start_date=date(2024, 6, 1))
    response = client_for(admin).post(
        status_url(ana), {"status": "left", "end_date": "2024-01-31", "confirm": "yes"}
    )
    assert response.status_code == 200
    assert "before the start date" in str(response.context["form"].errors["end_date"])
    ana.refresh_from_db()
    assert ana.status == PersonStatus.ACTIVE


def test_it_rejects_a_last_day_for_someone_going_on_leave(client_for):
    admin = hr_admin()
    ana = PersonFactory()
    response = client_for(admin).post(
        status_url(ana), {"status": "on_leave", "end_date": "2030-01-31", "confirm": "yes"}
    )
    assert "Only people who have left" in str(response.context["form"].errors["end_date"])


def test_it_rejects_an_unknown_status(client_for):
    admin = hr_admin()
    ana = PersonFactory()
    response = client_for(admin).post(status_url(ana), {"status": "retired", "confirm": "yes"})
    assert response.status_code == 200
    assert "status" in response.context["form"].errors


def test_it_puts_someone_on_leave(client_for):
    admin = hr_admin()
    ana = PersonFactory()
    response = client_for(admin).post(status_url(ana), {"status": "on_leave", "confirm": "yes"})
    assert response.status_code == 302
    assert Person.objects.get(pk=ana.pk).status == PersonStatus.ON_LEAVE
    assert AuditEvent.objects.filter(kind="person.status_change", subject=ana).exists()


def test_it_brings_back_someone_who_left(client_for):
    admin = hr_admin()
    ana = PersonFactory(
        status=PersonStatus.LEFT, start_date=date(2020, 1, 1), end_date=date(2023, 1, 1)
    )
    response = client_for(admin).post(status_url(ana), {"status": "active", "confirm": "yes"})
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.is_active
    assert ana.end_date is None


def test_an_hr_partner_can_mark_a_leaver_whose_reports_sit_in_another_department(client_for):
    sales = DepartmentFactory(name="Sales")
    ben = PersonFactory(department=DepartmentFactory(name="Board"), start_date=date(2019, 1, 1))
    ana = PersonFactory(department=sales, manager=ben, start_date=date(2020, 1, 1))
    engineer = PersonFactory(
        department=DepartmentFactory(name="Engineering"), manager=ana, start_date=date(2021, 1, 1)
    )
    partner = hr_partner([sales])
    response = client_for(partner).post(
        status_url(ana), {"status": "left", "end_date": today().isoformat(), "confirm": "yes"}
    )
    assert response.status_code == 302
    engineer.refresh_from_db()
    assert engineer.manager == ben


def test_it_names_the_last_day_when_a_report_joined_after_it(client_for):
    admin = hr_admin()
    ana = PersonFactory(start_date=date(2020, 1, 1))
    PersonFactory(manager=ana, start_date=date(2024, 6, 1))
    response = client_for(admin).post(
        status_url(ana), {"status": "left", "end_date": "2024-01-31", "confirm": "yes"}
    )
    assert response.status_code == 200
    assert "cannot move on 31 Jan 2024" in str(response.context["form"].errors["end_date"])
    ana.refresh_from_db()
    assert ana.status == PersonStatus.ACTIVE
