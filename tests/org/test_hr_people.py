"""The HR people list and the person record: search, filters, pages, add and edit."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.org.models import Person, PersonStatus, ReportingLine
from tests.factories import DepartmentFactory, PersonFactory, hr_admin, hr_partner

LIST = reverse("org:hr_people")
CREATE = reverse("org:hr_person_create")


def new_person(**overrides):
    data = {
        "first_name": "Ana",
        "last_name": "Silva",
        "preferred_name": "",
        "email": "Ana.Silva@example.com",
        "employee_id": "E-900",
        "title": "Account Executive",
        "level": "IC3",
        "department": "",
        "location": "Lisbon",
        "time_zone": "Europe/Lisbon",
        "start_date": "2024-03-01",
        "manager": "",
    }
    data.update(overrides)
    return data


def record_of(person, **overrides):
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "preferred_name": person.preferred_name,
        "email": person.email,
        "employee_id": person.employee_id or "",
        "title": person.title,
        "level": person.level,
        "department": person.department_id or "",
        "location": person.location,
        "time_zone": person.time_zone,
        "start_date": person.start_date.isoformat() if person.start_date else "",
    }
    data.update(overrides)
    return data


# --- The list ----------------------------------------------------------------------------


def test_the_list_links_each_person_to_their_record(client_for):
    admin = hr_admin()
    ana = PersonFactory(first_name="Ana", last_name="Zeta", preferred_name="")
    response = client_for(admin).get(LIST)
    assert "Ana Zeta" in response.text
    assert reverse("org:hr_person_edit", args=[ana.pk]) in response.text


def test_the_list_searches_by_name(client_for):
    admin = hr_admin()
    PersonFactory(first_name="Ana", last_name="Zeta", preferred_name="")
    PersonFactory(first_name="Bob", last_name="Young", preferred_name="")
    response = client_for(admin).get(LIST, {"q": "zeta"})
    assert "Ana Zeta" in response.text
    assert "Bob Young" not in response.text


def test_the_list_filters_by_department_including_sub_departments(client_for):
    admin = hr_admin()
    sales = DepartmentFactory(name="Sales")
    emea = DepartmentFactory(name="EMEA", parent=sales)
    PersonFactory(last_name="Inside", department=emea)
    PersonFactory(last_name="Outside")
    response = client_for(admin).get(LIST, {"department": sales.pk})
    assert "Inside" in response.text
    assert "Outside" not in response.text


def test_the_list_hides_people_who_left_unless_asked(client_for):
    admin = hr_admin()
    PersonFactory(last_name="Gone", status=PersonStatus.LEFT)
    PersonFactory(last_name="Here")
    client = client_for(admin)
    assert "Gone" not in client.get(LIST).text
    left = client.get(LIST, {"status": "left"}).text
    assert "Gone" in left
    assert "Here" not in left
    assert "Gone" in client.get(LIST, {"status": "all"}).text


def test_the_list_filters_by_manager_given_by_email(client_for):
    admin = hr_admin()
    boss = PersonFactory(last_name="Boss")
    PersonFactory(last_name="Report", manager=boss)
    PersonFactory(last_name="Stranger")
    response = client_for(admin).get(LIST, {"manager": boss.email})
    assert "Report" in response.text
    assert "Stranger" not in response.text


def test_the_list_says_so_when_the_manager_filter_names_no_one(client_for):
    admin = hr_admin()
    PersonFactory(last_name="Someone")
    response = client_for(admin).get(LIST, {"manager": "nobody@example.com"})
    assert response.status_code == 200
    assert "No active person with e-mail nobody@example.com" in response.text
    assert "Someone" not in response.text


def test_the_list_pages_with_a_cursor(client_for):
    admin = hr_admin(last_name="Aaa")
    for number in range(55):
        PersonFactory(last_name=f"Person{number:03d}")
    client = client_for(admin)
    first = client.get(LIST)
    assert "Person048" in first.text
    assert "Person049" not in first.text  # 50 a page: the admin and 49 more
    next_url = first.context["next_url"]
    assert "cursor=" in next_url
    second = client.get(LIST + next_url)
    assert "Person049" in second.text
    assert "Person054" in second.text
    assert second.context["next_url"] == ""


def test_the_list_keeps_the_filters_on_the_next_page_link(client_for):
    admin = hr_admin()
    sales = DepartmentFactory(name="Sales")
    PersonFactory.create_batch(51, department=sales)
    response = client_for(admin).get(LIST, {"department": sales.pk})
    assert f"department={sales.pk}" in response.context["next_url"]


def test_the_list_starts_again_on_a_tampered_cursor(client_for):
    admin = hr_admin()
    response = client_for(admin).get(LIST, {"cursor": "not-a-cursor"})
    assert response.status_code == 200
    assert "start again from the first page" in response.text


def test_the_list_explains_an_empty_result(client_for):
    admin = hr_admin()
    response = client_for(admin).get(LIST, {"q": "nobody-has-this-name"})
    assert "No one matches these filters" in response.text


def test_the_list_shows_an_hr_partner_only_people_of_their_departments(client_for):
    sales = DepartmentFactory(name="Sales")
    seller = PersonFactory(department=DepartmentFactory(parent=sales))
    PersonFactory()
    partner = hr_partner([sales])
    response = client_for(partner).get(LIST)
    assert response.context["page"].people == [seller]


def list_queries(client, people):
    sales = DepartmentFactory(name=f"Sales {people}")
    for _ in range(people):
        PersonFactory(department=sales, manager=None)
    with CaptureQueriesContext(connection) as context:
        response = client.get(LIST, {"q": "", "department": sales.pk, "status": ""})
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_list_costs_the_same_queries_for_5_and_60_people(
    client_for, django_assert_max_num_queries
):
    client = client_for(hr_admin())
    few = list_queries(client, 5)
    many = list_queries(client, 60)
    assert few == many
    with django_assert_max_num_queries(12):
        client.get(LIST, {"q": "a", "status": "all"})


def test_the_new_person_form_offers_the_people_picker_for_the_manager(client_for):
    response = client_for(hr_admin()).get("/hr/people/new/")
    assert 'data-picker-url="/people/pick/"' in response.text
    assert 'name="manager"' in response.text


# --- Adding a person -------------------------------------------------------------------


def test_it_adds_a_person_with_a_manager_and_records_it(client_for):
    admin = hr_admin()
    boss = PersonFactory(employee_id="B-1")
    response = client_for(admin).post(CREATE, new_person(manager="B-1"))
    ana = Person.objects.get(email="ana.silva@example.com")
    assert response.status_code == 302
    assert response["Location"] == reverse("org:hr_person_edit", args=[ana.pk])
    assert ana.manager == boss
    assert ana.path == f"{boss.path}{ana.pk}/"
    assert ReportingLine.objects.get(person=ana).manager == boss
    event = AuditEvent.objects.get(kind="person.create")
    assert event.actor == admin
    assert event.changes["email"] == [None, "ana.silva@example.com"]


def test_adding_a_person_says_what_will_happen(client_for):
    response = client_for(hr_admin()).get(CREATE)
    assert "recorded in the audit log" in response.text
    assert "Forgot your password?" in response.text


def test_the_person_pickers_are_text_inputs_not_lists_of_everyone(client_for):
    PersonFactory.create_batch(3)
    response = client_for(hr_admin()).get(CREATE)
    assert '<input type="text" name="manager"' in response.text
    assert '<select name="manager"' not in response.text


def test_it_rejects_a_bad_email(client_for):
    response = client_for(hr_admin()).post(CREATE, new_person(email="not-an-email"))
    assert response.status_code == 200
    assert "Enter a valid email address." in str(response.context["form"].errors["email"])
    assert not Person.objects.filter(last_name="Silva").exists()


def test_it_rejects_a_duplicate_email(client_for):
    admin = hr_admin()
    PersonFactory(email="ana.silva@example.com")
    response = client_for(admin).post(CREATE, new_person(email="ANA.SILVA@example.com"))
    assert response.status_code == 200
    assert "already exists" in str(response.context["form"].errors["email"])
    assert not Person.objects.filter(last_name="Silva").exists()


def test_it_rejects_an_unknown_time_zone(client_for):
    response = client_for(hr_admin()).post(CREATE, new_person(time_zone="Mars/Olympus"))
    assert response.status_code == 200
    assert "not a known time zone" in str(response.context["form"].errors["time_zone"])


def test_it_rejects_a_manager_who_does_not_exist(client_for):
    response = client_for(hr_admin()).post(CREATE, new_person(manager="ghost@example.com"))
    assert response.status_code == 200
    errors = str(response.context["form"].errors["manager"])
    assert "No active person with e-mail ghost@example.com" in errors


def test_it_rejects_a_manager_who_has_left(client_for):
    PersonFactory(email="gone@example.com", status=PersonStatus.LEFT)
    response = client_for(hr_admin()).post(CREATE, new_person(manager="gone@example.com"))
    assert "No active person with e-mail gone@example.com" in str(
        response.context["form"].errors["manager"]
    )


def test_an_hr_partner_adds_people_only_to_their_departments(client_for):
    sales = DepartmentFactory(name="Sales")
    other = DepartmentFactory(name="Legal")
    client = client_for(hr_partner([sales]))
    refused = client.post(CREATE, new_person(department=other.pk))
    assert refused.status_code == 200
    assert "department" in refused.context["form"].errors
    accepted = client.post(CREATE, new_person(department=sales.pk))
    assert accepted.status_code == 302
    assert Person.objects.get(email="ana.silva@example.com").department == sales


# --- Editing a record ------------------------------------------------------------------


def test_it_saves_a_record_and_audits_the_changed_fields(client_for):
    admin = hr_admin()
    ana = PersonFactory(title="Engineer")
    url = reverse("org:hr_person_edit", args=[ana.pk])
    response = client_for(admin).post(url, record_of(ana, title="Staff Engineer"))
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.title == "Staff Engineer"
    event = AuditEvent.objects.get(kind="person.update")
    assert event.changes == {"title": ["Engineer", "Staff Engineer"]}
    assert event.subject == ana


def test_editing_rejects_an_email_someone_else_has(client_for):
    admin = hr_admin()
    PersonFactory(email="taken@example.com")
    ana = PersonFactory()
    url = reverse("org:hr_person_edit", args=[ana.pk])
    response = client_for(admin).post(url, record_of(ana, email="taken@example.com"))
    assert response.status_code == 200
    assert "already exists" in str(response.context["form"].errors["email"])
    ana.refresh_from_db()
    assert ana.email != "taken@example.com"


def test_editing_rejects_a_start_date_after_the_last_day(client_for):
    admin = hr_admin()
    ana = PersonFactory(
        status=PersonStatus.LEFT, start_date=date(2020, 1, 1), end_date=date(2022, 1, 1)
    )
    url = reverse("org:hr_person_edit", args=[ana.pk])
    response = client_for(admin).post(url, record_of(ana, start_date="2023-01-01"))
    assert response.status_code == 200
    assert "before the start date" in str(response.context["form"].errors["start_date"])


def test_editing_rejects_an_unknown_time_zone(client_for):
    admin = hr_admin()
    ana = PersonFactory()
    url = reverse("org:hr_person_edit", args=[ana.pk])
    response = client_for(admin).post(url, record_of(ana, time_zone="Europe/Atlantis"))
    assert "not a known time zone" in str(response.context["form"].errors["time_zone"])


@pytest.mark.parametrize("field", ["first_name", "email", "time_zone"])
def test_editing_names_a_missing_required_field(client_for, field):
    admin = hr_admin()
    ana = PersonFactory()
    url = reverse("org:hr_person_edit", args=[ana.pk])
    response = client_for(admin).post(url, record_of(ana, **{field: ""}))
    assert response.status_code == 200
    assert field in response.context["form"].errors


def test_the_edit_page_says_what_saving_does(client_for):
    ana = PersonFactory(first_name="Ana", last_name="Silva", preferred_name="")
    response = client_for(hr_admin()).get(reverse("org:hr_person_edit", args=[ana.pk]))
    text = " ".join(response.text.split())
    assert "Saving changes Ana Silva's record at once" in text
    assert "recorded in the audit log" in text
